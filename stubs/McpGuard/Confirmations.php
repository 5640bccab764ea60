<?php

// Generated from the built mcp_guard module by tools/stubs.php. Do not edit.

namespace McpGuard;

/**
 * Issues and checks confirmations with one server key (32 to 1024 bytes,
 * e.g. `random_bytes(32)` kept in the host's configuration; a key of its
 * own, not the token pepper or a JWT secret).
 */
final class Confirmations
{
    /**
     * Issues a confirmation for one call: this principal, this tool, these
     * exact arguments (without the reserved `_confirmation` argument).
     *
     * @param array $arguments the call's arguments.
     * @param int|null $now Unix time; null = the system clock.
     * @throws \McpGuard\Exception\InvalidArgumentException reason
     *   confirmation_bad_principal (empty, over 1024 bytes),
     *   confirmation_bad_tool (empty, over 512 bytes),
     *   confirmation_arguments_unreadable (a PHP object, a NaN, a string
     *   or key that is not UTF-8, over the limits), confirmation_bad_time.
     */
    public function issue(string $principal, string $tool, array $arguments, ?int $now = null): \McpGuard\IssuedConfirmation {}

    /**
     * Checks a presented confirmation against the call it comes with. A bad
     * token is an answer, never an exception: `ok()` false and `reason()`
     * (`confirmation_malformed`, `confirmation_bad_mac`,
     * `confirmation_expired`, `confirmation_not_bound`). It does not claim
     * the confirmation: the caller's store does that, once, by `id()`.
     *
     * @param array $arguments the call's arguments (without `_confirmation`).
     * @param int|null $now Unix time; null = the system clock.
     * @throws \McpGuard\Exception\InvalidArgumentException reason
     *   confirmation_arguments_unreadable (the arguments cannot be
     *   digested: never the case for decoded JSON within the policy's limits).
     */
    public function check(string $token, string $principal, string $tool, array $arguments, ?int $now = null): \McpGuard\ConfirmationCheck {}

    /**
     * The lifetime of the confirmations this object issues, in seconds.
     */
    public function ttlSeconds(): int {}

    /**
     * The digest (SHA-256, hex) of a call's arguments that confirmations
     * bind: object keys in any order give the same digest, list order and
     * value types count (docs/confirmations.md). Never an argument value.
     *
     * @param array $arguments
     * @throws \McpGuard\Exception\InvalidArgumentException reason
     *   confirmation_arguments_unreadable.
     */
    public static function argumentsDigest(array $arguments): string {}

    /**
     * Whether a string has the shape of a confirmation (`mcpc_` and 119
     * base64url characters): for secret scanners and log redaction, not
     * a check of its validity.
     */
    public static function looksLikeConfirmation(string $value): bool {}

    /**
     * @param string $key the server's confirmation key, 32 to 1024 bytes.
     * @param int $ttlSeconds lifetime of each confirmation, 1 to 900 (default 300).
     * @throws \McpGuard\Exception\ConfigurationException reason confirmation_key_length.
     * @throws \McpGuard\Exception\InvalidArgumentException reason confirmation_bad_ttl.
     */
    public function __construct(string $key, int $ttlSeconds = 300) {}
}
