<?php

// Generated from the built mcp_guard module by tools/stubs.php. Do not edit.

namespace McpGuard\Resource;

/**
 * The outcome of `Origins::check()` or `Origins::preflight()`.
 *
 * Made by the extension only: PHP code cannot construct it (`new` is refused).
 */
final class OriginResult
{
    /**
     * Whether the request may go on (or the preflight is answered 204).
     */
    public function allowed(): bool {}

    /**
     * Null when allowed; `origin_not_allowed`, `null_origin`,
     * `malformed_origin`, `multiple_origins`, `cors_disabled`,
     * `preflight_method_not_allowed`, `preflight_header_not_allowed`,
     * `malformed_preflight` (for the audit log, not the client).
     */
    public function reason(): ?string {}

    /**
     * The status to answer with now: 403 when refused, 204 for an allowed
     * preflight, null when the request goes on.
     */
    public function status(): ?int {}

    /**
     * Whether the request was a CORS preflight.
     */
    public function isPreflight(): bool {}

    /**
     * Whether the origin is a listed cross origin (CORS headers follow).
     */
    public function crossOrigin(): bool {}

    /**
     * The response headers to add, name => value (empty with CORS off).
     */
    public function headers(): array {}
}
