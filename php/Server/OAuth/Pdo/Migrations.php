<?php

declare(strict_types=1);

namespace McpGuard\Server\OAuth\Pdo;

use McpGuard\Exception\InvalidArgumentException;
use McpGuard\Server\Guard\Confirmation\CreateConfirmationTable;
use McpGuard\Server\OAuth\StorageException;

/**
 * Applies and undoes the OAuth schema, step by step, recording each applied
 * version in `<prefix>schema_versions`. Run it from one process (a deploy or
 * install step), not from concurrent requests.
 *
 * On SQLite a step and its version row commit together. MySQL/MariaDB commit
 * every DDL statement on its own, so a step that fails there is undone with
 * its down() statements before the error is rethrown, and can be run again.
 */
final class Migrations
{
    /** @var list<Migration> */
    private readonly array $steps;

    /**
     * @param list<Migration>|null $steps null = every step of this release, see steps()
     * @throws InvalidArgumentException versions not 1, 2, 3, … in order
     */
    public function __construct(private readonly PdoDatabase $db, ?array $steps = null)
    {
        $steps ??= self::steps();
        foreach (array_values($steps) as $i => $step) {
            if (!$step instanceof Migration || $step->version() !== $i + 1) {
                throw new InvalidArgumentException('Migration steps must be numbered 1, 2, 3, … in order.');
            }
        }
        $this->steps = array_values($steps);
    }

    /** @return list<Migration> every schema step of this release, oldest first */
    public static function steps(): array
    {
        return [new CreateOAuthTables(), new CreateMembersTable(), new CreateAuditTables(), new CreateConfirmationTable()];
    }

    /** The newest version applied (0: none). */
    public function version(): int
    {
        $this->db->run('CREATE TABLE IF NOT EXISTS ' . $this->db->table('schema_versions')
            . ' (version INTEGER NOT NULL PRIMARY KEY, applied_at BIGINT NOT NULL)');
        $row = $this->db->row('SELECT MAX(version) AS v FROM ' . $this->db->table('schema_versions'));
        return (int) ($row['v'] ?? 0);
    }

    /**
     * Applies every step after the current version, up to `$to` (null: the newest).
     *
     * @return list<int> the versions applied, in order
     * @throws StorageException
     */
    public function up(?int $to = null, ?int $now = null): array
    {
        $applied = [];
        foreach ($this->steps as $step) {
            $v = $step->version();
            if ($v <= $this->version() || ($to !== null && $v > $to)) {
                continue;
            }
            $this->apply($step->up($this->db), $step->down($this->db), 'INSERT INTO %s (version, applied_at) VALUES (?, ?)', [$v, $now ?? time()]);
            $applied[] = $v;
        }
        return $applied;
    }

    /**
     * Undoes applied steps, newest first, down to version `$to` (0: everything).
     *
     * @return list<int> the versions undone, in order
     * @throws StorageException
     */
    public function down(int $to = 0): array
    {
        $undone = [];
        foreach (array_reverse($this->steps) as $step) {
            $v = $step->version();
            if ($v > $this->version() || $v <= $to) {
                continue;
            }
            $this->apply($step->down($this->db), [], 'DELETE FROM %s WHERE version = ?', [$v]);
            $undone[] = $v;
        }
        return $undone;
    }

    /**
     * @param list<string>    $statements
     * @param list<string>    $undo         run when a statement fails on MySQL
     * @param list<int>       $versionParams
     */
    private function apply(array $statements, array $undo, string $versionSql, array $versionParams): void
    {
        $versionSql = sprintf($versionSql, $this->db->table('schema_versions'));
        if ($this->db->driver() === 'sqlite') {
            $this->db->transaction(function () use ($statements, $versionSql, $versionParams): void {
                foreach ($statements as $sql) {
                    $this->db->run($sql);
                }
                $this->db->run($versionSql, $versionParams);
            });
            return;
        }
        try {
            foreach ($statements as $sql) {
                $this->db->run($sql);
            }
            $this->db->run($versionSql, $versionParams);
        } catch (StorageException $e) {
            foreach ($undo as $sql) {
                try {
                    $this->db->run($sql);
                } catch (StorageException) {
                    // Best effort: the error that matters is the one rethrown below.
                }
            }
            throw $e;
        }
    }
}
