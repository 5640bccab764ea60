<?php
/**
 * The resource checks of one request (docs/resource.md), mcp_guard vs the
 * same checks written in plain PHP, one run, side by side. Both sides build
 * their configuration per request (as a host does) and do the same work:
 *
 *   origin      parse the allowed origins (2) and the own URL, check Origin,
 *               produce the CORS headers
 *   transport   parse the trusted proxies (2 CIDRs), HTTPS fact, peer trusted?,
 *               X-Forwarded-Proto (rightmost), X-Forwarded-For walked right to
 *               left skipping proxies, every hop validated
 *   challenge   validate the metadata URL and two scopes, build the 403 text
 *
 *   scripts/php.sh benches/php/resource.php [iterations]
 */

declare(strict_types=1);

use McpGuard\Resource\Challenge;
use McpGuard\Resource\Origins;
use McpGuard\Resource\Transport;

const OWN = 'https://shop.example/mcp';
const ALLOWED = ['https://app.example', 'http://localhost:3000'];
const PROXIES = ['10.0.0.0/8', '2001:db8::/32'];
const PRM = 'https://shop.example/.well-known/oauth-protected-resource/mcp';
const SCOPES = ['discover', 'products:write'];

function cpu_ns(): float
{
    $r = getrusage();
    return ($r['ru_utime.tv_sec'] + $r['ru_stime.tv_sec']) * 1e9 + ($r['ru_utime.tv_usec'] + $r['ru_stime.tv_usec']) * 1e3;
}

/** ns/op of $fn (CPU time; MCP_GUARD_BENCH_WALL=1 for wall time), after a warm-up. */
function bench(int $n, callable $fn): float
{
    for ($i = 0; $i < min(200, $n); $i++) {
        $fn();
    }
    $wall = getenv('MCP_GUARD_BENCH_WALL') === '1';
    $t0 = $wall ? hrtime(true) : cpu_ns();
    for ($i = 0; $i < $n; $i++) {
        $fn();
    }
    return (($wall ? hrtime(true) : cpu_ns()) - $t0) / $n;
}

// --- plain PHP ------------------------------------------------------------------------------------

/** scheme://host[:port] → serialised origin, or null. */
function php_origin(string $s): ?string
{
    if (!preg_match('~^(https?)://([a-z0-9._-]+|\[[0-9a-f:.]+\])(?::([0-9]{1,5}))?$~Di', $s, $m)) {
        return null;
    }
    $scheme = strtolower($m[1]);
    $host = strtolower($m[2]);
    $port = isset($m[3]) ? (int) $m[3] : ($scheme === 'https' ? 443 : 80);
    if ($port < 1 || $port > 65535) {
        return null;
    }
    $default = $scheme === 'https' ? 443 : 80;
    return $scheme . '://' . $host . ($port === $default ? '' : ':' . $port);
}

/** @return array{0: bool, 1: array<string, string>} */
function php_check_origin(?string $origin): array
{
    $allowed = [];
    foreach (ALLOWED as $a) {
        $o = php_origin($a) ?? throw new RuntimeException('bad origin');
        $allowed[$o] = true;
    }
    $p = parse_url(OWN);
    $own = php_origin($p['scheme'] . '://' . $p['host'] . (isset($p['port']) ? ':' . $p['port'] : ''));
    if ($origin === null) {
        return [true, ['Vary' => 'Origin']];
    }
    if ($origin === 'null' || strpbrk($origin, ", \t") !== false) {
        return [false, ['Vary' => 'Origin']];
    }
    $o = php_origin($origin);
    if ($o === null) {
        return [false, ['Vary' => 'Origin']];
    }
    if ($o === $own) {
        return [true, ['Vary' => 'Origin']];
    }
    if (isset($allowed[$o])) {
        return [true, [
            'Access-Control-Allow-Origin' => $o,
            'Access-Control-Expose-Headers' => 'WWW-Authenticate, MCP-Protocol-Version, RateLimit, RateLimit-Policy, Retry-After',
            'Vary' => 'Origin',
        ]];
    }
    return [false, ['Vary' => 'Origin']];
}

/** @return list<array{0: string, 1: int}> binary network, prefix */
function php_proxies(): array
{
    $out = [];
    foreach (PROXIES as $p) {
        [$ip, $len] = explode('/', $p) + [1 => null];
        $bin = inet_pton($ip) ?: throw new RuntimeException('bad proxy');
        $max = strlen($bin) * 8;
        $len = $len === null ? $max : (int) $len;
        if ($len < 0 || $len > $max) {
            throw new RuntimeException('bad proxy');
        }
        $out[] = [$bin, $len];
    }
    return $out;
}

function php_in_net(string $bin, array $net): bool
{
    [$nb, $len] = $net;
    if (strlen($bin) !== strlen($nb)) {
        return false;
    }
    $bytes = intdiv($len, 8);
    if (substr($bin, 0, $bytes) !== substr($nb, 0, $bytes)) {
        return false;
    }
    $rem = $len % 8;
    if ($rem === 0) {
        return true;
    }
    $mask = (0xff << (8 - $rem)) & 0xff;
    return (ord($bin[$bytes]) & $mask) === (ord($nb[$bytes]) & $mask);
}

/** @return array{0: bool, 1: ?string, 2: ?string} secure, client ip, refusal */
function php_transport(array $server): array
{
    $nets = php_proxies();
    $trusted = static function (string $bin) use ($nets): bool {
        foreach ($nets as $n) {
            if (php_in_net($bin, $n)) {
                return true;
            }
        }
        return false;
    };
    $https = isset($server['HTTPS']) && $server['HTTPS'] !== '' && strcasecmp($server['HTTPS'], 'off') !== 0;
    $peer = @inet_pton($server['REMOTE_ADDR'] ?? '');
    if ($peer === false) {
        return [$https, null, 'malformed_remote_addr'];
    }
    $client = inet_ntop($peer);
    $secure = $https;
    if ($trusted($peer)) {
        if (isset($server['HTTP_X_FORWARDED_PROTO'])) {
            $protos = explode(',', $server['HTTP_X_FORWARDED_PROTO']);
            $last = strtolower(trim(end($protos)));
            if ($last !== 'https' && $last !== 'http') {
                return [$https, $client, 'malformed_forwarded'];
            }
            $secure = $last === 'https';
        }
        if (isset($server['HTTP_X_FORWARDED_FOR'])) {
            $hops = [];
            foreach (explode(',', $server['HTTP_X_FORWARDED_FOR']) as $h) {
                $b = @inet_pton(trim($h));
                if ($b === false) {
                    return [$https, $client, 'malformed_forwarded'];
                }
                $hops[] = $b;
            }
            for ($i = count($hops) - 1; $i >= 0; $i--) {
                $client = inet_ntop($hops[$i]);
                if (!$trusted($hops[$i])) {
                    break;
                }
            }
        }
    }
    return [$secure, $client, $secure ? null : 'https_required'];
}

function php_challenge(string $url, array $scopes): string
{
    if (!preg_match('~^https://[\x21\x24-\x5b\x5d-\x7e]+$~D', $url)) {
        throw new RuntimeException('bad url');
    }
    foreach ($scopes as $s) {
        if (!preg_match('~^[\x21\x23-\x5b\x5d-\x7e]{1,128}$~D', $s) || $s === 'offline_access') {
            throw new RuntimeException('bad scope');
        }
    }
    return sprintf('Bearer error="insufficient_scope", scope="%s", resource_metadata="%s"', implode(' ', array_unique($scopes)), $url);
}

// --- the same answers, then the run ---------------------------------------------------------------

$server = $_SERVER + [];
$server['REMOTE_ADDR'] = '10.0.0.2';
$server['HTTPS'] = '';
$server['HTTP_HOST'] = 'shop.example';
$server['HTTP_X_FORWARDED_PROTO'] = 'https';
$server['HTTP_X_FORWARDED_FOR'] = '198.51.100.7, 203.0.113.50, 10.1.1.1';
$origin = 'https://app.example';

$ext = (new Origins(OWN, ALLOWED))->check($origin);
[$ok, $headers] = php_check_origin($origin);
assert($ext->allowed() === $ok && $ext->headers() === $headers);
$t = (new Transport(PROXIES))->inspect($server);
assert([$t->secure(), $t->clientIp(), $t->reason()] === php_transport($server));
assert(Challenge::insufficientScope(PRM, SCOPES) === php_challenge(PRM, SCOPES));

$n = (int) ($argv[1] ?? 50000);
$rows = [
    'origin (new Origins + check + headers)' => [
        bench($n, static fn () => (new Origins(OWN, ALLOWED))->check($origin)->headers()),
        bench($n, static fn () => php_check_origin($origin)),
    ],
    'transport (new Transport + inspect $_SERVER)' => [
        bench($n, static function () use ($server) { $r = (new Transport(PROXIES))->inspect($server); return $r->clientIp(); }),
        bench($n, static fn () => php_transport($server)),
    ],
    'challenge (403 insufficient_scope)' => [
        bench($n, static fn () => Challenge::insufficientScope(PRM, SCOPES)),
        bench($n, static fn () => php_challenge(PRM, SCOPES)),
    ],
];
$rows['all three'] = [array_sum(array_column($rows, 0)), array_sum(array_column($rows, 1))];

printf("PHP %s, %s, load %s, %s ns/op, %d iterations\n\n", PHP_VERSION, php_uname('m'),
    implode(' ', array_map(fn ($l) => sprintf('%.1f', $l), sys_getloadavg() ?: [])), getenv('MCP_GUARD_BENCH_WALL') === '1' ? 'wall' : 'CPU-time', $n);
printf("%-46s %12s %12s %8s\n", '', 'mcp_guard', 'plain PHP', 'ratio');
foreach ($rows as $label => [$e, $p]) {
    printf("%-46s %12.0f %12.0f %7.2fx\n", $label, $e, $p, $e / $p);
}
echo "\nratio = mcp_guard / plain PHP (<1: the extension is faster).\n";
