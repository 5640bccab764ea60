<?php

// Generated from the built mcp_guard module by tools/stubs.php. Do not edit.

namespace McpGuard;

/**
 * The answer of `Confirmations::check()`.
 *
 * Made by the extension only: PHP code cannot construct it (`new` is refused).
 */
final class ConfirmationCheck
{
    /**
     * True when the confirmation is genuine, unexpired and bound to this
     * call (then claim `id()` once).
     */
    public function ok(): bool {}

    /**
     * Why not (`confirmation_malformed`, `confirmation_bad_mac`,
     * `confirmation_expired`, `confirmation_not_bound`); null when ok.
     */
    public function reason(): ?string {}

    /**
     * The confirmation's id when ok (32 hex digits), else null.
     */
    public function id(): ?string {}

    /**
     * Its expiry (Unix seconds) when ok, else null.
     */
    public function expiresAt(): ?int {}
}
