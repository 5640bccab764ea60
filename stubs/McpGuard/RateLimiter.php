<?php

// Generated from the built mcp_guard module by tools/stubs.php. Do not edit.

namespace McpGuard;

/**
 * A GCRA rate limiter whose state lives in the server's shared table, so all
 * PHP-FPM workers share exact limits.
 *
 * Policies are named; without an argument the defaults apply: `catalogue`
 * 600 / 60 s, `write` 30 / 60 s, `anonymous` 60 / 60 s.
 */
final class RateLimiter
{
    /**
     * Records a hit of `cost` on `key` under `policy`.
     *
     * @param string $key any bytes (hashed; size does not matter), e.g. from
     *   `RateLimiter::tokenKey()`.
     * @param int|null $now Unix time in microseconds: only accepted when the
     *   INI setting mcp_guard.rate_limit_test_clock=1 (tests); null = the clock.
     * @throws \McpGuard\Exception\InvalidArgumentException unknown policy, cost out of range.
     * @throws \McpGuard\Exception\ConfigurationException no table, or $now without the test clock.
     */
    public function hit(string $key, string $policy, int $cost = 1, ?int $now = null): \McpGuard\RateLimit\Result {}

    /**
     * The configured policies: name → ['limit' => int, 'period' => int].
     */
    public function policies(): array {}

    /**
     * `ip:<address>` (IPv6: its /64).
     * @throws \McpGuard\Exception\InvalidArgumentException reason invalid_key.
     */
    public static function ipKey(string $ip): string {}

    /**
     * `token:<publicId>`.
     */
    public static function tokenKey(string $publicId): string {}

    /**
     * `user:<id>`.
     */
    public static function userKey(string $id): string {}

    /**
     * Facts about the shared table: slots, occupied, live, shared (true in a
     * process forked from the one that mapped it, e.g. a PHP-FPM worker),
     * creatorPid, pid, whenFull, window, testClock.
     * @throws \McpGuard\Exception\ConfigurationException when there is no table.
     */
    public static function tableInfo(): array {}

    /**
     * @param array<string, array{limit: int, period: int}>|null $policies
     *   name (`[a-z0-9_.-]{1,64}`) → limit per period (seconds); null = defaults.
     */
    public function __construct(?array $policies = null) {}
}
