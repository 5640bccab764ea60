<?php

declare(strict_types=1);

namespace McpGuard\Tests\Extension;

use McpGuard\Exception\ConfigurationException;
use McpGuard\Exception\GuardException;
use McpGuard\Exception\InvalidArgumentException;
use McpGuard\RateLimit\Result;
use McpGuard\RateLimiter;
use McpGuard\Tests\Support\PhpProcess;
use PHPUnit\Framework\TestCase;

final class RateLimiterTest extends TestCase
{
    /** A fixed test-clock instant, Unix microseconds. */
    private const NOW = 1_800_000_000_000_000;

    private static function uniqueKey(): string
    {
        return 'test:' . bin2hex(random_bytes(12));
    }

    /** Runs $code in a fresh php with the test clock (and $ini), returns its stdout. */
    private static function withTestClock(string $code, array $ini = []): string
    {
        $r = PhpProcess::run($code, $ini + ['mcp_guard.rate_limit_test_clock' => '1']);
        self::assertSame(0, $r['exit'], $r['stderr'] . $r['stdout']);
        return $r['stdout'];
    }

    private static function expectReason(string $class, string $reason, callable $f): void
    {
        try {
            $f();
        } catch (GuardException $e) {
            self::assertInstanceOf($class, $e);
            self::assertSame($reason, $e->reason());
            return;
        }
        self::fail("expected {$class} ({$reason})");
    }

    public function testDefaultPoliciesAreTheDocumentedOnes(): void
    {
        self::assertSame([
            'anonymous' => ['limit' => 60, 'period' => 60],
            'catalogue' => ['limit' => 600, 'period' => 60],
            'write' => ['limit' => 30, 'period' => 60],
        ], (new RateLimiter())->policies());
    }

    public function testAKeySpendsExactlyItsLimitThenIsRefusedWithHeaders(): void
    {
        $rl = new RateLimiter(['tight' => ['limit' => 3, 'period' => 3600]]);
        $key = self::uniqueKey();
        foreach ([2, 1, 0] as $left) {
            $r = $rl->hit($key, 'tight');
            self::assertTrue($r->allowed());
            self::assertNull($r->reason());
            self::assertSame($left, $r->remaining());
            self::assertSame(0, $r->retryAfter());
            self::assertArrayNotHasKey('Retry-After', $r->headers());
        }
        $r = $rl->hit($key, 'tight');
        self::assertFalse($r->allowed());
        self::assertSame('rate_limited', $r->reason());
        self::assertSame(0, $r->remaining());
        self::assertGreaterThanOrEqual(1, $r->retryAfter());
        self::assertLessThanOrEqual(1200, $r->retryAfter());
        $h = $r->headers();
        self::assertSame('"tight";q=3;w=3600', $h['RateLimit-Policy']);
        self::assertMatchesRegularExpression('/^"tight";r=0;t=\d+$/', $h['RateLimit']);
        self::assertSame((string) $r->retryAfter(), $h['Retry-After']);
        // Another key, and the same key under another policy, are untouched.
        self::assertTrue($rl->hit(self::uniqueKey(), 'tight')->allowed());
        $two = new RateLimiter(['other' => ['limit' => 1, 'period' => 60], 'tight' => ['limit' => 3, 'period' => 3600]]);
        self::assertTrue($two->hit($key, 'other')->allowed());
    }

    public function testCostCountsAndIsBounded(): void
    {
        $rl = new RateLimiter(['p' => ['limit' => 5, 'period' => 600]]);
        $key = self::uniqueKey();
        self::assertSame(1, $rl->hit($key, 'p', 4)->remaining());
        $r = $rl->hit($key, 'p', 2);
        self::assertFalse($r->allowed());
        self::assertSame(1, $r->remaining());
        self::assertTrue($rl->hit($key, 'p', 1)->allowed());
        foreach ([0, -1, 6, PHP_INT_MAX] as $bad) {
            self::expectReason(InvalidArgumentException::class, 'invalid_cost', fn () => $rl->hit($key, 'p', $bad));
        }
    }

    public function testTheClockCannotBeInjectedWithoutTheTestClockSetting(): void
    {
        // Secure default: a production server cannot freeze or rewind time.
        self::assertSame('0', ini_get('mcp_guard.rate_limit_test_clock'));
        self::assertFalse(RateLimiter::tableInfo()['testClock']);
        self::assertFalse(ini_set('mcp_guard.rate_limit_test_clock', '1'));
        self::expectReason(
            ConfigurationException::class,
            'test_clock_disabled',
            fn () => (new RateLimiter())->hit('k', 'write', 1, self::NOW),
        );
    }

    public function testExactBurstAndOneMorePerEmissionIntervalWithTheTestClock(): void
    {
        $out = self::withTestClock(<<<'PHP'
            $rl = new McpGuard\RateLimiter(['p' => ['limit' => 10, 'period' => 60]]);
            $now = 1800000000000000;
            $ok = 0;
            for ($i = 0; $i < 100; $i++) { $ok += (int) $rl->hit('k', 'p', 1, $now)->allowed(); }
            $r = $rl->hit('k', 'p', 1, $now);
            echo $ok, ' ', $r->retryAfterMicros(), ' ', $r->resetAfterMicros();
            $ok = 0;
            for ($i = 0; $i < 100; $i++) { $ok += (int) $rl->hit('k', 'p', 1, $now + 6000000 - 1)->allowed(); }
            echo ' ', $ok;
            $ok = 0;
            for ($i = 0; $i < 100; $i++) { $ok += (int) $rl->hit('k', 'p', 1, $now + 6000000)->allowed(); }
            echo ' ', $ok;
            echo ' ', $rl->hit('k', 'p', 1, $now + 66000000)->remaining();
            echo ' ', json_encode(McpGuard\RateLimiter::tableInfo()['testClock']);
            PHP);
        // 10 allowed; retry in T = 6 s; one µs early: none; at T: one; full reset after 60 s more.
        self::assertSame('10 6000000 60000000 0 1 9 true', $out);
    }

    public function testTestClockRejectsAbsurdTimes(): void
    {
        $out = self::withTestClock(<<<'PHP'
            $rl = new McpGuard\RateLimiter();
            foreach ([0, -1, PHP_INT_MAX] as $t) {
                try { $rl->hit('k', 'write', 1, $t); echo 'no '; } catch (McpGuard\Exception\InvalidArgumentException $e) { echo $e->reason(), ' '; }
            }
            PHP);
        self::assertSame('invalid_time invalid_time invalid_time ', $out);
    }

    public function testAFullTableRefusesNewKeysAndForgetsNobody(): void
    {
        // 64 slots: 32 for principal keys (token:, user:), 32 for all others.
        $out = self::withTestClock(<<<'PHP'
            $rl = new McpGuard\RateLimiter(['p' => ['limit' => 2, 'period' => 60]]);
            $now = 1800000000000000;
            $count = function (string $prefix) use ($rl, $now): array {
                $full = 0; $ok = 0;
                for ($i = 0; $i < 5000; $i++) {
                    $r = $rl->hit("$prefix$i", 'p', 1, $now);
                    if ($r->reason() === 'table_full') { $full++; } elseif ($r->allowed()) { $ok++; }
                }
                return [$ok, $full];
            };
            $before = memory_get_usage();
            [$ok, $full] = $count('flood:');
            [$okPrincipal, $fullPrincipal] = $count('token:');
            $grew = memory_get_usage() - $before;
            $info = McpGuard\RateLimiter::tableInfo($now);
            // Every key that got a slot still has exactly one unit left.
            $exact = 0;
            foreach (['flood:', 'token:'] as $prefix) {
                for ($i = 0; $i < 5000; $i++) {
                    $r = $rl->hit("$prefix$i", 'p', 1, $now);
                    if ($r->allowed() && $r->remaining() === 0) { $exact++; }
                }
            }
            $h = $rl->hit('newcomer', 'p', 1, $now)->headers();
            echo json_encode([$ok, $full, $okPrincipal, $fullPrincipal, $info['slots'], $info['occupied'],
                $info['principal']['occupied'], $info['anonymous']['occupied'], $exact, $grew < 65536,
                $h['Retry-After'] ?? null, $rl->hit('newcomer', 'p', 1, $now + 60000000)->allowed()]);
            PHP, ['mcp_guard.rate_limit_slots' => '64']);
        [$ok, $full, $okPrincipal, $fullPrincipal, $slots, $occupied, $principal, $anonymous, $exact, $bounded, $retry, $later]
            = json_decode($out, true);
        self::assertSame(64, $slots);
        self::assertSame(32, $ok, 'the anonymous share is half of the table');
        self::assertSame(5000 - 32, $full);
        self::assertSame(32, $okPrincipal, 'a full anonymous share leaves the principal share untouched');
        self::assertSame(5000 - 32, $fullPrincipal);
        self::assertSame(64, $occupied);
        self::assertSame([32, 32], [$principal, $anonymous]);
        self::assertSame(64, $exact);
        self::assertTrue($bounded);
        self::assertSame('60', $retry);
        self::assertTrue($later, 'expired slots are reused');
    }

    public function testEvictModeForgetsTheSoonestExpiringKeyInstead(): void
    {
        $out = self::withTestClock(<<<'PHP'
            $rl = new McpGuard\RateLimiter(['p' => ['limit' => 2, 'period' => 60]]);
            $full = 0;
            for ($i = 0; $i < 1000; $i++) {
                $full += (int) ($rl->hit("flood:$i", 'p', 1, 1800000000000000)->reason() === 'table_full');
            }
            echo $full, ' ', McpGuard\RateLimiter::tableInfo()['whenFull'];
            PHP, ['mcp_guard.rate_limit_slots' => '64', 'mcp_guard.rate_limit_when_full' => 'evict']);
        self::assertSame('0 evict', $out);
    }

    public function testBadIniValuesFallBackToSecureDefaults(): void
    {
        $out = self::withTestClock(
            'echo json_encode(array_intersect_key(McpGuard\RateLimiter::tableInfo(), ["slots" => 1, "whenFull" => 1, "shared" => 1]));',
            ['mcp_guard.rate_limit_slots' => 'lots', 'mcp_guard.rate_limit_when_full' => 'forget'],
        );
        self::assertSame('{"slots":131072,"shared":false,"whenFull":"refuse"}', $out);
        // A size out of range leaves the limiter unavailable (hit throws), never a crash.
        $r = PhpProcess::run(
            'try { (new McpGuard\RateLimiter())->hit("k", "write"); } catch (McpGuard\Exception\ConfigurationException $e) { echo $e->reason(); }',
            ['mcp_guard.rate_limit_slots' => '1'],
        );
        self::assertSame('rate_limit_table_unavailable', $r['stdout']);
    }

    public function testHugeAndBinaryKeysAreHashedWithBoundedMemory(): void
    {
        $rl = new RateLimiter(['p' => ['limit' => 1, 'period' => 600]]);
        $big = str_repeat('x', 1 << 20) . bin2hex(random_bytes(8));
        $before = memory_get_usage();
        self::assertTrue($rl->hit($big, 'p')->allowed());
        self::assertFalse($rl->hit($big, 'p')->allowed());
        self::assertLessThan(65536, memory_get_usage() - $before);
        $bin = "\xff\x00" . random_bytes(16);
        self::assertTrue($rl->hit($bin, 'p')->allowed());
        self::assertFalse($rl->hit($bin, 'p')->allowed());
        self::assertInstanceOf(Result::class, $rl->hit('', 'p'), 'an empty key is a key like any other');
    }

    public function testBadPoliciesAreRefused(): void
    {
        $cases = [
            [['Bad' => ['limit' => 1, 'period' => 1]], 'invalid_policy_name'],
            [['a b' => ['limit' => 1, 'period' => 1]], 'invalid_policy_name'],
            [[0 => ['limit' => 1, 'period' => 1]], 'invalid_policy_name'],
            [['p' => ['limit' => 0, 'period' => 1]], 'invalid_policy'],
            [['p' => ['limit' => 1, 'period' => 0]], 'invalid_policy'],
            [['p' => ['limit' => -1, 'period' => 60]], 'invalid_value'],
            [['p' => ['limit' => 1, 'period' => 400 * 86400]], 'invalid_policy'],
            [['p' => ['limit' => 1]], 'invalid_value'],
            [['p' => ['limit' => '1', 'period' => 1]], 'invalid_value'],
            [['p' => 5], 'invalid_value'],
            [['p' => ['limit' => 1, 'period' => 1, 'burst' => 3]], 'invalid_value'],
        ];
        foreach ($cases as [$policies, $reason]) {
            self::expectReason(InvalidArgumentException::class, $reason, fn () => new RateLimiter($policies));
        }
        $rl = new RateLimiter();
        self::expectReason(InvalidArgumentException::class, 'unknown_policy', fn () => $rl->hit('k', 'nope'));
        self::expectReason(InvalidArgumentException::class, 'unknown_policy', fn () => $rl->hit('k', "\xff"));
    }

    public function testPrincipalKeyHelpers(): void
    {
        self::assertSame('ip:192.0.2.7', RateLimiter::ipKey('192.0.2.7'));
        self::assertSame('ip:192.0.2.7', RateLimiter::ipKey('::ffff:192.0.2.7'));
        self::assertSame(RateLimiter::ipKey('2001:db8:a:b::1'), RateLimiter::ipKey('2001:db8:a:b:ffff::2'));
        self::assertNotSame(RateLimiter::ipKey('2001:db8:a:b::1'), RateLimiter::ipKey('2001:db8:a:c::1'));
        self::assertSame('token:Ab12', RateLimiter::tokenKey('Ab12'));
        self::assertSame('user:42', RateLimiter::userKey('42'));
        foreach (['', 'not-an-ip', "\xff", '1.2.3.4.5'] as $bad) {
            self::expectReason(InvalidArgumentException::class, 'invalid_key', fn () => RateLimiter::ipKey($bad));
        }
        foreach (['', 'a b', "a\nb", str_repeat('a', 257)] as $bad) {
            self::expectReason(InvalidArgumentException::class, 'invalid_key', fn () => RateLimiter::tokenKey($bad));
            self::expectReason(InvalidArgumentException::class, 'invalid_key', fn () => RateLimiter::userKey($bad));
        }
    }

    public function testResultCanBeBuiltByOtherBackendsAndIsValidated(): void
    {
        $r = new Result('write', 30, 60, 0, 2_000_001, 60_000_000, 'rate_limited');
        self::assertFalse($r->allowed());
        self::assertSame(3, $r->retryAfter());
        self::assertSame(60, $r->resetAfter());
        self::assertSame(['RateLimit-Policy' => '"write";q=30;w=60', 'RateLimit' => '"write";r=0;t=60', 'Retry-After' => '3'], $r->headers());
        $ok = new Result('write', 30, 60, 29, 0, 2_000_000, null);
        self::assertTrue($ok->allowed());
        self::assertSame(['RateLimit-Policy' => '"write";q=30;w=60', 'RateLimit' => '"write";r=29;t=2'], $ok->headers());
        foreach ([
            fn () => new Result('Bad"name', 1, 1, 0, 0, 0, null),
            fn () => new Result('p', 0, 1, 0, 0, 0, null),
            fn () => new Result('p', 1, 1, 2, 0, 0, null),
            fn () => new Result('p', 1, 1, 0, -1, 0, null),
            fn () => new Result('p', 1, 1, 0, 0, 0, 'whatever'),
        ] as $bad) {
            try {
                $bad();
                self::fail('accepted');
            } catch (InvalidArgumentException $e) {
                self::assertContains($e->reason(), ['invalid_value', 'invalid_policy_name']);
            }
        }
    }

    public function testInfoShowsTheTableInPhpInfo(): void
    {
        $info = RateLimiter::tableInfo();
        self::assertSame(131072, $info['slots']);
        self::assertFalse($info['shared'], 'the CLI process made its own table');
        self::assertSame(getmypid(), $info['creatorPid']);
        self::assertSame('refuse', $info['whenFull']);
        $r = PhpProcess::run('ob_start(); phpinfo(INFO_MODULES); $s = ob_get_clean(); echo $s;');
        foreach (['table size => 131072 slots', 'slots in use =>', 'table sharing => created in this process',
            'php_admin_value[extension]', 'mcp_guard.rate_limit_slots', 'mcp_guard.rate_limit_when_full',
            'mcp_guard.rate_limit_test_clock'] as $needle) {
            self::assertStringContainsString($needle, $r['stdout']);
        }
        self::assertStringNotContainsString('test clock => ENABLED', $r['stdout']);
    }
}
