<?php

declare(strict_types=1);

namespace McpGuard\Server\OAuth;

use McpGuard\IssuedToken;
use McpGuard\Server\OAuth\Client\ResolvedClient;
use McpGuard\Server\OAuth\Store\AccessTokenRecord;
use McpGuard\Server\OAuth\Store\AccessTokenStore;
use McpGuard\Server\OAuth\Store\RefreshTokenRecord;
use McpGuard\Tokens;

/**
 * Makes the tokens of a token response. Access tokens are opaque by
 * default (`mcpat_…`, only the hash stored, with member, client, scope and
 * resource, so they can be revoked and their audience checked), or RFC 9068
 * JWTs signed by the configured Signer (aud = the MCP resource; not stored,
 * so not revocable before they expire: keep them short). Refresh tokens are
 * always opaque (`mcprt_…`) and rotate.
 */
final class TokenIssuer
{
    public function __construct(
        private readonly OAuthConfig $config,
        private readonly AccessTokenStore $accessTokens,
        private readonly Tokens $access = new Tokens('mcpat'),
        private readonly Tokens $refresh = new Tokens('mcprt'),
    ) {
    }

    /**
     * An access token for a family; stored when opaque.
     *
     * @param list<string> $scopes
     */
    public function accessToken(string $familyId, string $memberId, ResolvedClient $client, array $scopes, int $now): string
    {
        $ttl = $this->config->server->accessTokenTtl();
        if ($this->config->signer !== null) {
            return $this->config->signer->accessToken($this->config->server->issuer(), $this->config->server->resource(),
                $memberId, $client->clientId, $ttl, $scopes === [] ? null : implode(' ', $scopes), null, $now);
        }
        $issued = $this->access->issue($ttl, $now);
        $this->accessTokens->save(new AccessTokenRecord($issued->publicId(), $issued->hash(), $familyId, $memberId, $client->key,
            $scopes, $this->config->server->resource(), $issued->createdAt(), (int) $issued->expiresAt()));
        return $issued->plaintext();
    }

    /**
     * A refresh token and its row (not stored here: the first one of a family
     * is saved, a successor goes through RefreshTokenStore::rotate()).
     *
     * @return array{IssuedToken, RefreshTokenRecord}
     */
    public function refreshToken(string $familyId, ?string $parentId, int $now): array
    {
        $issued = $this->refresh->issue($this->config->server->refreshTokenTtl(), $now);
        return [$issued, new RefreshTokenRecord($issued->publicId(), $issued->hash(), $familyId, $parentId, $issued->createdAt(), (int) $issued->expiresAt())];
    }

    /**
     * The token response body (RFC 6749 §5.1).
     *
     * @param list<string> $scopes
     * @return array<string, string|int>
     */
    public function body(string $accessToken, ?string $refreshToken, array $scopes): array
    {
        $body = ['access_token' => $accessToken, 'token_type' => 'Bearer', 'expires_in' => $this->config->server->accessTokenTtl()];
        if ($refreshToken !== null) {
            $body['refresh_token'] = $refreshToken;
        }
        return $body + ['scope' => implode(' ', $scopes)];
    }

    /** The Tokens that read refresh tokens (for their public id and verification). */
    public function refreshTokens(): Tokens
    {
        return $this->refresh;
    }

    /** The Tokens that read opaque access tokens. */
    public function accessTokens(): Tokens
    {
        return $this->access;
    }
}
