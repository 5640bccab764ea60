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

    /**
     * The row for a code the extension just issued: `IssuedCode::hash()` and
     * `IssuedCode::binding()` (clientId, redirectUri, challenge, scopes,
     * resource, member, issuedAt, expiresAt), plus the family it will open.
     *
     * @param array<string, mixed> $binding
     * @throws \McpGuard\Exception\InvalidArgumentException a binding without those keys or types
     */
    public static function fromBinding(string $codeHash, string $familyId, array $binding): self
    {
        $str = static fn (string $k): string => is_string($binding[$k] ?? null) ? $binding[$k] : throw new \McpGuard\Exception\InvalidArgumentException('The code binding is not acceptable.');
        $int = static fn (string $k): int => is_int($binding[$k] ?? null) ? $binding[$k] : throw new \McpGuard\Exception\InvalidArgumentException('The code binding is not acceptable.');
        return new self($codeHash, $familyId, $str('clientId'), $str('redirectUri'), $str('challenge'),
            is_array($binding['scopes'] ?? null) ? $binding['scopes'] : [], $str('resource'), $str('member'), $int('issuedAt'), $int('expiresAt'));
    }

    /**
     * The binding as the extension gave it, for AuthorizationServer::redeemCode().
     *
     * @return array{clientId: string, redirectUri: string, challenge: string, scopes: list<string>, resource: string, member: string, issuedAt: int, expiresAt: int}
     */
    public function binding(): array
    {
        return ['clientId' => $this->clientId, 'redirectUri' => $this->redirectUri, 'challenge' => $this->challenge,
            'scopes' => $this->scopes, 'resource' => $this->resource, 'member' => $this->memberId,
            'issuedAt' => $this->createdAt, 'expiresAt' => $this->expiresAt];
    }
}
