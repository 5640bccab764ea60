<?php

// Generated from the built mcp_guard module by tools/stubs.php. Do not edit.

namespace McpGuard;

/**
 * Issues, verifies and rotates API tokens.
 *
 * The prefix defaults to `mcp`; the pepper defaults to the INI setting
 * `mcp_guard.token_pepper` (none when empty); the maximum lifetime is
 * `mcp_guard.max_token_lifetime_days`.
 */
final class Tokens
{
    /**
     * Issues a new token. Show `plaintext()` to its owner once; store `hash()`.
     *
     * @param int|null $lifetimeSeconds null = the configured maximum (no expiry when there is none).
     * @param int|null $now Unix time; null = the system clock.
     */
    public function issue(?int $lifetimeSeconds = null, ?int $now = null): \McpGuard\IssuedToken {}

    /**
     * Verifies a presented token against the row stored under its public id:
     * pass null as `$storedHash` when there is no such row.
     *
     * @throws \McpGuard\Exception\InvalidTokenException reason malformed, bad_checksum,
     *   unknown_token, mismatch, revoked or expired.
     * @throws \McpGuard\Exception\ConfigurationException when the stored hash needs another pepper.
     */
    public function verify(string $token, ?string $storedHash = null, ?int $expiresAt = null, ?int $revokedAt = null, ?int $now = null): \McpGuard\VerifiedToken {}

    /**
     * The public id of a well-formed token (format and checksum checked, no
     * hashing), to look its row up by.
     */
    public function publicId(string $token): string {}

    /**
     * Issues a successor and returns the shortened expiry for the old token:
     * the end of the overlap (default 7 days), never later than its own expiry.
     * Pass the old row's `expiresAt` and `revokedAt`: only a live token
     * rotates.
     *
     * @throws \McpGuard\Exception\InvalidTokenException reason revoked or
     *   expired (expiry is exclusive, as in verify()).
     */
    public function rotate(?int $previousExpiresAt = null, ?int $overlapSeconds = null, ?int $lifetimeSeconds = null, ?int $now = null, ?int $previousRevokedAt = null): \McpGuard\Rotation {}

    /**
     * Verifies a token of any shape against a stored plain SHA-256 hex digest
     * of the whole token (rows written before mcp_guard, e.g. Statamic MCP).
     */
    public static function verifyLegacySha256(string $token, string $storedHexDigest): void {}

    /**
     * Verifies a Shopsys-shaped token `<32 hex public id>.<64 hex secret>`
     * against the stored SHA-256 hex digest of its secret; returns the public id.
     */
    public static function verifyShopsys(string $token, string $storedHexDigest): string {}

    /**
     * The prefix tokens are issued with.
     */
    public function prefix(): string {}

    /**
     * Whether stored hashes are peppered (HMAC-SHA-256).
     */
    public function hasPepper(): bool {}

    /**
     * The maximum lifetime in seconds; null when there is none.
     */
    public function maxLifetimeSeconds(): ?int {}

    /**
     * Reads the INI settings from the engine (once per request, never through
     * `ini_get`, which a host may disable).
     *
     * @param string|null $prefix `[a-z][a-z0-9]{0,15}`; null = "mcp".
     * @param string|null $pepper HMAC key (≥ 32 bytes) overriding the INI pepper; null = INI.
     * @throws \McpGuard\Exception\ConfigurationException reason weak_pepper (the
     *   INI or the given pepper is under 32 bytes), setting_unreadable (an INI
     *   pepper that is not UTF-8 text), invalid_max_lifetime
     *   (`mcp_guard.max_token_lifetime_days` is not 0 … 36500).
     */
    public function __construct(?string $prefix = null, ?string $pepper = null) {}
}
