<?php

// Generated from the built mcp_guard module by tools/stubs.php. Do not edit.

namespace McpGuard\RateLimit;

/**
 * The decision on one hit. Also built by the Redis backend
 * (`McpGuard\Server\RateLimit\RedisRateLimiter`) from its script's answer.
 */
final class Result
{
    /**
     * Whether the hit was allowed (and counted).
     */
    public function allowed(): bool {}

    /**
     * Null when allowed; `rate_limited` or `table_full` (for the audit log).
     */
    public function reason(): ?string {}

    /**
     * The policy's name.
     */
    public function policy(): string {}

    /**
     * The policy's limit.
     */
    public function limit(): int {}

    /**
     * The policy's period in seconds.
     */
    public function period(): int {}

    /**
     * Units that can still be spent now.
     */
    public function remaining(): int {}

    /**
     * Whole seconds (rounded up) until a retry can succeed; 0 when allowed.
     */
    public function retryAfter(): int {}

    /**
     * Whole seconds (rounded up) until the full limit is back.
     */
    public function resetAfter(): int {}

    /**
     * `retryAfter()` in microseconds.
     */
    public function retryAfterMicros(): int {}

    /**
     * `resetAfter()` in microseconds.
     */
    public function resetAfterMicros(): int {}

    /**
     * The response headers (draft-ietf-httpapi-ratelimit-headers, structured
     * fields): `RateLimit-Policy: "<name>";q=<limit>;w=<seconds>`,
     * `RateLimit: "<name>";r=<remaining>;t=<seconds>`, and, when refused,
     * `Retry-After: <seconds>`.
     */
    public function headers(): array {}

    /**
     * For other backends: the same decision fields the extension computes.
     *
     * @param string|null $reason null when allowed; `rate_limited` or `table_full`.
     */
    public function __construct(string $policy, int $limit, int $periodSeconds, int $remaining, int $retryAfterMicros, int $resetAfterMicros, ?string $reason = null) {}
}
