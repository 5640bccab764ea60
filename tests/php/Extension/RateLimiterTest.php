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
            'mcp_guard.rate_limit_test_clock', 'mcp_guard.rate_limit_namespace', 'mcp_guard.rate_limit_namespace_slots',
            'namespace => default: slots 0 to 131071 (65536 principal, 65536 anonymous)'] as $needle) {
            self::assertStringContainsString($needle, $r['stdout']);
        }
        self::assertStringNotContainsString('test clock => ENABLED', $r['stdout']);
    }

    public function testTableInfoCountsLiveKeysAtTheTestClock(): void
    {
        $out = self::withTestClock(<<<'PHP'
            $rl = new McpGuard\RateLimiter(['p' => ['limit' => 2, 'period' => 60]]);
            $now = 1800000000000000;
            for ($i = 0; $i < 10; $i++) { $rl->hit("token:$i", 'p', 1, $now); $rl->hit("ip:$i", 'p', 2, $now); }
            $at = fn (int $t) => McpGuard\RateLimiter::tableInfo($t);
            // token keys (cost 1 of 2) expire after 30 s, ip keys (2 of 2) after 60 s.
            echo json_encode([$at($now)['live'], $at($now + 29999999)["live"], $at($now + 30000000)["live"],
                $at($now + 60000000)['live'], $at($now + 60000000)['occupied'],
                $at($now)['principal']['live'], $at($now + 30000001)['anonymous']['live']]);
            PHP);
        self::assertSame('[20,20,10,0,20,10,10]', $out);
        // Without the test clock a $now is refused, as for hit().
        self::expectReason(ConfigurationException::class, 'test_clock_disabled', fn () => RateLimiter::tableInfo(self::NOW));
    }

    public function testNamespaceSettingsAreSystemOnlyAndShownInTableInfo(): void
    {
        self::assertSame('', ini_get('mcp_guard.rate_limit_namespace'));
        self::assertSame('0', ini_get('mcp_guard.rate_limit_namespace_slots'));
        self::assertFalse(ini_set('mcp_guard.rate_limit_namespace', 'other'));
        self::assertFalse(ini_set('mcp_guard.rate_limit_namespace_slots', '64'));
        $info = RateLimiter::tableInfo();
        self::assertSame('', $info['namespace']);
        self::assertSame(131072, $info['namespaceSlots'], 'by default the one namespace has the whole table');
        self::assertSame(65536, $info['principal']['slots']);
        self::assertSame(65536, $info['anonymous']['slots']);
        self::assertSame(256, $info['window']);
        $r = PhpProcess::run('echo json_encode(array_intersect_key(McpGuard\RateLimiter::tableInfo(), array_flip(["slots", "namespace", "namespaceSlots", "principal", "anonymous"])));',
            ['mcp_guard.rate_limit_namespace' => 'shop-a.example_1', 'mcp_guard.rate_limit_namespace_slots' => '1026']);
        self::assertSame('{"slots":131072,"namespace":"shop-a.example_1","namespaceSlots":1024,'
            . '"principal":{"slots":512,"occupied":0,"live":0},"anonymous":{"slots":512,"occupied":0,"live":0}}', $r['stdout'], $r['stderr']);
    }

    /**
     * A namespace setting that is not allowed is refused (typed, reason
     * invalid_rate_limit_namespace), never replaced by the default namespace,
     * which would merge that pool's keys with everyone else's.
     */
    public function testBadNamespaceSettingsAreRefusedNeverDefaulted(): void
    {
        $code = 'foreach ([fn () => (new McpGuard\RateLimiter())->hit("ip:192.0.2.1", "write"), fn () => McpGuard\RateLimiter::tableInfo()] as $f) {'
            . ' try { $f(); echo "accepted "; } catch (McpGuard\Exception\ConfigurationException $e) { echo $e->reason(), " "; } }';
        foreach ([
            ['Shop A', '0'], ['shop/a', '0'], ["\xff", '0'], [str_repeat('a', 65), '0'],
            ['a', '63'], ['a', '-64'], ['a', 'lots'], ['a', ''], ['a', '16777217'], ['', '12'],
        ] as [$name, $slots]) {
            $r = PhpProcess::run($code, ['mcp_guard.rate_limit_namespace' => $name, 'mcp_guard.rate_limit_namespace_slots' => $slots]);
            self::assertSame('invalid_rate_limit_namespace invalid_rate_limit_namespace ', $r['stdout'], "{$name} / {$slots}: " . $r['stderr']);
            self::assertSame('', $r['stderr']);
        }
        // A limiter used only for Redis does not depend on the namespace settings.
        $r = PhpProcess::run('echo count((new McpGuard\RateLimiter())->scriptArguments("k", "write"));',
            ['mcp_guard.rate_limit_namespace' => 'Bad Name']);
        self::assertSame('5', $r['stdout'], $r['stderr']);
    }

    /** Shared-hosting hardening must not merge a pool into the default namespace. */
    public function testTheNamespaceIsReadWhenIniGetIsDisabled(): void
    {
        $r = PhpProcess::run(
            '$i = McpGuard\RateLimiter::tableInfo(); echo json_encode([function_exists("ini_get"), $i["namespace"], $i["namespaceSlots"]]);',
            ['mcp_guard.rate_limit_namespace' => 'site-x', 'mcp_guard.rate_limit_namespace_slots' => '256',
                'disable_functions' => 'ini_get,ini_get_all'],
        );
        self::assertSame('[false,"site-x",256]', $r['stdout'], $r['stderr']);
    }

    public function testANamespaceThatDoesNotFitIsRefused(): void
    {
        $r = PhpProcess::run(
            'try { (new McpGuard\RateLimiter())->hit("k", "write"); echo "accepted"; } catch (McpGuard\Exception\ConfigurationException $e) { echo $e->reason(); }',
            ['mcp_guard.rate_limit_slots' => '1024', 'mcp_guard.rate_limit_namespace' => 'big', 'mcp_guard.rate_limit_namespace_slots' => '2048'],
        );
        self::assertSame('rate_limit_namespace_unavailable', $r['stdout'], $r['stderr']);
    }

    public function testAPolicyNameThatIsNotUtf8IsATypedRefusalWithNothingOnStderr(): void
    {
        $r = PhpProcess::run('try { new McpGuard\RateLimiter(["\xff" => ["limit" => 1, "period" => 1]]); echo "accepted"; }'
            . ' catch (McpGuard\Exception\InvalidArgumentException $e) { echo $e->reason(); }');
        self::assertSame('invalid_policy_name', $r['stdout']);
        self::assertSame('', $r['stderr']);
        self::assertSame(0, $r['exit']);
    }

    public function testTheRedisScriptTakesItsArgumentsAndDecisionsFromTheExtension(): void
    {
        $rl = new RateLimiter(['odd' => ['limit' => 7, 'period' => 10]]);
        $args = $rl->scriptArguments(str_repeat('k', 1 << 20), 'odd', 2);
        self::assertCount(5, $args);
        self::assertMatchesRegularExpression('/^odd:[0-9a-f]{64}$/', $args[0]);
        // T = ceil(10 s / 7) µs, tau = 7 T; '' = the store's own clock.
        self::assertSame(['', '1428572', '10000004', '2'], array_slice($args, 1));
        self::assertNotSame($args[0], $rl->scriptArguments('k2', 'odd')[0]);
        self::assertStringContainsString("redis.call('SET'", RateLimiter::script());
        self::expectReason(InvalidArgumentException::class, 'invalid_cost', fn () => $rl->scriptArguments('k', 'odd', 8));
        self::expectReason(InvalidArgumentException::class, 'unknown_policy', fn () => $rl->scriptArguments('k', 'nope'));
        self::expectReason(ConfigurationException::class, 'test_clock_disabled', fn () => $rl->scriptArguments('k', 'odd', 1, self::NOW));

        // The decision is the core's GCRA step on what the script saw.
        $r = $rl->scriptResult('odd', 2, [0, self::NOW, 1]);
        self::assertTrue($r->allowed());
        self::assertSame(5, $r->remaining());
        self::assertSame('"odd";q=7;w=10', $r->headers()['RateLimit-Policy']);
        $spent = self::NOW + 10_000_004;
        $r = $rl->scriptResult('odd', 1, [$spent, self::NOW, 0]);
        self::assertSame('rate_limited', $r->reason());
        self::assertSame(1_428_572, $r->retryAfterMicros());
        // A store that did the opposite of the decision, or a reply that is
        // not one, is refused: never trusted, never defaulted.
        foreach ([[$spent, self::NOW, 1], [0, self::NOW, 0], false, null, 'OK', [0, self::NOW], [0, self::NOW, 1, 1],
            [0, 0, 1], [-1, self::NOW, 1], [0, self::NOW, 2], ['0', self::NOW, 1], [1 => 0, 0 => self::NOW, 2 => 1]] as $reply) {
            self::expectReason(GuardException::class, 'rate_limit_backend_failed', fn () => $rl->scriptResult('odd', 1, $reply));
        }
        self::expectReason(InvalidArgumentException::class, 'invalid_cost', fn () => $rl->scriptResult('odd', 9, [0, self::NOW, 1]));
    }
}
