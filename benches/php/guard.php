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
 * (both in benches/php/lib/guard_sides.php, shared with guard_fpm.php)
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

require __DIR__ . '/lib/guard_sides.php';

// The same token and row for both sides. The row is what a store returns.
$issued = (new McpGuard\Tokens())->issue(3600);
$header = 'Bearer ' . $issued->plaintext();
$rows = [$issued->publicId() => ['hash' => $issued->hash(), 'expires_at' => $issued->expiresAt(), 'revoked_at' => null,
    'member' => 'alice', 'scopes' => ['discover', 'read', 'write']]];
$roles = ['alice' => 'editor'];
$roleScopes = ['viewer' => ['discover', 'read'], 'editor' => ['discover', 'read', 'write']];
$arguments = mcpg_bench_arguments();
$factory = mcpg_bench_symfony_factory();
$ours = static fn (): bool => mcpg_bench_ours($header, $rows, $roles, $arguments);
$php = static fn (): bool => mcpg_bench_php($header, $rows, $roles, $roleScopes, $arguments, $factory);

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


$o = mcpg_bench_time('mcp_guard: Guard::named + publicId + check (one tools/call)', 100_000, $ours);
$p = mcpg_bench_time('pure PHP: sha256 + Symfony RateLimiter/APCu/semaphore + fields', 20_000, $php);
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
