<?php

declare(strict_types=1);

namespace McpGuard\Tests\Server\Mcp;

use McpGuard\Exception\InvalidArgumentException;
use McpGuard\Mcp\Protocol;
use McpGuard\Policy;
use McpGuard\Server\Http\Request;
use McpGuard\Server\Http\Response;
use McpGuard\Server\Mcp\Caller;
use McpGuard\Server\Mcp\Endpoint;
use McpGuard\Server\Mcp\EndpointLimits;
use McpGuard\Server\Mcp\Incoming;
use McpGuard\Server\Mcp\ToolRegistry;
use PHPUnit\Framework\TestCase;

/**
 * McpGuard\Server\Mcp\Endpoint over neutral HTTP values, through the built
 * extension: every refusal of both eras (status, JSON-RPC code, data),
 * notifications, batches, the answers of each method, and what a handler's
 * failure may show.
 */
final class EndpointTest extends TestCase
{
    private const V26 = '2026-07-28';
    private const META = ['io.modelcontextprotocol/protocolVersion' => self::V26, 'io.modelcontextprotocol/clientCapabilities' => []];

    private Endpoint $endpoint;
    private Caller $caller;

    protected function setUp(): void
    {
        $policy = new Policy([
            'version' => 1,
            'writes_enabled' => true,
            'tools' => [
                'products.search' => ['class' => 'read', 'scopes' => ['read'], 'fields' => ['query' => ['type' => 'string']]],
                'products.update' => ['class' => 'write', 'scopes' => ['products:write'], 'fields' => ['id' => ['type' => 'integer']]],
                'orders.cancel' => ['class' => 'destructive', 'scopes' => ['products:write'], 'enabled' => true, 'fields' => ['id' => ['type' => 'integer']]],
                'reports.broken' => ['class' => 'read', 'scopes' => ['read'], 'fields' => []],
                'admin.purge' => ['class' => 'destructive', 'scopes' => ['write'], 'enabled' => true, 'fields' => ['id' => ['type' => 'integer']]],
                'products.unbound' => ['class' => 'write', 'scopes' => ['products:write'], 'fields' => ['id' => ['type' => 'integer']]],
            ],
        ]);
        $tools = (new ToolRegistry($policy))
            ->bind('products.update', static fn (array $a): string => 'updated ' . $a['id'], 'Update.')
            ->bind('products.search', static fn (array $a, Caller $c): array => ['q' => $a['query'] ?? null, 'who' => $c->memberId], 'Search.', ['type' => 'object', 'properties' => []], 'Search')
            ->bind('orders.cancel', static fn (): array => ['a', 'b'], 'Cancel.')
            ->bind('reports.broken', static function (): never {
                throw new \RuntimeException('SECRET password=hunter2');
            }, 'Broken.')
            ->bind('admin.purge', static fn (): string => 'purged', 'Purge.');
        $this->endpoint = new Endpoint($tools, new EndpointLimits(maxBodyBytes: 4096, maxBatch: 3), 'shop', '2.0', 'Use the tools.', 1500);
        $scopes = ['discover', 'read', 'products:write'];
        $this->caller = new Caller('alice', 'editor', $scopes, $policy->visibleTools($scopes));
    }

    /** @param array<string, string> $headers */
    private function post(mixed $body, array $headers = []): Incoming|Response
    {
        $text = is_string($body) ? $body : json_encode($body, JSON_THROW_ON_ERROR);
        return $this->endpoint->read(new Request('POST', '/mcp', '', $headers, $text));
    }

    /** @param array<string, mixed> $params */
    private static function modern(string $method, array $params = [], int|string $id = 1): array
    {
        return ['jsonrpc' => '2.0', 'id' => $id, 'method' => $method, 'params' => $params + ['_meta' => self::META]];
    }

    /** @return array<string, string> */
    private static function headers(string $method, ?string $name = null): array
    {
        return ['MCP-Protocol-Version' => self::V26, 'Mcp-Method' => $method] + ($name === null ? [] : ['Mcp-Name' => $name]);
    }

    /** @return array<string, mixed> */
    private static function refused(Incoming|Response $r, int $status, int $code): array
    {
        self::assertInstanceOf(Response::class, $r);
        self::assertSame($status, $r->status, $r->body);
        self::assertSame('application/json', $r->header('Content-Type'));
        $body = json_decode($r->body, true, 16, JSON_THROW_ON_ERROR);
        self::assertSame('2.0', $body['jsonrpc']);
        self::assertSame($code, $body['error']['code']);
        self::assertIsString($body['error']['message']);
        return $body;
    }

    /** @return array<string, mixed>|list<mixed> the decoded answer body */
    private function serve(Incoming|Response $in, int $status = 200): array
    {
        self::assertInstanceOf(Incoming::class, $in, $in instanceof Response ? $in->body : '');
        $answers = array_map(fn ($m) => $this->endpoint->answer($m, $this->caller), $in->messages);
        $r = $this->endpoint->respond($in, $answers);
        self::assertSame($status, $r->status);
        self::assertSame('application/json', $r->header('Content-Type'));
        self::assertSame($in->modern ? self::V26 : null, $r->header('MCP-Protocol-Version'));
        return json_decode($r->body, true, 32, JSON_THROW_ON_ERROR);
    }

    public function testGetAndDeleteAre405WithAllowInBothEras(): void
    {
        foreach (['GET', 'DELETE', 'PUT', 'PATCH'] as $method) {
            foreach ([[], ['MCP-Protocol-Version' => self::V26], ['MCP-Protocol-Version' => '2025-11-25']] as $headers) {
                $r = $this->endpoint->read(new Request($method, '/mcp', '', $headers + ['Accept' => 'text/event-stream']));
                self::refused($r, 405, -32600);
                self::assertSame('POST', $r->header('Allow'));
            }
        }
    }

    public function testBodyOverTheCapIs413BeforeItIsDecoded(): void
    {
        $body = json_encode(self::modern('tools/list', ['pad' => str_repeat('a', 4096)]));
        self::refused($this->post($body, self::headers('tools/list')), 413, -32600);
        // Not even JSON: the size is checked first.
        self::refused($this->post(str_repeat('{', 4097)), 413, -32600);
        // At the cap it is read.
        $ok = json_encode(self::modern('tools/list'));
        $this->assertInstanceOf(Incoming::class, $this->post(str_pad($ok, 4096, ' '), self::headers('tools/list')));
    }

    public function testMalformedNonUtf8AndTooDeepJsonAreParseErrors(): void
    {
        foreach (['', '{', '{"jsonrpc":"2.0",}', "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"p\xffing\"}", 'nul', str_repeat('[', 64) . str_repeat(']', 64)] as $text) {
            $body = self::refused($this->post($text, self::headers('ping')), 400, -32700);
            self::assertNull($body['id']);
        }
        // json_decode's depth 64 reads 63 nested arrays (then refused as a message, not as JSON).
        self::refused($this->post(str_repeat('[', 63) . str_repeat(']', 63)), 400, -32600);
    }

    public function testAnIdTooLargeForAnIntIsNotTurnedIntoAString(): void
    {
        $r = $this->post('{"jsonrpc":"2.0","id":123456789012345678901234567890,"method":"ping"}', ['MCP-Protocol-Version' => '2025-11-25']);
        $body = self::refused($r, 400, -32600);
        self::assertNull($body['id']);
    }

    public function testUnsupportedVersionIs400With32022AndTheSupportedList(): void
    {
        foreach (['1900-01-01', '2024-11-05', 'not-a-version', '2026-07-28 '] as $v) {
            $body = self::refused($this->post(self::modern('tools/list', [], 'q'), ['MCP-Protocol-Version' => $v, 'Mcp-Method' => 'tools/list']), 400, -32022);
            self::assertSame('q', $body['id']);
            self::assertSame(['2026-07-28', '2025-11-25', '2025-06-18', '2025-03-26'], $body['error']['data']['supported']);
            self::assertSame(Protocol::supportedVersions(), $body['error']['data']['supported']);
        }
        // A hostile value is never echoed.
        $body = self::refused($this->post(self::modern('tools/list'), ['MCP-Protocol-Version' => str_repeat('9', 200)]), 400, -32022);
        self::assertSame('', $body['error']['data']['requested']);
    }

    public function testHeaderBodyMismatchesAre400With32020(): void
    {
        $call = self::modern('tools/call', ['name' => 'products.search', 'arguments' => ['query' => 'mug']]);
        foreach ([
            [],                                                     // no Mcp-Method, no Mcp-Name
            ['Mcp-Method' => 'tools/list', 'Mcp-Name' => 'products.search'],
            ['Mcp-Method' => 'tools/call'],                         // no Mcp-Name
            ['Mcp-Method' => 'tools/call', 'Mcp-Name' => 'products.update'],
            ['Mcp-Method' => 'tools/call', 'Mcp-Name' => '=?base64?cHJvZHVjdHMudXBkYXRl?='], // products.update
            ['Mcp-Method' => 'tools/call', 'Mcp-Name' => 'products.search, products.search'], // a repeated header, joined
        ] as $h) {
            $body = self::refused($this->post($call, ['MCP-Protocol-Version' => self::V26] + $h), 400, -32020);
            self::assertSame(1, $body['id']);
        }
        $other = ['io.modelcontextprotocol/protocolVersion' => '2025-11-25', 'io.modelcontextprotocol/clientCapabilities' => []];
        self::refused($this->post(['jsonrpc' => '2.0', 'id' => 1, 'method' => 'tools/list', 'params' => ['_meta' => $other]], self::headers('tools/list')), 400, -32020);
        // Both right: served, the wrapped form too.
        $this->assertInstanceOf(Incoming::class, $this->post($call, self::headers('tools/call', 'products.search')));
        $this->assertInstanceOf(Incoming::class, $this->post($call, self::headers('tools/call', '=?base64?' . base64_encode('products.search') . '?=')));
    }

    public function testMissingRequestMetaIs32602(): void
    {
        self::refused($this->post(['jsonrpc' => '2.0', 'id' => 1, 'method' => 'tools/list'], self::headers('tools/list')), 400, -32602);
    }

    public function testUnknownMethodIs404With32601InBothEras(): void
    {
        self::refused($this->post(self::modern('resources/list'), self::headers('resources/list')), 404, -32601);
        self::refused($this->post(self::modern('initialize', ['protocolVersion' => self::V26]), self::headers('initialize')), 404, -32601);
        self::refused($this->post(['jsonrpc' => '2.0', 'id' => 1, 'method' => 'server/discover'], ['MCP-Protocol-Version' => '2025-11-25']), 404, -32601);
        self::refused($this->post(['jsonrpc' => '2.0', 'id' => 1, 'method' => 'prompts/list']), 404, -32601);
    }

    public function testNotificationsAre202WithoutABodyInBothEras(): void
    {
        foreach ([['MCP-Protocol-Version' => self::V26], ['MCP-Protocol-Version' => '2025-11-25'], []] as $h) {
            $in = $this->post(['jsonrpc' => '2.0', 'method' => 'notifications/initialized'], $h);
            self::assertInstanceOf(Incoming::class, $in);
            self::assertTrue($in->messages[0]->isNotification);
            $answer = $this->endpoint->answer($in->messages[0], $this->caller);
            self::assertNull($answer);
            $r = $this->endpoint->respond($in, [$answer]);
            self::assertSame(202, $r->status);
            self::assertSame('', $r->body);
            self::assertNull($r->header('Content-Type'));
        }
    }

    public function testBatchesOnlyFor2025_03_26AndUpToTheCap(): void
    {
        $ping = static fn (int $id): array => ['jsonrpc' => '2.0', 'id' => $id, 'method' => 'ping'];
        $in = $this->post([$ping(1), ['jsonrpc' => '2.0', 'method' => 'notifications/initialized'], ['jsonrpc' => '2.0', 'id' => 3, 'method' => 'resources/list']]);
        self::assertInstanceOf(Incoming::class, $in);
        self::assertTrue($in->isBatch);
        self::assertSame('2025-03-26', $in->era);
        $answers = $this->serve($in);
        self::assertSame([['jsonrpc' => '2.0', 'id' => 1, 'result' => []], ['jsonrpc' => '2.0', 'id' => 3, 'error' => ['code' => -32601, 'message' => 'Method not found.']]], $answers);
        self::refused($this->post([$ping(1), $ping(2), $ping(3), $ping(4)]), 400, -32600);
        self::refused($this->post([]), 400, -32600);
        self::refused($this->post([$ping(1)], ['MCP-Protocol-Version' => '2025-11-25']), 400, -32600);
        self::refused($this->post([self::modern('tools/list')], self::headers('tools/list')), 400, -32600);
        self::refused($this->post([['jsonrpc' => '2.0', 'id' => 1, 'method' => 'initialize', 'params' => ['protocolVersion' => '2025-03-26']]]), 400, -32600);
    }

    public function testAResponseSentToUsIsRefused(): void
    {
        self::refused($this->post(['jsonrpc' => '2.0', 'id' => 1, 'result' => []], ['MCP-Protocol-Version' => '2025-11-25']), 400, -32600);
    }

    public function testInitializeNegotiatesAndAnswersWithoutResultType(): void
    {
        foreach (['2025-11-25' => '2025-11-25', '2025-06-18' => '2025-06-18', '2024-11-05' => '2025-11-25', self::V26 => '2025-11-25'] as $asked => $answered) {
            $in = $this->post(['jsonrpc' => '2.0', 'id' => 0, 'method' => 'initialize', 'params' => ['protocolVersion' => $asked, 'capabilities' => []]]);
            $body = $this->serve($in);
            self::assertSame($answered, $body['result']['protocolVersion']);
            self::assertSame(['tools' => ['listChanged' => false]], $body['result']['capabilities']);
            self::assertSame(['name' => 'shop', 'version' => '2.0'], $body['result']['serverInfo']);
            self::assertSame('Use the tools.', $body['result']['instructions']);
            self::assertArrayNotHasKey('resultType', $body['result']);
        }
        $ping = $this->serve($this->post(['jsonrpc' => '2.0', 'id' => 'p', 'method' => 'ping'], ['MCP-Protocol-Version' => '2025-11-25']));
        self::assertSame(['jsonrpc' => '2.0', 'id' => 'p', 'result' => []], $ping);
    }

    public function testServerDiscover(): void
    {
        $body = $this->serve($this->post(self::modern('server/discover'), self::headers('server/discover')));
        $r = $body['result'];
        self::assertSame(Protocol::supportedVersions(), $r['supportedVersions']);
        self::assertSame(['tools' => ['listChanged' => false]], $r['capabilities']);
        self::assertSame('complete', $r['resultType']);
        self::assertSame(['name' => 'shop', 'version' => '2.0'], $r['_meta']['io.modelcontextprotocol/serverInfo']);
        self::assertSame([1500, 'private'], [$r['ttlMs'], $r['cacheScope']]);
    }

    public function testToolsListIsTheCallersSortedAnnotatedAndPrivate(): void
    {
        $list = $this->serve($this->post(self::modern('tools/list'), self::headers('tools/list')))['result'];
        self::assertSame(['orders.cancel', 'products.search', 'products.update', 'reports.broken'], array_column($list['tools'], 'name'));
        self::assertSame(['complete', 1500, 'private'], [$list['resultType'], $list['ttlMs'], $list['cacheScope']]);
        $byName = array_column($list['tools'], null, 'name');
        self::assertSame(['readOnlyHint' => true, 'destructiveHint' => false, 'idempotentHint' => true, 'openWorldHint' => false], $byName['products.search']['annotations']);
        self::assertSame(['readOnlyHint' => false, 'destructiveHint' => false, 'idempotentHint' => false, 'openWorldHint' => false], $byName['products.update']['annotations']);
        self::assertSame(['readOnlyHint' => false, 'destructiveHint' => true, 'idempotentHint' => false, 'openWorldHint' => false], $byName['orders.cancel']['annotations']);
        self::assertSame('Search', $byName['products.search']['title']);
        self::assertArrayNotHasKey('title', $byName['products.update']);
        // An empty properties list is written as a JSON object.
        $raw = $this->endpoint->respond($in = $this->post(self::modern('tools/list'), self::headers('tools/list')), [$this->endpoint->answer($in->messages[0], $this->caller)])->body;
        self::assertStringContainsString('"inputSchema":{"type":"object","properties":{}}', $raw);
        // 2025-11-25: the same tools, none of the 2026 fields.
        $legacy = $this->serve($this->post(['jsonrpc' => '2.0', 'id' => 2, 'method' => 'tools/list'], ['MCP-Protocol-Version' => '2025-11-25']))['result'];
        self::assertSame(array_column($list['tools'], 'name'), array_column($legacy['tools'], 'name'));
        self::assertSame(['tools'], array_keys($legacy));
        // A caller who sees nothing lists nothing.
        $none = new Caller('bob', 'viewer', ['read'], []);
        $in = $this->post(self::modern('tools/list'), self::headers('tools/list'));
        self::assertSame([], $this->endpoint->answer($in->messages[0], $none)['result']['tools']);
    }

    public function testToolsCallResults(): void
    {
        $call = fn (string $tool, array $args = []): array => $this->serve($this->post(
            self::modern('tools/call', ['name' => $tool, 'arguments' => $args]),
            self::headers('tools/call', $tool),
        ));
        $found = $call('products.search', ['query' => 'mug'])['result'];
        self::assertSame(['q' => 'mug', 'who' => 'alice'], $found['structuredContent']);
        self::assertSame([['type' => 'text', 'text' => '{"q":"mug","who":"alice"}']], $found['content']);
        self::assertFalse($found['isError']);
        self::assertSame('complete', $found['resultType']);
        self::assertSame([['type' => 'text', 'text' => 'updated 5']], $call('products.update', ['id' => 5])['result']['content']);
        self::assertSame(['items' => ['a', 'b']], $call('orders.cancel', ['id' => 1])['result']['structuredContent']);
        // Whether the caller may is the pipeline's decision, taken before answer().
        self::assertSame([['type' => 'text', 'text' => 'purged']], $call('admin.purge', ['id' => 1])['result']['content']);
        // A manifest tool nobody bound is -32602.
        $unbound = $call('products.unbound', ['id' => 1]);
        self::assertSame(['code' => -32602, 'message' => 'Unknown tool.'], $unbound['error']);
    }

    public function testAHandlerExceptionNeverLeaksItsMessage(): void
    {
        $in = $this->post(self::modern('tools/call', ['name' => 'reports.broken']), self::headers('tools/call', 'reports.broken'));
        $r = $this->endpoint->respond($in, [$this->endpoint->answer($in->messages[0], $this->caller)]);
        self::assertSame(200, $r->status);
        self::assertStringNotContainsString('SECRET', $r->body);
        self::assertStringNotContainsString('hunter2', $r->body);
        self::assertStringNotContainsString('RuntimeException', $r->body);
        $result = json_decode($r->body, true)['result'];
        self::assertTrue($result['isError']);
        self::assertSame([['type' => 'text', 'text' => 'The tool failed.']], $result['content']);
    }

    public function testArgumentsAndMetaAreHandedOverAsDecoded(): void
    {
        $in = $this->post(self::modern('tools/call', ['name' => 'products.search', 'arguments' => ['query' => "caf\u{e9}", 'n' => [1, 2]]]), self::headers('tools/call', 'products.search'));
        self::assertInstanceOf(Incoming::class, $in);
        $m = $in->messages[0];
        self::assertSame(['tools/call', 1, 'products.search', false], [$m->method, $m->id, $m->toolName, $m->isNotification]);
        self::assertSame(['query' => "caf\u{e9}", 'n' => [1, 2]], $m->arguments);
        self::assertSame(self::V26, $m->meta['io.modelcontextprotocol/protocolVersion']);
        self::assertSame(['jsonrpc' => '2.0', 'id' => 1, 'error' => ['code' => -32001, 'message' => 'No.', 'data' => ['x' => 1]]], $this->endpoint->error($m, -32001, 'No.', ['x' => 1]));
    }

    public function testRespondKeepsExtraHeadersAndStatus(): void
    {
        $in = $this->post(self::modern('tools/list'), self::headers('tools/list'));
        $r = $this->endpoint->respond($in, [$this->endpoint->error($in->messages[0], -32001, 'Rate limited.')], ['Retry-After' => '3'], 429);
        self::assertSame(429, $r->status);
        self::assertSame('3', $r->header('Retry-After'));
        self::assertSame(self::V26, $r->header('MCP-Protocol-Version'));
    }

    public function testTheRegistryOnlyBindsManifestTools(): void
    {
        $policy = new Policy(['version' => 1, 'tools' => ['a.b' => ['class' => 'read', 'scopes' => ['read'], 'fields' => []]]]);
        $registry = new ToolRegistry($policy);
        $registry->bind('a.b', static fn (): string => 'x', 'A.');
        foreach ([
            static fn () => $registry->bind('not.in.manifest', static fn (): string => 'x', 'No.'),
            static fn () => $registry->bind('a.b', static fn (): string => 'x', 'Twice.'),
            static fn () => (new ToolRegistry($policy))->bind('a.b', static fn (): string => 'x', 'Bad schema.', ['type' => 'array']),
            static fn () => $registry->call('not.bound', [], new Caller('m', 'viewer', [], [])),
            static fn () => new EndpointLimits(maxBatch: 0),
            static fn () => new EndpointLimits(maxBodyBytes: 0),
            static fn () => new EndpointLimits(maxDepth: 4),
            static fn () => Protocol::toolAnnotations('delete'),
        ] as $i => $bad) {
            try {
                $bad();
                self::fail("case $i did not throw");
            } catch (InvalidArgumentException) {
                $this->addToAssertionCount(1);
            }
        }
    }

    public function testHugeAndHostileBodiesGiveARefusalNotACrash(): void
    {
        $big = new Endpoint(new ToolRegistry(new Policy(['version' => 1, 'tools' => []])));
        $hostile = [
            json_encode(['jsonrpc' => '2.0', 'id' => str_repeat('i', 300_000), 'method' => 'ping']),
            json_encode(['jsonrpc' => '2.0', 'id' => 1, 'method' => str_repeat('m', 300_000)]),
            json_encode(array_fill(0, 20_000, ['jsonrpc' => '2.0', 'id' => 1, 'method' => 'ping'])),
            json_encode(['jsonrpc' => '2.0', 'id' => 1, 'method' => 'tools/call', 'params' => ['name' => str_repeat('n', 200_000)]]),
            json_encode(['jsonrpc' => '2.0', 'id' => 1, 'method' => 'ping'] + array_fill_keys(array_map('strval', range(1, 20_000)), 1)),
            '"' . str_repeat('a', 900_000) . '"',
        ];
        foreach ($hostile as $i => $text) {
            $r = $big->read(new Request('POST', '/mcp', '', ['MCP-Protocol-Version' => '2025-03-26'], $text));
            if ($i === 4) {
                // Unknown members are ignored.
                self::assertInstanceOf(Incoming::class, $r);
                continue;
            }
            self::assertInstanceOf(Response::class, $r, "case $i");
            self::assertSame(400, $r->status, "case $i");
        }
    }
}
