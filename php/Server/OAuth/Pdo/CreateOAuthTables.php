<?php

declare(strict_types=1);

namespace McpGuard\Server\OAuth\Pdo;

/**
 * Schema version 1: clients, codes, grants, families, refresh and access
 * tokens. Times are Unix seconds (BIGINT). In MySQL/MariaDB every column a
 * statement compares (ids, keys, hash strings, member ids, the grants'
 * redirect URI) is VARBINARY: compared byte for byte, where a VARCHAR's PAD
 * SPACE collation would find 'alice ' under 'alice'. The grants key (member
 * 191 + client key 128 + redirect URI 2048 bytes) fits InnoDB's 3072-byte
 * index limit. Other text is utf8mb4_bin.
 */
final class CreateOAuthTables implements Migration
{
    private const TABLES = ['clients', 'codes', 'grants', 'families', 'refresh_tokens', 'access_tokens'];

    public function version(): int
    {
        return 1;
    }

    public function up(PdoDatabase $db): array
    {
        $my = $db->driver() === 'mysql';
        $id = static fn (int $n): string => $my ? "VARBINARY({$n})" : 'TEXT';
        $int = $my ? 'BIGINT' : 'INTEGER';
        $opts = $my ? ' ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin' : '';
        [$clients, $codes, $grants, $families, $refresh, $access] = array_map([$db, 'table'], self::TABLES);

        return [
            "CREATE TABLE {$clients} (
                client_key {$id(128)} NOT NULL PRIMARY KEY,
                client_id TEXT NOT NULL,
                kind {$id(32)} NOT NULL,
                metadata " . ($my ? 'MEDIUMTEXT' : 'TEXT') . " NOT NULL,
                secret_hash {$id(255)} NULL,
                created_at {$int} NOT NULL,
                expires_at {$int} NULL,
                last_used_at {$int} NULL,
                consented_at {$int} NULL
            ){$opts}",
            "CREATE INDEX {$clients}_housekeeping ON {$clients} (kind, consented_at, created_at)",
            "CREATE TABLE {$codes} (
                code_hash {$id(255)} NOT NULL PRIMARY KEY,
                family_id {$id(128)} NOT NULL,
                client_id TEXT NOT NULL,
                redirect_uri TEXT NOT NULL,
                code_challenge {$id(128)} NOT NULL,
                scope TEXT NOT NULL,
                resource TEXT NOT NULL,
                member_id {$id(191)} NOT NULL,
                created_at {$int} NOT NULL,
                expires_at {$int} NOT NULL,
                consumed_at {$int} NULL
            ){$opts}",
            "CREATE INDEX {$codes}_expires ON {$codes} (expires_at)",
            "CREATE TABLE {$grants} (
                member_id {$id(191)} NOT NULL,
                client_key {$id(128)} NOT NULL,
                redirect_uri {$id(2048)} NOT NULL,
                scope TEXT NOT NULL,
                created_at {$int} NOT NULL,
                updated_at {$int} NOT NULL,
                PRIMARY KEY (member_id, client_key, redirect_uri)
            ){$opts}",
            "CREATE TABLE {$families} (
                family_id {$id(128)} NOT NULL PRIMARY KEY,
                member_id {$id(191)} NOT NULL,
                client_key {$id(128)} NOT NULL,
                redirect_uri TEXT NOT NULL,
                scope TEXT NOT NULL,
                resource TEXT NOT NULL,
                created_at {$int} NOT NULL,
                revoked_at {$int} NULL
            ){$opts}",
            "CREATE INDEX {$families}_member ON {$families} (member_id, client_key)",
            "CREATE TABLE {$refresh} (
                public_id {$id(64)} NOT NULL PRIMARY KEY,
                hash {$id(255)} NOT NULL,
                family_id {$id(128)} NOT NULL,
                parent_id {$id(64)} NULL,
                created_at {$int} NOT NULL,
                expires_at {$int} NOT NULL,
                rotated_at {$int} NULL,
                successor_count {$int} NOT NULL DEFAULT 0,
                successor_used_at {$int} NULL,
                revoked_at {$int} NULL
            ){$opts}",
            "CREATE INDEX {$refresh}_family ON {$refresh} (family_id)",
            "CREATE TABLE {$access} (
                public_id {$id(64)} NOT NULL PRIMARY KEY,
                hash {$id(255)} NOT NULL,
                family_id {$id(128)} NOT NULL,
                member_id {$id(191)} NOT NULL,
                client_key {$id(128)} NOT NULL,
                scope TEXT NOT NULL,
                resource TEXT NOT NULL,
                created_at {$int} NOT NULL,
                expires_at {$int} NOT NULL,
                revoked_at {$int} NULL
            ){$opts}",
            "CREATE INDEX {$access}_family ON {$access} (family_id)",
        ];
    }

    public function down(PdoDatabase $db): array
    {
        return array_map(static fn (string $t): string => 'DROP TABLE IF EXISTS ' . $db->table($t), array_reverse(self::TABLES));
    }
}
