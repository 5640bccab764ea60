<?php

// Generated from the built mcp_guard module by tools/stubs.php. Do not edit.

namespace McpGuard\Mcp;

/**
 * Protocol facts the endpoint answers with. Static methods only.
 *
 * Made by the extension only: PHP code cannot construct it (`new` is refused).
 */
final class Protocol
{
    /**
     * Every protocol version served, newest first (`server/discover`'s
     * `supportedVersions`).
     */
    public static function supportedVersions(): array {}

    /**
     * The annotations of a tool of policy class `$class` (`read`, `write`,
     * `destructive`): `readOnlyHint`, `destructiveHint`, `idempotentHint`,
     * `openWorldHint`.
     *
     * @throws \McpGuard\Exception\InvalidArgumentException for another class.
     */
    public static function toolAnnotations(string $class): array {}
}
