<?php

declare(strict_types=1);

namespace McpGuard\Server\Guard\Confirmation;

use McpGuard\Exception\InvalidArgumentException;
use McpGuard\Server\OAuth\Pdo\PdoDatabase;
use McpGuard\Server\OAuth\StorageException;

/**
 * Used confirmation ids in `<prefix>confirmations` (SQLite or
 * MySQL/MariaDB, through the shared PdoDatabase; the table comes with
 * Migrations). A claim is one INSERT: the primary key lets exactly one of
 * any number of concurrent claims of an id succeed.
 */
final class PdoConfirmationStore implements ConfirmationStore
{
    /**
     * Seconds an id is kept past its expiry: a worker whose clock lags the
     * purging one by less than this still finds the id claimed.
     */
    public const KEEP_AFTER_EXPIRY = 300;

    /** Attempts of a claim that hit a deadlock (SQLSTATE 40001). */
    private const ATTEMPTS = 3;

    public function __construct(private readonly PdoDatabase $db)
    {
    }

    /** @throws InvalidArgumentException an id that is not 32 lower-case hex digits */
    public function claim(string $id, int $expiresAt, int $now): bool
    {
        if (preg_match('/^[0-9a-f]{32}$/D', $id) !== 1) {
            throw new InvalidArgumentException('A confirmation id is 32 lower-case hex digits.');
        }
        for ($attempt = 1; ; $attempt++) {
            try {
                $this->db->run(
                    'INSERT INTO ' . $this->db->table('confirmations') . ' (confirmation_id, expires_at, claimed_at) VALUES (?, ?, ?)',
                    [$id, $expiresAt, $now],
                );
                return true;
            } catch (StorageException $e) {
                if ($e->isConflict()) {
                    return false;
                }
                if (!$e->isRetryable() || $attempt >= self::ATTEMPTS) {
                    throw $e;
                }
            }
        }
    }

    /** Removes the ids that expired more than KEEP_AFTER_EXPIRY seconds before `$now`. */
    public function purgeExpired(int $now): int
    {
        return $this->db->run(
            'DELETE FROM ' . $this->db->table('confirmations') . ' WHERE expires_at < ?',
            [$now - self::KEEP_AFTER_EXPIRY],
        )->rowCount();
    }
}
