<?php

// Generated from the built mcp_guard module by tools/stubs.php. Do not edit.

namespace McpGuard;

/**
 * The result of `Tokens::rotate()`.
 *
 * Made by the extension only: PHP code cannot construct it (`new` is refused).
 */
final class Rotation
{
    /**
     * The new token.
     */
    public function successor(): \McpGuard\IssuedToken {}

    /**
     * The expiry to store on the old token's row.
     */
    public function previousExpiresAt(): int {}
}
