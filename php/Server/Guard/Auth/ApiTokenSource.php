<?php

declare(strict_types=1);

namespace McpGuard\Server\Guard\Auth;

use McpGuard\Server\Token\TokenStore;

/**
 * API tokens (`bin/mcp-guard token:create`, `TokenService`): rows of a
 * `TokenStore`, upgraded in place to the current pepper as TokenService does.
 */
final class ApiTokenSource implements RehashingTokenSource
{
    public function __construct(private readonly TokenStore $store, private readonly string $prefix = 'mcp')
    {
    }

    public function prefix(): string
    {
        return $this->prefix;
    }

    public function rehash(string $publicId, string $hash): void
    {
        $record = $this->store->find($publicId);
        if ($record !== null) {
            $this->store->save($record->withHash($hash));
        }
    }

    public function find(string $publicId): ?TokenRow
    {
        $r = $this->store->find($publicId);
        return $r === null ? null : new TokenRow($r->publicId, $r->hash, $r->subject, $r->scopes, $r->expiresAt,
            $r->revokedAt, null, '', 'api_token');
    }
}
