<?php

declare(strict_types=1);

namespace McpGuard\Server\Guard\Auth;

/**
 * Where the rows of one kind of opaque token live (the host's database):
 * one lookup by public id. The pipeline picks the source by the token's
 * prefix (`McpGuard\Guard::tokenPrefix()`).
 */
interface TokenSource
{
    /** The token prefix this source holds rows for (`mcp`, `mcpat`). */
    public function prefix(): string;

    /** The row stored under the public id, or null. */
    public function find(string $publicId): ?TokenRow;
}
