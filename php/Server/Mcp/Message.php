<?php

declare(strict_types=1);

namespace McpGuard\Server\Mcp;

/**
 * One JSON-RPC message the extension accepted (McpGuard\Mcp\Envelope): its
 * method, id and tool name as checked, and the arguments and `_meta` as they
 * were decoded (objects, `[]` when absent).
 */
final class Message
{
    /**
     * @param array<mixed> $arguments `params.arguments` of a tools/call, else []
     * @param array<mixed> $meta      `params._meta`, or []
     */
    public function __construct(
        public readonly string $protocolVersion,
        public readonly bool $modern,
        public readonly string $method,
        public readonly int|string|null $id,
        public readonly bool $isNotification,
        public readonly ?string $toolName,
        public readonly array $arguments,
        public readonly array $meta,
    ) {
    }
}
