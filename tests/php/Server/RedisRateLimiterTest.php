<?php

declare(strict_types=1);

namespace McpGuard\Tests\Server;

use McpGuard\Exception\ConfigurationException;
use McpGuard\Exception\GuardException;
use McpGuard\Exception\InvalidArgumentException;
use McpGuard\Server\RateLimit\Limiter;
use McpGuard\Server\RateLimit\RedisRateLimiter;
use McpGuard\Server\RateLimit\SharedMemoryLimiter;
use PHPUnit\Framework\TestCase;

/**
 * Against a real redis-server: tests/ratelimit/redis.sh starts one on loopback
 * and runs this file with REDIS_PORT and the test clock enabled. Without
 * REDIS_PORT every test here is skipped.
 */
final class RedisRateLimiterTest extends TestCase
{
    private const NOW = 1_800_000_000_000_000;

    private \Redis $redis;

    protected function setUp(): void
    {
        $port = getenv('REDIS_PORT');
        if ($port === false || $port === '') {
            self::markTestSkipped('REDIS_PORT is not set: run tests/ratelimit/redis.sh to test the Redis backend');
        }
        if (!class_exists(\Redis::class)) {
            self::markTestSkipped('the phpredis extension (php8.2-redis) is not loaded');
        }
        $this->redis = new \Redis();
        $this->redis->connect('127.0.0.1', (int) $port, 2.0);
        $this->redis->flushDB();
    }

    private static function requireTestClock(): void
    {
        if (ini_get('mcp_guard.rate_limit_test_clock') !== '1') {
            self::markTestSkipped('needs mcp_guard.rate_limit_test_clock=1 (tests/ratelimit/redis.sh sets it)');
        }
    }

    public function testExactBurstWithRedisClock(): void
    {
        $rl = new RedisRateLimiter($this->redis, ['p' => ['limit' => 5, 'period' => 3600]]);
        $ok = 0;
        for ($i = 0; $i < 20; $i++) {
            $ok += (int) $rl->hit('ip:192.0.2.1', 'p')->allowed();
        }
        self::assertSame(5, $ok);
        $r = $rl->hit('ip:192.0.2.1', 'p');
        self::assertSame('rate_limited', $r->reason());
        self::assertArrayHasKey('Retry-After', $r->headers());
        self::assertSame('"p";q=5;w=3600', $r->headers()['RateLimit-Policy']);
        // The state key carries a TTL: Redis forgets it once it expired.
        $keys = $this->redis->keys('mcp_guard:rl:p:*');
        self::assertCount(1, $keys);
        $ttl = $this->redis->pttl($keys[0]);
        self::assertGreaterThan(0, $ttl);
        self::assertLessThanOrEqual(3_600_000, $ttl);
    }

    public function testHugeKeysAreHashedAndErrorsMatchTheExtension(): void
    {
        $rl = new RedisRateLimiter($this->redis, ['p' => ['limit' => 1, 'period' => 60]]);
        $big = str_repeat('k', 1 << 20);
        self::assertTrue($rl->hit($big, 'p')->allowed());
        self::assertFalse($rl->hit($big, 'p')->allowed());
        foreach ($this->redis->keys('*') as $k) {
            self::assertLessThan(200, strlen($k));
        }
        try {
            $rl->hit('k', 'nope');
            self::fail('unknown policy accepted');
        } catch (InvalidArgumentException $e) {
            self::assertSame('unknown_policy', $e->reason());
        }
        try {
            $rl->hit('k', 'p', 2);
            self::fail('cost above the limit accepted');
        } catch (InvalidArgumentException $e) {
            self::assertSame('invalid_cost', $e->reason());
        }
        if (ini_get('mcp_guard.rate_limit_test_clock') !== '1') {
            try {
                $rl->hit('k', 'p', 1, self::NOW);
                self::fail('test clock accepted without the INI setting');
            } catch (ConfigurationException $e) {
                self::assertSame('test_clock_disabled', $e->reason());
            }
        }
    }

    /**
     * Redis that does not answer (a listening socket nobody serves: the
     * connection succeeds, every read times out): the glue fails closed with
     * the extension's exception, never a \RedisException or a default.
     */
    public function testAStoreThatFailsIsARefusalFromTheExtension(): void
    {
        $socket = stream_socket_server('tcp://127.0.0.1:0');
        self::assertIsResource($socket);
        $port = (int) substr((string) strrchr((string) stream_socket_get_name($socket, false), ':'), 1);
        $mute = new \Redis();
        $mute->connect('127.0.0.1', $port, 1.0, null, 0, 0.2);
        $rl = new RedisRateLimiter($mute, ['p' => ['limit' => 5, 'period' => 60]]);
        try {
            $rl->hit('ip:192.0.2.9', 'p');
            self::fail('a silent Redis answered');
        } catch (GuardException $e) {
            self::assertSame('rate_limit_backend_failed', $e->reason());
            self::assertSame('server_error', $e->errorCode());
        } finally {
            fclose($socket);
        }
    }

    /**
     * A state that is not a number (written by someone else under our
     * prefix) reads as no state, and a TAT far ahead refuses: whatever Redis
     * holds, the extension decides from what the script saw.
     */
    public function testForeignStateInRedisIsJudgedByTheExtension(): void
    {
        $rl = new RedisRateLimiter($this->redis, ['p' => ['limit' => 2, 'period' => 60]]);
        self::assertTrue($rl->hit('k1', 'p')->allowed());
        $keys = $this->redis->keys('mcp_guard:rl:p:*');
        self::assertCount(1, $keys);
        $this->redis->set($keys[0], 'not a number');
        self::assertSame(1, $rl->hit('k1', 'p')->remaining(), 'garbage reads as a fresh key');
        $this->redis->set($keys[0], (string) (9_000_000_000_000_000));
        $r = $rl->hit('k1', 'p');
        self::assertFalse($r->allowed());
        self::assertSame('rate_limited', $r->reason());
    }

    public function testScriptIsReloadedAfterAFlush(): void
    {
        $rl = new RedisRateLimiter($this->redis, ['p' => ['limit' => 3, 'period' => 60]]);
        self::assertTrue($rl->hit('k', 'p')->allowed());
        $this->redis->script('flush');
        self::assertSame(1, $rl->hit('k', 'p')->remaining());
    }

    /**
     * The agreement test: one random sequence of hits (keys of both classes,
     * costs, a clock that stands still and jumps) through both backends, each
     * taken as a Limiter, gives identical decisions.
     */
    public function testBothBackendsAgreeExactly(): void
    {
        self::requireTestClock();
        $policies = [
            'small' => ['limit' => 3, 'period' => 1],
            'odd' => ['limit' => 7, 'period' => 10],   // T = 1 428 572 µs (rounded up)
            'write' => ['limit' => 30, 'period' => 60],
        ];
        $shm = new SharedMemoryLimiter($policies);
        $redis = new RedisRateLimiter($this->redis, $policies);
        self::assertSame($shm->policies(), $redis->policies());
        self::agree($shm, $redis, array_keys($policies), array_column($policies, 'limit'));
    }

    /**
     * @param list<string> $names
     * @param list<int> $limits
     */
    private static function agree(Limiter $a, Limiter $b, array $names, array $limits): void
    {
        mt_srand(20261122);
        $run = bin2hex(random_bytes(6)); // fresh keys in the shared table
        $now = self::NOW;
        $allowed = 0;
        $refused = 0;
        for ($i = 0; $i < 3000; $i++) {
            $r = mt_rand(0, 9);
            $now += $r < 5 ? 0 : ($r < 9 ? mt_rand(1, 400_000) : mt_rand(1, 20_000_000));
            $p = mt_rand(0, 2);
            $policy = $names[$p];
            $id = mt_rand(0, 4);
            $key = ['token:', 'user:', 'ip:'][$id % 3] . "{$run}:{$id}";
            $cost = mt_rand(1, min(3, $limits[$p]));
            $x = $a->hit($key, $policy, $cost, $now);
            $y = $b->hit($key, $policy, $cost, $now);
            $got = [$y->allowed(), $y->reason(), $y->remaining(), $y->retryAfterMicros(), $y->resetAfterMicros(), $y->headers()];
            $want = [$x->allowed(), $x->reason(), $x->remaining(), $x->retryAfterMicros(), $x->resetAfterMicros(), $x->headers()];
            self::assertSame($want, $got, "hit #{$i} ({$policy}, cost {$cost}, now {$now})");
            $x->allowed() ? $allowed++ : $refused++;
        }
        // The sequence exercised both outcomes.
        self::assertGreaterThan(100, $allowed);
        self::assertGreaterThan(100, $refused);
    }
}
