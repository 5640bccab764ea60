<?php

declare(strict_types=1);

namespace McpGuard\Tests\Server\Mcp;

use McpGuard\Mcp\Envelope;
use PHPUnit\Framework\TestCase;

/**
 * The MCP envelope vectors (tests/vectors/mcp_envelope.json, shared with
 * tests/mcp_vectors.rs) through the built extension: each body as
 * json_decode gives it, with its headers, must be refused exactly so or
 * served with exactly these messages. Accepted cases are also tampered
 * (jsonrpc "2.1") and must then be refused.
 */
final class EnvelopeVectorsTest extends TestCase
{
    /** @return iterable<string, array{array<string, mixed>}> */
    public static function cases(): iterable
    {
        $doc = json_decode((string) file_get_contents(__DIR__ . '/../../../vectors/mcp_envelope.json'), true, 64, JSON_THROW_ON_ERROR);
        self::assertGreaterThanOrEqual(90, count($doc['cases']));
        foreach ($doc['cases'] as $case) {
            yield $case['name'] => [$case];
        }
    }

    /**
     * @dataProvider cases
     * @param array<string, mixed> $case
     */
    public function testVector(array $case): void
    {
        $h = $case['headers'];
        $read = static fn (mixed $body): Envelope => Envelope::read(
            $body,
            $h['MCP-Protocol-Version'] ?? null,
            $h['Mcp-Method'] ?? null,
            $h['Mcp-Name'] ?? null,
            $case['maxBatch'] ?? null,
        );
        // Through JSON text, as the endpoint decodes it.
        $body = json_decode(json_encode($case['body'], JSON_THROW_ON_ERROR), true, 64, JSON_THROW_ON_ERROR);
        $e = $read($body);
        if (isset($case['refused'])) {
            $want = $case['refused'];
            self::assertFalse($e->ok());
            self::assertSame($want['reason'], $e->reason());
            self::assertSame($want['status'], $e->httpStatus());
            self::assertSame($want['code'], $e->jsonRpcCode());
            self::assertSame($want['id'], $e->errorId());
            self::assertNotNull($e->errorMessage());
            self::assertSame([], $e->messages());
            self::assertNull($e->protocolVersion());
            $data = isset($case['supported']) ? ['supported' => $case['supported'], 'requested' => $case['requested']] : null;
            self::assertSame($data, $e->errorData());
            return;
        }
        $want = $case['accepted'];
        self::assertTrue($e->ok(), (string) $e->reason());
        self::assertNull($e->reason());
        self::assertSame(200, $e->httpStatus());
        self::assertSame($want['version'], $e->protocolVersion());
        self::assertSame($want['version'] === '2026-07-28', $e->isModern());
        self::assertSame($want['batch'], $e->isBatch());
        $expected = array_map(static fn (array $m): array => [$m['method'], $m['id'], $m['tool']], $want['messages']);
        self::assertSame($expected, $e->messages());

        $tampered = $body;
        if ($e->isBatch()) {
            $tampered[0]['jsonrpc'] = '2.1';
        } else {
            $tampered['jsonrpc'] = '2.1';
        }
        self::assertSame('bad_jsonrpc_version', $read($tampered)->reason());
    }
}
