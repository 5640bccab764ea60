<?php

declare(strict_types=1);

namespace McpGuard\Server\OAuth\Pdo;

/**
 * Small helpers the PDO stores share: column values read back (MySQL returns
 * numbers as strings), and the one upsert statement per dialect.
 *
 * @internal
 */
final class Rows
{
    /**
     * A token's revocation time folded with its family's (`t` and `f`): the
     * earlier of the two that are set, null when neither is.
     */
    public const REVOKED_AT = 'CASE WHEN t.revoked_at IS NULL THEN f.revoked_at WHEN f.revoked_at IS NULL THEN t.revoked_at'
        . ' WHEN f.revoked_at < t.revoked_at THEN f.revoked_at ELSE t.revoked_at END';

    private function __construct()
    {
    }

    public static function int(mixed $value): ?int
    {
        return $value === null ? null : (int) $value;
    }

    public static function str(mixed $value): ?string
    {
        return $value === null ? null : (string) $value;
    }

    /** `INSERT … ON CONFLICT/DUPLICATE KEY UPDATE` the `$replace` columns with the new values. */
    public static function upsert(PdoDatabase $db, string $table, string $columns, string $key, string $replace): string
    {
        $cols = array_map('trim', explode(',', $columns));
        $marks = implode(', ', array_fill(0, count($cols), '?'));
        $set = array_map(
            static fn (string $c): string => $db->driver() === 'mysql' ? "{$c} = VALUES({$c})" : "{$c} = excluded.{$c}",
            array_map('trim', explode(',', $replace)),
        );
        return "INSERT INTO {$table} ({$columns}) VALUES ({$marks}) "
            . ($db->driver() === 'mysql' ? 'ON DUPLICATE KEY UPDATE ' : "ON CONFLICT ({$key}) DO UPDATE SET ")
            . implode(', ', $set);
    }

    /**
     * A plain INSERT; a duplicate key becomes a conflict StorageException.
     *
     * @param list<string|int|null> $values
     */
    public static function insert(PdoDatabase $db, string $table, string $columns, array $values): void
    {
        $marks = implode(', ', array_fill(0, count($values), '?'));
        $db->run("INSERT INTO {$table} ({$columns}) VALUES ({$marks})", $values);
    }
}
