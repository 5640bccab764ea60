<?php

// Generated from the built mcp_guard module by tools/stubs.php. Do not edit.

namespace McpGuard\OAuth;

/**
 * A code just issued: redirect to `redirectUri()` (it carries the code),
 * store `hash()` with `binding()`.
 *
 * Made by the extension only: PHP code cannot construct it (`new` is refused).
 */
final class IssuedCode
{
    /**
     * The redirect back to the client, with `code`, `state` and `iss`.
     */
    public function redirectUri(): string {}

    /**
     * The digest to store the code under.
     */
    public function hash(): string {}

    /**
     * What the code is bound to: `clientId`, `redirectUri`, `challenge`,
     * `scopes`, `resource`, `member`, `issuedAt`, `expiresAt`.
     */
    public function binding(): array {}

    /**
     * Expiry, Unix seconds.
     */
    public function expiresAt(): int {}
}
