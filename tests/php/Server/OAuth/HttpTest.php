<?php

declare(strict_types=1);

namespace McpGuard\Tests\Server\OAuth;

use McpGuard\Exception\InvalidArgumentException;
use McpGuard\Server\Http\Request;
use McpGuard\Server\Http\Response;
use PHPUnit\Framework\TestCase;

/** The neutral request/response values the OAuth endpoints are built on. */
final class HttpTest extends TestCase
{
    public function testRequestHeadersAreCaseInsensitiveAndTheRestIsRaw(): void
    {
        $r = new Request('POST', '/oauth/token', 'a=1&a=2', ['Content-Type' => 'application/x-www-form-urlencoded', 'MCP-Protocol-Version' => '2026-07-28'],
            'grant_type=authorization_code&code=x', ['sid' => 'abc'], '203.0.113.9');
        self::assertSame('application/x-www-form-urlencoded', $r->header('content-type'));
        self::assertSame('2026-07-28', $r->header('mcp-protocol-version'));
        self::assertNull($r->header('Authorization'));
        self::assertSame('a=1&a=2', $r->query, 'the repeated parameter is kept for the extension to refuse');
        self::assertSame('grant_type=authorization_code&code=x', $r->body);
        self::assertSame('abc', $r->cookie('sid'));
        self::assertNull($r->cookie('other'));
        self::assertSame('203.0.113.9', $r->remoteAddress);
        self::assertSame(['content-type', 'mcp-protocol-version'], array_keys($r->headers()));
    }

    public function testRequestRefusesBadOrAmbiguousHeaders(): void
    {
        foreach ([['Bad Header' => 'x'], ["X\n" => 'x'], ['' => 'x'], ['X-A' => ['x']], ['Host' => 'a', 'host' => 'b']] as $headers) {
            try {
                new Request('GET', '/', '', $headers);
                self::fail('accepted ' . json_encode(array_keys($headers)));
            } catch (InvalidArgumentException) {
                $this->addToAssertionCount(1);
            }
        }
    }

    public function testResponseHeadersReplaceByNameAndRefuseInjection(): void
    {
        $r = new Response(302, ['Location' => 'https://a.example/cb', 'cache-control' => 'no-cache']);
        $r2 = $r->withHeader('Cache-Control', 'no-store');
        self::assertSame('no-cache', $r->header('Cache-Control'), 'withHeader() copies');
        self::assertSame(['Location' => 'https://a.example/cb', 'Cache-Control' => 'no-store'], $r2->headers());
        foreach ([[200, ['X' => "a\r\nSet-Cookie: x=1"]], [200, ['X' => "a\nb"]], [200, ['X y' => 'a']], [200, ['X' => 1]], [99, []], [600, []]] as [$status, $headers]) {
            try {
                new Response($status, $headers);
                self::fail('accepted ' . json_encode([$status, $headers]));
            } catch (InvalidArgumentException) {
                $this->addToAssertionCount(1);
            }
        }
        $this->expectException(InvalidArgumentException::class);
        $r->withHeader('Location', "https://a.example/\r\nX: y");
    }

    public function testFromGlobalsUnderTheCliServer(): void
    {
        $server = $_SERVER;
        $cookies = $_COOKIE;
        try {
            $_SERVER = ['REQUEST_METHOD' => 'post', 'REQUEST_URI' => '/oauth/authorize?x=1&x=2?y', 'QUERY_STRING' => 'rewritten=1',
                'HTTP_ORIGIN' => 'https://shop.example', 'CONTENT_TYPE' => 'text/plain', 'REMOTE_ADDR' => '127.0.0.1', 'HTTP_X_ARRAY' => ['no']];
            $_COOKIE = ['sid' => 'abc', 'arr' => ['x']];
            $r = Request::fromGlobals();
            self::assertSame('POST', $r->method);
            self::assertSame('/oauth/authorize', $r->path);
            self::assertSame('x=1&x=2?y', $r->query, 'as sent, not as a rewrite left it');
            self::assertSame('https://shop.example', $r->header('Origin'));
            self::assertSame('text/plain', $r->header('content-type'));
            self::assertNull($r->header('x-array'));
            self::assertSame(['sid' => 'abc'], $r->cookies);
            self::assertSame('127.0.0.1', $r->remoteAddress);
        } finally {
            $_SERVER = $server;
            $_COOKIE = $cookies;
        }
    }

    public function testFromGlobalsReadsTheAuthorizationThatAnApacheRewritePassedOn(): void
    {
        $server = $_SERVER;
        try {
            $_SERVER = ['REQUEST_METHOD' => 'POST', 'REQUEST_URI' => '/mcp', 'REDIRECT_HTTP_AUTHORIZATION' => 'Bearer from-rewrite'];
            self::assertSame('Bearer from-rewrite', Request::fromGlobals()->header('authorization'));
            $_SERVER['HTTP_AUTHORIZATION'] = 'Bearer sent';
            self::assertSame('Bearer sent', Request::fromGlobals()->header('authorization'), 'the header itself wins');
            $_SERVER = ['REQUEST_METHOD' => 'POST', 'REQUEST_URI' => '/mcp', 'REDIRECT_HTTP_AUTHORIZATION' => ''];
            self::assertNull(Request::fromGlobals()->header('authorization'));
        } finally {
            $_SERVER = $server;
        }
    }
}
