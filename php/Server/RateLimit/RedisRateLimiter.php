<?php

declare(strict_types=1);

namespace McpGuard\Server\RateLimit;

use McpGuard\RateLimit\Result;
use McpGuard\RateLimiter;

/**
 * The same limiter as \McpGuard\RateLimiter, with its state in Redis, for
 * shops whose web servers must share one set of limits.
 *
 * The GCRA step runs atomically inside Redis (gcra.lua, loaded once per
 * process with SCRIPT LOAD and called with EVALSHA; reloaded on NOSCRIPT) on
 * integer microseconds, exactly as the extension computes it, so both
 * backends reach identical decisions for identical hits and clocks.
 *
 * Time: Redis's own clock (TIME, inside the script), so several web servers
 * agree on "now" even when their clocks drift. A `$now` argument is accepted
 * only when mcp_guard.rate_limit_test_clock=1, as for the extension.
 *
 * Keys: `<prefix><policy>:<sha256 of the key>` — any key size, bounded Redis
 * memory; each expires (PX) once its state has expired.
 */
final class RedisRateLimiter
{
    private const SCRIPT = __DIR__ . '/gcra.lua';

    /** @var array<string, string> script SHA1 per script text (one load per process) */
    private static array $sha = [];

    /** @var array<string, array{limit: int, period: int}> */
    private array $policies;

    private string $script;

    /**
     * @param array<string, array{limit: int, period: int}>|null $policies as for \McpGuard\RateLimiter (validated by it); null = its defaults.
     * @param string $prefix Redis key prefix.
     */
    public function __construct(
        private readonly \Redis $redis,
        ?array $policies = null,
        private readonly string $prefix = 'mcp_guard:rl:',
    ) {
        $this->policies = (new RateLimiter($policies))->policies();
        $script = file_get_contents(self::SCRIPT);
        if ($script === false) {
            throw new \RuntimeException('mcp_guard: gcra.lua is missing');
        }
        $this->script = $script;
    }

    /** @return array<string, array{limit: int, period: int}> */
    public function policies(): array
    {
        return $this->policies;
    }

    /**
     * Records a hit of `$cost` on `$key` under `$policy`.
     *
     * @param int|null $now Unix microseconds; only with mcp_guard.rate_limit_test_clock=1.
     * @throws \McpGuard\Exception\InvalidArgumentException unknown policy, cost out of range.
     * @throws \McpGuard\Exception\ConfigurationException $now without the test clock.
     * @throws \RuntimeException when Redis fails (fail closed: do not serve the request).
     */
    public function hit(string $key, string $policy, int $cost = 1, ?int $now = null): Result
    {
        $p = $this->policies[$policy] ?? null;
        if ($p === null) {
            throw new \McpGuard\Exception\InvalidArgumentException(
                'The rate-limit policy is not configured.',
                self::reasonCode('unknown_policy'),
            );
        }
        if ($cost < 1 || $cost > $p['limit']) {
            throw new \McpGuard\Exception\InvalidArgumentException(
                'The cost must be between 1 and the policy\'s limit.',
                self::reasonCode('invalid_cost'),
            );
        }
        if ($now !== null && !self::testClockEnabled()) {
            throw new \McpGuard\Exception\ConfigurationException(
                'The rate-limit test clock is not enabled.',
                self::reasonCode('test_clock_disabled'),
            );
        }
        if ($now !== null && ($now < 1 || $now > 9_000_000_000_000_000)) {
            throw new \McpGuard\Exception\InvalidArgumentException(
                'The clock value is out of range.',
                self::reasonCode('invalid_time'),
            );
        }
        // The same integer parameters as the extension: T = ceil(P / L), tau = T * L.
        $periodUs = $p['period'] * 1_000_000;
        $emission = intdiv($periodUs + $p['limit'] - 1, $p['limit']);
        $tolerance = $emission * $p['limit'];
        $redisKey = $this->prefix . $policy . ':' . hash('sha256', $key);
        $args = [$redisKey, $now === null ? '' : (string) $now, (string) $emission, (string) $tolerance, (string) $cost];

        $reply = $this->evalScript($args);
        if (!is_array($reply) || count($reply) !== 4) {
            throw new \RuntimeException('mcp_guard: the Redis rate-limit script failed');
        }
        [$allowed, $remaining, $retryAfter, $resetAfter] = array_map('intval', $reply);
        return new Result(
            $policy,
            $p['limit'],
            $p['period'],
            $remaining,
            $retryAfter,
            $resetAfter,
            $allowed === 1 ? null : 'rate_limited',
        );
    }

    /** @param list<string> $args */
    private function evalScript(array $args): mixed
    {
        $id = sha1($this->script);
        for ($attempt = 0; $attempt < 2; $attempt++) {
            $sha = self::$sha[$id] ?? null;
            if ($sha === null) {
                $sha = $this->redis->script('load', $this->script);
                if (!is_string($sha)) {
                    throw new \RuntimeException('mcp_guard: cannot load the Redis rate-limit script');
                }
                self::$sha[$id] = $sha;
            }
            $reply = $this->redis->evalSha($sha, $args, 1);
            if ($reply !== false) {
                return $reply;
            }
            $error = (string) $this->redis->getLastError();
            $this->redis->clearLastError();
            if (!str_starts_with($error, 'NOSCRIPT')) {
                break;
            }
            unset(self::$sha[$id]); // flushed (SCRIPT FLUSH, restart, failover): load again
        }
        return false;
    }

    /**
     * The extension's own answer (read once, at module start-up, from the
     * server-wide INI), so a per-pool INI value cannot turn the test clock on.
     */
    private static function testClockEnabled(): bool
    {
        try {
            return RateLimiter::tableInfo()['testClock'] === true;
        } catch (\McpGuard\Exception\GuardException) {
            return false;
        }
    }

    /** The code the extension gives an exception with this reason, so reason() works. */
    private static function reasonCode(string $reason): int
    {
        return max(1, crc32($reason) & 0x7fffffff);
    }
}
