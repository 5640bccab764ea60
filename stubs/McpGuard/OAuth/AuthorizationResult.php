<?php

// Generated from the built mcp_guard module by tools/stubs.php. Do not edit.

namespace McpGuard\OAuth;

/**
 * The outcome of `AuthorizationServer::authorize()`: a validated request,
 * or an error that is either shown to the member (`redirectUri()` null:
 * the client or its redirect URI could not be trusted) or sent back to the
 * client by redirect (with `state` and `iss`).
 *
 * Made by the extension only: PHP code cannot construct it (`new` is refused).
 */
final class AuthorizationResult
{
    /**
     * Whether the request is valid (show the consent page).
     */
    public function ok(): bool {}

    /**
     * The validated request, or null.
     */
    public function request(): ?\McpGuard\OAuth\AuthorizationRequest {}

    /**
     * The OAuth error code, or null.
     */
    public function error(): ?string {}

    /**
     * The reason for the audit log, or null.
     */
    public function reason(): ?string {}

    /**
     * Where to redirect the error (already carrying `error`, `state` and
     * `iss`), or null: show an error page instead.
     */
    public function redirectUri(): ?string {}
}
