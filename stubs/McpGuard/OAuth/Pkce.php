<?php

// Generated from the built mcp_guard module by tools/stubs.php. Do not edit.

namespace McpGuard\OAuth;

/**
 * PKCE (RFC 7636) with `S256` only: `plain` and a missing method are
 * refused; verifiers are 43–128 characters of `[A-Za-z0-9-._~]`.
 *
 * Made by the extension only: PHP code cannot construct it (`new` is refused).
 */
final class Pkce
{
    /**
     * The `S256` challenge of a verifier (what a client sends).
     *
     * @throws \McpGuard\Exception\OAuthException reason invalid_code_verifier.
     */
    public static function challenge(string $verifier): string {}

    /**
     * Checks an authorization request's `code_challenge` and
     * `code_challenge_method` and returns the challenge to store.
     *
     * @throws \McpGuard\Exception\OAuthException reason invalid_code_challenge or unsupported_challenge_method.
     */
    public static function check(?string $challenge = null, ?string $method = null): string {}

    /**
     * Whether `verifier` proves `challenge` (compared in constant time).
     *
     * @throws \McpGuard\Exception\OAuthException errorCode invalid_grant, reason
     *   invalid_code_verifier or pkce_mismatch.
     */
    public static function verify(string $challenge, ?string $verifier = null): void {}
}
