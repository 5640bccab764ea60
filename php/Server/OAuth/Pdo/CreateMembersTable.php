<?php

declare(strict_types=1);

namespace McpGuard\Server\OAuth\Pdo;

/**
 * Schema version 2: the members list of McpGuard\Server\Member\PdoMemberStore
 * (for hosts without one of their own: the demo, the admin CLI). The member id
 * is VARBINARY in MySQL/MariaDB, compared byte for byte like the OAuth tables'.
 */
final class CreateMembersTable implements Migration
{
    public function version(): int
    {
        return 2;
    }

    public function up(PdoDatabase $db): array
    {
        $my = $db->driver() === 'mysql';
        $members = $db->table('members');
        return [$my
            ? "CREATE TABLE {$members} (
                member_id VARBINARY(191) NOT NULL PRIMARY KEY,
                role VARBINARY(64) NOT NULL,
                name VARCHAR(191) NOT NULL DEFAULT '',
                created_at BIGINT NOT NULL
            ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin"
            : "CREATE TABLE {$members} (
                member_id TEXT NOT NULL PRIMARY KEY,
                role TEXT NOT NULL,
                name TEXT NOT NULL DEFAULT '',
                created_at INTEGER NOT NULL
            )"];
    }

    public function down(PdoDatabase $db): array
    {
        return ['DROP TABLE IF EXISTS ' . $db->table('members')];
    }
}
