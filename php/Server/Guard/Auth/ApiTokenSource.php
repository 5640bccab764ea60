<?php

declare(strict_types=1);

namespace McpGuard\Server\Guard\Auth;

use McpGuard\Server\Token\TokenStore;

/** API tokens (`bin/mcp-guard token:create`, `TokenService`): rows of a `TokenStore`. */
final class ApiTokenSource implements TokenSource
{
    public function __construct(private readonly TokenStore $store, private readonly string $prefix = 'mcp')
    {
    }

    public function prefix(): string
    {
        return $this->prefix;
    }

    public function find(string $publicId): ?TokenRow
    {
        $r = $this->store->find($publicId);
        return $r === null ? null : new TokenRow($r->publicId, $r->hash, $r->subject, $r->scopes, $r->expiresAt,
            $r->revokedAt, null, '', 'api_token');
    }
}
