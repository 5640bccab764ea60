<?php

declare(strict_types=1);

namespace McpGuard\Tests\Extension;

use McpGuard\Exception\ConfigurationException;
use McpGuard\Exception\GuardException;
use McpGuard\Exception\InvalidArgumentException;
use McpGuard\Exception\InvalidTokenException;
use McpGuard\Jwt\KeySet;
use McpGuard\Jwt\Signer;
use McpGuard\Jwt\Verifier;
use McpGuard\Tests\Support\PhpProcess;
use PHPUnit\Framework\TestCase;

/**
 * McpGuard\Jwt\{KeySet, Verifier, Signer} through the built module: every
 * PHP-visible behaviour and every secure default.
 */
final class JwtTest extends TestCase
{
    private const ISS = 'https://as.shop';
    private const AUD = 'https://mcp.shop/mcp';
    private const NOW = 1800000000;
    private const SECRET = '0123456789abcdef0123456789abcdef';

    private static function b64(string $s): string
    {
        return rtrim(strtr(base64_encode($s), '+/', '-_'), '=');
    }

    /** @return array<string, mixed> */
    private static function claims(array $over = []): array
    {
        return array_merge([
            'iss' => self::ISS, 'sub' => 'u1', 'aud' => self::AUD, 'client_id' => 'c1',
            'iat' => self::NOW, 'exp' => self::NOW + 300, 'jti' => 'j1',
        ], $over);
    }

    /** A token from raw header / payload JSON, HS256-signed in plain PHP. */
    private static function hs(string $header, string $payload, string $key = self::SECRET): string
    {
        $input = self::b64($header) . '.' . self::b64($payload);
        return $input . '.' . self::b64(hash_hmac('sha256', $input, $key, true));
    }

    private static function hsClaims(array $claims, array $header = ['alg' => 'HS256', 'typ' => 'at+jwt']): string
    {
        return self::hs(json_encode($header), json_encode($claims));
    }

    private static function verifier(?KeySet $keys = null, array $opts = []): Verifier
    {
        return new Verifier($keys ?? KeySet::fromSecret(self::SECRET), self::ISS, self::AUD, ...$opts);
    }

    private function assertRefused(string $reason, callable $fn, string $class = InvalidTokenException::class): void
    {
        try {
            $fn();
            $this->fail("expected refusal {$reason}");
        } catch (GuardException $e) {
            $this->assertInstanceOf($class, $e);
            $this->assertSame($reason, $e->reason(), $e->getMessage());
            if ($class === InvalidTokenException::class) {
                $this->assertSame('invalid_token', $e->errorCode());
            }
        }
    }

    public function testHs256TokenVerifiesAndClaimsKeepTheirTypes(): void
    {
        $in = self::claims(['scope' => 'read write', 'n' => 1.5, 'list' => [1, 'a', true, null], 'obj' => ['x' => ['y' => 2]]]);
        $in['7'] = 'seven';
        $claims = self::verifier()->verify(self::hsClaims($in), self::NOW);
        $this->assertSame('u1', $claims['sub']);
        $this->assertSame(self::NOW + 300, $claims['exp']);
        $this->assertIsInt($claims['iat']);
        $this->assertSame(1.5, $claims['n']);
        $this->assertSame([1, 'a', true, null], $claims['list']);
        $this->assertSame(2, $claims['obj']['x']['y']);
        $this->assertSame('seven', $claims[7]);
        $this->assertSame(['read', 'write'], Verifier::scopes($claims));
        $this->assertSame([], Verifier::scopes(['sub' => 'x']));
        $this->assertRefused('malformed', fn () => Verifier::scopes(['scope' => 'a  b']));
        $this->assertRefused('malformed', fn () => Verifier::scopes(['scope' => ['a']]));
    }

    public function testEveryRefusalHasItsReason(): void
    {
        $v = self::verifier();
        $now = self::NOW;
        $cases = [
            'malformed' => 'not-a-jwt',
            'too_large' => str_repeat('A', 8193),
            'alg_not_allowed' => self::b64('{"alg":"none","typ":"at+jwt"}') . '.' . self::b64(json_encode(self::claims())) . '.',
            'crit_unsupported' => self::hs('{"alg":"HS256","typ":"at+jwt","crit":["exp"]}', json_encode(self::claims())),
            'unknown_kid' => self::hsClaims(self::claims(), ['alg' => 'HS256', 'typ' => 'at+jwt', 'kid' => 'other']),
            'bad_signature' => self::hs('{"alg":"HS256","typ":"at+jwt"}', json_encode(self::claims()), str_repeat('x', 32)),
            'wrong_type' => self::hsClaims(self::claims(), ['alg' => 'HS256', 'typ' => 'JWT']),
            'expired' => self::hsClaims(self::claims(['exp' => $now - 31])),
            'not_yet_valid' => self::hsClaims(self::claims(['nbf' => $now + 31])),
            'wrong_issuer' => self::hsClaims(self::claims(['iss' => 'https://as'])),
            'wrong_audience' => self::hsClaims(self::claims(['aud' => 'https://other/mcp'])),
            'missing_claim' => self::hsClaims(array_diff_key(self::claims(), ['aud' => 1])),
        ];
        $keyed = self::verifier(KeySet::fromSecret(self::SECRET, 'HS256', 'k1'));
        foreach ($cases as $reason => $token) {
            $this->assertRefused($reason, fn () => ($reason === 'unknown_kid' ? $keyed : $v)->verify($token, $now));
        }
        $aged = self::verifier(null, ['maxAgeSeconds' => 60]);
        $this->assertRefused('too_old', fn () => $aged->verify(self::hsClaims(self::claims()), $now + 100));
    }

    public function testAccessTokenProfileIsTheDefault(): void
    {
        $v = self::verifier();
        foreach (['at+jwt', 'AT+JWT', 'application/at+jwt'] as $typ) {
            $this->assertIsArray($v->verify(self::hsClaims(self::claims(), ['alg' => 'HS256', 'typ' => $typ]), self::NOW));
        }
        // An OIDC ID token from the same key.
        $id = self::claims(['nonce' => 'n']);
        $this->assertRefused('wrong_type', fn () => $v->verify(self::hsClaims($id, ['alg' => 'HS256', 'typ' => 'JWT']), self::NOW));
        $this->assertRefused('wrong_type', fn () => $v->verify(self::hsClaims($id, ['alg' => 'HS256']), self::NOW));
        foreach (['sub', 'client_id', 'iat', 'jti'] as $claim) {
            $this->assertRefused('missing_claim', fn () => $v->verify(self::hsClaims(array_diff_key(self::claims(), [$claim => 1])), self::NOW));
        }
        $generic = self::verifier(null, ['profile' => 'jwt']);
        $this->assertIsArray($generic->verify(self::hsClaims(array_diff_key(self::claims(), ['client_id' => 1]), ['alg' => 'HS256', 'typ' => 'JWT']), self::NOW));
        $this->assertIsArray($generic->verify(self::hsClaims(self::claims(), ['alg' => 'HS256']), self::NOW));
    }

    public function testLeewayDefaultIs30SecondsAndBounded(): void
    {
        $v = self::verifier();
        $t = self::hsClaims(self::claims());
        $this->assertIsArray($v->verify($t, self::NOW + 329));
        $this->assertRefused('expired', fn () => $v->verify($t, self::NOW + 330));
        $strict = self::verifier(null, ['leewaySeconds' => 0]);
        $this->assertRefused('expired', fn () => $strict->verify($t, self::NOW + 300));
        $this->assertRefused('invalid_value', fn () => self::verifier(null, ['leewaySeconds' => 301]), InvalidArgumentException::class);
        $this->assertRefused('invalid_value', fn () => self::verifier(null, ['leewaySeconds' => -1]), InvalidArgumentException::class);
        $this->assertRefused('invalid_value', fn () => self::verifier(null, ['maxTokenBytes' => 65537]), InvalidArgumentException::class);
        $this->assertRefused('invalid_value', fn () => self::verifier(null, ['profile' => 'id_token']), InvalidArgumentException::class);
        $this->assertRefused('invalid_value', fn () => new Verifier(KeySet::fromSecret(self::SECRET), '', self::AUD), InvalidArgumentException::class);
        $this->assertRefused('invalid_value', fn () => new Verifier(KeySet::fromSecret(self::SECRET), self::ISS, []), InvalidArgumentException::class);
        $this->assertRefused('invalid_value', fn () => new Verifier(KeySet::fromSecret(self::SECRET), self::ISS, 42), InvalidArgumentException::class);
        // Several audiences: any one matches.
        $multi = new Verifier(KeySet::fromSecret(self::SECRET), self::ISS, ['https://a', self::AUD]);
        $this->assertIsArray($multi->verify($t, self::NOW));
        $this->assertIsArray($multi->verify(self::hsClaims(self::claims(['aud' => ['x', 'https://a']])), self::NOW));
    }

    public function testSizeCapIsCheckedBeforeDecoding(): void
    {
        $v = self::verifier();
        $this->assertRefused('too_large', fn () => $v->verify(str_repeat('A', 1 << 20), self::NOW));
        $big = self::hsClaims(self::claims(['pad' => str_repeat('x', 9000)]));
        $this->assertRefused('too_large', fn () => $v->verify($big, self::NOW));
        $this->assertIsArray(self::verifier(null, ['maxTokenBytes' => 65536])->verify($big, self::NOW));
    }

    public function testHostileTokens(): void
    {
        $v = self::verifier();
        $good = self::hsClaims(self::claims());
        [$h, $p, $s] = explode('.', $good);
        $cases = [
            '', '.', '..', "{$h}.{$p}", "{$good}.", "{$h}..{$s}", " {$good}", "{$good}\n", "{$good}=",
            "\xff\xfe", "{$h}.{$p}.{$s}\0", json_encode(['protected' => $h, 'payload' => $p, 'signature' => $s]),
            self::hs('{"alg":"HS256","typ":"at+jwt","alg":"HS256"}', json_encode(self::claims())),
            self::hs('{"alg":"HS256","typ":"at+jwt"}', '{"aud":"x",' . substr(json_encode(self::claims()), 1)),
            self::hs('{"alg":"HS256","typ":"at+jwt"}', substr(json_encode(self::claims()), 0, -1) . ',"n":' . str_repeat('[', 40) . str_repeat(']', 40) . '}'),
            self::hs('{"alg":"HS256","typ":"at+jwt"}', '[1,2]'),
            self::hs('{"alg":"HS256","typ":"at+jwt"}', "{\"sub\":\"\xff\"}"),
            self::hs('"HS256"', json_encode(self::claims())),
            self::hsClaims(self::claims(['exp' => (string) (self::NOW + 300)])),
            self::hsClaims(self::claims(['exp' => self::NOW + 300.5])),
        ];
        foreach ($cases as $i => $token) {
            $this->assertRefused('malformed', fn () => $v->verify($token, self::NOW), InvalidTokenException::class);
        }
        // Non-canonical base64: flip an unused trailing bit of the signature.
        $alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
        $last = strpos($alphabet, substr($good, -1));
        $tweaked = substr($good, 0, -1) . $alphabet[$last ^ 1];
        $this->assertRefused('malformed', fn () => $v->verify($tweaked, self::NOW));
    }

    public function testAlgorithmComesFromTheKey(): void
    {
        $rsa = openssl_pkey_new(['private_key_bits' => 2048, 'private_key_type' => OPENSSL_KEYTYPE_RSA]);
        $pem = openssl_pkey_get_details($rsa)['key'];
        $keys = KeySet::fromPem($pem, 'RS256', 'rsa');
        $v = self::verifier($keys);
        $payload = json_encode(self::claims());
        // RS256 signed by openssl verifies.
        $input = self::b64('{"alg":"RS256","typ":"at+jwt","kid":"rsa"}') . '.' . self::b64($payload);
        openssl_sign($input, $sig, $rsa, OPENSSL_ALGO_SHA256);
        $this->assertSame('u1', $v->verify($input . '.' . self::b64($sig), self::NOW)['sub']);
        // HS256 keyed with the public PEM / DER (the classic confusion).
        $der = base64_decode(preg_replace('/-----[^-]+-----|\s/', '', $pem));
        foreach ([$pem, $der] as $secret) {
            $this->assertRefused('alg_not_allowed', fn () => $v->verify(self::hs('{"alg":"HS256","typ":"at+jwt","kid":"rsa"}', $payload, $secret), self::NOW));
        }
        // PS256 / none / unknown algs against an RS256 key.
        foreach (['PS256', 'none', 'RS1', 'HS256'] as $alg) {
            $this->assertRefused('alg_not_allowed', fn () => $v->verify(self::hs(json_encode(['alg' => $alg, 'typ' => 'at+jwt']), $payload), self::NOW));
        }
        $this->assertRefused('alg_mismatch', fn () => KeySet::fromPem($pem, 'HS256'), ConfigurationException::class);
        $this->assertRefused('alg_mismatch', fn () => KeySet::fromPem($pem, 'ES256'), ConfigurationException::class);
        $this->assertRefused('invalid_value', fn () => KeySet::fromPem($pem, 'none'), InvalidArgumentException::class);
        // The private key PEM is refused where a public key belongs.
        openssl_pkey_export($rsa, $privatePem);
        $this->assertRefused('private_key_material', fn () => KeySet::fromPem($privatePem, 'RS256'), ConfigurationException::class);
    }

    public function testKeySetConfigurationRefusals(): void
    {
        $c = ConfigurationException::class;
        $this->assertRefused('weak_hmac_key', fn () => KeySet::fromSecret(str_repeat('k', 31)), $c);
        $this->assertRefused('weak_hmac_key', fn () => KeySet::fromSecret(self::SECRET, 'HS512'), $c);
        $small = openssl_pkey_get_details(openssl_pkey_new(['private_key_bits' => 1024, 'private_key_type' => OPENSSL_KEYTYPE_RSA]));
        $this->assertRefused('weak_rsa_key', fn () => KeySet::fromPem($small['key'], 'RS256'), $c);
        $n = self::b64($small['rsa']['n']);
        $this->assertRefused('weak_rsa_key', fn () => KeySet::fromJwks(json_encode(['kty' => 'RSA', 'n' => $n, 'e' => 'AQAB', 'alg' => 'RS256'])), $c);
        $this->assertRefused('unsupported_key', fn () => KeySet::fromJwks('{"kty":"EC","crv":"P-521","x":"AA","y":"AA","alg":"ES256"}'), $c);
        $this->assertRefused('unsupported_key', fn () => KeySet::fromJwks('{"keys":[{"kty":"foo","alg":"RS256"}]}'), $c);
        $this->assertRefused('private_key_material', fn () => KeySet::fromJwks(json_encode(['kty' => 'oct', 'k' => self::b64(self::SECRET), 'alg' => 'HS256'])), $c);
        $this->assertSame(1, KeySet::fromJwks(json_encode(['kty' => 'oct', 'k' => self::b64(self::SECRET), 'alg' => 'HS256']), null, true)->count());
        $signer = Signer::generate('EdDSA');
        $jwk = $signer->publicJwk();
        unset($jwk['alg']);
        $this->assertRefused('missing_alg', fn () => KeySet::fromJwks(json_encode($jwk)), $c);
        $this->assertSame([['kid' => $signer->kid(), 'alg' => 'EdDSA']], KeySet::fromJwks(json_encode($jwk), 'EdDSA')->keys());
        $this->assertRefused('alg_mismatch', fn () => KeySet::fromJwks($signer->jwks(), 'ES256'), $c);
        $other = Signer::generate('ES256')->publicJwk();
        unset($jwk['kid'], $other['kid']);
        $jwk['alg'] = 'EdDSA';
        $this->assertRefused('missing_kid', fn () => KeySet::fromJwks(json_encode(['keys' => [$jwk, $other]])), $c);
        $jwk['kid'] = $other['kid'] = 'same';
        $this->assertRefused('duplicate_kid', fn () => KeySet::fromJwks(json_encode(['keys' => [$jwk, $other]])), $c);
        $this->assertRefused('empty_key_set', fn () => KeySet::fromJwks('{"keys":[]}'), $c);
        foreach (['', 'null', '[]', '{"keys":{}}', "\xff", '{"keys":[1]}', str_repeat('[', 100)] as $doc) {
            $this->assertRefused('invalid_key', fn () => KeySet::fromJwks($doc), $c);
        }
        $this->assertRefused('invalid_key', fn () => KeySet::fromJwks('{"keys":[],"keys":[]}'), $c);
        $this->assertRefused('invalid_key', fn () => KeySet::fromPem('not a pem', 'RS256'), $c);
    }

    public function testJwksSkipsEncryptionKeysAndNeedsKid(): void
    {
        $a = Signer::generate('ES256');
        $b = Signer::generate('EdDSA');
        $enc = ['kty' => 'RSA', 'use' => 'enc', 'alg' => 'RSA-OAEP', 'kid' => 'enc', 'n' => 'AQAB', 'e' => 'AQAB'];
        $doc = json_encode(['keys' => [$a->publicJwk(), $enc, $b->publicJwk()]]);
        $keys = KeySet::fromJwks($doc);
        $this->assertSame(2, $keys->count());
        $v = self::verifier($keys);
        foreach ([$a, $b] as $s) {
            $t = $s->accessToken(self::ISS, self::AUD, 'u', 'c', 60, null, null, self::NOW);
            $this->assertSame($s->kid(), json_decode(base64_decode(strtr(explode('.', $t)[0], '-_', '+/')), true)['kid']);
            $this->assertSame('u', $v->verify($t, self::NOW)['sub']);
        }
        // Without kid the token cannot pick a key of a multi-key set.
        $noKid = Signer::fromPrivateKey($a->privateKeyPem(), 'ES256');
        $t = $noKid->accessToken(self::ISS, self::AUD, 'u', 'c', 60, null, null, self::NOW);
        [$h, $p, $s] = explode('.', $t);
        $this->assertRefused('unknown_kid', fn () => $v->verify(self::b64('{"alg":"ES256","typ":"at+jwt"}') . ".{$p}.{$s}", self::NOW));
        // An embedded jwk pointing to the attacker's key is never used.
        $evil = Signer::generate('ES256');
        $jwkHeader = json_encode(['alg' => 'ES256', 'typ' => 'at+jwt', 'kid' => $a->kid(), 'jwk' => $evil->publicJwk(), 'jku' => 'https://evil/jwks']);
        $forged = self::b64($jwkHeader) . '.' . $p;
        $sig = explode('.', $evil->sign(json_decode(base64_decode(strtr($p, '-_', '+/')), true)))[2];
        $this->assertRefused('bad_signature', fn () => $v->verify("{$forged}.{$sig}", self::NOW));
        // Psychic signature.
        $this->assertRefused('bad_signature', fn () => $v->verify("{$h}.{$p}." . self::b64(str_repeat("\0", 64)), self::NOW));
    }

    public function testSignerRoundTripsAndKeepsItsSecret(): void
    {
        foreach (['ES256', 'ES384', 'EdDSA'] as $alg) {
            $s = Signer::generate($alg);
            $this->assertSame($alg, $s->alg());
            $this->assertMatchesRegularExpression('/^[A-Za-z0-9_-]{43}$/', $s->kid());
            $this->assertStringStartsWith("-----BEGIN PRIVATE KEY-----\n", $s->privateKeyPem());
            $jwks = json_decode($s->jwks(), true);
            $this->assertSame($s->publicJwk(), $jwks['keys'][0]);
            $this->assertArrayNotHasKey('d', $jwks['keys'][0]);
            $this->assertSame('sig', $jwks['keys'][0]['use']);
            $again = Signer::fromPrivateKey($s->privateKeyPem(), $alg);
            $this->assertSame($s->kid(), $again->kid());
            $t = $s->accessToken(self::ISS, self::AUD, 'user', 'client', 120, 'mcp:read', ['shop_id' => 7], self::NOW);
            $claims = self::verifier(KeySet::fromJwks($s->jwks()))->verify($t, self::NOW);
            $this->assertSame(['iss', 'sub', 'aud', 'client_id', 'iat', 'exp', 'jti', 'scope', 'shop_id'], array_keys($claims));
            $this->assertSame(self::NOW + 120, $claims['exp']);
            $this->assertSame(7, $claims['shop_id']);
            $this->assertSame(22, strlen($claims['jti']));
            // The object shows and serializes nothing.
            $this->assertSame([], (array) $s);
            $this->assertStringNotContainsString('PRIVATE', print_r($s, true));
        }
        // openssl verifies our ES256 after converting r||s to DER.
        $s = Signer::generate('ES256');
        $t = $s->sign(['a' => 1]);
        $this->assertStringContainsString('"typ":"at+jwt"', base64_decode(strtr(explode('.', $t)[0], '-_', '+/')));
        $pub = openssl_pkey_get_details(openssl_pkey_get_private($s->privateKeyPem()))['key'];
        [$h, $p, $sig] = explode('.', $t);
        $raw = base64_decode(strtr($sig, '-_', '+/') . '==');
        $int = fn (string $x) => "\x02" . chr(strlen($x = (ord($x[0]) > 127 ? "\0" : '') . ltrim($x, "\0") ?: "\0")) . $x;
        $der = $int(substr($raw, 0, 32)) . $int(substr($raw, 32));
        $this->assertSame(1, openssl_verify("{$h}.{$p}", "\x30" . chr(strlen($der)) . $der, $pub, OPENSSL_ALGO_SHA256));
        // RS256 from a host-provided PEM; HS256 from a secret.
        $rsa = openssl_pkey_new(['private_key_bits' => 2048, 'private_key_type' => OPENSSL_KEYTYPE_RSA]);
        openssl_pkey_export($rsa, $pem);
        $rs = Signer::fromPrivateKey($pem, 'RS256');
        $t = $rs->accessToken(self::ISS, self::AUD, 'u', 'c', 60, null, null, self::NOW);
        [$h, $p, $sig] = explode('.', $t);
        $this->assertSame(1, openssl_verify("{$h}.{$p}", base64_decode(strtr($sig, '-_', '+/')), openssl_pkey_get_details($rsa)['key'], OPENSSL_ALGO_SHA256));
        $this->assertSame('u', self::verifier(KeySet::fromJwks($rs->jwks()))->verify($t, self::NOW)['sub']);
        $hs = Signer::fromSecret(self::SECRET);
        $this->assertSame('u', self::verifier()->verify($hs->accessToken(self::ISS, self::AUD, 'u', 'c', 60, null, null, self::NOW), self::NOW)['sub']);
        $this->assertNull($hs->kid());
        $this->assertRefused('invalid_value', fn () => $hs->privateKeyPem(), InvalidArgumentException::class);
        $this->assertRefused('invalid_value', fn () => $hs->jwks(), InvalidArgumentException::class);
    }

    public function testSignerRefusals(): void
    {
        $s = Signer::generate();
        $a = InvalidArgumentException::class;
        $this->assertRefused('invalid_claims', fn () => $s->accessToken(self::ISS, self::AUD, 'u', 'c', 60, null, ['aud' => 'x']), $a);
        $this->assertRefused('invalid_claims', fn () => $s->accessToken(self::ISS, self::AUD, 'u', 'c', 60, 'bad  scope'), $a);
        $this->assertRefused('invalid_value', fn () => $s->accessToken(self::ISS, self::AUD, 'u', 'c', 0), $a);
        $this->assertRefused('invalid_value', fn () => $s->accessToken(self::ISS, self::AUD, 'u', 'c', -5), $a);
        $this->assertRefused('invalid_value', fn () => $s->accessToken('', self::AUD, 'u', 'c'), $a);
        $this->assertRefused('invalid_claims', fn () => $s->sign(['a' => "\xff"]), $a);
        $this->assertRefused('invalid_claims', fn () => $s->sign(["\xff" => 1]), $a);
        $this->assertRefused('invalid_claims', fn () => $s->sign(['a' => new \stdClass()]), $a);
        $this->assertRefused('invalid_claims', fn () => $s->sign(['a' => NAN]), $a);
        $deep = ['x' => 1];
        for ($i = 0; $i < 40; $i++) {
            $deep = ['d' => $deep];
        }
        $this->assertRefused('invalid_claims', fn () => $s->sign(['a' => $deep]), $a);
        $this->assertRefused('alg_mismatch', fn () => Signer::generate('RS256'), ConfigurationException::class);
        $this->assertRefused('invalid_value', fn () => Signer::generate('ES512'), $a);
        $this->assertRefused('invalid_key', fn () => Signer::fromPrivateKey('garbage', 'ES256'), ConfigurationException::class);
        $this->assertRefused('invalid_key', fn () => Signer::fromPrivateKey($s->privateKeyPem(), 'EdDSA'), ConfigurationException::class);
        $this->assertRefused('weak_hmac_key', fn () => Signer::fromSecret('short'), ConfigurationException::class);
        $small = openssl_pkey_new(['private_key_bits' => 1024, 'private_key_type' => OPENSSL_KEYTYPE_RSA]);
        openssl_pkey_export($small, $pem);
        $this->assertContains(
            (function () use ($pem) {
                try {
                    Signer::fromPrivateKey($pem, 'RS256');
                    return 'accepted';
                } catch (ConfigurationException $e) {
                    return $e->reason();
                }
            })(),
            ['invalid_key', 'weak_rsa_key']
        );
    }

    public function testKeySetCacheIsPerWorkerAndBounded(): void
    {
        KeySet::clearCache();
        $before = KeySet::cacheStats();
        $this->assertSame(0, $before['entries']);
        $jwks = Signer::generate()->jwks();
        KeySet::fromJwks($jwks);
        KeySet::fromJwks($jwks);
        KeySet::fromJwks($jwks);
        $after = KeySet::cacheStats();
        $this->assertSame(1, $after['entries']);
        $this->assertSame(strlen($jwks), $after['bytes']);
        $this->assertSame(2, $after['hits'] - $before['hits']);
        $this->assertSame(1, $after['misses'] - $before['misses']);
        // Different options are a different entry; failures are not cached.
        KeySet::fromJwks($jwks, 'ES256');
        $this->assertSame(2, KeySet::cacheStats()['entries']);
        for ($i = 0; $i < 2; $i++) {
            try {
                KeySet::fromSecret('short');
            } catch (ConfigurationException $e) {
            }
        }
        $this->assertSame(2, KeySet::cacheStats()['entries']);
        // Bounded: 100 distinct sets never hold more than 32.
        for ($i = 0; $i < 100; $i++) {
            KeySet::fromSecret(str_pad((string) $i, 32, 'x'));
        }
        $this->assertLessThanOrEqual(32, KeySet::cacheStats()['entries']);
        KeySet::clearCache();
        $this->assertSame(0, KeySet::cacheStats()['entries']);
    }

    public function testObjectsCannotBeBuiltOrCopiedFromPhp(): void
    {
        foreach ([KeySet::class, Signer::class] as $class) {
            try {
                new $class();
                $this->fail("{$class} must not be constructible");
            } catch (\Throwable $e) {
                $this->assertStringContainsString('instantiate', $e->getMessage());
            }
        }
        $this->expectException(\Exception::class);
        serialize(Signer::generate());
    }

    public function testHugeAndBinaryInputsNeverCrash(): void
    {
        $v = self::verifier();
        foreach ([str_repeat("\0", 10000), random_bytes(4096), str_repeat('.', 5000), str_repeat('a.', 4000)] as $junk) {
            try {
                $v->verify($junk, self::NOW);
                $this->fail('accepted junk');
            } catch (InvalidTokenException $e) {
                $this->assertContains($e->reason(), ['malformed', 'too_large']);
            }
        }
        foreach ([str_repeat('{', 300000), random_bytes(300000)] as $junk) {
            $this->assertRefused('invalid_key', fn () => KeySet::fromJwks($junk), ConfigurationException::class);
        }
    }

    private static function b64d(string $s): string
    {
        $out = base64_decode(strtr($s, '-_', '+/'), true);
        self::assertIsString($out, 'base64url');
        return $out;
    }

    /** An RSA public key in every form a host might paste as an HMAC secret. */
    private static function rsaPublicForms(): array
    {
        $rsa = openssl_pkey_new(['private_key_bits' => 2048, 'private_key_type' => OPENSSL_KEYTYPE_RSA]);
        $details = openssl_pkey_get_details($rsa);
        $pem = $details['key'];
        $der = base64_decode(preg_replace('/-----[^-]+-----|\s/', '', $pem));
        $jwk = json_encode(['kty' => 'RSA', 'n' => self::b64($details['rsa']['n']), 'e' => self::b64($details['rsa']['e'])]);
        openssl_pkey_export($rsa, $private);
        $blob = pack('N', 7) . 'ssh-rsa' . pack('N', 3) . $details['rsa']['e'] . pack('N', strlen($details['rsa']['n']) + 1) . "\0" . $details['rsa']['n'];
        return [
            'SPKI PEM' => $pem,
            'SPKI DER' => $der,
            'PEM body' => preg_replace('/-----[^-]+-----|\s/', '', $pem),
            'private PEM' => $private,
            'JWK' => $jwk,
            'JWKS' => '{"keys":[' . $jwk . ']}',
            'EC JWKS' => Signer::generate('ES256')->jwks(),
            'ssh-rsa line' => 'ssh-rsa ' . base64_encode($blob) . ' admin@shop',
            'ssh wire blob' => $blob,
        ];
    }

    /**
     * CVE-2017-11424's shape (issue 10 item 5): a public key accepted as an
     * HMAC secret lets anyone HS256-sign tokens with the public PEM. Key
     * material is refused as a secret, by KeySet and Signer alike.
     */
    public function testKeyMaterialIsRefusedAsAnHmacSecret(): void
    {
        $c = ConfigurationException::class;
        foreach (self::rsaPublicForms() as $what => $material) {
            $this->assertRefused('asymmetric_key_as_secret', fn () => KeySet::fromSecret($material), $c);
            $this->assertRefused('asymmetric_key_as_secret', fn () => KeySet::fromSecret($material, 'HS384'), $c);
            $this->assertRefused('asymmetric_key_as_secret', fn () => Signer::fromSecret($material), $c);
            $oct = json_encode(['kty' => 'oct', 'k' => self::b64($material), 'alg' => 'HS256']);
            $this->assertRefused('asymmetric_key_as_secret', fn () => KeySet::fromJwks($oct, null, true), $c);
        }
        // The forgery it would allow: HS256 keyed with the public PEM.
        $pem = self::rsaPublicForms()['SPKI PEM'];
        $forged = self::hs('{"alg":"HS256","typ":"at+jwt"}', json_encode(self::claims()), $pem);
        $this->assertRefused('asymmetric_key_as_secret', fn () => self::verifier(KeySet::fromSecret($pem))->verify($forged, self::NOW), $c);
        // Real secrets of the usual shapes still load.
        $raw = random_bytes(32);
        foreach ([$raw, bin2hex($raw), base64_encode(random_bytes(48)), self::SECRET] as $secret) {
            $this->assertSame(1, KeySet::fromSecret($secret)->count());
            $this->assertSame('HS256', Signer::fromSecret($secret)->alg());
        }
    }

    /** A JWKS holding `oct` secrets next to public keys is refused (issue 10 item 5). */
    public function testJwksMixingSecretAndPublicKeysIsRefused(): void
    {
        $oct = ['kty' => 'oct', 'k' => self::b64(self::SECRET), 'alg' => 'HS256', 'kid' => 'h'];
        $ec = Signer::generate('ES256')->publicJwk();
        $enc = ['kty' => 'RSA', 'use' => 'enc', 'kid' => 'e', 'n' => 'AQAB', 'e' => 'AQAB'];
        foreach ([[$oct, $ec], [$ec, $oct], [$oct, $enc]] as $keys) {
            $doc = json_encode(['keys' => $keys]);
            $this->assertRefused('mixed_key_types', fn () => KeySet::fromJwks($doc, null, true), ConfigurationException::class);
            $this->assertRefused('private_key_material', fn () => KeySet::fromJwks($doc), ConfigurationException::class);
        }
        $two = json_encode(['keys' => [$oct, ['kty' => 'oct', 'k' => self::b64(str_repeat('k', 64)), 'alg' => 'HS512', 'kid' => 'h2']]]);
        $this->assertSame(2, KeySet::fromJwks($two, null, true)->count());
    }

    /**
     * An EC point not on its curve (issue 10 item 9), or an Ed25519 key that
     * is no point or of small order, is refused when the set is built, not
     * found out by every token failing as bad_signature.
     */
    public function testInvalidPublicKeyPointsAreRefusedWhenTheSetIsBuilt(): void
    {
        $c = ConfigurationException::class;
        foreach (['ES256', 'ES384'] as $alg) {
            $jwk = Signer::generate($alg)->publicJwk();
            $this->assertSame(1, KeySet::fromJwks(json_encode($jwk))->count());
            $y = self::b64d($jwk['y']);
            $y[strlen($y) - 1] = chr(ord($y[strlen($y) - 1]) ^ 1);
            $bad = array_merge($jwk, ['y' => self::b64($y)]);
            $this->assertRefused('invalid_key', fn () => KeySet::fromJwks(json_encode($bad)), $c);
            $this->assertRefused('invalid_key', fn () => KeySet::fromJwks(json_encode(['keys' => [$bad]])), $c);
        }
        // The same off-curve P-256 point as a SubjectPublicKeyInfo PEM.
        $jwk = Signer::generate('ES256')->publicJwk();
        $spki = static fn (string $point) => "-----BEGIN PUBLIC KEY-----\n"
            . chunk_split(base64_encode(hex2bin('3059301306072a8648ce3d020106082a8648ce3d030107034200') . $point), 64, "\n")
            . "-----END PUBLIC KEY-----\n";
        $x = self::b64d($jwk['x']);
        $y = self::b64d($jwk['y']);
        $this->assertSame(1, KeySet::fromPem($spki("\x04{$x}{$y}"), 'ES256')->count());
        $y[0] = chr(ord($y[0]) ^ 0x10);
        $this->assertRefused('invalid_key', fn () => KeySet::fromPem($spki("\x04{$x}{$y}"), 'ES256'), $c);
        // Ed25519: the identity (y = 1), y = 0, a y that is no point.
        foreach (["\x01" . str_repeat("\0", 31), str_repeat("\0", 32), "\x02" . str_repeat("\0", 31)] as $key) {
            $okp = json_encode(['kty' => 'OKP', 'crv' => 'Ed25519', 'x' => self::b64($key), 'alg' => 'EdDSA']);
            $this->assertRefused('invalid_key', fn () => KeySet::fromJwks($okp), $c);
        }
        $this->assertSame(1, KeySet::fromJwks(Signer::generate('EdDSA')->jwks())->count());
    }

    /**
     * Header parameters we never act on still have their registered types,
     * `enc` is refused in a JWS, and NumericDates are non-negative integers
     * (differences the jsonwebtoken differential test found).
     */
    public function testRegisteredHeaderTypesAndNumericDates(): void
    {
        $v = self::verifier();
        foreach (['"jku":1', '"x5u":{}', '"x5c":["MIIB",2]', '"x5t":[]', '"x5t#S256":true', '"jwk":"AAAA"', '"jwk":{"kty":"EC","alg":5}', '"enc":"A128GCM"'] as $extra) {
            $this->assertRefused('malformed', fn () => $v->verify(self::hs('{"alg":"HS256","typ":"at+jwt",' . $extra . '}', json_encode(self::claims())), self::NOW));
        }
        $ok = '{"alg":"HS256","typ":"at+jwt","jku":"https://x","x5c":["MIIB"],"jwk":{"kty":"EC","crv":"P-256","x":"AA","y":"AA"}}';
        $this->assertSame('u1', $v->verify(self::hs($ok, json_encode(self::claims())), self::NOW)['sub']);
        foreach (['nbf' => -5, 'iat' => -1, 'exp' => -1] as $claim => $value) {
            $this->assertRefused('malformed', fn () => $v->verify(self::hsClaims(self::claims([$claim => $value])), self::NOW));
        }
    }

    /** @return list<array<string, string>> */
    private static function joseVectors(): array
    {
        $vectors = [];
        $cur = [];
        foreach (file(dirname(__DIR__, 2) . '/vectors/jose.txt', FILE_IGNORE_NEW_LINES) as $line) {
            if (str_starts_with($line, '#')) {
                continue;
            }
            if (trim($line) === '') {
                if ($cur !== []) {
                    $vectors[] = $cur;
                }
                $cur = [];
                continue;
            }
            [$k, $v] = explode(' = ', $line, 2);
            self::assertArrayNotHasKey($k, $cur, $line);
            $cur[$k] = $v;
        }
        if ($cur !== []) {
            $vectors[] = $cur;
        }
        return $vectors;
    }

    /** Re-signs a deterministic vector's signing input with an independent implementation. */
    private static function resign(array $vec, string $alg, string $input): string
    {
        $private = json_decode($vec['PrivateJwk'] ?? $vec['Jwk'], true, 8, JSON_THROW_ON_ERROR);
        switch ($alg) {
            case 'HS256':
                return hash_hmac('sha256', $input, self::b64d($private['k']), true);
            case 'EdDSA':
                $pair = sodium_crypto_sign_seed_keypair(self::b64d($private['d']));
                return sodium_crypto_sign_detached($input, sodium_crypto_sign_secretkey($pair));
            case 'RS256':
                $c = static fn (string $n) => self::b64d($private[$n]);
                $key = openssl_pkey_new(['rsa' => ['n' => $c('n'), 'e' => $c('e'), 'd' => $c('d'), 'p' => $c('p'), 'q' => $c('q'), 'dmp1' => $c('dp'), 'dmq1' => $c('dq'), 'iqmp' => $c('qi')]]);
                self::assertNotFalse($key);
                self::assertTrue(openssl_sign($input, $sig, $key, OPENSSL_ALGO_SHA256));
                return $sig;
        }
        self::fail("no independent signer for {$alg}");
    }

    private static function reason(callable $fn): string
    {
        try {
            $fn();
            return 'accepted';
        } catch (GuardException $e) {
            return $e->reason();
        }
    }

    /**
     * The JOSE known answers of tests/vectors/jose.txt (shared with
     * tests/jwt_vectors.rs; each vector names its RFC source) through the
     * extension: key-set refusals, the verifier's reason, the deterministic
     * signatures re-made with hash_hmac / sodium / openssl, and every one-bit
     * change of header, payload and signature refused.
     */
    public function testJoseVectorsFromTheSharedFile(): void
    {
        $vectors = self::joseVectors();
        $this->assertGreaterThanOrEqual(15, count($vectors));
        $tampered = 0;
        $resigned = 0;
        foreach ($vectors as $vec) {
            $source = $vec['Source'];
            $build = fn () => KeySet::fromJwks($vec['Jwk'], $vec['Alg'] ?? null, ($vec['Secret'] ?? '') === 'yes');
            if (isset($vec['KeyError'])) {
                $this->assertSame($vec['KeyError'], self::reason($build), $source);
                continue;
            }
            $keys = $build();
            if (!isset($vec['Token'])) {
                continue;
            }
            $alg = $keys->keys()[0]['alg'];
            $v = new Verifier($keys, $vec['Issuer'], 'anything', 'jwt');
            $now = (int) $vec['Now'];
            $token = $vec['Token'];
            $this->assertSame($vec['Expect'], self::reason(fn () => $v->verify($token, $now)), $source);
            [$h, $p, $sig] = explode('.', $token);
            if (($vec['Deterministic'] ?? '') === 'yes') {
                $resigned++;
                $this->assertSame($sig, self::b64(self::resign($vec, $alg, "{$h}.{$p}")), $source);
            }
            if ($vec['Valid'] !== 'yes') {
                continue;
            }
            $header = json_decode(self::b64d($h), true);
            foreach ([0, 1, 2] as $part) {
                $parts = [$h, $p, $sig];
                $bytes = self::b64d($parts[$part]);
                for ($i = 0, $n = strlen($bytes); $i < $n; $i++) {
                    $changed = $bytes;
                    $changed[$i] = chr(ord($changed[$i]) ^ 1);
                    $parts[$part] = self::b64($changed);
                    $reason = self::reason(fn () => $v->verify(implode('.', $parts), $now));
                    $tampered++;
                    $same = false;
                    if ($part === 0) {
                        $new = json_decode($changed, true);
                        $same = is_array($new) && array_keys($new) === array_keys($header)
                            && ($new['alg'] ?? null) === ($header['alg'] ?? null)
                            && ($new['kid'] ?? null) === ($header['kid'] ?? null)
                            && ($new['typ'] ?? null) === ($header['typ'] ?? null);
                    }
                    if ($part > 0 || $same) {
                        $this->assertSame('bad_signature', $reason, "{$source}: part {$part} byte {$i}");
                    } else {
                        $this->assertContains($reason, ['malformed', 'alg_not_allowed', 'crit_unsupported', 'unknown_kid', 'wrong_type', 'bad_signature'], "{$source}: part {$part} byte {$i}");
                    }
                }
            }
        }
        $this->assertSame(4, $resigned);
        $this->assertGreaterThanOrEqual(1900, $tampered);
    }

    /**
     * The empty PHP array follows json_encode: `[]` nested in claims is the
     * empty JSON list, and the claims set itself (an object, RFC 7519 §4)
     * accepts `[]` as the empty object. Checked against json_encode of the
     * same claims.
     */
    public function testEmptyArraysAreSignedAsJsonEncodeWritesThem(): void
    {
        $payload = static fn (string $jwt) => self::b64d(explode('.', $jwt)[1]);
        $flags = JSON_UNESCAPED_SLASHES | JSON_UNESCAPED_UNICODE;
        $s = Signer::fromSecret(self::SECRET);
        foreach ([
            ['a' => []],
            ['a' => [], 'b' => ['c' => [], 'd' => [[]]], 'l' => [1, [], 'x'], 'o' => ['k' => []]],
            ['list' => [[], [[]]], 'map' => ['5' => []], 'm2' => [1 => 'x']],
        ] as $claims) {
            $this->assertSame(json_encode($claims, $flags), $payload($s->sign($claims)), json_encode($claims));
        }
        // The claims set is an object: [] is {} (json_encode writes the empty object for (object) []).
        $this->assertSame(json_encode((object) []), $payload($s->sign([])));
        $this->assertRefused('invalid_claims', fn () => $s->sign([1, 2]), InvalidArgumentException::class);
        // Extra claims of an access token, and what the verifier hands back.
        $t = $s->accessToken(self::ISS, self::AUD, 'u', 'c', 60, null, ['roles' => [], 'meta' => ['tags' => []]], self::NOW);
        $decoded = json_decode($payload($t), false);
        $this->assertSame([], $decoded->roles);
        $this->assertSame([], $decoded->meta->tags);
        $claims = self::verifier()->verify($t, self::NOW);
        $this->assertSame([], $claims['roles']);
        $this->assertSame(['tags' => []], $claims['meta']);
        $this->assertIsString($s->accessToken(self::ISS, self::AUD, 'u', 'c', 60, null, [], self::NOW));
    }

    /**
     * A non-UTF-8 key anywhere in a claims array (or a key set built from
     * one) is a typed exception, and nothing reaches stderr (run in a fresh
     * process, as the PHP-FPM log would see it).
     */
    public function testNonUtf8KeysAreTypedRefusalsWithNothingOnStderr(): void
    {
        $code = <<<'PHP'
            $s = McpGuard\Jwt\Signer::fromSecret(str_repeat('s', 32));
            $cases = [
                'sign top' => fn () => $s->sign(["\xff" => 1]),
                'sign nested' => fn () => $s->sign(['a' => ['b' => ["\xfe\xff" => 1]]]),
                'sign list of maps' => fn () => $s->sign(['a' => [["\xc3" => 1]]]),
                'accessToken extra' => fn () => $s->accessToken('i', 'a', 's', 'c', 60, null, ["\xff" => 1]),
                'accessToken nested' => fn () => $s->accessToken('i', 'a', 's', 'c', 60, null, ['x' => ["\x80" => true]]),
                'jwks with a raw non-UTF-8 key' => fn () => McpGuard\Jwt\KeySet::fromJwks("{\"keys\":[{\"\xff\":1}]}"),
            ];
            foreach ($cases as $name => $fn) {
                try {
                    $fn();
                    echo "$name: accepted\n";
                } catch (McpGuard\Exception\GuardException $e) {
                    echo $name, ': ', get_class($e), ' ', $e->reason(), "\n";
                }
            }
            PHP;
        $run = PhpProcess::run($code, ['display_errors' => 'stderr', 'error_reporting' => (string) E_ALL]);
        $this->assertSame('', $run['stderr']);
        $this->assertSame(0, $run['exit'], $run['stdout']);
        $this->assertSame(implode("\n", [
            'sign top: McpGuard\Exception\InvalidArgumentException invalid_claims',
            'sign nested: McpGuard\Exception\InvalidArgumentException invalid_claims',
            'sign list of maps: McpGuard\Exception\InvalidArgumentException invalid_claims',
            'accessToken extra: McpGuard\Exception\InvalidArgumentException invalid_claims',
            'accessToken nested: McpGuard\Exception\InvalidArgumentException invalid_claims',
            'jwks with a raw non-UTF-8 key: McpGuard\Exception\ConfigurationException invalid_key',
        ]) . "\n", $run['stdout']);
    }
}
