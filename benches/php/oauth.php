<?php
/**
 * The OAuth glue: the token endpoint and the per-request check of an issued
 * access token, mcp_guard vs the plain-PHP way, one run, side by side.
 *
 *   token endpoint   code → tokens through OAuthServer/TokenEndpoint (SQLite in memory): parse, client,
 *                    atomic consume, redeem (PKCE, bindings), open the family, issue and store two tokens
 *   plain PHP        the same exchange written directly: parse_str, SELECT + UPDATE the code row by its
 *                    sha256, base64url(sha256(verifier)) + hash_equals, random_bytes tokens stored as sha256
 *   opaque verify    AccessTokenAuthenticator (publicId + store find + Tokens::verify + audience + member)
 *                    and the bare Tokens::verify against a row in memory, against a SELECT by id +
 *                    hash('sha256') + hash_equals + expiry, and the hash alone
 *   JWT verify       Jwt\Verifier::verify (ES256 and HS256, verifier reused) against a pure-PHP
 *                    verify (explode, json_decode, openssl_verify with a pre-parsed key / hash_hmac,
 *                    iss/aud/exp/typ checks)
 *
 *   scripts/php.sh benches/php/oauth.php [iterations]
 */

declare(strict_types=1);

require dirname(__DIR__, 2) . '/php/autoload.php';

use McpGuard\Jwt\KeySet;
use McpGuard\Jwt\Signer;
use McpGuard\Jwt\Verifier;
use McpGuard\OAuth\ClientMetadata;
use McpGuard\OAuth\Pkce;
use McpGuard\Server\Http\Request;
use McpGuard\Server\OAuth\Client\ClientResolver;
use McpGuard\Server\OAuth\Client\StreamMetadataFetcher;
use McpGuard\Server\OAuth\Consent\ConsentSession;
use McpGuard\Server\OAuth\Member\Member;
use McpGuard\Server\OAuth\Member\MemberDirectory;
use McpGuard\Server\OAuth\OAuthConfig;
use McpGuard\Server\OAuth\OAuthServer;
use McpGuard\Server\OAuth\OAuthStores;
use McpGuard\Server\OAuth\Pdo\Migrations;
use McpGuard\Server\OAuth\Pdo\PdoDatabase;
use McpGuard\Server\OAuth\Store\ClientRecord;
use McpGuard\Server\OAuth\Store\CodeRecord;
use McpGuard\Tokens;

const ISS = 'https://shop.example';
const RES = 'https://shop.example/mcp';
const CB = 'http://127.0.0.1:53123/callback';

function cpu_ns(): float
{
    $r = getrusage();
    return ($r['ru_utime.tv_sec'] + $r['ru_stime.tv_sec']) * 1e9 + ($r['ru_utime.tv_usec'] + $r['ru_stime.tv_usec']) * 1e3;
}

/** ns/op of $fn (this process's CPU time; MCP_GUARD_BENCH_WALL=1 for wall time), after a short warm-up. */
function bench(int $n, callable $fn): float
{
    for ($i = 0; $i < min(20, $n); $i++) {
        $fn($i);
    }
    $wall = getenv('MCP_GUARD_BENCH_WALL') === '1';
    $t0 = $wall ? hrtime(true) : cpu_ns();
    for ($i = 0; $i < $n; $i++) {
        $fn($i + 20);
    }
    return (($wall ? hrtime(true) : cpu_ns()) - $t0) / $n;
}

function b64u(string $s): string
{
    return rtrim(strtr(base64_encode($s), '+/', '-_'), '=');
}

function b64d(string $s): string
{
    return (string) base64_decode(strtr($s, '-_', '+/'), true);
}

$n = (int) ($argv[1] ?? 2000);

// --- the token endpoint -------------------------------------------------------------------------
$members = new class implements MemberDirectory {
    public function current(Request $request): ?Member { return new Member('alice'); }
    public function loginUrl(Request $request): string { return '/login'; }
    public function role(string $memberId): ?string { return $memberId === 'alice' ? 'editor' : null; }
};
$session = new class implements ConsentSession {
    public function load(Request $request): array { return []; }
    public function save(Request $request, array $bag): void {}
};
$pdo = new PDO('sqlite::memory:');
$db = new PdoDatabase($pdo);
(new Migrations($db))->up();
$stores = OAuthStores::pdo($db);
$config = new OAuthConfig(issuer: ISS, resource: RES, scopes: ['discover', 'read', 'write']);
$oauth = new OAuthServer($config, $stores, $members, $session, new StreamMetadataFetcher(), null);
$server = $config->server;
$clientId = 'mcpc_bench';
$client = ClientMetadata::fromRegistration(json_encode(['client_name' => 'bench', 'redirect_uris' => [CB],
    'token_endpoint_auth_method' => 'none', 'grant_types' => ['authorization_code', 'refresh_token']]));
$stores->clients->save(new ClientRecord(ClientResolver::key($clientId), $clientId, ClientRecord::REGISTERED, $client->toJson(), null, time()));
$verifier = str_repeat('v', 64);
$query = http_build_query(['response_type' => 'code', 'client_id' => $clientId, 'redirect_uri' => CB, 'state' => 's',
    'code_challenge' => Pkce::challenge($verifier), 'code_challenge_method' => 'S256', 'scope' => 'read write', 'resource' => RES]);
$authorization = $server->authorize($query, $client)->request();

/** @return list<string> $count fresh codes, stored as the authorization endpoint stores them */
$codes = static function (int $count) use ($server, $authorization, $stores): array {
    $out = [];
    for ($i = 0; $i < $count; $i++) {
        $issued = $server->issueCode($authorization, 'alice', ['read', 'write']);
        $stores->codes->save(CodeRecord::fromBinding($issued->hash(), bin2hex(random_bytes(16)), $issued->binding()));
        parse_str((string) parse_url($issued->redirectUri(), PHP_URL_QUERY), $q);
        $out[] = $q['code'];
    }
    return $out;
};
$extCodes = $codes($n + 20);
$extToken = bench($n, function (int $i) use ($oauth, $extCodes, $clientId, $verifier): void {
    $body = http_build_query(['grant_type' => 'authorization_code', 'code' => $extCodes[$i], 'redirect_uri' => CB,
        'code_verifier' => $verifier, 'client_id' => $clientId, 'resource' => RES]);
    $r = $oauth->handle(new Request('POST', '/oauth/token', '', ['content-type' => 'application/x-www-form-urlencoded'], $body, [], '127.0.0.1'));
    if ($r === null || $r->status !== 200) {
        throw new RuntimeException('token endpoint refused: ' . $r?->body);
    }
});

// The plain-PHP exchange on its own tables (what a hand-written endpoint does; no rate limit, no family).
$pdo->exec('CREATE TABLE p_codes (code_hash TEXT PRIMARY KEY, client_id TEXT, redirect_uri TEXT, challenge TEXT, scope TEXT, member TEXT, expires_at INTEGER, consumed_at INTEGER)');
$pdo->exec('CREATE TABLE p_tokens (id TEXT PRIMARY KEY, hash TEXT, member TEXT, client_id TEXT, scope TEXT, resource TEXT, expires_at INTEGER)');
$ins = $pdo->prepare('INSERT INTO p_codes VALUES (?, ?, ?, ?, ?, ?, ?, NULL)');
$plainCodes = [];
for ($i = 0; $i < $n + 20; $i++) {
    $c = b64u(random_bytes(32));
    $plainCodes[] = $c;
    $ins->execute([hash('sha256', $c), $clientId, CB, b64u(hash('sha256', $verifier, true)), 'read write', 'alice', time() + 60]);
}
$consume = $pdo->prepare('UPDATE p_codes SET consumed_at = ? WHERE code_hash = ? AND consumed_at IS NULL AND expires_at > ?');
$read = $pdo->prepare('SELECT * FROM p_codes WHERE code_hash = ?');
$save = $pdo->prepare('INSERT INTO p_tokens VALUES (?, ?, ?, ?, ?, ?, ?)');
$plainToken = bench($n, function (int $i) use ($plainCodes, $clientId, $verifier, $consume, $read, $save): void {
    parse_str(http_build_query(['grant_type' => 'authorization_code', 'code' => $plainCodes[$i], 'redirect_uri' => CB,
        'code_verifier' => $verifier, 'client_id' => $clientId, 'resource' => RES]), $f);
    $now = time();
    $hash = hash('sha256', (string) $f['code']);
    $consume->execute([$now, $hash, $now]);
    $read->execute([$hash]);
    $row = $read->fetch(PDO::FETCH_ASSOC);
    if ($consume->rowCount() !== 1 || $row['client_id'] !== $f['client_id'] || $row['redirect_uri'] !== $f['redirect_uri']
        || !hash_equals($row['challenge'], b64u(hash('sha256', (string) $f['code_verifier'], true))) || $f['resource'] !== RES) {
        throw new RuntimeException('plain exchange refused');
    }
    $out = [];
    foreach (['access', 'refresh'] as $kind) {
        $id = bin2hex(random_bytes(8));
        $secret = b64u(random_bytes(32));
        $save->execute([$id, hash('sha256', $secret), $row['member'], $row['client_id'], $row['scope'], RES, $now + 3600]);
        $out[$kind] = "{$id}.{$secret}";
    }
    json_encode(['access_token' => $out['access'], 'token_type' => 'Bearer', 'expires_in' => 3600, 'refresh_token' => $out['refresh'], 'scope' => $row['scope']]);
});

// --- verifying an issued access token, per request ---------------------------------------------
$body = http_build_query(['grant_type' => 'authorization_code', 'code' => $codes(1)[0], 'redirect_uri' => CB, 'code_verifier' => $verifier, 'client_id' => $clientId]);
$issued = json_decode((string) $oauth->handle(new Request('POST', '/oauth/token', '', [], $body, [], '127.0.0.1'))?->body, true);
$access = (string) $issued['access_token'];
$header = 'Bearer ' . $access;
$auth = $oauth->authenticator();
assert($auth->authenticate($header)?->memberId === 'alice');
$extAuth = bench($n * 10, fn () => $auth->authenticate($header));
$tokens = new Tokens('mcpat');
$row = $stores->accessTokens->find($tokens->publicId($access));
$extVerify = bench($n * 50, fn () => $tokens->verify($access, $row->hash, $row->expiresAt, $row->revokedAt));

[$pid, $psecret] = ['0123456789abcdef', b64u(random_bytes(32))];
$save->execute([$pid, hash('sha256', $psecret), 'alice', $clientId, 'read', RES, time() + 3600]);
$plainOpaque = "{$pid}.{$psecret}";
$byId = $pdo->prepare('SELECT * FROM p_tokens WHERE id = ?');
$plainAuth = bench($n * 10, function () use ($plainOpaque, $byId): void {
    [$id, $secret] = explode('.', $plainOpaque, 2);
    $byId->execute([$id]);
    $r = $byId->fetch(PDO::FETCH_ASSOC);
    if ($r === false || !hash_equals($r['hash'], hash('sha256', $secret)) || $r['expires_at'] <= time() || $r['resource'] !== RES) {
        throw new RuntimeException('plain verify refused');
    }
});
$plainHash = hash('sha256', $psecret);
$plainVerify = bench($n * 50, fn () => hash_equals($plainHash, hash('sha256', explode('.', $plainOpaque, 2)[1])));

// --- JWT ---------------------------------------------------------------------------------------
function php_jwt_verify(string $jwt, string $alg, mixed $key, int $now): array
{
    $parts = explode('.', $jwt);
    if (count($parts) !== 3) {
        throw new RuntimeException('malformed');
    }
    [$h, $p, $s] = $parts;
    $header = json_decode(b64d($h), true, 8, JSON_THROW_ON_ERROR);
    if (($header['alg'] ?? null) !== $alg || ($header['typ'] ?? null) !== 'at+jwt') {
        throw new RuntimeException('header');
    }
    $sig = b64d($s);
    $ok = $alg === 'HS256'
        ? hash_equals(hash_hmac('sha256', "{$h}.{$p}", $key, true), $sig)
        : openssl_verify("{$h}.{$p}", ecdsa_der($sig), $key, OPENSSL_ALGO_SHA256) === 1;
    $claims = json_decode(b64d($p), true, 8, JSON_THROW_ON_ERROR);
    if (!$ok || ($claims['iss'] ?? null) !== ISS || !in_array(RES, (array) ($claims['aud'] ?? []), true) || ($claims['exp'] ?? 0) <= $now - 30) {
        throw new RuntimeException('refused');
    }
    return $claims;
}

function ecdsa_der(string $sig): string
{
    $int = static function (string $b): string {
        $b = ltrim($b, "\0");
        if ($b === '' || ord($b[0]) > 127) {
            $b = "\0" . $b;
        }
        return "\x02" . chr(strlen($b)) . $b;
    };
    $body = $int(substr($sig, 0, 32)) . $int(substr($sig, 32));
    return "\x30" . chr(strlen($body)) . $body;
}

function jwk_pem(array $jwk): string
{
    $point = "\x04" . b64d($jwk['x']) . b64d($jwk['y']);
    $spki = "\x30\x59\x30\x13\x06\x07\x2a\x86\x48\xce\x3d\x02\x01\x06\x08\x2a\x86\x48\xce\x3d\x03\x01\x07\x03\x42\x00" . $point;
    return "-----BEGIN PUBLIC KEY-----\n" . chunk_split(base64_encode($spki), 64, "\n") . "-----END PUBLIC KEY-----\n";
}

$es = Signer::generate('ES256');
$esJwt = $es->accessToken(ISS, RES, 'alice', $clientId, 3600, 'read write');
$esVerifier = new Verifier(KeySet::fromJwks($es->jwks()), ISS, RES);
$esKey = openssl_pkey_get_public(jwk_pem($es->publicJwk()));
$secret = random_bytes(32);
$hs = Signer::fromSecret($secret, 'HS256', 'k1');
$hsJwt = $hs->accessToken(ISS, RES, 'alice', $clientId, 3600, 'read write');
$hsVerifier = new Verifier(KeySet::fromSecret($secret, 'HS256', 'k1'), ISS, RES);
$now = time();
assert(php_jwt_verify($esJwt, 'ES256', $esKey, $now)['sub'] === 'alice' && php_jwt_verify($hsJwt, 'HS256', $secret, $now)['sub'] === 'alice');
assert($esVerifier->verify($esJwt)['sub'] === 'alice' && $hsVerifier->verify($hsJwt)['sub'] === 'alice');
$extEs = bench($n * 2, fn () => $esVerifier->verify($esJwt));
$phpEs = bench($n * 2, fn () => php_jwt_verify($esJwt, 'ES256', $esKey, $now));
$extHs = bench($n * 20, fn () => $hsVerifier->verify($hsJwt));
$phpHs = bench($n * 20, fn () => php_jwt_verify($hsJwt, 'HS256', $secret, $now));

// --- report ------------------------------------------------------------------------------------
printf("PHP %s, SQLite %s, %s, load %s, %s ns/op\n\n", PHP_VERSION, $pdo->query('select sqlite_version()')->fetchColumn(), php_uname('m'),
    implode(' ', array_map(fn ($l) => sprintf('%.1f', $l), sys_getloadavg() ?: [])), getenv('MCP_GUARD_BENCH_WALL') === '1' ? 'wall' : 'CPU-time');
$rows = [
    ['token endpoint: code -> tokens', $extToken, $plainToken],
    ['access token per request (opaque, SQLite)', $extAuth, $plainAuth],
    ['  the verify alone (row in memory)', $extVerify, $plainVerify],
    ['access token per request (JWT ES256)', $extEs, $phpEs],
    ['access token per request (JWT HS256)', $extHs, $phpHs],
];
printf("%-44s %14s %14s %9s\n", '', 'mcp_guard', 'plain PHP', 'ratio');
foreach ($rows as [$label, $ext, $php]) {
    printf("%-44s %14.0f %14.0f %8.2fx\n", $label, $ext, $php, $ext / $php);
}
echo "\nratio = mcp_guard / plain PHP (>1: the extension's path costs more; it also does more: see the header of this file).\n";
