<?php

declare(strict_types=1);

namespace McpGuard\Tests\Extension;

use McpGuard\Credentials;
use McpGuard\Exception\InvalidRequestException;
use PHPUnit\Framework\TestCase;

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

    public function testBearer(): void
    {
        $c = Credentials::fromHeader('Bearer mF_9.B5f-4.1JqM');
        self::assertSame('bearer', $c->scheme());
        self::assertTrue($c->isPresent());
        self::assertSame('mF_9.B5f-4.1JqM', $c->bearerToken());
        self::assertNull($c->username());
        self::assertNull($c->password());
        // Scheme case-insensitive, several spaces, padding, surrounding white space.
        self::assertSame('abc==', Credentials::fromHeader("  bEaReR   abc==\t")->bearerToken());
        self::assertSame('a-._~+/z', Credentials::fromHeader('BEARER a-._~+/z')->bearerToken());
    }

    /** @return array<string, array{string, string}> */
    public function hostileBearers(): array
    {
        return [
            'empty' => ['Bearer', 'empty_credentials'],
            'only spaces' => ['Bearer    ', 'empty_credentials'],
            'two credentials' => ['Bearer abc, Bearer def', 'multiple_credentials'],
            'comma' => ['Bearer abc,def', 'multiple_credentials'],
            'inner space' => ['Bearer abc def', 'inner_whitespace'],
            'inner tab' => ["Bearer abc\tdef", 'inner_whitespace'],
            'tab after scheme' => ["Bearer\tabc", 'invalid_character'],
            'quote' => ['Bearer "abc"', 'invalid_character'],
            'equals inside' => ['Bearer ab=c', 'invalid_character'],
            'only padding' => ['Bearer ==', 'invalid_character'],
            'NUL' => ["Bearer abc\0def", 'invalid_character'],
            'CRLF' => ["Bearer abc\r\nX-Injected:1", 'invalid_character'],
            'CRLF and header' => ["Bearer abc\r\nX-Injected: 1", 'inner_whitespace'],
            'non-UTF-8' => ["Bearer \xff\xfe", 'invalid_character'],
            'UTF-8 letters' => ['Bearer tökén', 'invalid_character'],
        ];
    }

    /** @dataProvider hostileBearers */
    public function testHostileBearerHeadersAreInvalidRequest(string $header, string $reason): void
    {
        self::assertSame($reason, self::reason($header));
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
