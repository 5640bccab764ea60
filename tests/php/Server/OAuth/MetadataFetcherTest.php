<?php

declare(strict_types=1);

namespace McpGuard\Tests\Server\OAuth;

use McpGuard\OAuth\ClientMetadata;
use McpGuard\Server\OAuth\Client\MetadataFetchFailed;
use McpGuard\Server\OAuth\Client\StreamMetadataFetcher;
use PHPUnit\Framework\TestCase;

/**
 * The default metadata-document fetcher: it never connects to an address
 * the extension refuses (every resolved address is asked first), and it reads
 * one bounded HTTP response without following redirects. (There is no
 * internet here: the TLS connection to a public host is not exercised.)
 */
final class MetadataFetcherTest extends TestCase
{
    /** @var resource|null */
    private $listener = null;

    protected function tearDown(): void
    {
        if (is_resource($this->listener)) {
            fclose($this->listener);
        }
    }

    /** A listening socket on 127.0.0.1: the test checks no connection ever reached it. */
    private function listen(): int
    {
        $this->listener = stream_socket_server('tcp://127.0.0.1:0', $errno, $errstr);
        self::assertIsResource($this->listener);
        stream_set_blocking($this->listener, false);
        return (int) substr((string) strrchr((string) stream_socket_get_name($this->listener, false), ':'), 1);
    }

    private function noConnectionArrived(): void
    {
        self::assertFalse(@stream_socket_accept($this->listener, 0), 'the fetcher connected to a refused address');
    }

    private static function why(\Closure $fetch): string
    {
        try {
            $fetch();
        } catch (MetadataFetchFailed $e) {
            return $e->why();
        }
        self::fail('fetched');
    }

    public function testLoopbackAndPrivateTargetsAreRefusedWithoutConnecting(): void
    {
        $port = $this->listen();
        $literal = "https://127.0.0.1:{$port}/client.json";
        self::assertSame('127.0.0.1', ClientMetadata::documentHost($literal));
        self::assertSame('target_refused', self::why(fn () => (new StreamMetadataFetcher())->fetch($literal, '127.0.0.1')));
        $this->noConnectionArrived();

        foreach ([['127.0.0.1'], ['10.0.0.7'], ['169.254.169.254'], ['::1'], ['::ffff:127.0.0.1'], ['fd00::1'],
            ['93.184.215.14', '127.0.0.1'], ['2606:4700::6810:84e5', '192.168.1.1']] as $addresses) {
            $fetcher = new StreamMetadataFetcher(static fn (string $host): array => $addresses);
            $why = self::why(fn () => $fetcher->fetch("https://client.example:{$port}/client.json", 'client.example'));
            self::assertSame('target_refused', $why, implode(',', $addresses) . ': one refused address refuses the fetch');
        }
        $this->noConnectionArrived();
        self::assertSame('dns', self::why(fn () => (new StreamMetadataFetcher(static fn (): array => []))->fetch('https://client.example/c.json', 'client.example')));
    }

    public function testARefusedTargetIsInvalidClientNotAPassingFailure(): void
    {
        $e = MetadataFetchFailed::targetRefused();
        $r = \McpGuard\Server\OAuth\OAuthErrorResponse::fromThrowable($e);
        self::assertSame([401, 'invalid_client'], [$r->status, $r->error]);
        $r = \McpGuard\Server\OAuth\OAuthErrorResponse::fromThrowable(MetadataFetchFailed::because('timeout', 12));
        self::assertSame([503, 'temporarily_unavailable', '12'], [$r->status, $r->error, $r->response()->header('Retry-After')]);
    }

    /** @return resource */
    private static function stream(string $raw)
    {
        $s = fopen('php://memory', 'r+');
        fwrite($s, $raw);
        rewind($s);
        return $s;
    }

    private static function read(string $raw, int $max = 5120): \McpGuard\Server\OAuth\Client\FetchedDocument
    {
        return StreamMetadataFetcher::readResponse(self::stream($raw), $max, microtime(true) + 5);
    }

    public function testA200IsReadWithItsCacheControl(): void
    {
        $doc = self::read("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nCache-Control: max-age=3600\r\nContent-Length: 8\r\n\r\n{\"a\":1}\n");
        self::assertSame("{\"a\":1}\n", $doc->body);
        self::assertSame('max-age=3600', $doc->cacheControl);
        self::assertSame('{}', self::read("HTTP/1.0 200 OK\r\n\r\n{}")->body, 'no length: to the end');
        $chunked = self::read("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nCache-Control: public\r\nCache-Control: max-age=60\r\n\r\n4\r\n{\"a\"\r\n3;x=y\r\n:1}\r\n0\r\n\r\n");
        self::assertSame('{"a":1}', $chunked->body);
        self::assertSame('public, max-age=60', $chunked->cacheControl);
    }

    /** @return iterable<string, array{string, string}> */
    public static function refusedResponses(): iterable
    {
        yield 'a redirect is never followed' => ["HTTP/1.1 302 Found\r\nLocation: http://169.254.169.254/\r\n\r\n", 'redirect'];
        yield 'a 301 too' => ["HTTP/1.1 301 Moved\r\nLocation: /other\r\n\r\n", 'redirect'];
        yield 'not found' => ["HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n", 'status'];
        yield 'a bot challenge' => ["HTTP/1.1 403 Forbidden\r\n\r\n<html>", 'status'];
        yield 'announced too large' => ["HTTP/1.1 200 OK\r\nContent-Length: 5121\r\n\r\n", 'too_large'];
        yield 'too large without a length' => ["HTTP/1.1 200 OK\r\n\r\n" . str_repeat('a', 5121), 'too_large'];
        yield 'too large in chunks' => ["HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n" . str_repeat("400\r\n" . str_repeat('a', 1024) . "\r\n", 6) . "0\r\n\r\n", 'too_large'];
        yield 'shorter than announced' => ["HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n{}", 'truncated'];
        yield 'a bad chunk' => ["HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", 'malformed_response'];
        yield 'gzip' => ["HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\n\r\n", 'encoding'];
        yield 'not HTTP' => ["SSH-2.0-OpenSSH\r\n\r\n", 'malformed_response'];
        yield 'a header without colon' => ["HTTP/1.1 200 OK\r\nbroken\r\n\r\n{}", 'malformed_response'];
        yield 'headers never end' => ['HTTP/1.1 200 OK' . str_repeat("\r\nX-A: b", 4000), 'header_too_large'];
        yield 'the connection closed early' => ["HTTP/1.1 200 OK\r\n", 'truncated'];
    }

    /** @dataProvider refusedResponses */
    public function testAnythingButABounded200IsAFailure(string $raw, string $why): void
    {
        self::assertSame($why, self::why(fn () => self::read($raw)));
    }

    public function testThePastDeadlineIsATimeout(): void
    {
        self::assertSame('timeout', self::why(fn () => StreamMetadataFetcher::readResponse(self::stream("HTTP/1.1 200 OK\r\n\r\n{}"), 5120, microtime(true) - 1)));
    }
}
