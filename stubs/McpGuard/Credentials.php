<?php

// Generated from the built mcp_guard module by tools/stubs.php. Do not edit.

namespace McpGuard;

/**
 * What the `Authorization` header carried: a bearer token, Basic credentials
 * for the host to check, or nothing usable. Secrets are not visible to
 * `var_dump` and the object cannot be serialized.
 *
 * Built with fromHeader(); `new` is refused.
 */
final class Credentials
{
    /**
     * Parses the raw header value (`$_SERVER['HTTP_AUTHORIZATION'] ?? null`).
     *
     * @throws \McpGuard\Exception\InvalidRequestException for a malformed Bearer
     *   or Basic credential, or a header over 4 KiB.
     */
    public static function fromHeader(?string $header = null): \McpGuard\Credentials {}

    /**
     * `"bearer"`, `"basic"` or `"none"`.
     */
    public function scheme(): string {}

    /**
     * False when there were no usable credentials (answer 401 with a challenge).
     */
    public function isPresent(): bool {}

    /**
     * The bearer token, or null.
     */
    public function bearerToken(): ?string {}

    /**
     * The Basic user id, or null.
     */
    public function username(): ?string {}

    /**
     * The Basic password, or null.
     */
    public function password(): ?string {}
}
