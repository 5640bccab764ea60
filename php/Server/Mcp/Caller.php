<?php

declare(strict_types=1);

namespace McpGuard\Server\Mcp;

/**
 * Who the pipeline let through, as the MCP endpoint needs it: `tools/list`
 * shows exactly `visibleTools` (what the policy lets this caller call; the
 * pipeline may leave it empty for a request that lists nothing). The
 * pipeline builds it after authentication and policy; the endpoint never
 * decides who a caller is or what it may call.
 */
final class Caller
{
    /**
     * @param list<string> $scopes       canonical scopes
     * @param list<string> $visibleTools the policy's visibleTools() for these scopes
     */
    public function __construct(
        public readonly string $memberId,
        public readonly string $role,
        public readonly array $scopes,
        public readonly array $visibleTools,
        public readonly ?string $tokenId = null,
        public readonly ?string $clientId = null,
    ) {
    }
}
