<?php

declare(strict_types=1);

namespace McpGuard\Server\OAuth\Store;

/**
 * Where authorization codes live between the consent and the token request.
 * Rows are keyed by the code's hash string (the code itself is never stored),
 * which the extension computes from the presented code the same way each time.
 */
interface CodeStore
{
    /**
     * Inserts a new code. Never replaces a row: a code hash that exists
     * already (consumed or not) throws a StorageException whose `isConflict()`
     * is true, so a saved code can never be made redeemable again.
     *
     * @throws \McpGuard\Server\OAuth\StorageException
     */
    public function save(CodeRecord $record): void;

    /**
     * Redeems a code, atomically, across every worker and server sharing the
     * database: one conditional `UPDATE … SET consumed_at = $now WHERE
     * code_hash = ? AND consumed_at IS NULL AND expires_at > $now`, its row count
     * checked, then the row read. Of any number of concurrent calls for one code
     * exactly one gets `ok`. Then, by the row as read:
     *   - no row: `unknown`;
     *   - `consumedAt` set by an earlier call: `replayed` (also when the code has
     *     expired since: a replay is a replay), with the record, so the caller
     *     revokes the family `familyId` (every token issued from the code);
     *   - not consumed, `expiresAt` <= `$now`: `expired` (nothing is changed).
     * The bindings (client, redirect URI, PKCE verifier, resource) are checked
     * by the caller after `ok`; a code that fails them stays consumed.
     */
    public function consume(string $codeHash, int $now): CodeRedemption;

    /**
     * Deletes codes whose expiry is before `$expiredBefore`. Keep codes some
     * time past their expiry (e.g. a day): a replay of a deleted code is only
     * `unknown`, no longer `replayed`. Returns how many were deleted.
     */
    public function prune(int $expiredBefore): int;
}
