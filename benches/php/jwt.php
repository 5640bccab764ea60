<?php
/**
 * JWT verification: mcp_guard vs the pure-PHP way, one run, side by side.
 *
 * For RS256 / ES256 / EdDSA / HS256, each with a 3-key JWKS:
 *   ext warm      KeySet::fromJwks (cache hit) + new Verifier + verify, per request
 *   ext reused    verify() on a Verifier kept across requests
 *   ext cold      the same as "ext warm" after KeySet::clearCache() (a parse)
 *   php parse     the usual PHP way per request: json_decode the JWKS, find the kid,
 *                 build the key (openssl_pkey_get_public / sodium), decode, verify, check claims
 *   php floor     raw openssl_verify / sodium / hash_hmac with a pre-parsed key and
 *                 nothing else (no JSON, no claims): the floor PHP can reach
 *
 *   scripts/php.sh benches/php/jwt.php
 */

declare(strict_types=1);

use McpGuard\Jwt\KeySet;
use McpGuard\Jwt\Signer;
use McpGuard\Jwt\Verifier;

const ISS = 'https://as.shop';
const AUD = 'https://mcp.shop/mcp';

function b64u(string $s): string
{
    return rtrim(strtr(base64_encode($s), '+/', '-_'), '=');
}

function b64d(string $s): string
{
    return (string) base64_decode(strtr($s, '-_', '+/'), true);
}

function der(int $tag, string $body): string
{
    $n = strlen($body);
    $len = $n < 128 ? chr($n) : ($n < 256 ? "\x81" . chr($n) : "\x82" . pack('n', $n));
    return chr($tag) . $len . $body;
}

function der_int(string $bytes): string
{
    $bytes = ltrim($bytes, "\0");
    if ($bytes === '' || ord($bytes[0]) > 127) {
        $bytes = "\0" . $bytes;
    }
    return der(0x02, $bytes);
}

/** JWK → PEM, the way PHP JWT libraries do it (firebase/php-jwt's JWK::parseKey). */
function jwk_to_pem(array $jwk): string
{
    if ($jwk['kty'] === 'RSA') {
        $rsa = der(0x30, der_int(b64d($jwk['n'])) . der_int(b64d($jwk['e'])));
        $spki = der(0x30, der(0x30, "\x06\x09\x2a\x86\x48\x86\xf7\x0d\x01\x01\x01\x05\x00") . der(0x03, "\0" . $rsa));
    } else { // EC P-256
        $point = "\x04" . b64d($jwk['x']) . b64d($jwk['y']);
        $spki = der(0x30, der(0x30, "\x06\x07\x2a\x86\x48\xce\x3d\x02\x01\x06\x08\x2a\x86\x48\xce\x3d\x03\x01\x07") . der(0x03, "\0" . $point));
    }
    return "-----BEGIN PUBLIC KEY-----\n" . chunk_split(base64_encode($spki), 64, "\n") . "-----END PUBLIC KEY-----\n";
}

/** JWS r||s → DER, for openssl_verify. */
function ecdsa_der(string $sig): string
{
    $half = intdiv(strlen($sig), 2);
    return der(0x30, der_int(substr($sig, 0, $half)) . der_int(substr($sig, $half)));
}

/** The pure-PHP verification of one token against a JWKS document. */
function php_verify(string $jwksJson, string $token, int $now): array
{
    $parts = explode('.', $token);
    if (count($parts) !== 3) {
        throw new RuntimeException('malformed');
    }
    [$h, $p, $s] = $parts;
    $header = json_decode(b64d($h), true, 16, JSON_THROW_ON_ERROR);
    $jwks = json_decode($jwksJson, true, 16, JSON_THROW_ON_ERROR);
    $jwk = null;
    foreach ($jwks['keys'] as $k) {
        if (($k['kid'] ?? null) === ($header['kid'] ?? null)) {
            $jwk = $k;
        }
    }
    if ($jwk === null || ($jwk['alg'] ?? null) !== $header['alg']) {
        throw new RuntimeException('unknown kid / alg');
    }
    $input = "$h.$p";
    $sig = b64d($s);
    $ok = match ($header['alg']) {
        'RS256' => openssl_verify($input, $sig, openssl_pkey_get_public(jwk_to_pem($jwk)), OPENSSL_ALGO_SHA256) === 1,
        'ES256' => openssl_verify($input, ecdsa_der($sig), openssl_pkey_get_public(jwk_to_pem($jwk)), OPENSSL_ALGO_SHA256) === 1,
        'EdDSA' => sodium_crypto_sign_verify_detached($sig, $input, b64d($jwk['x'])),
        'HS256' => hash_equals(hash_hmac('sha256', $input, b64d($jwk['k']), true), $sig),
    };
    if (!$ok) {
        throw new RuntimeException('bad signature');
    }
    $claims = json_decode(b64d($p), true, 16, JSON_THROW_ON_ERROR);
    if (($claims['iss'] ?? null) !== ISS || !in_array(AUD, (array) ($claims['aud'] ?? []), true) || ($claims['exp'] ?? 0) <= $now - 30) {
        throw new RuntimeException('claims');
    }
    return $claims;
}

function cpu_ns(): float
{
    $r = getrusage();
    return ($r['ru_utime.tv_sec'] + $r['ru_stime.tv_sec']) * 1e9 + ($r['ru_utime.tv_usec'] + $r['ru_stime.tv_usec']) * 1e3;
}

/**
 * ns/op of $fn. On a shared machine the wall clock also counts the time this
 * process waits for a CPU, so the figure is this process's CPU time (user +
 * system, getrusage) per op; MCP_GUARD_BENCH_WALL=1 reports wall time instead.
 */
function bench(string $label, int $n, callable $fn): float
{
    for ($i = 0; $i < min(50, $n); $i++) {
        $fn();
    }
    $wall = getenv('MCP_GUARD_BENCH_WALL') === '1';
    $t0 = $wall ? hrtime(true) : cpu_ns();
    for ($i = 0; $i < $n; $i++) {
        $fn();
    }
    return (($wall ? hrtime(true) : cpu_ns()) - $t0) / $n;
}

// --- keys and tokens ------------------------------------------------------
$now = time();
$claims = ['iss' => ISS, 'sub' => 'u1', 'aud' => AUD, 'client_id' => 'c1', 'iat' => $now, 'exp' => $now + 3600, 'jti' => 'j1', 'scope' => 'mcp:read mcp:write'];
$cases = [];

// RS256: three 2048-bit RSA keys (OpenSSL), token signed by OpenSSL.
$rsaKeys = [];
$jwks = [];
for ($i = 0; $i < 3; $i++) {
    $k = openssl_pkey_new(['private_key_bits' => 2048, 'private_key_type' => OPENSSL_KEYTYPE_RSA]);
    $d = openssl_pkey_get_details($k);
    $rsaKeys[] = [$k, $d['key']];
    $jwks[] = ['kty' => 'RSA', 'kid' => "rsa$i", 'alg' => 'RS256', 'use' => 'sig', 'n' => b64u($d['rsa']['n']), 'e' => b64u($d['rsa']['e'])];
}
$input = b64u(json_encode(['alg' => 'RS256', 'typ' => 'at+jwt', 'kid' => 'rsa1'])) . '.' . b64u(json_encode($claims));
openssl_sign($input, $sig, $rsaKeys[1][0], OPENSSL_ALGO_SHA256);
$pub = openssl_pkey_get_public($rsaKeys[1][1]);
$cases['RS256'] = [json_encode(['keys' => $jwks]), "$input." . b64u($sig), false,
    fn (string $t) => openssl_verify(substr($t, 0, strrpos($t, '.')), b64d(substr($t, strrpos($t, '.') + 1)), $pub, OPENSSL_ALGO_SHA256) === 1];

// ES256 and EdDSA: three keys each, generated and signed by the extension.
foreach (['ES256', 'EdDSA'] as $alg) {
    $signers = [Signer::generate($alg), Signer::generate($alg), Signer::generate($alg)];
    $doc = json_encode(['keys' => array_map(fn ($s) => $s->publicJwk(), $signers)]);
    $token = $signers[1]->sign($claims);
    $jwk = $signers[1]->publicJwk();
    if ($alg === 'ES256') {
        $ecPub = openssl_pkey_get_public(jwk_to_pem($jwk));
        $floor = fn (string $t) => openssl_verify(substr($t, 0, strrpos($t, '.')), ecdsa_der(b64d(substr($t, strrpos($t, '.') + 1))), $ecPub, OPENSSL_ALGO_SHA256) === 1;
    } else {
        $edPub = b64d($jwk['x']);
        $floor = fn (string $t) => sodium_crypto_sign_verify_detached(b64d(substr($t, strrpos($t, '.') + 1)), substr($t, 0, strrpos($t, '.')), $edPub);
    }
    $cases[$alg] = [$doc, $token, false, $floor];
}

// HS256: three 32-byte secrets as oct JWKs (a private document), token by hash_hmac.
$secrets = [random_bytes(32), random_bytes(32), random_bytes(32)];
$doc = json_encode(['keys' => array_map(fn ($s, $i) => ['kty' => 'oct', 'kid' => "hs$i", 'alg' => 'HS256', 'k' => b64u($s)], $secrets, [0, 1, 2])]);
$input = b64u(json_encode(['alg' => 'HS256', 'typ' => 'at+jwt', 'kid' => 'hs2'])) . '.' . b64u(json_encode($claims));
$secret = $secrets[2];
$cases['HS256'] = [$doc, "$input." . b64u(hash_hmac('sha256', $input, $secret, true)), true,
    fn (string $t) => hash_equals(hash_hmac('sha256', substr($t, 0, strrpos($t, '.')), $secret, true), b64d(substr($t, strrpos($t, '.') + 1)))];

// --- run ----------------------------------------------------------------------
printf("PHP %s, OpenSSL %s, %s, load %s, %s ns/op\n\n", PHP_VERSION, OPENSSL_VERSION_TEXT, php_uname('m'),
    implode(' ', array_map(fn ($l) => sprintf('%.1f', $l), sys_getloadavg() ?: [])), getenv('MCP_GUARD_BENCH_WALL') === '1' ? 'wall' : 'CPU-time');
printf("%-6s %-11s %12s %10s %12s %12s %12s\n", 'alg', '', 'ext warm', 'ext reused', 'ext cold', 'php parse', 'php floor');
$results = [];
foreach ($cases as $alg => [$doc, $token, $secretKeys, $floor]) {
    $n = $alg === 'HS256' ? 200000 : ($alg === 'RS256' ? 20000 : 5000);
    $nCold = intdiv($n, 10);
    $nParse = $alg === 'HS256' ? 50000 : 2000;
    // Sanity: every path accepts the token.
    $v = new Verifier(KeySet::fromJwks($doc, null, $secretKeys), ISS, AUD);
    assert($v->verify($token)['sub'] === 'u1');
    if (!$floor($token) || php_verify($doc, $token, $now)['sub'] !== 'u1') {
        fwrite(STDERR, "baseline refused the $alg token\n");
        exit(1);
    }
    $warm = bench('warm', $n, fn () => (new Verifier(KeySet::fromJwks($doc, null, $secretKeys), ISS, AUD))->verify($token));
    $reused = bench('reused', $n, fn () => $v->verify($token));
    $cold = bench('cold', $nCold, function () use ($doc, $secretKeys, $token) {
        KeySet::clearCache();
        return (new Verifier(KeySet::fromJwks($doc, null, $secretKeys), ISS, AUD))->verify($token);
    });
    $parse = bench('parse', $nParse, fn () => php_verify($doc, $token, $now));
    $fl = bench('floor', $n, fn () => $floor($token));
    $results[$alg] = compact('warm', 'reused', 'cold', 'parse', 'fl');
    printf("%-6s %-11s %12.0f %10.0f %12.0f %12.0f %12.0f\n", $alg, 'ns/op', $warm, $reused, $cold, $parse, $fl);
    printf("%-6s %-11s %12s %10s %12s %11.1fx %11.2fx\n", '', 'vs ext warm', '1.0x', sprintf('%.2fx', $reused / $warm), sprintf('%.2fx', $cold / $warm), $parse / $warm, $fl / $warm);
}
KeySet::clearCache();
echo "\nratios are (column / ext warm): >1 means the column is slower than the extension's warm per-request path.\n";
echo "ext warm = KeySet::fromJwks (cache hit) + new Verifier + verify() + claims array; php floor = crypto only.\n";
