<?php

declare(strict_types=1);

namespace McpGuard\Server\Guard\Auth;

/**
 * The row a token source found by a token's public id, NOT yet verified: the
 * extension compares the presented token with `$hash` (constant time) and
 * checks revocation, expiry and audience in `McpGuard\Guard::check()`.
 */
final class TokenRow
{
    /**
     * @param list<string> $scopes   the scopes the token was issued with
     * @param string|null  $audience the resource the token is bound to (OAuth access tokens); null = none (API tokens)
     * @param string       $kind     `api_token`, `oauth` or `legacy_sha256` (a LegacyTokenSource's row; for the audit log)
     */
    public function __construct(
        public readonly string $publicId,
        public readonly string $hash,
        public readonly string $memberId,
        public readonly array $scopes,
        public readonly ?int $expiresAt,
        public readonly ?int $revokedAt,
        public readonly ?string $audience,
        public readonly string $clientId,
        public readonly string $kind,
    ) {
    }
}
