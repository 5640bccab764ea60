<?php

declare(strict_types=1);

namespace McpGuard\Server\OAuth\Store;

/**
 * One authorization code, as issued: never the code itself, only the hash
 * string the extension made of it, and everything the code is bound to.
 * `familyId` is chosen when the code is issued: the refresh-token family the
 * code's redemption opens, so a replayed code can revoke exactly the tokens
 * issued from it, even while the first redemption is still under way.
 */
final class CodeRecord
{
    /**
     * @param list<string> $scopes     the granted scopes
     * @param string       $challenge  the PKCE S256 code challenge (base64url, 43 bytes)
     * @param int|null     $consumedAt when it was redeemed (null: not yet)
     */
    public function __construct(
        public readonly string $codeHash,
        public readonly string $familyId,
        public readonly string $clientId,
        public readonly string $redirectUri,
        public readonly string $challenge,
        public readonly array $scopes,
        public readonly string $resource,
        public readonly string $memberId,
        public readonly int $createdAt,
        public readonly int $expiresAt,
        public readonly ?int $consumedAt = null,
    ) {
        Field::id('code hash', $codeHash, Field::HASH_MAX);
        Field::id('family id', $familyId, Field::KEY_MAX);
        Field::text('client id', $clientId, Field::URL_MAX);
        Field::text('redirect URI', $redirectUri, Field::URL_MAX);
        Field::id('code challenge', $challenge, Field::KEY_MAX);
        Field::scopes('code scope', $scopes);
        Field::text('resource', $resource, Field::URL_MAX);
        Field::text('member id', $memberId, Field::MEMBER_MAX);
        Field::time('code creation time', $createdAt);
        Field::time('code expiry', $expiresAt);
        Field::time('code consumption time', $consumedAt);
    }
}
