<?php

declare(strict_types=1);

/*
 * One rate-limit hit, three ways, in one run:
 *   1. McpGuard\RateLimiter::hit()  — GCRA in the shared-memory table (exact across workers)
 *   2. Symfony RateLimiter token bucket, APCu storage (symfony/cache ApcuAdapter)
 *      + SemaphoreStore lock (needed for exactness across workers):
 *      a. consume() on a limiter created once, b. create() + consume() as each request does
 *   3. a hand-rolled apcu_inc() fixed window (fast, but a fixed window lets 2× the
 *      limit through around a window edge)
 * Needs apc.enable_cli=1; the script re-runs itself with it when missing.
 */

if (!extension_loaded('mcp_guard')) {
    fwrite(STDERR, "run through scripts/php.sh (mcp_guard not loaded)\n");
    exit(2);
}
if (!extension_loaded('apcu') || !ini_get('apc.enable_cli')) {
    if (getenv('MCP_GUARD_BENCH_REEXEC') === '1' || !extension_loaded('apcu')) {
        fwrite(STDERR, "APCu with apc.enable_cli=1 is needed (apt-get install php8.2-apcu)\n");
        exit(2);
    }
    $so = getenv('MCP_GUARD_SO') ?: dirname(__DIR__, 2) . '/target/release/libmcp_guard.so';
    putenv('MCP_GUARD_BENCH_REEXEC=1');
    passthru(escapeshellarg(PHP_BINARY) . ' -d ' . escapeshellarg('extension=' . $so)
        . ' -d apc.enable_cli=1 ' . escapeshellarg(__FILE__), $rc);
    exit($rc);
}

require '/usr/share/php/Symfony/Component/RateLimiter/autoload.php';
require '/usr/share/php/Symfony/Component/Cache/autoload.php';

use Symfony\Component\Cache\Adapter\ApcuAdapter;
use Symfony\Component\Lock\LockFactory;
use Symfony\Component\Lock\Store\SemaphoreStore;
use Symfony\Component\RateLimiter\RateLimiterFactory;
use Symfony\Component\RateLimiter\Storage\CacheStorage;

const N = 200_000;
const N_SYMFONY = 20_000;
const BIG = 1_000_000_000; // a limit never reached during the bench: every hit is a full update

function bench(string $name, int $n, callable $f): float
{
    $f(); // warm up
    $t0 = hrtime(true);
    for ($i = 0; $i < $n; $i++) {
        $f();
    }
    $ns = (hrtime(true) - $t0) / $n;
    printf("%-58s %10.1f ns/op\n", $name, $ns);
    return $ns;
}

// 1. mcp_guard
$rl = new McpGuard\RateLimiter(['bench' => ['limit' => BIG, 'period' => 31_536_000]]);
$key = McpGuard\RateLimiter::tokenKey('bench' . getmypid());
$ext = bench('mcp_guard RateLimiter::hit() (shared memory, exact)', N, static function () use ($rl, $key): void {
    $rl->hit($key, 'bench');
});
$extHeaders = bench('mcp_guard hit() + headers()', N, static function () use ($rl, $key): void {
    $rl->hit($key, 'bench')->headers();
});

// 2. Symfony RateLimiter, token bucket, APCu + semaphore lock
$factory = new RateLimiterFactory(
    ['id' => 'bench', 'policy' => 'token_bucket', 'limit' => BIG, 'rate' => ['interval' => '1 second', 'amount' => BIG]],
    new CacheStorage(new ApcuAdapter('mcp_guard_bench')),
    new LockFactory(new SemaphoreStore()),
);
$limiter = $factory->create('token:bench');
$sfConsume = bench('Symfony token bucket consume() (APCu + semaphore lock)', N_SYMFONY, static function () use ($limiter): void {
    $limiter->consume(1);
});
$sfRequest = bench('Symfony per request: factory->create() + consume()', N_SYMFONY, static function () use ($factory): void {
    $factory->create('token:bench')->consume(1);
});

// 3. apcu_inc fixed window
$apcu = bench('apcu_inc() fixed window (hand-rolled, not exact at edges)', N, static function (): void {
    $k = 'rl:token:bench:' . intdiv(time(), 60);
    $n = apcu_inc($k, 1, $ok, 120);
    if ($n === false) {
        apcu_add($k, 1, 120);
        $n = 1;
    }
    $allowed = $n <= BIG;
});

echo "\n";
printf("Symfony consume() / mcp_guard hit():          %6.1f x\n", $sfConsume / $ext);
printf("Symfony per request / mcp_guard hit():        %6.1f x\n", $sfRequest / $ext);
printf("apcu_inc fixed window / mcp_guard hit():      %6.2f x  (>= 1 means mcp_guard is not slower)\n", $apcu / $ext);
