<?php

declare(strict_types=1);

namespace McpGuard\Server\OAuth\Resource;

use McpGuard\Credentials;
use McpGuard\Jwt\KeySet;
use McpGuard\Jwt\Verifier;
use McpGuard\Server\OAuth\Client\ClientResolver;
use McpGuard\Server\OAuth\Member\MemberDirectory;
use McpGuard\Server\OAuth\OAuthConfig;
use McpGuard\Server\OAuth\Store\AccessTokenStore;
use McpGuard\Tokens;

/**
 * The resource side of the authorization server: who an MCP request's
 * bearer token belongs to, checked on every request.
 *
 *  - opaque tokens: the public id (format and checksum checked first, so a
 *    made-up token never reaches the store), the row, Tokens::verify() against
 *    its hash, expiry and revocation (its family's included);
 *  - JWT access tokens (when the config signs them): Jwt\Verifier with the
 *    issuer and audience = the MCP resource, typ at+jwt;
 *  - then the audience: the token's resource must be this MCP URL exactly
 *    (RFC 8707), and the member must still be in the members list.
 *
 * challenge() is the WWW-Authenticate value of the 401 (RFC 9728 §5.1).
 */
final class AccessTokenAuthenticator
{
    private ?Verifier $verifier = null;

    /** @param \Closure(): int $clock */
    public function __construct(
        private readonly OAuthConfig $config,
        private readonly AccessTokenStore $store,
        private readonly MemberDirectory $members,
        private readonly Tokens $tokens,
        private readonly \Closure $clock,
    ) {
    }

    /**
     * The principal, or null when the request carries no bearer token
     * (answer 401 with challenge()).
     *
     * @throws \McpGuard\Exception\InvalidRequestException a malformed Authorization header (400)
     * @throws \McpGuard\Exception\InvalidTokenException    a bad, expired, revoked, foreign or orphaned token (401, challenge('invalid_token'));
     *                                                      AccessTokenRefused for the last two
     */
    public function authenticate(?string $authorization): ?Principal
    {
        $token = Credentials::fromHeader($authorization)->bearerToken();
        if ($token === null) {
            return null;
        }
        $now = ($this->clock)();
        if ($this->config->signer !== null) {
            $claims = $this->verifier()->verify($token, $now);
            $member = is_string($claims['sub'] ?? null) ? $claims['sub'] : throw AccessTokenRefused::because('missing_subject');
            return new Principal($member, $this->role($member), Verifier::scopes($claims), (string) ($claims['jti'] ?? ''),
                ClientResolver::key((string) ($claims['client_id'] ?? '')), (int) ($claims['exp'] ?? 0));
        }
        $row = $this->store->find($this->tokens->publicId($token));
        $this->tokens->verify($token, $row?->hash, $row?->expiresAt, $row?->revokedAt, $now);
        /** @var \McpGuard\Server\OAuth\Store\AccessTokenRecord $row verify() refuses a token without a row */
        if ($row->resource !== $this->config->server->resource()) {
            throw AccessTokenRefused::because('wrong_audience');
        }
        return new Principal($row->memberId, $this->role($row->memberId), $row->scopes, $row->publicId, $row->clientKey, $row->expiresAt);
    }

    /**
     * `Bearer resource_metadata="<protected-resource metadata URL>"`, with
     * `error="invalid_token"` when a token was presented and refused.
     */
    public function challenge(?string $error = null): string
    {
        // The header text is the extension's; only invalid_token is ever added.
        return $this->config->server->challenge($error !== null);
    }

    private function role(string $memberId): string
    {
        return $this->members->role($memberId) ?? throw AccessTokenRefused::because('member_removed');
    }

    private function verifier(): Verifier
    {
        return $this->verifier ??= new Verifier(KeySet::fromJwks((string) $this->config->signer?->jwks()),
            $this->config->server->issuer(), $this->config->server->resource());
    }
}
