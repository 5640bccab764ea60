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
 * then the capacity of the default 131 072-slot table through PHP (a fresh
 * process with the test clock, so every key stays live): occupancy of the
 * anonymous share at its first table_full, and token keys under an anonymous
 * flood of ten times the table.
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
bench('mcp_guard new RateLimiter() (reads the namespace settings)', N, static function (): void {
    new McpGuard\RateLimiter();
});
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

// 4. Capacity, in a fresh process with the test clock.
$capacity = <<<'PHP'
    $rl = new McpGuard\RateLimiter(['p' => ['limit' => 2, 'period' => 60]]);
    $now = 1800000000000000;
    $info = McpGuard\RateLimiter::tableInfo($now);
    $share = $info['anonymous']['slots'];
    if ($info['whenFull'] === 'refuse') { // evict mode never refuses
        for ($i = 0; $rl->hit("ip:fill-$i", 'p', 2, $now)->reason() !== 'table_full'; $i++);
        printf("anonymous share (%d slots): first table_full at %d keys = %.1f %%\n", $share, $i, 100 * $i / $share);
    }
    $rl2 = new McpGuard\RateLimiter(['q' => ['limit' => 2, 'period' => 60]]);
    $spent = 50000; $full = 0;
    for ($i = 0; $i < $spent; $i++) { $full += (int) ($rl2->hit("token:$i", 'q', 2, $now)->reason() === 'table_full'); }
    $t0 = hrtime(true);
    $flood = 10 * $info['slots'];
    for ($i = 0; $i < $flood; $i++) { $rl2->hit("ip:$i", 'q', 2, $now); }
    $ns = (hrtime(true) - $t0) / $flood;
    $reset = 0; $fullAfter = 0;
    for ($i = 0; $i < $spent; $i++) {
        $r = $rl2->hit("token:$i", 'q', 1, $now);
        $reset += (int) $r->allowed(); $fullAfter += (int) ($r->reason() === 'table_full');
    }
    $new = 0;
    for ($i = $spent; $i < $spent + 5000; $i++) { $new += (int) ($rl2->hit("token:$i", 'q', 1, $now)->reason() === 'table_full'); }
    printf("%d spent token keys (table_full %d), flood of %d fresh ip keys (%.0f ns per hit): token keys reset %d, table_full %d; 5000 new token keys: table_full %d\n",
        $spent, $full, $flood, $ns, $reset, $fullAfter, $new);
    PHP;
foreach (['refuse', 'evict'] as $mode) {
    echo "\ncapacity, when_full = {$mode}:\n";
    passthru(escapeshellarg(PHP_BINARY) . ' -n -d ' . escapeshellarg('extension=' . (getenv('MCP_GUARD_SO') ?: dirname(__DIR__, 2) . '/target/release/libmcp_guard.so'))
        . ' -d mcp_guard.rate_limit_test_clock=1 -d mcp_guard.rate_limit_when_full=' . $mode . ' -r ' . escapeshellarg($capacity));
}
