<?php

// Generated from the built mcp_guard module by tools/stubs.php. Do not edit.

namespace McpGuard\Resource;

/**
 * The `WWW-Authenticate` values of 401 and 403 (RFC 6750 §3, RFC 9728
 * §5.1). Static methods only.
 *
 * Made by the extension only: PHP code cannot construct it (`new` is refused).
 */
final class Challenge
{
    /**
     * The 401 challenge: `Bearer resource_metadata="…"`, `scope="…"` when
     * `$scopes` is given and not empty, `error="invalid_token"` when a token
     * was presented and refused (expired included).
     *
     * @param array|null $scopes scope-tokens (never `offline_access`).
     * @throws \McpGuard\Exception\ConfigurationException reason
     *   invalid_metadata_url or invalid_challenge_scope.
     * @throws \McpGuard\Exception\InvalidArgumentException for a scope that is not a string.
     */
    public static function unauthorized(string $metadataUrl, ?array $scopes = null, ?bool $invalidToken = null): string {}

    /**
     * The 403 challenge of a valid token without the operation's scopes:
     * `Bearer error="insufficient_scope", scope="…", resource_metadata="…"`.
     *
     * @param array $scopes every scope the operation needs
     *   (`Decision::requiredScopes()`), at least one.
     * @throws \McpGuard\Exception\ConfigurationException reason
     *   invalid_metadata_url or invalid_challenge_scope.
     * @throws \McpGuard\Exception\InvalidArgumentException for a scope that is not a string.
     */
    public static function insufficientScope(string $metadataUrl, array $scopes): string {}
}
