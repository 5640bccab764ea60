<?php

// Generated from the built mcp_guard module by tools/stubs.php. Do not edit.

namespace McpGuard\Resource;

/**
 * The outcome of `Transport::inspect()`.
 *
 * Made by the extension only: PHP code cannot construct it (`new` is refused).
 */
final class TransportResult
{
    /**
     * Whether the request may go on.
     */
    public function allowed(): bool {}

    /**
     * Whether it is refused (`!allowed()`).
     */
    public function refused(): bool {}

    /**
     * Null when allowed; `https_required`, `malformed_forwarded`,
     * `ambiguous_forwarding`, `malformed_remote_addr` (for the audit log).
     */
    public function reason(): ?string {}

    /**
     * Null when allowed; else 403 (`https_required`), 400 (forwarding
     * headers) or 500 (`malformed_remote_addr`: the server setup).
     */
    public function status(): ?int {}

    /**
     * Whether the client's connection is HTTPS.
     */
    public function secure(): bool {}

    /**
     * The client's address (canonical text: `203.0.113.5`, `2001:db8::1`);
     * the peer unless a trusted proxy said otherwise; null only for
     * `malformed_remote_addr`.
     */
    public function clientIp(): ?string {}

    /**
     * Whether a trusted proxy's forwarding headers were used.
     */
    public function viaProxy(): bool {}
}
