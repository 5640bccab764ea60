<?php

declare(strict_types=1);

namespace McpGuard\Tests\Extension;

use McpGuard\Credentials;
use McpGuard\Exception\InvalidRequestException;
use McpGuard\Tests\Support\Vectors;
use PHPUnit\Framework\TestCase;

require_once dirname(__DIR__) . '/Support/Vectors.php';

final class CredentialsTest extends TestCase
{
    private static function reason(?string $header): string
    {
        try {
            Credentials::fromHeader($header);
        } catch (InvalidRequestException $e) {
            self::assertSame('invalid_request', $e->errorCode());
            self::assertSame('The Authorization header is malformed.', $e->getMessage());
            return $e->reason();
        }
        self::fail('expected invalid_request for ' . var_export($header, true));
    }

    /** @return iterable<string, array{Vectors}> the tests of tests/vectors/credentials.txt */
    public static function knownAnswers(): iterable
    {
        foreach (Vectors::read('credentials.txt') as $case) {
            yield $case->at => [$case];
        }
    }

    /** @return array<string, ?string> what a header gives, in the vector file's terms */
    private static function outcome(?string $header): array
    {
        try {
            $c = Credentials::fromHeader($header);
        } catch (InvalidRequestException $e) {
            self::assertSame('invalid_request', $e->errorCode());
            self::assertSame('The Authorization header is malformed.', $e->getMessage());
            return ['Error' => $e->reason()];
        }
        self::assertSame($c->scheme() !== 'none', $c->isPresent());
        return [
            'Scheme' => $c->scheme(),
            'BearerToken' => $c->bearerToken(),
            'Username' => $c->username(),
            'Password' => $c->password(),
        ];
    }

    /**
     * The known answers of tests/vectors/credentials.txt (RFC 6750 §2.1 and
     * RFC 7617 §2 examples, the strict grammar's refusals), the same file the
     * Rust tests read; every header that carries credentials is also checked
     * with each byte XOR 0x01, which must change what it gives.
     *
     * @dataProvider knownAnswers
     */
    public function testKnownAnswers(Vectors $case): void
    {
        self::assertSame('header', $case->kind());
        $header = $case->bytes('Header');
        $error = $case->text('Error');
        $expected = $error !== null ? ['Error' => $error] : [
            'Scheme' => $case->text('Scheme'),
            'BearerToken' => $case->bytes('BearerToken'),
            'Username' => $case->bytes('Username'),
            'Password' => $case->bytes('Password'),
        ];
        self::assertSame($expected, self::outcome($header), $case->at);
        $case->finish();
        if ($header !== null && ($expected['BearerToken'] ?? $expected['Username'] ?? null) !== null) {
            for ($i = 0; $i < strlen($header); $i++) {
                self::assertNotSame($expected, self::outcome(Vectors::flip($header, $i)), "{$case->at} byte $i");
            }
        }
    }

    public function testOversizeHeaderIsRefusedWhateverTheScheme(): void
    {
        $limit = 4096;
        self::assertSame(str_repeat('a', $limit - 7), Credentials::fromHeader('Bearer ' . str_repeat('a', $limit - 7))->bearerToken());
        self::assertSame('header_too_large', self::reason('Bearer ' . str_repeat('a', $limit - 6)));
        self::assertSame('header_too_large', self::reason('Custom ' . str_repeat('a', 10 << 20)));
    }

    public function testBasic(): void
    {
        // RFC 7617 §2: "Aladdin" / "open sesame".
        $c = Credentials::fromHeader('Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==');
        self::assertSame('basic', $c->scheme());
        self::assertSame('Aladdin', $c->username());
        self::assertSame('open sesame', $c->password());
        self::assertNull($c->bearerToken());
        $c = Credentials::fromHeader('basic ' . base64_encode('client:sec:ret'));
        self::assertSame(['client', 'sec:ret'], [$c->username(), $c->password()]);
        $c = Credentials::fromHeader('Basic ' . base64_encode('ünï:cødé'));
        self::assertSame(['ünï', 'cødé'], [$c->username(), $c->password()]);
    }

    public function testHostileBasicHeaders(): void
    {
        self::assertSame('empty_credentials', self::reason('Basic'));
        self::assertSame('invalid_base64', self::reason('Basic %%%'));
        self::assertSame('invalid_base64', self::reason('Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ'));
        self::assertSame('missing_colon', self::reason('Basic ' . base64_encode('nocolon')));
        self::assertSame('invalid_utf8', self::reason('Basic ' . base64_encode("\xff:\xfe")));
        self::assertSame('invalid_character', self::reason('Basic ' . base64_encode("a\0b:c")));
        self::assertSame('multiple_credentials', self::reason('Basic YTpi, YTpi'));
    }

    public function testNoCredentials(): void
    {
        foreach ([null, '', '   ', 'Digest username="x"', 'Token abc', 'Bearerabc', 'Negotiate YII='] as $h) {
            $c = Credentials::fromHeader($h);
            self::assertSame('none', $c->scheme(), var_export($h, true));
            self::assertFalse($c->isPresent());
            self::assertNull($c->bearerToken());
        }
    }

    public function testSecretsAreNotDumped(): void
    {
        $c = Credentials::fromHeader('Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==');
        self::assertStringNotContainsString('sesame', print_r($c, true) . var_export($c, true));
        $this->expectException(\Exception::class);
        serialize($c);
    }
}
