<?php

declare(strict_types=1);

namespace McpGuard\Server\RateLimit;

use McpGuard\RateLimit\Result;

/**
 * A rate limiter a pipeline can take without knowing where the state lives:
 * SharedMemoryLimiter (one server, the extension's shared table) or
 * RedisRateLimiter (several servers, one Redis). Both make the same
 * decisions, computed by the extension, for the same hits and clocks.
 */
interface Limiter
{
    /**
     * Records a hit of `$cost` on `$key` under `$policy`.
     *
     * @param string $key e.g. \McpGuard\RateLimiter::tokenKey($verified->publicId())
     * @param int|null $now Unix microseconds; only with mcp_guard.rate_limit_test_clock=1.
     * @throws \McpGuard\Exception\GuardException on every failure; refuse the
     *   request then (InvalidArgumentException: a policy or cost the caller got
     *   wrong; ConfigurationException: the server's set-up; reason
     *   rate_limit_backend_failed: the store failed).
     */
    public function hit(string $key, string $policy, int $cost = 1, ?int $now = null): Result;

    /** @return array<string, array{limit: int, period: int}> the policies, name => limit per period (s). */
    public function policies(): array;
}
