<?php

declare(strict_types=1);

namespace McpGuard\Tests\Server\Console;

require_once __DIR__ . '/ConsoleTestCase.php';

use McpGuard\RateLimiter;
use McpGuard\Server\Console\ExitCode;

/** ratelimit:status: the configured policies and the table's facts; a key's state is never read by consuming a hit. */
final class RateLimitStatusTest extends ConsoleTestCase
{
    public function testPoliciesAndTableFacts(): void
    {
        $this->writeConfig(['rate_limits' => ['tools.write' => ['limit' => 7, 'period' => 90]]]);
        $json = json_decode($this->ok('ratelimit:status', ['--format' => 'json'])->getDisplay(), true, 8, JSON_THROW_ON_ERROR);
        self::assertSame(['tools.write' => ['limit' => 7, 'period' => 90]], $json['policies']);
        self::assertSame(RateLimiter::tableInfo()['slots'], $json['table']['slots']);
        $t = $this->ok('ratelimit:status');
        self::assertMatchesRegularExpression('/\| tools\.write +\| 7 +\| 90 +\|/', $t->getDisplay());
        self::assertMatchesRegularExpression('/\| whenFull +\| (refuse|evict) +\|/', $t->getDisplay());
        self::assertStringContainsString('not visible from a CLI process', $t->getErrorOutput());
    }

    public function testAKeysStateIsRefusedAndNothingIsConsumed(): void
    {
        $key = RateLimiter::tokenKey('cli-status-' . bin2hex(random_bytes(4)));
        $before = RateLimiter::tableInfo()['occupied'];
        self::assertRefused($this->command('ratelimit:status', ['--key' => $key]), ExitCode::UNSUPPORTED, 'nothing was recorded');
        self::assertSame($before, RateLimiter::tableInfo()['occupied'], 'no hit recorded');
        $limiter = new RateLimiter(['one' => ['limit' => 1, 'period' => 3600]]);
        self::assertTrue($limiter->hit($key, 'one')->allowed(), 'the key still has its whole allowance');
    }
}
