<?php

declare(strict_types=1);

namespace McpGuard\Server\OAuth\Pdo;

/**
 * Schema version 3: the audit trail. `audit_events` holds one row per event
 * (seq is the chain position, assigned under the head's lock, not an
 * auto-increment); `audit_head` holds exactly one row (id 1), the chain
 * head, created here at seq 0 so that every append can lock an existing row
 * (MariaDB `SELECT … FOR UPDATE`). Times are Unix microseconds. In
 * MySQL/MariaDB the compared columns are VARBINARY (byte for byte); the
 * record is utf8mb4_bin text (ASCII in practice).
 */
final class CreateAuditTables implements Migration
{
    public function version(): int
    {
        return 3;
    }

    public function up(PdoDatabase $db): array
    {
        $my = $db->driver() === 'mysql';
        $bin = static fn (int $n): string => $my ? "VARBINARY({$n})" : 'TEXT';
        $int = $my ? 'BIGINT' : 'INTEGER';
        $opts = $my ? ' ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin' : '';
        $events = $db->table('audit_events');
        $head = $db->table('audit_head');
        return [
            "CREATE TABLE {$events} (
                seq {$int} NOT NULL PRIMARY KEY,
                at {$int} NOT NULL,
                type {$bin(32)} NOT NULL,
                outcome {$bin(16)} NOT NULL,
                principal {$bin(256)} NULL,
                tool {$bin(128)} NULL,
                record " . ($my ? 'VARBINARY(4096)' : 'TEXT') . " NOT NULL,
                hash {$bin(64)} NOT NULL
            ){$opts}",
            "CREATE INDEX {$events}_at ON {$events} (at)",
            "CREATE INDEX {$events}_principal ON {$events} (principal, at)",
            "CREATE TABLE {$head} (
                id {$int} NOT NULL PRIMARY KEY,
                seq {$int} NOT NULL,
                hash {$bin(64)} NOT NULL,
                mac {$bin(64)} NULL
            ){$opts}",
            "INSERT INTO {$head} (id, seq, hash, mac) VALUES (1, 0, '" . str_repeat('0', 64) . "', NULL)",
        ];
    }

    public function down(PdoDatabase $db): array
    {
        return [
            'DROP TABLE IF EXISTS ' . $db->table('audit_head'),
            'DROP TABLE IF EXISTS ' . $db->table('audit_events'),
        ];
    }
}
