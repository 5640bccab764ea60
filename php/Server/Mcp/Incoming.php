<?php

declare(strict_types=1);

namespace McpGuard\Server\Mcp;

/**
 * What one MCP POST carried, once the extension accepted it: the protocol
 * version the answer speaks (`era`), the messages in order, and whether the
 * body was a batch (2025-03-26 only).
 */
final class Incoming
{
    /** @param list<Message> $messages */
    public function __construct(
        public readonly string $era,
        public readonly bool $modern,
        public readonly array $messages,
        public readonly bool $isBatch,
    ) {
    }
}
