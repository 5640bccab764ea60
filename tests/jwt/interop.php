<?php
/**
 * Extension side of tests/jwt/interop.sh: verifies PyJWT's tokens, then signs
 * tokens for PyJWT to verify.   php interop.php DIR
 */

declare(strict_types=1);

use McpGuard\Exception\GuardException;
use McpGuard\Jwt\KeySet;
use McpGuard\Jwt\Signer;
use McpGuard\Jwt\Verifier;

const ISS = 'https://as.shop';
const AUD = 'https://mcp.shop/mcp';

$dir = $argv[1] ?? exit(2);
$failures = 0;
$check = function (bool $ok, string $what) use (&$failures): void {
    echo ($ok ? 'ok   ' : 'FAIL ') . $what . "\n";
    $failures += $ok ? 0 : 1;
};

// 1. PyJWT → extension.
$tokens = json_decode(file_get_contents("$dir/py_tokens.json"), true, 8, JSON_THROW_ON_ERROR);
$jwks = new Verifier(KeySet::fromJwks(file_get_contents("$dir/py_jwks.json")), ISS, AUD);
$hmac = new Verifier(KeySet::fromSecret(file_get_contents("$dir/py_secret")), ISS, AUD);
foreach (['RS256', 'ES256', 'EdDSA', 'HS256'] as $alg) {
    try {
        $claims = ($alg === 'HS256' ? $hmac : $jwks)->verify($tokens[$alg]);
        $check($claims['sub'] === 'py-user' && is_int($claims['exp']) && Verifier::scopes($claims) === ['mcp:read'], "extension verified PyJWT's $alg token");
    } catch (GuardException $e) {
        $check(false, "extension refused PyJWT's $alg token: " . $e->reason());
    }
}
foreach (['id_token' => 'wrong_type', 'wrong_aud' => 'wrong_audience'] as $name => $reason) {
    try {
        $jwks->verify($tokens[$name]);
        $check(false, "extension accepted PyJWT's $name");
    } catch (GuardException $e) {
        $check($e->reason() === $reason && $e->errorCode() === 'invalid_token', "extension refused PyJWT's $name ($reason)");
    }
}

// 2. Extension → PyJWT.
$signers = [
    'ES256' => Signer::generate('ES256'),
    'EdDSA' => Signer::generate('EdDSA'),
    'RS256' => Signer::fromPrivateKey(file_get_contents("$dir/py_rsa_private.pem"), 'RS256'),
    'HS256' => Signer::fromSecret(file_get_contents("$dir/py_secret")),
];
$out = [];
$keys = [];
foreach ($signers as $alg => $signer) {
    $out[$alg] = $signer->accessToken(ISS, AUD, 'php-user', 'php-client', 120, 'mcp:read');
    if ($alg !== 'HS256') {
        $keys[] = $signer->publicJwk();
    }
}
file_put_contents("$dir/php_tokens.json", json_encode($out));
file_put_contents("$dir/php_jwks.json", json_encode(['keys' => $keys]));
// Our own JWKS verifies our own tokens too.
$self = new Verifier(KeySet::fromJwks(json_encode(['keys' => $keys])), ISS, AUD);
foreach (['ES256', 'EdDSA', 'RS256'] as $alg) {
    $check($self->verify($out[$alg])['sub'] === 'php-user', "extension verified its own $alg token via its JWKS");
}
exit($failures === 0 ? 0 : 1);
