<?php

declare(strict_types=1);

namespace McpGuard\Server\RateLimit;

use McpGuard\RateLimit\Result;
use McpGuard\RateLimiter;

/**
 * The same limiter as \McpGuard\RateLimiter, with its state in Redis, for
 * shops whose web servers must share one set of limits.
 *
 * This class only talks to Redis. The extension checks the hit (policy, cost,
 * test clock) and gives the script's key and arguments
 * (RateLimiter::scriptArguments()); Redis runs the extension's script
 * (RateLimiter::script(), loaded once per process with SCRIPT LOAD and called
 * with EVALSHA; reloaded on NOSCRIPT), which reads and conditionally stores
 * the key's state in one atomic step; the extension then makes the decision
 * from what the script saw (RateLimiter::scriptResult()) and refuses a reply
 * that does not match it. So both backends reach identical decisions for
 * identical hits and clocks.
 *
 * Time: Redis's own clock (TIME, inside the script), so several web servers
 * agree on "now" even when their clocks drift. A `$now` argument is accepted
 * only when mcp_guard.rate_limit_test_clock=1, as for the extension.
 *
 * Keys: `<prefix><policy>:<64 hex>` (a SHA-256 of the key, so any key size
 * makes a bounded Redis key); each expires (PX) once its state has expired.
 * Isolation between sites sharing one Redis is the prefix (and the Redis
 * credentials): the namespace settings apply to the shared-memory table only.
 */
final class RedisRateLimiter implements Limiter
{
    /** The script's SHA1 in Redis, once loaded (one load per process). */
    private static ?string $sha = null;

    private readonly RateLimiter $limiter;

    /**
     * @param array<string, array{limit: int, period: int}>|null $policies as for \McpGuard\RateLimiter (validated by it); null = its defaults.
     * @param string $prefix Redis key prefix.
     * @throws \McpGuard\Exception\InvalidArgumentException a policy the extension refuses.
     */
    public function __construct(
        private readonly \Redis $redis,
        ?array $policies = null,
        private readonly string $prefix = 'mcp_guard:rl:',
    ) {
        $this->limiter = new RateLimiter($policies);
    }

    public function policies(): array
    {
        return $this->limiter->policies();
    }

    /**
     * Records a hit of `$cost` on `$key` under `$policy`.
     *
     * @param int|null $now Unix microseconds; only with mcp_guard.rate_limit_test_clock=1.
     * @throws \McpGuard\Exception\InvalidArgumentException unknown policy, cost out of range.
     * @throws \McpGuard\Exception\ConfigurationException $now without the test clock.
     * @throws \McpGuard\Exception\GuardException reason rate_limit_backend_failed when
     *   Redis fails or answers out of step (fail closed: do not serve the request).
     */
    public function hit(string $key, string $policy, int $cost = 1, ?int $now = null): Result
    {
        $args = $this->limiter->scriptArguments($key, $policy, $cost, $now);
        $args[0] = $this->prefix . $args[0];
        return $this->limiter->scriptResult($policy, $cost, $this->evalScript($args));
    }

    /**
     * The script's reply, or false when Redis failed (a connection error
     * included: the extension then throws its own exception).
     *
     * @param list<string> $args KEYS[1] then ARGV
     */
    private function evalScript(array $args): mixed
    {
        try {
            for ($attempt = 0; $attempt < 2; $attempt++) {
                if (self::$sha === null) {
                    $sha = $this->redis->script('load', RateLimiter::script());
                    if (!is_string($sha)) {
                        return false;
                    }
                    self::$sha = $sha;
                }
                $reply = $this->redis->evalSha(self::$sha, $args, 1);
                if ($reply !== false) {
                    return $reply;
                }
                $error = (string) $this->redis->getLastError();
                $this->redis->clearLastError();
                if (!str_starts_with($error, 'NOSCRIPT')) {
                    return false;
                }
                self::$sha = null; // flushed (SCRIPT FLUSH, restart, failover): load again
            }
        } catch (\RedisException) {
            return false;
        }
        return false;
    }
}
