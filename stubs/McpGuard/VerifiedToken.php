<?php

// Generated from the built mcp_guard module by tools/stubs.php. Do not edit.

namespace McpGuard;

/**
 * A token that passed verification.
 *
 * Made by the extension only: PHP code cannot construct it (`new` is refused).
 */
final class VerifiedToken
{
    /**
     * The token's public id.
     */
    public function publicId(): string {}

    /**
     * True when the stored hash should be replaced by `rehash()`.
     */
    public function needsRehash(): bool {}

    /**
     * The hash to store instead of the current one (made with the current
     * pepper), or null when the stored hash is current.
     */
    public function rehash(): ?string {}
}
