<?php

declare(strict_types=1);

namespace McpGuard\Server\RateLimit;

use McpGuard\RateLimit\Result;
use McpGuard\RateLimiter;

/**
 * The extension's shared-memory limiter (\McpGuard\RateLimiter) as a Limiter:
 * exact limits across every PHP-FPM worker of one server, in the namespace
 * the pool's INI settings name.
 */
final class SharedMemoryLimiter implements Limiter
{
    private readonly RateLimiter $limiter;

    /**
     * @param array<string, array{limit: int, period: int}>|null $policies as for \McpGuard\RateLimiter; null = its defaults.
     * @throws \McpGuard\Exception\InvalidArgumentException a policy the extension refuses.
     */
    public function __construct(?array $policies = null)
    {
        $this->limiter = new RateLimiter($policies);
    }

    public function hit(string $key, string $policy, int $cost = 1, ?int $now = null): Result
    {
        return $this->limiter->hit($key, $policy, $cost, $now);
    }

    public function policies(): array
    {
        return $this->limiter->policies();
    }
}
