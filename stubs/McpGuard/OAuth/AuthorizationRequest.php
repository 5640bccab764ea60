<?php

// Generated from the built mcp_guard module by tools/stubs.php. Do not edit.

namespace McpGuard\OAuth;

/**
 * A validated authorization request: what the consent page shows and what
 * a code is bound to.
 *
 * Made by the extension only: PHP code cannot construct it (`new` is refused).
 */
final class AuthorizationRequest
{
    /**
     * The client id.
     */
    public function clientId(): string {}

    /**
     * The redirect URI as sent.
     */
    public function redirectUri(): string {}

    /**
     * The redirect URI's host (for the consent page).
     */
    public function redirectHost(): string {}

    /**
     * The CSP source of the redirect URI (`https://host[:port]`, the
     * loopback `http://host:port`, or `scheme:` for a native app), for the
     * consent page's `form-action` (Chromium applies it to the redirect that
     * answers the form).
     */
    public function redirectOrigin(): ?string {}

    /**
     * Whether the redirect URI is a loopback one (the consent page warns).
     */
    public function redirectIsLoopback(): bool {}

    /**
     * `state`, or null.
     */
    public function state(): ?string {}

    /**
     * The requested scopes (without `offline_access`).
     */
    public function scopes(): array {}

    /**
     * Whether `offline_access` was requested.
     */
    public function offlineAccess(): bool {}

    /**
     * The scopes to grant given what the member's role allows (canonical
     * names): the requested ones the role allows, or all of them when none
     * was requested; null when nothing is left.
     */
    public function grantable(array $allowed): ?array {}

    /**
     * The redirect for the member's refusal (`error=access_denied`).
     */
    public function deniedRedirectUri(): string {}
}
