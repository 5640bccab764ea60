<?php

declare(strict_types=1);

/*
 * The guard of one tools/call inside php-fpm: what it adds to an empty
 * request, mcp_guard vs the pure-PHP guard, in one run.
 *
 * Starts php-fpm (one static worker, opcache on, the module loaded in the
 * master as the README says, APCu and sysvsem for the Symfony side) on a
 * unix socket in a temp dir, then sends requests over ONE kept-open FastCGI
 * connection (tests/lib/FastCgiClient.php), so what is timed is php-fpm
 * serving the request, not a client process starting. Three scripts:
 *   empty.php  the same data, `echo 'ok'`, no guard
 *   ours.php   the guard of benches/php/guard.php: Guard::named + publicId + check
 *   php.php    the pure-PHP guard of the same file (Symfony RateLimiter/APCu/semaphore)
 * Overhead = median time of the script - median time of the empty request,
 * the three interleaved request by request so drift hits them alike.
 * Everything it starts is stopped when it ends (also on failure).
 */

if (!extension_loaded('mcp_guard')) {
    fwrite(STDERR, "run through scripts/php.sh (mcp_guard not loaded)\n");
    exit(2);
}
if (!is_executable(getenv('PHP_FPM') ?: '/usr/sbin/php-fpm8.2')) {
    echo "php-fpm: skipped (apt-get install php8.2-fpm)\n";
    exit(0);
}
require dirname(__DIR__, 2) . '/tests/lib/FastCgiClient.php';
require dirname(__DIR__, 2) . '/tests/lib/FpmServer.php';

$so = getenv('MCP_GUARD_SO') ?: dirname(__DIR__, 2) . '/target/release/libmcp_guard.so';
$extDir = ini_get('extension_dir');
$server = new McpGuard\Tests\Lib\FpmServer(['zend_extension=opcache', "extension={$extDir}/apcu.so", "extension={$extDir}/sysvsem.so",
    "extension={$so}", 'opcache.enable=1', 'opcache.validate_timestamps=0', 'apc.enabled=1', 'memory_limit=256M'], 1);
$dir = $server->dir;
// The shared request: the same token and row on both sides, as literals in the scripts.
$issued = (new McpGuard\Tokens())->issue(3600);
$root = dirname(__DIR__, 2);
$data = var_export(['token' => $issued->plaintext(), 'row' => ['hash' => $issued->hash(), 'expires_at' => $issued->expiresAt(),
    'revoked_at' => null, 'member' => 'alice', 'scopes' => ['discover', 'read', 'write']], 'publicId' => $issued->publicId()], true);
$common = <<<PHP
<?php
\$d = {$data};
\$header = 'Bearer ' . \$d['token'];
\$rows = [\$d['publicId'] => \$d['row']];
\$roles = ['alice' => 'editor'];
\$roleScopes = ['viewer' => ['discover', 'read'], 'editor' => ['discover', 'read', 'write']];
PHP;
// The empty request holds the same data and answers the same bytes: only the guard differs.
file_put_contents("{$dir}/empty.php", $common . "\necho 'ok';\n");
file_put_contents("{$dir}/ours.php", $common . "\nrequire '{$root}/benches/php/lib/guard_sides.php';\n"
    . "echo mcpg_bench_ours(\$header, \$rows, \$roles, mcpg_bench_arguments()) ? 'ok' : 'refused';\n");
file_put_contents("{$dir}/php.php", $common . "\nrequire '/usr/share/php/Symfony/Component/RateLimiter/autoload.php';\n"
    . "require '/usr/share/php/Symfony/Component/Cache/autoload.php';\nrequire '{$root}/benches/php/lib/guard_sides.php';\n"
    . "echo mcpg_bench_php(\$header, \$rows, \$roles, \$roleScopes, mcpg_bench_arguments(), mcpg_bench_symfony_factory()) ? 'ok' : 'refused';\n");

$client = $server->client();
$request = static fn (string $script): array => $client->request(['SCRIPT_FILENAME' => "{$dir}/{$script}", 'SCRIPT_NAME' => "/{$script}",
    'REQUEST_URI' => '/mcp', 'REQUEST_METHOD' => 'POST', 'REMOTE_ADDR' => '192.0.2.1', 'HTTPS' => 'on']);
if (getenv('MCPG_FPM_PROBE')) {
    file_put_contents("{$dir}/probe.php", $common . "\n\$t0 = hrtime(true); require '{$root}/benches/php/lib/guard_sides.php'; \$t1 = hrtime(true);\n"
        . "mcpg_bench_ours(\$header, \$rows, \$roles, mcpg_bench_arguments()); \$t2 = hrtime(true);\n"
        . "mcpg_bench_ours(\$header, \$rows, \$roles, mcpg_bench_arguments()); \$t3 = hrtime(true);\n"
        . "printf('require %.1f first %.1f second %.1f', (\$t1-\$t0)/1000, (\$t2-\$t1)/1000, (\$t3-\$t2)/1000);");
    for ($i = 0; $i < 5; $i++) {
        echo $request('probe.php')['body'], "\n";
    }
}
foreach (['ours.php', 'php.php'] as $s) {
    $r = $request($s);
    if ($r['body'] !== 'ok') {
        fwrite(STDERR, "{$s} answered: " . $r['body'] . $r['stderr'] . $server->log());
        exit(1);
    }
}
// Interleaved, one request of each at a time, and the median of each: noise
// from the rest of the machine hits the three alike and the median ignores it.
$n = 10_000;
$samples = ['empty.php' => [], 'ours.php' => [], 'php.php' => []];
for ($i = 0; $i < $n; $i++) {
    foreach (array_keys($samples) as $s) {
        $t0 = hrtime(true);
        $request($s);
        $samples[$s][] = hrtime(true) - $t0;
    }
}
$us = array_map(static function (array $ns): float {
    sort($ns);
    return $ns[intdiv(count($ns), 2)] / 1000;
}, $samples);
printf("php-fpm, one worker, opcache on, %d requests of each over one FastCGI connection, interleaved (medians):\n", $n);
printf("  empty request                         %8.1f us\n", $us['empty.php']);
printf("  mcp_guard guard                       %8.1f us  (overhead %.1f us)\n", $us['ours.php'], $us['ours.php'] - $us['empty.php']);
printf("  pure-PHP guard (Symfony + APCu)       %8.1f us  (overhead %.1f us)\n", $us['php.php'], $us['php.php'] - $us['empty.php']);
printf("  overhead, pure PHP / mcp_guard: %.1f x\n", ($us['php.php'] - $us['empty.php']) / max(0.1, $us['ours.php'] - $us['empty.php']));
$client->close();
$server->stop();
