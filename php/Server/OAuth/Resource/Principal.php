<?php

declare(strict_types=1);

namespace McpGuard\Server\OAuth\Resource;

/** Who an MCP request's access token belongs to, as verified now. */
final class Principal
{
    /**
     * @param list<string> $scopes   the token's scopes (the policy canonicalises them)
     * @param string       $tokenId  the opaque token's public id, or the JWT's `jti` (for the audit log)
     * @param string       $clientKey the client's row key (ClientResolver::key of its client id)
     */
    public function __construct(
        public readonly string $memberId,
        public readonly string $role,
        public readonly array $scopes,
        public readonly string $tokenId,
        public readonly string $clientKey,
        public readonly int $expiresAt,
    ) {
    }
}
