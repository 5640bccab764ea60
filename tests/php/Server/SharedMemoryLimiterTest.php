<?php

declare(strict_types=1);

namespace McpGuard\Tests\Server;

use McpGuard\Exception\GuardException;
use McpGuard\Exception\InvalidArgumentException;
use McpGuard\RateLimiter;
use McpGuard\Server\RateLimit\Limiter;
use McpGuard\Server\RateLimit\RedisRateLimiter;
use McpGuard\Server\RateLimit\SharedMemoryLimiter;
use PHPUnit\Framework\TestCase;

/** The shared-memory glue behind the one Limiter interface (the Redis one: RedisRateLimiterTest). */
final class SharedMemoryLimiterTest extends TestCase
{
    /** What a pipeline does with whichever limiter it is given. */
    private static function spend(Limiter $limiter, string $key, string $policy): array
    {
        $seen = [];
        for ($i = 0; $i < 5; $i++) {
            $r = $limiter->hit($key, $policy);
            $seen[] = [$r->allowed(), $r->reason(), $r->remaining()];
        }
        return $seen;
    }

    public function testBothBackendsAreOneInterface(): void
    {
        self::assertTrue(is_subclass_of(SharedMemoryLimiter::class, Limiter::class));
        self::assertTrue(is_subclass_of(RedisRateLimiter::class, Limiter::class));
        $methods = array_map(static fn (\ReflectionMethod $m) => $m->getName(), (new \ReflectionClass(Limiter::class))->getMethods());
        sort($methods);
        self::assertSame(['hit', 'policies'], $methods);
    }

    public function testItIsTheExtensionsLimiter(): void
    {
        $policies = ['p' => ['limit' => 3, 'period' => 3600]];
        $limiter = new SharedMemoryLimiter($policies);
        self::assertSame((new RateLimiter($policies))->policies(), $limiter->policies());
        self::assertSame((new RateLimiter())->policies(), (new SharedMemoryLimiter())->policies());
        $key = RateLimiter::tokenKey('glue' . bin2hex(random_bytes(8)));
        self::assertSame(
            [[true, null, 2], [true, null, 1], [true, null, 0], [false, 'rate_limited', 0], [false, 'rate_limited', 0]],
            self::spend($limiter, $key, 'p'),
        );
    }

    public function testEveryFailureIsAGuardException(): void
    {
        $limiter = new SharedMemoryLimiter(['p' => ['limit' => 3, 'period' => 60]]);
        foreach ([
            fn () => $limiter->hit('k', 'nope'),
            fn () => $limiter->hit('k', 'p', 4),
            fn () => $limiter->hit('k', 'p', 1, 1_800_000_000_000_000),
            fn () => new SharedMemoryLimiter(['Bad' => ['limit' => 1, 'period' => 1]]),
            fn () => new SharedMemoryLimiter(['p' => ['limit' => 1]]),
        ] as $i => $f) {
            try {
                $f();
                self::fail("case {$i} accepted");
            } catch (GuardException $e) {
                self::assertNotSame('unspecified', $e->reason());
            }
        }
        $this->expectException(InvalidArgumentException::class);
        $limiter->hit('k', 'p', 0);
    }
}
