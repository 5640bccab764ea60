<?php

declare(strict_types=1);

namespace McpGuard\Server\OAuth\Store;

/**
 * What each member consented to, keyed by (member, client key, redirect URI):
 * a client id shared by every installation (a metadata document URL) gets one
 * grant per redirect URI, so one device's re-consent never replaces or revokes
 * another's. Revoking the tokens issued under grants is FamilyStore::revokeFor().
 */
interface GrantStore
{
    /** The grant for exactly this member, client key and redirect URI (byte for byte), or null. */
    public function find(string $memberId, string $clientKey, string $redirectUri): ?GrantRecord;

    /**
     * Inserts the grant, or on re-consent replaces the scopes and `updatedAt` of
     * the grant with the same (member, client key, redirect URI), keeping its
     * `createdAt`. No other grant is touched.
     */
    public function save(GrantRecord $record): void;

    /** Every grant of one client key, by member and redirect URI (for the admin CLI). @return list<GrantRecord> */
    public function forClient(string $clientKey): array;

    /**
     * Deletes a member's grants: for one client (every redirect URI) when
     * `$clientKey` is given, else all of them. Returns how many were deleted.
     * The caller also calls FamilyStore::revokeFor() with the same arguments.
     */
    public function revoke(string $memberId, ?string $clientKey = null): int;
}
