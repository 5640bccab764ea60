<?php

declare(strict_types=1);

namespace McpGuard\Server\OAuth\Store;

/**
 * Opaque access-token rows, keyed by public id. The caller verifies a
 * presented token against `find()->hash`, `expiresAt` and `revokedAt` through
 * the extension (Tokens::verify), and its resource and scopes by the core.
 */
interface AccessTokenStore
{
    /**
     * Inserts a token. Never replaces a row: an existing public id throws a
     * conflict StorageException.
     *
     * @throws \McpGuard\Server\OAuth\StorageException
     */
    public function save(AccessTokenRecord $record): void;

    /**
     * The row, or null (also when its family row is missing). `revokedAt`
     * folds in the family's revocation.
     */
    public function find(string $publicId): ?AccessTokenRecord;

    /**
     * Revokes one token at `$now` (a time already set is kept). Returns false
     * when there is no such row. (Revoking a refresh token revokes its whole
     * family: FamilyStore::revoke().)
     */
    public function revoke(string $publicId, int $now): bool;
}
