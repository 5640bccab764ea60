<?php

declare(strict_types=1);

namespace McpGuard\Server\OAuth\Store;

/**
 * One opaque access token: its public id and hash string (never the token),
 * its family, and what it grants to whom for which resource (RFC 8707).
 *
 * As read back from a store, `revokedAt` is the token's own revocation or its
 * family's, whichever is set (the earlier when both are).
 */
final class AccessTokenRecord
{
    /** @param list<string> $scopes */
    public function __construct(
        public readonly string $publicId,
        public readonly string $hash,
        public readonly string $familyId,
        public readonly string $memberId,
        public readonly string $clientKey,
        public readonly array $scopes,
        public readonly string $resource,
        public readonly int $createdAt,
        public readonly int $expiresAt,
        public readonly ?int $revokedAt = null,
    ) {
        Field::id('access token id', $publicId, Field::PUBLIC_ID_MAX);
        Field::id('access token hash', $hash, Field::HASH_MAX);
        Field::id('family id', $familyId, Field::KEY_MAX);
        Field::text('member id', $memberId, Field::MEMBER_MAX);
        Field::id('client key', $clientKey, Field::KEY_MAX);
        Field::scopes('access token scope', $scopes);
        Field::text('resource', $resource, Field::URL_MAX);
        Field::time('access token creation time', $createdAt);
        Field::time('access token expiry', $expiresAt);
        Field::time('access token revocation time', $revokedAt);
    }
}
