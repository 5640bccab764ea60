<?php

declare(strict_types=1);

/*
 * The guard of one tools/call, mcp_guard vs the pure-PHP way, in one run.
 * Both sides do the same work on the same request:
 *   the Authorization header, the token's public id, the row fetched by it
 *   (an in-memory array standing in for the database on both sides), the
 *   token against the row's hash (constant time), expiry and revocation, the
 *   member's role, the scopes, a rate-limit hit on the token's key, and the
 *   10 typed fields of `products.update`.
 *
 *   pure PHP: preg_match on the header, hash('sha256') + hash_equals, in_array
 *             scopes, Symfony RateLimiter (token bucket, APCu storage,
 *             semaphore lock: what makes it exact across PHP-FPM workers),
 *             is_int/is_string/strlen/unknown-key checks per field.
 *   mcp_guard: Guard::named() (found per worker by name, no manifest walked),
 *             publicId(), check() — one crossing does token, member, scopes,
 *             both rates (request + tool class) and the fields, in place.
 *
 * `--callgrind` runs each side alone under valgrind --tool=callgrind and
 * prints the instructions per guard (needs valgrind).
 * Needs apc.enable_cli=1; the script re-runs itself with it when missing.
 */

if (!extension_loaded('mcp_guard')) {
    fwrite(STDERR, "run through scripts/php.sh (mcp_guard not loaded)\n");
    exit(2);
}
$so = getenv('MCP_GUARD_SO') ?: dirname(__DIR__, 2) . '/target/release/libmcp_guard.so';
if (!extension_loaded('apcu') || !ini_get('apc.enable_cli')) {
    if (getenv('MCP_GUARD_BENCH_REEXEC') === '1' || !extension_loaded('apcu')) {
        fwrite(STDERR, "APCu with apc.enable_cli=1 is needed (apt-get install php8.2-apcu)\n");
        exit(2);
    }
    putenv('MCP_GUARD_BENCH_REEXEC=1');
    passthru(escapeshellarg(PHP_BINARY) . ' -d ' . escapeshellarg('extension=' . $so)
        . ' -d apc.enable_cli=1 ' . escapeshellarg(__FILE__) . ' ' . implode(' ', array_map('escapeshellarg', array_slice($argv, 1))), $rc);
    exit($rc);
}

require '/usr/share/php/Symfony/Component/RateLimiter/autoload.php';
require '/usr/share/php/Symfony/Component/Cache/autoload.php';

use Symfony\Component\Cache\Adapter\ApcuAdapter;
use Symfony\Component\Lock\LockFactory;
use Symfony\Component\Lock\Store\SemaphoreStore;
use Symfony\Component\RateLimiter\RateLimiterFactory;
use Symfony\Component\RateLimiter\Storage\CacheStorage;

const BIG = 1_000_000_000; // never reached during the bench: every hit is a full update

$fields = [
    'id' => ['type' => 'integer', 'required' => true], 'name' => ['type' => 'string', 'max_length' => 128],
    'price' => ['type' => 'number'], 'sku' => ['type' => 'string', 'max_length' => 64],
    'ean' => ['type' => 'string', 'max_length' => 13], 'quantity' => ['type' => 'integer'],
    'featured' => ['type' => 'boolean'], 'description' => ['type' => 'string', 'max_length' => 4000],
    'weight' => ['type' => 'number'], 'reference' => ['type' => 'string', 'max_length' => 64],
];
$manifest = ['version' => 1, 'writes_enabled' => true, 'tools' => [
    'products.search' => ['class' => 'read', 'scopes' => ['products:read']],
    'products.update' => ['class' => 'write', 'scopes' => ['products:write'], 'fields' => $fields],
]];
$arguments = ['id' => 42, 'name' => 'Mug', 'price' => 12.5, 'sku' => 'MUG-1', 'ean' => '4006381333931', 'quantity' => 3,
    'featured' => true, 'description' => 'A mug.', 'weight' => 0.3, 'reference' => 'R-1'];
$bigRate = ['limit' => BIG, 'period' => 3600];
$config = static fn (): array => [
    'manifest' => $manifest,
    'resourceMetadata' => 'https://shop.example/.well-known/oauth-protected-resource/mcp',
    'rates' => ['request' => $bigRate, 'read' => $bigRate, 'write' => $bigRate, 'destructive' => $bigRate],
];

// The same token and row for both sides. The row is what a store returns.
$issued = (new McpGuard\Tokens())->issue(3600);
$token = $issued->plaintext();
$header = 'Bearer ' . $token;
$rows = [$issued->publicId() => ['hash' => $issued->hash(), 'expires_at' => $issued->expiresAt(), 'revoked_at' => null,
    'member' => 'alice', 'scopes' => ['discover', 'read', 'write']]];
$roles = ['alice' => 'editor'];
$roleScopes = ['viewer' => ['discover', 'read'], 'editor' => ['discover', 'read', 'write']];

$ours = static function () use ($config, $header, $rows, $roles, $arguments): bool {
    $guard = McpGuard\Guard::named('bench', $config);
    if (!str_starts_with($header, 'Bearer ')) {
        return false;
    }
    $token = substr($header, 7);
    $row = $rows[$guard->publicId($token) ?? ''] ?? null;
    $verdict = $guard->check($token, $row['hash'] ?? null, $row['expires_at'] ?? null, $row['revoked_at'] ?? null,
        $row['scopes'] ?? [], $roles[$row['member'] ?? ''] ?? null, 'products.update', $arguments, '192.0.2.1');
    return $verdict->allowed();
};

$factory = new RateLimiterFactory(
    ['id' => 'bench', 'policy' => 'token_bucket', 'limit' => BIG, 'rate' => ['interval' => '1 second', 'amount' => BIG]],
    new CacheStorage(new ApcuAdapter('mcp_guard_guard_bench')),
    new LockFactory(new SemaphoreStore()),
);
$php = static function () use ($header, $rows, $roles, $roleScopes, $arguments, $fields, $factory): bool {
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
};

// Both sides must agree before anything is timed.
if (!$ours() || !$php()) {
    fwrite(STDERR, "a guard refused the benchmark request\n");
    exit(1);
}

$mode = $argv[1] ?? '';
if ($mode === '--only-ours' || $mode === '--only-php') {
    $f = $mode === '--only-ours' ? $ours : $php;
    for ($i = 0; $i < (int) ($argv[2] ?? 2000); $i++) {
        $f();
    }
    exit(0);
}

function bench(string $name, int $n, callable $f): float
{
    for ($i = 0; $i < 100; $i++) {
        $f();
    }
    $t0 = hrtime(true);
    for ($i = 0; $i < $n; $i++) {
        $f();
    }
    $ns = (hrtime(true) - $t0) / $n;
    printf("%-62s %9.2f us/op\n", $name, $ns / 1000);
    return $ns;
}

$o = bench('mcp_guard: Guard::named + publicId + check (one tools/call)', 100_000, $ours);
$p = bench('pure PHP: sha256 + Symfony RateLimiter/APCu/semaphore + fields', 20_000, $php);
printf("pure PHP / mcp_guard: %.1f x\n", $p / $o);

if ($mode === '--callgrind') {
    $count = static function (string $side) use ($so): ?float {
        $out = tempnam(sys_get_temp_dir(), 'cg');
        $run = static fn (int $n): ?int => (static function () use ($side, $so, $out, $n): ?int {
            exec('valgrind --tool=callgrind --callgrind-out-file=' . escapeshellarg($out) . ' ' . escapeshellarg(PHP_BINARY)
                . ' -n -d ' . escapeshellarg('extension=' . $so) . ' -d extension=apcu.so -d extension=sysvsem.so -d apc.enable_cli=1 '
                . escapeshellarg(__FILE__) . ' --only-' . $side . ' ' . $n . ' 2>&1', $lines, $rc);
            foreach ($lines as $l) {
                if (preg_match('/Collected : (\d+)/', $l, $m) || preg_match('/I\s+refs:\s+([\d,]+)/', $l, $m)) {
                    return (int) str_replace(',', '', $m[1]);
                }
            }
            return null;
        })();
        // The difference of two runs removes start-up and set-up.
        [$a, $b] = [$run(1000), $run(3000)];
        @unlink($out);
        return $a === null || $b === null ? null : ($b - $a) / 2000;
    };
    $co = $count('ours');
    $cp = $count('php');
    if ($co === null || $cp === null) {
        echo "callgrind: valgrind is not available\n";
    } else {
        printf("callgrind instructions per guard: mcp_guard %.0f, pure PHP %.0f (%.1f x)\n", $co, $cp, $cp / $co);
    }
}
