<?php

// Generated from the built mcp_guard module by tools/stubs.php. Do not edit.

namespace McpGuard;

/**
 * A confirmation just issued: give `token()` to the client (in the refused
 * call's answer), nothing needs storing.
 *
 * Made by the extension only: PHP code cannot construct it (`new` is refused).
 */
final class IssuedConfirmation
{
    /**
     * The confirmation (`mcpc_…`, 124 characters).
     */
    public function token(): string {}

    /**
     * Its id (32 hex digits): what the store claims; safe to log.
     */
    public function id(): string {}

    /**
     * Unix seconds; valid while now < expiresAt.
     */
    public function expiresAt(): int {}
}
