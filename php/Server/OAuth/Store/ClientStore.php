<?php

declare(strict_types=1);

namespace McpGuard\Server\OAuth\Store;

/**
 * Where the host keeps OAuth clients. Rows are keyed by a fixed-length key the
 * caller derives from the client id (a metadata-document client id is a URL of
 * up to 2048 bytes, too long for a portable index); the full id is kept beside
 * it. Housekeeping (the cap on unconsented registrations, idle expiry) is
 * ClientHousekeeping.
 */
interface ClientStore
{
    /**
     * The row under `$key`, or null. Returned whatever its `expiresAt`: whether
     * a cached metadata document is still fresh is the caller's decision.
     */
    public function find(string $key): ?ClientRecord;

    /**
     * Inserts the row, or replaces every column of the row with the same key
     * (a re-fetched metadata document: build it with `withMetadata()` so that
     * consent and use times are kept).
     */
    public function save(ClientRecord $record): void;

    /**
     * Records a use at `$now`: `lastUsedAt` becomes `$now` unless it is later
     * already; with `$consented`, `consentedAt` is set to `$now` if it was null
     * (it never moves once set). Returns false when there is no such row.
     */
    public function touch(string $key, int $now, bool $consented = false): bool;

    /** Every client, by client id (for the admin CLI's client:list). @return list<ClientRecord> */
    public function all(): array;

    /** Deletes the row. Returns false when there was none. */
    public function delete(string $key): bool;
}
