<?php
/**
 * Per-request token path, in one run: mcp_guard against the pure-PHP way of
 * doing the same check. Run: scripts/bench.sh (or scripts/php.sh benches/php/tokens.php).
 *
 * The PHP way: hash('sha256') (or hash_hmac) + hash_equals + an expiry check,
 * and a preg_match for the Bearer header. The extension does more (format and
 * checksum, stored-scheme parsing, revocation) and still has to cross the call
 * boundary and return an object.
 */

declare(strict_types=1);

use McpGuard\Credentials;
use McpGuard\Tokens;

const ITER = 200_000;
const NOW = 1_800_000_000;

function bench(string $label, callable $fn): float
{
    for ($i = 0; $i < 2_000; $i++) {
        $fn(); // warm-up
    }
    $best = INF;
    for ($round = 0; $round < 5; $round++) {
        $t0 = hrtime(true);
        for ($i = 0; $i < ITER; $i++) {
            $fn();
        }
        $best = min($best, (hrtime(true) - $t0) / ITER);
    }
    printf("  %-58s %8.1f ns/op\n", $label, $best);
    return $best;
}

function pair(string $what, callable $ext, callable $php): void
{
    echo "$what\n";
    $e = bench('mcp_guard', $ext);
    $p = bench('pure PHP', $php);
    printf("  ratio pure-PHP / mcp_guard: %.2fx %s\n\n", $p / $e, $p > $e ? '(mcp_guard faster)' : '(pure PHP faster)');
}

$tokens = new Tokens();
$t = $tokens->issue(3600, NOW);
$token = $t->plaintext();
$stored = $t->hash();
$storedHex = substr($stored, 7);
$exp = $t->expiresAt();

printf("mcp_guard %s, PHP %s, %d iterations x 5 rounds (best round)\n\n", phpversion('mcp_guard'), PHP_VERSION, ITER);

pair(
    'verify a token against its stored SHA-256 hash (+ expiry)',
    static fn () => $tokens->verify($token, $stored, $exp, null, NOW),
    static fn () => hash_equals($storedHex, hash('sha256', $token)) && NOW < $exp,
);

$pepper = str_repeat('p', 32);
$peppered = new Tokens(null, $pepper);
$tp = $peppered->issue(3600, NOW);
$tokenP = $tp->plaintext();
$storedP = $tp->hash();
$storedPHex = substr($storedP, -64);
pair(
    'verify against an HMAC-SHA-256 (peppered) hash (+ expiry)',
    static fn () => $peppered->verify($tokenP, $storedP, $exp, null, NOW),
    static fn () => hash_equals($storedPHex, hash_hmac('sha256', $tokenP, $pepper)) && NOW < $exp,
);

$typo = $token;
$typo[30] = $typo[30] === 'x' ? 'y' : 'x';
pair(
    'refuse a mistyped token (extension: checksum, no hashing)',
    static function () use ($tokens, $typo, $stored) {
        try {
            $tokens->verify($typo, $stored, null, null, NOW);
        } catch (\McpGuard\Exception\InvalidTokenException) {
        }
    },
    static fn () => hash_equals($storedHex, hash('sha256', $typo)),
);

$header = "Bearer $token";
pair(
    'parse "Authorization: Bearer <token>"',
    static fn () => Credentials::fromHeader($header)->bearerToken(),
    static fn () => preg_match('/^Bearer +([A-Za-z0-9\-._~+\/]+=*)$/i', $header, $m) === 1 ? $m[1] : null,
);

// The settings are read from the engine once per request (RINIT marks the
// boundary), so this is the cost of every `new Tokens()` after the first one
// of a request; the first one pays the read (tests/tokens/fpm_ini.sh prints
// it under php-fpm). The PHP way reads two settings with ini_get(), which a
// hardened host may have disabled.
pair(
    'build a Tokens object (INI settings already read in this request)',
    static fn () => new Tokens(),
    static fn () => [ini_get('mcp_guard.token_pepper'), (int) ini_get('mcp_guard.max_token_lifetime_days')],
);
