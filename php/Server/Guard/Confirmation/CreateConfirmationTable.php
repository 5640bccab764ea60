<?php

declare(strict_types=1);

namespace McpGuard\Server\Guard\Confirmation;

use McpGuard\Server\OAuth\Pdo\Migration;
use McpGuard\Server\OAuth\Pdo\PdoDatabase;

/**
 * Schema step: `<prefix>confirmations`, the ids of used confirmations. The
 * id (32 hex digits) is the primary key, so a second insert of the same id
 * fails on every database: that failure is what makes a confirmation
 * single-use. VARBINARY on MySQL/MariaDB (compared byte for byte).
 */
final class CreateConfirmationTable implements Migration
{
    public function __construct(private readonly int $version = 4)
    {
    }

    public function version(): int
    {
        return $this->version;
    }

    public function up(PdoDatabase $db): array
    {
        $my = $db->driver() === 'mysql';
        $t = $db->table('confirmations');
        $id = $my ? 'VARBINARY(32)' : 'TEXT';
        $int = $my ? 'BIGINT' : 'INTEGER';
        $opts = $my ? ' ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin' : '';
        return [
            "CREATE TABLE {$t} (
                confirmation_id {$id} NOT NULL PRIMARY KEY,
                expires_at {$int} NOT NULL,
                claimed_at {$int} NOT NULL
            ){$opts}",
            "CREATE INDEX {$t}_expires ON {$t} (expires_at)",
        ];
    }

    public function down(PdoDatabase $db): array
    {
        return ['DROP TABLE IF EXISTS ' . $db->table('confirmations')];
    }
}
