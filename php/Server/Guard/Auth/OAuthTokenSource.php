<?php

declare(strict_types=1);

namespace McpGuard\Server\Guard\Auth;

use McpGuard\Server\OAuth\Store\AccessTokenStore;

/**
 * Opaque OAuth access tokens issued by `McpGuard\Server\OAuth\OAuthServer`:
 * rows of its `AccessTokenStore` (revocation of the token's family included),
 * bound to the MCP resource they were issued for.
 */
final class OAuthTokenSource implements TokenSource
{
    public function __construct(private readonly AccessTokenStore $store, private readonly string $prefix = 'mcpat')
    {
    }

    public function prefix(): string
    {
        return $this->prefix;
    }

    public function find(string $publicId): ?TokenRow
    {
        $r = $this->store->find($publicId);
        return $r === null ? null : new TokenRow($r->publicId, $r->hash, $r->memberId, $r->scopes, $r->expiresAt,
            $r->revokedAt, $r->resource, $r->clientKey, 'oauth');
    }
}
