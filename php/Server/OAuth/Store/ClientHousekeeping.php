<?php

declare(strict_types=1);

namespace McpGuard\Server\OAuth\Store;

/**
 * Bounds on the clients table. Dynamic registration is open to anyone, so
 * registrations that never reach consent are capped in number and expire, and
 * clients nobody uses any more expire after an idle time. Pre-registered
 * clients are never touched by either.
 */
interface ClientHousekeeping
{
    /**
     * Registered (RFC 7591) clients with no consent yet. The registration
     * endpoint refuses a new registration when this is at the cap. The cap is
     * soft: registrations counted at the same instant may pass it together, by
     * at most the number of concurrent requests.
     */
    public function countUnconsented(): int;

    /**
     * Deletes registered clients with no consent that were created before
     * `$createdBefore`. Returns how many were deleted.
     */
    public function pruneUnconsented(int $createdBefore): int;

    /**
     * Deletes registered and metadata-document clients whose last activity —
     * `lastUsedAt`, else `consentedAt`, else `createdAt` — is before
     * `$idleBefore`. Returns how many were deleted. (A metadata-document client
     * is fetched again on its next use.)
     */
    public function pruneIdle(int $idleBefore): int;
}
