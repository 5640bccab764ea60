<?php

declare(strict_types=1);

namespace McpGuard\Server\Guard\Confirmation;

/**
 * Where the ids of used confirmations are kept, so that each is accepted
 * once. The extension decides whether a confirmation is genuine and bound
 * to the call; the store only remembers which ids were used.
 */
interface ConfirmationStore
{
    /**
     * Records the first use of a confirmation id: true exactly once per id,
     * false for every later claim, also when many workers claim the same id
     * at the same moment (an atomic unique insert, never read-then-write).
     * Keep the id at least until `$expiresAt`: after that the confirmation
     * itself is refused as expired.
     *
     * @throws \McpGuard\Server\OAuth\StorageException the store failed (fail closed: refuse the call)
     */
    public function claim(string $id, int $expiresAt, int $now): bool;

    /**
     * Forgets ids whose confirmations expired well before `$now` (an
     * implementation keeps them a margin past expiry, so that a worker with a
     * lagging clock cannot accept a forgotten id again).
     *
     * @return int how many were removed
     */
    public function purgeExpired(int $now): int;
}
