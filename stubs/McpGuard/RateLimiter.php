<?php

// Generated from the built mcp_guard module by tools/stubs.php. Do not edit.

namespace McpGuard;

/**
 * A GCRA rate limiter whose state lives in the server's shared table, so all
 * PHP-FPM workers share exact limits.
 *
 * Policies are named; without an argument the defaults apply: `catalogue`
 * 600 / 60 s, `write` 30 / 60 s, `anonymous` 60 / 60 s. The limiter uses the
 * namespace its INI settings name when it is built
 * (`mcp_guard.rate_limit_namespace`, `…_namespace_slots`).
 */
final class RateLimiter
{
    /**
     * Records a hit of `cost` on `key` under `policy`.
     *
     * @param string $key any bytes (hashed; size does not matter), e.g. from
     *   `RateLimiter::tokenKey()`. Keys starting `token:` or `user:` live in
     *   the principal share of the namespace, every other key in the
     *   anonymous share.
     * @param int|null $now Unix time in microseconds: only accepted when the
     *   INI setting mcp_guard.rate_limit_test_clock=1 (tests); null = the clock.
     * @throws \McpGuard\Exception\InvalidArgumentException unknown policy, cost out of range.
     * @throws \McpGuard\Exception\ConfigurationException no table, $now without the
     *   test clock, an invalid namespace setting, or no room for the namespace.
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
     * `token:<publicId>`. Only for a token that was verified: principal
     * keys have their own share of the table.
     */
    public static function tokenKey(string $publicId): string {}

    /**
     * `user:<id>`. Only for an authenticated user: principal keys have
     * their own share of the table.
     */
    public static function userKey(string $id): string {}

    /**
     * Facts about the shared table and this request's namespace: slots (of
     * the table), namespace (`""`: the default one), namespaceSlots,
     * occupied and live (of the namespace), principal and anonymous
     * (['slots', 'occupied', 'live'] of each share), shared (true in a
     * process forked from the one that mapped it, e.g. a PHP-FPM worker),
     * creatorPid, pid, whenFull, window (most slots one key may use),
     * testClock.
     *
     * @param int|null $now Unix microseconds at which `live` is counted: only
     *   with mcp_guard.rate_limit_test_clock=1, as for `hit()`; null = the clock.
     * @throws \McpGuard\Exception\ConfigurationException no table, $now without
     *   the test clock, or an invalid namespace setting.
     */
    public static function tableInfo(?int $now = null): array {}

    /**
     * For a store outside the shared table (Redis): the Lua script that
     * reads and conditionally stores a key's state atomically. The decision
     * itself is made by `scriptResult()`.
     */
    public static function script(): string {}

    /**
     * For a store outside the shared table: checks one hit like `hit()`
     * (policy, cost, test clock) and gives the script's `KEYS[1]` suffix (put
     * your prefix before it: `<policy>:<64 hex>`, bounded whatever the key's
     * size) and `ARGV[1..4]`, as strings, in that order.
     *
     * @return list<string> [key suffix, now or '' (the store's clock),
     *   emission interval µs, tolerance µs, cost]
     * @throws \McpGuard\Exception\InvalidArgumentException unknown policy, cost out of range.
     * @throws \McpGuard\Exception\ConfigurationException $now without the test clock.
     */
    public function scriptArguments(string $key, string $policy, int $cost = 1, ?int $now = null): array {}

    /**
     * For a store outside the shared table: the decision on one hit of
     * `cost` under `policy`, from the script's reply exactly as the store
     * returned it (`false` when the call failed).
     *
     * @throws \McpGuard\Exception\GuardException reason rate_limit_backend_failed:
     *   the call failed, or the reply is not the step the extension computes
     *   (fail closed: do not serve the request).
     */
    public function scriptResult(string $policy, int $cost, mixed $reply): \McpGuard\RateLimit\Result {}

    /**
     * @param array<string, array{limit: int, period: int}>|null $policies
     *   name (`[a-z0-9_.-]{1,64}`) → limit per period (seconds); null = defaults.
     */
    public function __construct(?array $policies = null) {}
}
