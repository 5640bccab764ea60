<?php

// Generated from the built mcp_guard module by tools/stubs.php. Do not edit.

namespace McpGuard;

/**
 * A freshly issued token. It cannot be serialized, and `var_dump` shows
 * nothing of it.
 *
 * Made by the extension only: PHP code cannot construct it (`new` is refused).
 */
final class IssuedToken
{
    /**
     * The full token: show it to its owner once, never store or log it.
     */
    public function plaintext(): string {}

    /**
     * The public id: the key to store the row under and look it up by.
     */
    public function publicId(): string {}

    /**
     * The string to store (`sha256:…` or `hmac-sha256:<key id>:…`).
     */
    public function hash(): string {}

    /**
     * Issue time, Unix seconds.
     */
    public function createdAt(): int {}

    /**
     * Expiry, Unix seconds; null = none.
     */
    public function expiresAt(): ?int {}
}
