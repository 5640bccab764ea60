<?php

declare(strict_types=1);

namespace McpGuard\Server\Mcp;

use McpGuard\Exception\InvalidArgumentException;

/**
 * The MCP endpoint's limits, checked before anything else reads the body.
 */
final class EndpointLimits
{
    /**
     * @param int $maxBodyBytes largest POST body (default 1 MiB; larger → 413), 1 to 64 MiB
     * @param int $maxBatch     most messages in a batch (2025-03-26 only; default 10), 1 to 100
     * @param int $maxDepth     deepest nesting json_decode reads (default 64; deeper → -32700), 8 to 512
     * @throws InvalidArgumentException a limit outside its range
     */
    public function __construct(
        public readonly int $maxBodyBytes = 1024 * 1024,
        public readonly int $maxBatch = 10,
        public readonly int $maxDepth = 64,
    ) {
        if ($maxBodyBytes < 1 || $maxBodyBytes > 64 * 1024 * 1024
            || $maxBatch < 1 || $maxBatch > 100 || $maxDepth < 8 || $maxDepth > 512) {
            throw new InvalidArgumentException('An MCP endpoint limit is out of range.');
        }
    }
}
