<?php

declare(strict_types=1);

namespace McpGuard\Server\Guard\Auth;

use McpGuard\Exception\InvalidTokenException;
use McpGuard\Jwt\KeySet;
use McpGuard\Jwt\Verifier;

/**
 * Bearer JWT access tokens (RFC 9068) from this shop's authorization server
 * or an external identity provider (PrestaShop Accounts, an OIDC provider):
 * verified by `McpGuard\Jwt\Verifier` against the provider's JWKS (the host
 * fetches and caches the document; the extension caches the parsed keys),
 * issuer and audience = this MCP resource, `typ` at+jwt, `exp` required.
 * The member is the `sub` claim, or what `$memberOf` maps the claims to.
 */
final class JwtAuthenticator
{
    private ?Verifier $verifier = null;

    /**
     * @param \Closure(): string                       $jwks     the provider's JWKS document
     * @param (\Closure(array): ?string)|null           $memberOf claims → member id (null: not a member); default `sub`
     */
    public function __construct(
        private readonly string $issuer,
        private readonly string $audience,
        private readonly \Closure $jwks,
        private readonly ?\Closure $memberOf = null,
    ) {
    }

    /**
     * Whether the string looks like a JWT (three base64url parts): only then
     * is this authenticator asked.
     */
    public static function looksLikeJwt(string $token): bool
    {
        return substr_count($token, '.') === 2;
    }

    /**
     * The verified identity.
     *
     * @throws InvalidTokenException a token that does not verify (reason() says why), or a subject that is no member
     * @throws KeysUnavailable the JWKS could not be fetched, or is not a key set (the cause is kept as previous)
     */
    public function authenticate(string $token, ?int $now = null): Identity
    {
        if ($this->verifier === null) {
            try {
                $keys = KeySet::fromJwks(($this->jwks)());
            } catch (\Throwable $e) { // the host's fetch, or a document the extension refuses
                throw new KeysUnavailable('The identity provider\'s keys are not available.', 0, $e);
            }
            $this->verifier = new Verifier($keys, $this->issuer, $this->audience);
        }
        $claims = $this->verifier->verify($token, $now);
        $member = $this->memberOf !== null ? ($this->memberOf)($claims) : (is_string($claims['sub'] ?? null) ? $claims['sub'] : null);
        if (!is_string($member) || $member === '') {
            throw new InvalidTokenException('The access token is invalid.');
        }
        return new Identity($member, Verifier::scopes($claims), is_string($claims['jti'] ?? null) ? $claims['jti'] : '',
            is_string($claims['client_id'] ?? null) ? $claims['client_id'] : '', 'jwt');
    }
}
