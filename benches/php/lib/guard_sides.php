<?php

declare(strict_types=1);

/*
 * The two sides of the guard benchmarks (benches/php/guard.php in process,
 * benches/php/guard_fpm.php in php-fpm): the same work on the same request.
 * mcp_guard as the README recommends, and the pure-PHP way.
 */

use Symfony\Component\Cache\Adapter\ApcuAdapter;
use Symfony\Component\Lock\LockFactory;
use Symfony\Component\Lock\Store\SemaphoreStore;
use Symfony\Component\RateLimiter\RateLimiterFactory;
use Symfony\Component\RateLimiter\Storage\CacheStorage;

const MCPG_BENCH_BIG = 1_000_000_000; // never reached during a bench: every hit is a full update

/** The 10 typed fields of products.update. */
function mcpg_bench_fields(): array
{
    return [
        'id' => ['type' => 'integer', 'required' => true], 'name' => ['type' => 'string', 'max_length' => 128],
        'price' => ['type' => 'number'], 'sku' => ['type' => 'string', 'max_length' => 64],
        'ean' => ['type' => 'string', 'max_length' => 13], 'quantity' => ['type' => 'integer'],
        'featured' => ['type' => 'boolean'], 'description' => ['type' => 'string', 'max_length' => 4000],
        'weight' => ['type' => 'number'], 'reference' => ['type' => 'string', 'max_length' => 64],
    ];
}

function mcpg_bench_arguments(): array
{
    return ['id' => 42, 'name' => 'Mug', 'price' => 12.5, 'sku' => 'MUG-1', 'ean' => '4006381333931', 'quantity' => 3,
        'featured' => true, 'description' => 'A mug.', 'weight' => 0.3, 'reference' => 'R-1'];
}

/** The guard's configuration, called once per worker (Guard::named). */
function mcpg_bench_guard_config(): array
{
    $big = ['limit' => MCPG_BENCH_BIG, 'period' => 3600];
    return [
        'manifest' => ['version' => 1, 'writes_enabled' => true, 'tools' => [
            'products.search' => ['class' => 'read', 'scopes' => ['products:read']],
            'products.update' => ['class' => 'write', 'scopes' => ['products:write'], 'fields' => mcpg_bench_fields()],
        ]],
        'resourceMetadata' => 'https://shop.example/.well-known/oauth-protected-resource/mcp',
        'rates' => ['request' => $big, 'read' => $big, 'write' => $big, 'destructive' => $big],
    ];
}

/**
 * mcp_guard: the compiled guard found by name, the public id, the row
 * "fetched" by it, then one check: token, member, scopes, the request and
 * write rates, the fields in place.
 */
function mcpg_bench_ours(string $header, array $rows, array $roles, array $arguments): bool
{
    $guard = McpGuard\Guard::named('bench', 'mcpg_bench_guard_config');
    if (!str_starts_with($header, 'Bearer ')) {
        return false;
    }
    $token = substr($header, 7);
    $row = $rows[$guard->publicId($token) ?? ''] ?? null;
    return $guard->check($token, $row['hash'] ?? null, $row['expires_at'] ?? null, $row['revoked_at'] ?? null,
        $row['scopes'] ?? [], $roles[$row['member'] ?? ''] ?? null, 'products.update', $arguments, '192.0.2.1')->allowed();
}

/** Symfony's token bucket on APCu with a semaphore lock: exact across PHP-FPM workers. */
function mcpg_bench_symfony_factory(): RateLimiterFactory
{
    return new RateLimiterFactory(
        ['id' => 'bench', 'policy' => 'token_bucket', 'limit' => MCPG_BENCH_BIG, 'rate' => ['interval' => '1 second', 'amount' => MCPG_BENCH_BIG]],
        new CacheStorage(new ApcuAdapter('mcp_guard_guard_bench')),
        new LockFactory(new SemaphoreStore()),
    );
}

/** The pure-PHP guard doing the same work. */
function mcpg_bench_php(string $header, array $rows, array $roles, array $roleScopes, array $arguments, RateLimiterFactory $factory): bool
{
    if (!preg_match('/^Bearer ([A-Za-z0-9._~+\/-]+=*)$/D', $header, $m)) {
        return false;
    }
    $token = $m[1];
    $parts = explode('_', $token, 3);
    if (count($parts) !== 3) {
        return false;
    }
    $row = $rows[$parts[1]] ?? null;
    if ($row === null || !hash_equals($row['hash'], 'sha256:' . hash('sha256', $token))) {
        return false;
    }
    if ($row['revoked_at'] !== null || ($row['expires_at'] !== null && time() >= $row['expires_at'])) {
        return false;
    }
    $role = $roles[$row['member']] ?? null;
    if ($role === null) {
        return false;
    }
    $scopes = array_intersect($row['scopes'], $roleScopes[$role]);
    if (!in_array('write', $scopes, true) && !in_array('products:write', $scopes, true)) {
        return false;
    }
    if (!$factory->create('token:' . $parts[1])->consume(1)->isAccepted()) {
        return false;
    }
    $fields = mcpg_bench_fields();
    foreach ($arguments as $name => $value) {
        $f = $fields[$name] ?? null;
        if ($f === null) {
            return false;
        }
        $ok = match ($f['type']) {
            'integer' => is_int($value),
            'number' => is_int($value) || is_float($value),
            'boolean' => is_bool($value),
            'string' => is_string($value) && strlen($value) <= ($f['max_length'] ?? PHP_INT_MAX),
        };
        if (!$ok) {
            return false;
        }
    }
    foreach ($fields as $name => $f) {
        if (($f['required'] ?? false) && !array_key_exists($name, $arguments)) {
            return false;
        }
    }
    return true;
}

/** Mean time per call of `$f` over `$n` calls (after 100 warm-up calls), printed and returned in ns. */
function mcpg_bench_time(string $name, int $n, callable $f): float
{
    for ($i = 0; $i < 100; $i++) {
        $f();
    }
    $t0 = hrtime(true);
    for ($i = 0; $i < $n; $i++) {
        $f();
    }
    $ns = (hrtime(true) - $t0) / $n;
    printf("%-66s %8.2f us/op\n", $name, $ns / 1000);
    return $ns;
}
