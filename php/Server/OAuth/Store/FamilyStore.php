<?php

declare(strict_types=1);

namespace McpGuard\Server\OAuth\Store;

/**
 * Refresh-token families: one per code redemption. A family's revocation
 * revokes its refresh and access tokens in one transaction, and is also read
 * back through every token of it (RefreshTokenStore::find(),
 * AccessTokenStore::find() fold it into `revokedAt`), so a token inserted
 * after the revocation is revoked too.
 */
interface FamilyStore
{
    /**
     * Opens the family a redeemed code names (CodeRecord::$familyId). Returns
     * false, changing nothing, when a row with that id exists already: either
     * opened before, or revoked before it was opened (a replay of the code
     * raced its first redemption). Issue no token then.
     */
    public function open(FamilyRecord $record): bool;

    /** The family as opened (with its revocation time), or null; a revoked placeholder is null. */
    public function find(string $familyId): ?FamilyRecord;

    /**
     * Revokes the family and all its refresh and access tokens at `$now`, in one
     * transaction; revocation times already set are kept. When no row exists
     * yet, a revoked placeholder row is written under that id, so that a later
     * open() of it returns false. Idempotent.
     */
    public function revoke(string $familyId, int $now): void;

    /**
     * Revokes, as revoke() does, every family of a member: for one client
     * (every redirect URI) when `$clientKey` is given, else all of them.
     * Returns how many families were revoked by this call.
     */
    public function revokeFor(string $memberId, ?string $clientKey, int $now): int;

    /**
     * Revokes, as revoke() does, every family of one client key, whoever the
     * member (the admin CLI's client:revoke). Returns how many were revoked.
     */
    public function revokeClient(string $clientKey, int $now): int;
}
