<?php

declare(strict_types=1);

namespace McpGuard\Tests\Extension;

use McpGuard\Exception\ConfigurationException;
use McpGuard\Exception\GuardException;
use McpGuard\Exception\InvalidArgumentException;
use McpGuard\Exception\InvalidTokenException;
use McpGuard\IssuedToken;
use McpGuard\Tokens;
use McpGuard\Tests\Support\Vectors;
use PHPUnit\Framework\TestCase;

require_once dirname(__DIR__) . '/Support/Vectors.php';

final class TokensTest extends TestCase
{
    private const NOW = 1_800_000_000;
    private const PEPPER = 'pepper-for-tests-0123456789abcdefghijklmnop';

    private const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

    /** @return array{string, string} reason and errorCode of the refusal */
    private static function refusal(callable $fn): array
    {
        try {
            $fn();
        } catch (GuardException $e) {
            return [$e->reason(), $e->errorCode()];
        }
        self::fail('expected a GuardException');
    }

    /** @return iterable<string, array{Vectors}> the tests of tests/vectors/tokens.txt */
    public static function knownAnswers(): iterable
    {
        foreach (Vectors::read('tokens.txt') as $case) {
            yield $case->at . ' ' . $case->kind() => [$case];
        }
    }

    /** The reason of a refusal, or "ok". */
    private static function outcome(callable $fn): string
    {
        try {
            $fn();
        } catch (GuardException $e) {
            return $e->reason();
        }
        return 'ok';
    }

    private static function base62(int $value): string
    {
        $enc = '';
        for ($i = 0; $i < 6; $i++) {
            $enc = self::BASE62[$value % 62] . $enc;
            $value = intdiv($value, 62);
        }
        return $enc;
    }

    /**
     * The known answers of tests/vectors/tokens.txt (CRC-32 check value,
     * FIPS 180-2 B.1/B.2, RFC 4231 §4.7/4.8, our format), the same file the
     * Rust tests read, each positive answer also checked with every byte
     * XOR 0x01. Kinds the PHP API cannot drive (hmac-stored: it hashes only
     * tokens; counting-issue: the random source cannot be injected) are checked
     * against PHP's own hash functions instead, so the file itself is right.
     *
     * @dataProvider knownAnswers
     */
    public function testKnownAnswers(Vectors $case): void
    {
        $at = $case->at;
        switch ($case->kind()) {
            case 'crc32-checksum':
                $input = $case->bytes('Input');
                self::assertSame(hexdec($case->text('Crc32')), crc32($input), $at);
                self::assertSame($case->text('Checksum'), self::base62(crc32($input)), $at);
                break;
            case 'sha256-stored':
                $input = $case->bytes('Input');
                $hex = substr($case->text('Stored'), strlen('sha256:'));
                self::assertSame('sha256:' . $hex, $case->text('Stored'));
                Tokens::verifyLegacySha256($input, $hex);
                for ($i = 0; $i < strlen($input); $i++) {
                    self::assertSame('mismatch', self::outcome(fn () => Tokens::verifyLegacySha256(Vectors::flip($input, $i), $hex)), "$at byte $i");
                }
                break;
            case 'hmac-stored':
                self::assertSame($case->text('Hmac'), hash_hmac('sha256', $case->bytes('Input'), $case->bytes('Key')), $at);
                break;
            case 'pepper':
                $key = $case->bytes('Key');
                $error = $case->text('Error');
                if ($error !== null) {
                    self::assertSame($error, self::outcome(fn () => new Tokens(null, $key)), $at);
                    break;
                }
                $id = $case->text('KeyId');
                self::assertSame($id, substr(hash('sha256', "mcp_guard pepper id v1\0" . $key), 0, 8), $at);
                self::assertStringStartsWith("hmac-sha256:$id:", (new Tokens(null, $key))->issue()->hash(), $at);
                for ($i = 0; $i < strlen($key); $i++) {
                    self::assertStringStartsNotWith("hmac-sha256:$id:", (new Tokens(null, Vectors::flip($key, $i)))->issue()->hash(), "$at byte $i");
                }
                break;
            case 'counting-issue':
                $case->skip('Seed');
                $token = $case->bytes('Token');
                self::assertSame($case->text('PublicId'), (new Tokens())->publicId($token), $at);
                self::assertSame($case->int('ExpiresAt'), $case->int('Now') + $case->int('Lifetime'), $at);
                break;
            case 'parse':
                $tokens = new Tokens($case->text('Prefix'));
                $token = $case->bytes('Token');
                $error = $case->text('Error');
                if ($error !== null) {
                    self::assertSame($error, self::outcome(fn () => $tokens->publicId($token)), $at);
                    break;
                }
                self::assertSame($case->text('PublicId'), $tokens->publicId($token), $at);
                for ($i = 0; $i < strlen($token); $i++) {
                    self::assertContains(self::outcome(fn () => $tokens->publicId(Vectors::flip($token, $i))), ['malformed', 'bad_checksum'], "$at byte $i");
                }
                break;
            case 'verify':
                $key = $case->bytes('Key');
                $tokens = new Tokens($case->text('Prefix'), $key);
                $token = $case->bytes('Token');
                $stored = $case->text('Stored');
                $exp = $case->int('ExpiresAt');
                $rev = $case->int('RevokedAt');
                $now = $case->int('Now');
                $error = $case->text('Error');
                if ($error !== null) {
                    self::assertSame($error, self::outcome(fn () => $tokens->verify($token, $stored, $exp, $rev, $now)), $at);
                    break;
                }
                $v = $tokens->verify($token, $stored, $exp, $rev, $now);
                self::assertSame($case->text('PublicId'), $v->publicId(), $at);
                self::assertSame($case->text('Rehash'), $v->rehash(), $at);
                for ($i = 0; $i < strlen($token); $i++) {
                    self::assertNotSame('ok', self::outcome(fn () => $tokens->verify(Vectors::flip($token, $i), $stored, $exp, $rev, $now)), "$at byte $i");
                }
                for ($i = strlen($stored) - 64; $i < strlen($stored); $i++) {
                    self::assertNotSame('ok', self::outcome(fn () => $tokens->verify($token, Vectors::flip($stored, $i), $exp, $rev, $now)), "$at digit $i");
                }
                break;
            case 'legacy-sha256':
                $token = $case->bytes('Token');
                $hex = $case->text('StoredHex');
                $expected = $case->text('Error') ?? 'ok';
                self::assertSame($expected, self::outcome(fn () => Tokens::verifyLegacySha256($token, $hex)), $at);
                if ($expected === 'ok') {
                    for ($i = 0; $i < strlen($token); $i++) {
                        self::assertNotSame('ok', self::outcome(fn () => Tokens::verifyLegacySha256(Vectors::flip($token, $i), $hex)), "$at byte $i");
                    }
                    for ($i = 0; $i < strlen($hex); $i++) {
                        self::assertNotSame('ok', self::outcome(fn () => Tokens::verifyLegacySha256($token, Vectors::flip($hex, $i))), "$at digit $i");
                    }
                }
                break;
            case 'shopsys':
                $token = $case->bytes('Token');
                $hex = $case->text('StoredHex');
                $error = $case->text('Error');
                if ($error !== null) {
                    self::assertSame($error, self::outcome(fn () => Tokens::verifyShopsys($token, $hex)), $at);
                    break;
                }
                $id = $case->text('PublicId');
                self::assertSame($id, Tokens::verifyShopsys($token, $hex), $at);
                // The public id is the lookup key, not hashed: a changed id
                // verifies only as another id, whose row the host would look up.
                $answer = static function (string $t, string $h): ?string {
                    try {
                        return Tokens::verifyShopsys($t, $h);
                    } catch (GuardException) {
                        return null;
                    }
                };
                for ($i = 0; $i < strlen($token); $i++) {
                    self::assertNotSame($id, $answer(Vectors::flip($token, $i), $hex), "$at byte $i");
                }
                for ($i = 0; $i < strlen($hex); $i++) {
                    self::assertNotSame($id, $answer($token, Vectors::flip($hex, $i)), "$at digit $i");
                }
                break;
            default:
                self::fail("$at: unknown kind {$case->kind()}");
        }
        $case->finish();
    }

    public function testIssuedTokenHasTheDocumentedFormat(): void
    {
        $t = (new Tokens())->issue(null, self::NOW);
        self::assertMatchesRegularExpression('/^mcp_[0-9A-Za-z]{16}_[0-9A-Za-z]{49}$/', $t->plaintext());
        self::assertSame(substr($t->plaintext(), 4, 16), $t->publicId());
        self::assertMatchesRegularExpression('/^sha256:[0-9a-f]{64}$/', $t->hash());
        self::assertSame('sha256:' . hash('sha256', $t->plaintext()), $t->hash());
        self::assertSame(self::NOW, $t->createdAt());
        // No lifetime asked: the configured maximum (365 days) applies.
        self::assertSame(self::NOW + 365 * 86400, $t->expiresAt());
    }

    public function testChecksumIsCrc32OfTheRestInSixBase62Digits(): void
    {
        $p = (new Tokens())->issue()->plaintext();
        $body = substr($p, 0, -6);
        $crc = crc32($body);
        $enc = '';
        for ($i = 0; $i < 6; $i++) {
            $enc = self::BASE62[$crc % 62] . $enc;
            $crc = intdiv($crc, 62);
        }
        self::assertSame($enc, substr($p, -6));
    }

    public function testTokensAreUniqueAndTheSecretUsesTheWholeAlphabet(): void
    {
        $tokens = new Tokens();
        $seen = [];
        $symbols = [];
        for ($i = 0; $i < 200; $i++) {
            $p = $tokens->issue()->plaintext();
            self::assertArrayNotHasKey($p, $seen);
            $seen[$p] = true;
            foreach (str_split(substr($p, 21, 43)) as $c) {
                $symbols[$c] = true;
            }
        }
        // 200 × 43 uniform symbols: all 62 appear with overwhelming probability.
        self::assertCount(62, $symbols);
    }

    public function testRoundTrip(): void
    {
        $tokens = new Tokens();
        $t = $tokens->issue(3600, self::NOW);
        $v = $tokens->verify($t->plaintext(), $t->hash(), $t->expiresAt(), now: self::NOW + 10);
        self::assertSame($t->publicId(), $v->publicId());
        self::assertFalse($v->needsRehash());
        self::assertNull($v->rehash());
        self::assertSame($t->publicId(), $tokens->publicId($t->plaintext()));
    }

    public function testAnyOneCharacterChangeIsRefused(): void
    {
        $tokens = new Tokens();
        $t = $tokens->issue(null, self::NOW);
        $p = $t->plaintext();
        for ($i = 0; $i < strlen($p); $i++) {
            foreach (['0', 'a', 'Z', '_', '-'] as $r) {
                if ($p[$i] === $r) {
                    continue;
                }
                $m = $p;
                $m[$i] = $r;
                [$reason, $code] = self::refusal(fn () => $tokens->verify($m, $t->hash(), null, now: self::NOW));
                self::assertSame('invalid_token', $code);
                self::assertContains($reason, ['malformed', 'bad_checksum'], "position $i");
            }
        }
        // Dropped, doubled, appended, truncated.
        foreach ([substr($p, 1), $p . 'a', $p . $p, substr($p, 0, -1), ' ' . $p, $p . "\n", strtoupper($p)] as $m) {
            [$reason] = self::refusal(fn () => $tokens->verify($m, $t->hash(), null, now: self::NOW));
            self::assertContains($reason, ['malformed', 'bad_checksum']);
        }
    }

    public function testChecksumTypoIsRefusedWithoutReadingTheStoredHash(): void
    {
        $tokens = new Tokens();
        $p = $tokens->issue()->plaintext();
        $m = $p;
        $m[40] = $m[40] === 'A' ? 'B' : 'A';
        // A nonsense stored hash would be a configuration error if it were read.
        [$reason, $code] = self::refusal(fn () => $tokens->verify($m, 'not a hash at all', null, now: self::NOW));
        self::assertSame(['bad_checksum', 'invalid_token'], [$reason, $code]);
        [$reason] = self::refusal(fn () => $tokens->publicId($m));
        self::assertSame('bad_checksum', $reason);
    }

    public function testUnknownAndRevokedTokens(): void
    {
        $tokens = new Tokens();
        $t = $tokens->issue(3600, self::NOW);
        [$reason, $code] = self::refusal(fn () => $tokens->verify($t->plaintext(), null));
        self::assertSame(['unknown_token', 'invalid_token'], [$reason, $code]);
        [$reason] = self::refusal(fn () => $tokens->verify('garbage', null));
        self::assertSame('malformed', $reason);
        [$reason, $code] = self::refusal(fn () => $tokens->verify($t->plaintext(), $t->hash(), $t->expiresAt(), self::NOW - 5, self::NOW));
        self::assertSame(['revoked', 'invalid_token'], [$reason, $code]);
        // Revocation is reported only for the genuine token.
        $other = $tokens->issue(3600, self::NOW);
        [$reason] = self::refusal(fn () => $tokens->verify($other->plaintext(), $t->hash(), null, self::NOW - 5, self::NOW));
        self::assertSame('mismatch', $reason);
    }

    public function testAValidTokenAgainstAnotherRowIsAMismatch(): void
    {
        $tokens = new Tokens();
        $a = $tokens->issue();
        $b = $tokens->issue();
        [$reason, $code] = self::refusal(fn () => $tokens->verify($a->plaintext(), $b->hash()));
        self::assertSame(['mismatch', 'invalid_token'], [$reason, $code]);
    }

    public function testExpiredTokensAreRefused(): void
    {
        $tokens = new Tokens();
        $t = $tokens->issue(60, self::NOW);
        self::assertSame($t->publicId(), $tokens->verify($t->plaintext(), $t->hash(), $t->expiresAt(), now: self::NOW + 59)->publicId());
        foreach ([self::NOW + 60, self::NOW + 86400] as $now) {
            [$reason, $code] = self::refusal(fn () => $tokens->verify($t->plaintext(), $t->hash(), $t->expiresAt(), now: $now));
            self::assertSame(['expired', 'invalid_token'], [$reason, $code]);
        }
        // Without the stored expiry nothing can be checked: the host passes it.
        self::assertSame($t->publicId(), $tokens->verify($t->plaintext(), $t->hash(), null, now: self::NOW + 86400)->publicId());
    }

    public function testExpiryOfAWrongTokenIsNeverReported(): void
    {
        $tokens = new Tokens();
        $t = $tokens->issue(60, self::NOW);
        $other = $tokens->issue(60, self::NOW);
        [$reason] = self::refusal(fn () => $tokens->verify($other->plaintext(), $t->hash(), $t->expiresAt(), now: self::NOW + 120));
        self::assertSame('mismatch', $reason);
    }

    public function testLifetimeLimits(): void
    {
        $tokens = new Tokens();
        self::assertSame(365 * 86400, $tokens->maxLifetimeSeconds());
        self::assertSame(self::NOW + 365 * 86400, $tokens->issue(365 * 86400, self::NOW)->expiresAt());
        [$reason, $code] = self::refusal(fn () => $tokens->issue(365 * 86400 + 1, self::NOW));
        self::assertSame(['lifetime_exceeds_maximum', 'invalid_argument'], [$reason, $code]);
        [$reason] = self::refusal(fn () => $tokens->issue(0, self::NOW));
        self::assertSame('invalid_lifetime', $reason);
        $this->expectException(InvalidArgumentException::class);
        $tokens->issue(-1, self::NOW);
    }

    public function testPrefixes(): void
    {
        $shop = new Tokens('psmcp');
        $t = $shop->issue();
        self::assertStringStartsWith('psmcp_', $t->plaintext());
        self::assertSame('psmcp', $shop->prefix());
        self::assertSame($t->publicId(), $shop->verify($t->plaintext(), $t->hash())->publicId());
        // Another prefix's token is not ours, even with its own valid checksum.
        [$reason] = self::refusal(fn () => (new Tokens())->verify($t->plaintext(), $t->hash()));
        self::assertSame('malformed', $reason);
        foreach (['', 'MCP', '1abc', 'a_b', 'abcdefghijklmnopq', 'é', "a\0"] as $bad) {
            [$reason, $code] = self::refusal(fn () => new Tokens($bad));
            self::assertSame(['invalid_prefix', 'invalid_argument'], [$reason, $code], var_export($bad, true));
        }
    }

    public function testPepperedHashesAndMigrationFromPlainRows(): void
    {
        $plain = new Tokens();
        $peppered = new Tokens(null, self::PEPPER);
        self::assertFalse($plain->hasPepper());
        self::assertTrue($peppered->hasPepper());

        $t = $peppered->issue();
        self::assertMatchesRegularExpression('/^hmac-sha256:[0-9a-f]{8}:[0-9a-f]{64}$/', $t->hash());
        self::assertSame(
            hash_hmac('sha256', $t->plaintext(), self::PEPPER),
            substr($t->hash(), -64)
        );
        self::assertFalse($peppered->verify($t->plaintext(), $t->hash())->needsRehash());

        // An old unpeppered row still verifies once a pepper is introduced, and
        // comes back with the peppered hash to store.
        $old = $plain->issue();
        $v = $peppered->verify($old->plaintext(), $old->hash());
        self::assertTrue($v->needsRehash());
        $new = $v->rehash();
        self::assertIsString($new);
        self::assertStringStartsWith('hmac-sha256:', $new);
        self::assertFalse($peppered->verify($old->plaintext(), $new)->needsRehash());

        // A peppered row needs that pepper.
        [$reason, $code] = self::refusal(fn () => $plain->verify($t->plaintext(), $t->hash()));
        self::assertSame(['pepper_missing', 'server_error'], [$reason, $code]);
        [$reason] = self::refusal(fn () => (new Tokens(null, str_repeat('x', 32)))->verify($t->plaintext(), $t->hash()));
        self::assertSame('pepper_mismatch', $reason);
    }

    public function testWeakPepperIsRefused(): void
    {
        $this->expectException(ConfigurationException::class);
        new Tokens(null, str_repeat('x', 31));
    }

    public function testMalformedStoredHashIsAConfigurationError(): void
    {
        $tokens = new Tokens();
        $t = $tokens->issue();
        $hex = substr($t->hash(), 7);
        foreach (['', $hex, 'sha256:' . substr($hex, 1), 'md5:' . $hex, "sha256:\xff", 'hmac-sha256:zz:' . $hex] as $bad) {
            [$reason, $code] = self::refusal(fn () => $tokens->verify($t->plaintext(), $bad));
            self::assertSame(['invalid_stored_hash', 'server_error'], [$reason, $code]);
        }
    }

    public function testRotation(): void
    {
        $tokens = new Tokens();
        $old = $tokens->issue(30 * 86400, self::NOW);
        $r = $tokens->rotate($old->expiresAt(), null, null, self::NOW + 100);
        self::assertInstanceOf(IssuedToken::class, $r->successor());
        self::assertNotSame($old->plaintext(), $r->successor()->plaintext());
        self::assertSame(self::NOW + 100 + 7 * 86400, $r->previousExpiresAt());
        // Never later than the old token's own expiry.
        $short = $tokens->issue(3600, self::NOW);
        self::assertSame($short->expiresAt(), $tokens->rotate($short->expiresAt(), 7 * 86400, null, self::NOW)->previousExpiresAt());
        // Overlap 0 ends the old token now.
        $r = $tokens->rotate(null, 0, 60, self::NOW);
        self::assertSame(self::NOW, $r->previousExpiresAt());
        self::assertSame(self::NOW + 60, $r->successor()->expiresAt());
        $this->expectException(InvalidArgumentException::class);
        $tokens->rotate(null, -1);
    }

    public function testExpiredOrRevokedPredecessorsAreNotRotated(): void
    {
        $tokens = new Tokens();
        // Expiry is exclusive, as in verify(): at its expiry a token is dead.
        [$reason, $code] = self::refusal(fn () => $tokens->rotate(self::NOW, null, null, self::NOW));
        self::assertSame(['expired', 'invalid_token'], [$reason, $code]);
        [$reason] = self::refusal(fn () => $tokens->rotate(self::NOW - 86400, 0, null, self::NOW));
        self::assertSame('expired', $reason);
        [$reason, $code] = self::refusal(fn () => $tokens->rotate(self::NOW + 3600, null, null, self::NOW, previousRevokedAt: self::NOW - 1));
        self::assertSame(['revoked', 'invalid_token'], [$reason, $code]);
        // Revocation is checked first, as in verify().
        [$reason] = self::refusal(fn () => $tokens->rotate(self::NOW - 1, null, null, self::NOW, self::NOW - 5));
        self::assertSame('revoked', $reason);
        // A live one rotates.
        self::assertSame(self::NOW + 1, $tokens->rotate(self::NOW + 1, null, null, self::NOW, null)->previousExpiresAt());
    }

    public function testLegacyStatamicRowsVerify(): void
    {
        $legacy = bin2hex(random_bytes(20));
        Tokens::verifyLegacySha256($legacy, hash('sha256', $legacy));
        Tokens::verifyLegacySha256($legacy, strtoupper(hash('sha256', $legacy)));
        [$reason, $code] = self::refusal(fn () => Tokens::verifyLegacySha256($legacy . 'x', hash('sha256', $legacy)));
        self::assertSame(['mismatch', 'invalid_token'], [$reason, $code]);
        [$reason] = self::refusal(fn () => Tokens::verifyLegacySha256('', hash('sha256', '')));
        self::assertSame('malformed', $reason);
        [$reason] = self::refusal(fn () => Tokens::verifyLegacySha256($legacy, 'abc'));
        self::assertSame('invalid_stored_hash', $reason);
        $this->addToAssertionCount(1);
    }

    public function testLegacyShopsysRowsVerify(): void
    {
        $id = bin2hex(random_bytes(16));
        $secret = bin2hex(random_bytes(32));
        self::assertSame($id, Tokens::verifyShopsys("$id.$secret", hash('sha256', $secret)));
        [$reason] = self::refusal(fn () => Tokens::verifyShopsys("$id." . strrev($secret), hash('sha256', $secret)));
        self::assertSame('mismatch', $reason);
        foreach (["$id$secret", "$id:$secret", "$id.{$secret}0", "x$id.$secret", "$id." . substr($secret, 1) . 'g'] as $bad) {
            [$reason] = self::refusal(fn () => Tokens::verifyShopsys($bad, hash('sha256', $secret)));
            self::assertSame('malformed', $reason);
        }
    }

    public function testHostileInputIsRefusedWithAReason(): void
    {
        $tokens = new Tokens();
        $t = $tokens->issue();
        $inputs = ['', "\0", "\xff\xfe", str_repeat('a', 10 << 20), $t->plaintext() . "\0", 'mcp__', 'mcp_' . str_repeat('_', 70)];
        foreach ($inputs as $bad) {
            [$reason, $code] = self::refusal(fn () => $tokens->verify($bad, $t->hash()));
            self::assertSame(['malformed', 'invalid_token'], [$reason, $code]);
        }
        [$reason] = self::refusal(fn () => Tokens::verifyLegacySha256(str_repeat('a', 10 << 20), hash('sha256', 'a')));
        self::assertSame('malformed', $reason);
    }

    public function testWrongArgumentTypesAreTypeErrors(): void
    {
        $this->expectException(\TypeError::class);
        /** @psalm-suppress InvalidArgument */
        (new Tokens())->verify([], 'x');
    }

    public function testMessagesNeverEchoTheTokenOrTheHash(): void
    {
        $tokens = new Tokens();
        $t = $tokens->issue(60, self::NOW);
        $probes = [
            fn () => $tokens->verify($t->plaintext() . 'x', $t->hash()),
            fn () => $tokens->verify($t->plaintext(), substr($t->hash(), 0, -1) . 'x'),
            fn () => $tokens->verify($t->plaintext(), $t->hash(), $t->expiresAt(), now: self::NOW + 61),
        ];
        foreach ($probes as $probe) {
            try {
                $probe();
                self::fail('expected a refusal');
            } catch (GuardException $e) {
                $text = $e->getMessage() . ' ' . $e->getTraceAsString();
                self::assertStringNotContainsString(substr($t->plaintext(), 21, 20), $e->getMessage());
                self::assertStringNotContainsString(substr($t->hash(), 7, 20), $e->getMessage());
                self::assertNotSame('', $text);
            }
        }
    }

    public function testSecretsDoNotLeakThroughDumpOrSerialize(): void
    {
        $t = (new Tokens())->issue();
        $dump = print_r($t, true) . var_export($t, true) . json_encode($t);
        self::assertStringNotContainsString($t->plaintext(), $dump);
        self::assertStringNotContainsString(substr($t->hash(), 7), $dump);
        $this->expectException(\Exception::class);
        serialize($t);
    }

    public function testClassesAreFinalAndNotConstructibleWhereTheyShouldNotBe(): void
    {
        foreach ([Tokens::class, IssuedToken::class, \McpGuard\VerifiedToken::class, \McpGuard\Rotation::class, \McpGuard\Credentials::class] as $c) {
            self::assertTrue((new \ReflectionClass($c))->isFinal(), $c);
        }
        $this->expectException(\Throwable::class);
        new IssuedToken();
    }

    public function testInvalidTokenExceptionIsCatchableAsGuardException(): void
    {
        $this->expectException(InvalidTokenException::class);
        (new Tokens())->verify('nope', 'sha256:' . str_repeat('0', 64));
    }
}
