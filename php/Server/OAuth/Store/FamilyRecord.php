<?php

declare(strict_types=1);

namespace McpGuard\Server\OAuth\Store;

/**
 * A refresh-token family: every token issued from one code redemption, for one
 * grant (member, client, redirect URI), with the scope and resource (RFC 8707
 * audience) its tokens carry. Revoking it revokes all of them.
 */
final class FamilyRecord
{
    /** @param list<string> $scopes */
    public function __construct(
        public readonly string $familyId,
        public readonly string $memberId,
        public readonly string $clientKey,
        public readonly string $redirectUri,
        public readonly array $scopes,
        public readonly string $resource,
        public readonly int $createdAt,
        public readonly ?int $revokedAt = null,
    ) {
        Field::id('family id', $familyId, Field::KEY_MAX);
        Field::text('member id', $memberId, Field::MEMBER_MAX);
        Field::id('client key', $clientKey, Field::KEY_MAX);
        Field::text('redirect URI', $redirectUri, Field::URL_MAX);
        Field::scopes('family scope', $scopes);
        Field::text('resource', $resource, Field::URL_MAX);
        Field::time('family creation time', $createdAt);
        Field::time('family revocation time', $revokedAt);
    }
}
