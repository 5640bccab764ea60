<?php

declare(strict_types=1);

namespace McpGuard\Tests\Server\Guard;

use McpGuard\Server\Audit\AuditVerifier;
use McpGuard\Server\Audit\PdoAuditLog;
use McpGuard\Tests\Support\OAuth\HttpClient;
use McpGuard\Tests\Support\OAuth\HttpServer;
use McpGuard\Tests\Support\Guard\TestShop;
use PHPUnit\Framework\TestCase;

/**
 * The guarded MCP endpoint end to end over real HTTP: `php -S` with four
 * workers serving tests/mcp/server/router.php (the real Pipeline, Endpoint,
 * OAuth server, PDO stores on SQLite), tokens and members made with the real
 * `bin/mcp-guard`, and the audit chain checked by `bin/mcp-guard audit:verify`.
 */
final class PipelineHttpTest extends TestCase
{
    private static HttpServer $server;
    private static TestShop $shop;
    private HttpClient $http;

    public static function setUpBeforeClass(): void
    {
        self::$shop = new TestShop();
        self::$server = new HttpServer(dirname(__DIR__, 3) . '/mcp/server/router.php',
            ['MCPG_SHOP_CONFIG' => self::$shop->configFile(), 'PHP_CLI_SERVER_WORKERS' => '4'],
            ['session.save_path' => self::$shop->dir . '/sessions', 'display_errors' => 'stderr', 'log_errors' => '0'], self::$shop->dir . '/server.log');
        self::$shop->configure(['origin' => self::$server->origin, 'rates' => ['read' => ['limit' => 5, 'period' => 3600]]]);
        self::$shop->members(['victor' => 'viewer', 'alice' => 'editor', 'eve' => 'editor']);
    }

    public static function tearDownAfterClass(): void
    {
        self::$server->stop();
        self::$shop->destroy();
    }

    protected function setUp(): void
    {
        $this->http = new HttpClient(self::$server->origin);
        self::$shop->change([]);
    }

    protected function onNotSuccessfulTest(\Throwable $t): never
    {
        fwrite(STDERR, "\n--- php -S log\n" . self::$server->log());
        throw $t;
    }

    /**
     * @param array<string, mixed> $message
     * @param array<string, string> $headers
     * @return array{status: int, headers: array<string, string>, body: string, json: mixed}
     */
    private function mcp(array $message, ?string $token, array $headers = []): array
    {
        $headers += ['Content-Type' => 'application/json', 'Accept' => 'application/json, text/event-stream'];
        if ($token !== null) {
            $headers['Authorization'] = 'Bearer ' . $token;
        }
        $r = $this->http->request('POST', '/mcp', json_encode($message + ['jsonrpc' => '2.0'], JSON_UNESCAPED_SLASHES), $headers);
        $r['json'] = $r['body'] === '' ? null : json_decode($r['body'], true);
        return $r;
    }

    /** @return array{status: int, headers: array<string, string>, body: string, json: mixed} */
    private function call(string $tool, array $arguments, string $member, array $headers = []): array
    {
        return $this->mcp(['id' => random_int(1, 1 << 30), 'method' => 'tools/call', 'params' => ['name' => $tool, 'arguments' => $arguments]],
            self::$shop->tokens[$member], $headers);
    }

    public function testNoTokenIs401WithTheResourceMetadataChallengeAndAQueryTokenIsIgnored(): void
    {
        $r = $this->mcp(['id' => 1, 'method' => 'tools/list'], null);
        self::assertSame(401, $r['status'], $r['body']);
        self::assertSame('Bearer resource_metadata="' . self::$server->origin . '/.well-known/oauth-protected-resource/mcp"',
            $r['headers']['www-authenticate']);
        $q = $this->http->request('POST', '/mcp?access_token=' . rawurlencode(self::$shop->tokens['alice']),
            '{"jsonrpc":"2.0","id":1,"method":"tools/list"}', ['Content-Type' => 'application/json']);
        self::assertSame(401, $q['status']);
        $meta = $this->http->request('GET', '/.well-known/oauth-protected-resource/mcp');
        self::assertSame(self::$server->origin . '/mcp', json_decode($meta['body'], true)['resource']);
    }

    public function testABadOrExpiredTokenIs401InvalidTokenNever403(): void
    {
        $t = self::$shop->tokens['alice']; // its last character changed (to 'x', or 'y' when it is an 'x')
        $bad = $this->mcp(['id' => 1, 'method' => 'tools/list'], substr($t, 0, -1) . ($t[-1] === 'x' ? 'y' : 'x'));
        self::assertSame(401, $bad['status']);
        self::assertStringContainsString('error="invalid_token"', $bad['headers']['www-authenticate']);
        $expired = self::$shop->token('alice', 'editor', 1);
        sleep(2);
        $r = $this->mcp(['id' => 1, 'method' => 'tools/list'], $expired);
        self::assertSame(401, $r['status']);
        self::assertStringContainsString('error="invalid_token"', $r['headers']['www-authenticate']);
    }

    public function testAViewerReadsButAWriteIs403WithTheScopeItNeeds(): void
    {
        $list = $this->mcp(['id' => 1, 'method' => 'tools/list'], self::$shop->tokens['victor']);
        self::assertSame(200, $list['status'], $list['body']);
        self::assertSame(['products.search', 'shop.info'], array_column($list['json']['result']['tools'], 'name'));
        $search = $this->call('products.search', ['query' => 'Mug'], 'victor');
        self::assertSame(200, $search['status'], $search['body']);
        self::assertSame('Mug', $search['json']['result']['structuredContent']['products'][0]['name']);
        self::assertArrayHasKey('ratelimit', $search['headers']);
        $write = $this->call('products.update', ['id' => 1, 'price' => 1.0], 'victor');
        self::assertSame(403, $write['status'], $write['body']);
        self::assertSame('Bearer error="insufficient_scope", scope="products:write", resource_metadata="'
            . self::$server->origin . '/.well-known/oauth-protected-resource/mcp"', $write['headers']['www-authenticate']);
        self::assertSame('12.5', (string) (float) self::$shop->row('products', 1)['price']);
    }

    public function testAnEditorWithWritesOffIsRefusedAndWithWritesOnAnExtraFieldRefusesTheWholeCall(): void
    {
        self::$shop->change(['writesEnabled' => false]);
        $off = $this->call('products.update', ['id' => 2, 'price' => 30.0], 'alice');
        self::assertSame(200, $off['status'], $off['body']);
        self::assertSame(-32001, $off['json']['error']['code']);
        self::assertSame('writes_disabled', $off['json']['error']['data']['reason']);
        self::$shop->change([]);
        $extra = $this->call('products.update', ['id' => 2, 'price' => 30.0, 'cost_price' => 0.01], 'alice');
        self::assertSame(-32602, $extra['json']['error']['code'], $extra['body']);
        self::assertSame(['reason' => 'unknown_field', 'path' => '/cost_price'], $extra['json']['error']['data']);
        $row = self::$shop->row('products', 2);
        self::assertSame([39.0, 15.0], [(float) $row['price'], (float) $row['cost_price']], 'the row is unchanged');
        $ok = $this->call('products.update', ['id' => 2, 'price' => 30.0], 'alice');
        self::assertSame(200, $ok['status'], $ok['body']);
        self::assertSame(30.0, (float) self::$shop->row('products', 2)['price']);
    }

    public function testADestructiveCallNeedsAConfirmationThatWorksOnce(): void
    {
        $first = $this->call('orders.cancel', ['id' => 100], 'alice');
        self::assertSame(200, $first['status'], $first['body']);
        self::assertTrue($first['json']['result']['isError']);
        $token = $first['json']['result']['structuredContent']['confirmation']['token'];
        self::assertSame('paid', self::$shop->row('orders', 100)['status']);
        // Bound to the arguments: another order is refused, and nothing changes.
        $other = $this->call('orders.cancel', ['id' => 101, '_confirmation' => $token], 'alice');
        self::assertTrue($other['json']['result']['isError']);
        self::assertSame('paid', self::$shop->row('orders', 101)['status']);
        // Bound to the principal.
        $eve = $this->call('orders.cancel', ['id' => 100, '_confirmation' => $token], 'eve');
        self::assertTrue($eve['json']['result']['isError']);
        self::assertSame('paid', self::$shop->row('orders', 100)['status']);
        $ok = $this->call('orders.cancel', ['id' => 100, '_confirmation' => $token], 'alice');
        self::assertFalse($ok['json']['result']['isError'] ?? false, $ok['body']);
        self::assertSame('cancelled', self::$shop->row('orders', 100)['status']);
        $replay = $this->call('orders.cancel', ['id' => 100, '_confirmation' => $token], 'alice');
        self::assertTrue($replay['json']['result']['isError']);
        self::assertSame('confirmation_replayed', $replay['json']['result']['structuredContent']['refused']);
    }

    public function testABurstIs429WithRetryAfterAndRateLimitHeaders(): void
    {
        $token = self::$shop->token('alice', 'editor');
        $statuses = [];
        for ($i = 0; $i < 7; $i++) {
            $r = $this->mcp(['id' => $i, 'method' => 'tools/call', 'params' => ['name' => 'shop.info', 'arguments' => []]], $token);
            $statuses[] = $r['status'];
        }
        self::assertSame([200, 200, 200, 200, 200, 429, 429], $statuses, 'read rate: 5 per hour, shared by the four workers');
        self::assertGreaterThanOrEqual(1, (int) $r['headers']['retry-after']);
        self::assertMatchesRegularExpression('/^"mcp\.read";q=5;w=3600$/', $r['headers']['ratelimit-policy']);
        self::assertMatchesRegularExpression('/^"mcp\.read";r=0;t=\d+$/', $r['headers']['ratelimit']);
    }

    public function testARemovedMemberIs401OnTheNextRequest(): void
    {
        self::$shop->cli(['member:add', 'mallory', '--role=editor']);
        $token = self::$shop->token('mallory', 'editor');
        self::assertSame(200, $this->mcp(['id' => 1, 'method' => 'tools/list'], $token)['status']);
        self::$shop->cli(['member:remove', 'mallory']);
        $r = $this->mcp(['id' => 2, 'method' => 'tools/list'], $token);
        self::assertSame(401, $r['status']);
        self::assertStringContainsString('error="invalid_token"', $r['headers']['www-authenticate']);
    }

    public function testBothProtocolErasAndTheirHeaderErrors(): void
    {
        $init = $this->mcp(['id' => 1, 'method' => 'initialize', 'params' => ['protocolVersion' => '2025-11-25', 'capabilities' => new \stdClass(),
            'clientInfo' => ['name' => 't', 'version' => '1']]], self::$shop->tokens['alice']);
        self::assertSame('2025-11-25', $init['json']['result']['protocolVersion'], $init['body']);
        $modern = ['MCP-Protocol-Version' => '2026-07-28', 'Mcp-Method' => 'tools/list'];
        $meta = ['_meta' => ['io.modelcontextprotocol/protocolVersion' => '2026-07-28', 'io.modelcontextprotocol/clientCapabilities' => new \stdClass()]];
        $list = $this->mcp(['id' => 2, 'method' => 'tools/list', 'params' => $meta], self::$shop->tokens['alice'], $modern);
        self::assertSame(200, $list['status'], $list['body']);
        self::assertSame('complete', $list['json']['result']['resultType']);
        self::assertSame('private', $list['json']['result']['cacheScope']);
        $mismatch = $this->mcp(['id' => 3, 'method' => 'tools/list', 'params' => $meta], self::$shop->tokens['alice'], ['Mcp-Method' => 'tools/call'] + $modern);
        self::assertSame([400, -32020], [$mismatch['status'], $mismatch['json']['error']['code']]);
        $old = $this->mcp(['id' => 4, 'method' => 'tools/list'], self::$shop->tokens['alice'], ['MCP-Protocol-Version' => '1999-01-01']);
        self::assertSame([400, -32022], [$old['status'], $old['json']['error']['code']]);
        self::assertContains('2026-07-28', $old['json']['error']['data']['supported']);
        $get = $this->http->request('GET', '/mcp', '', ['Authorization' => 'Bearer ' . self::$shop->tokens['alice']]);
        self::assertSame(405, $get['status']);
        $note = $this->mcp(['method' => 'notifications/initialized'], self::$shop->tokens['alice']);
        self::assertSame(202, $note['status']);
    }

    public function testAForeignOriginIs403AndPlainHttpIsRefusedOutsideLocalDevelopment(): void
    {
        $r = $this->mcp(['id' => 1, 'method' => 'tools/list'], self::$shop->tokens['alice'], ['Origin' => 'https://evil.example']);
        self::assertSame(403, $r['status']);
        $same = $this->mcp(['id' => 1, 'method' => 'tools/list'], self::$shop->tokens['alice'], ['Origin' => self::$server->origin]);
        self::assertSame(200, $same['status']);
        self::$shop->change(['dangerousAllowHttpLoopback' => false]);
        self::assertSame(403, $this->mcp(['id' => 1, 'method' => 'tools/list'], self::$shop->tokens['alice'])['status']);
        // Forwarded headers from an untrusted peer change nothing.
        self::assertSame(403, $this->mcp(['id' => 1, 'method' => 'tools/list'], self::$shop->tokens['alice'], ['X-Forwarded-Proto' => 'https'])['status']);
    }

    public function testTheAuditChainVerifiesAndAnEditedDeletedOrReorderedRowIsNamed(): void
    {
        for ($i = 0; $i < 3; $i++) {
            $this->call('shop.info', [], 'alice');
        }
        $ok = self::$shop->cli(['audit:verify']);
        self::assertStringContainsString('verified', $ok['stdout'] . $ok['stderr']);
        $report = AuditVerifier::verify(new PdoAuditLog(self::$shop->db), new \McpGuard\Audit\Chain(TestShop::AUDIT_KEY));
        self::assertTrue($report->ok, (string) $report->reason);
        self::assertGreaterThan(5, $report->verified);
        $t = self::$shop->db->table('audit_events');
        $all = (string) self::$shop->db->row("SELECT GROUP_CONCAT(record) AS r FROM {$t}")['r'];
        foreach (self::$shop->tokens as $token) {
            self::assertStringNotContainsString($token, $all, 'no token in the audit trail');
            self::assertStringNotContainsString(explode('_', $token)[2], $all, 'no secret part either');
        }
        $row = self::$shop->db->row("SELECT * FROM {$t} WHERE seq = 3");
        // Edited: the record of row 3.
        self::$shop->db->run("UPDATE {$t} SET record = ? WHERE seq = 3", [str_replace('"tool_', '"tool-', (string) $row['record']) . ' ']);
        self::assertMatchesRegularExpression('/\b3\b/', self::broken());
        self::$shop->db->run("UPDATE {$t} SET record = ? WHERE seq = 3", [(string) $row['record']]);
        self::$shop->cli(['audit:verify']);
        // Deleted: row 3 gone.
        self::$shop->db->run("DELETE FROM {$t} WHERE seq = 3");
        self::assertMatchesRegularExpression('/\b3\b/', self::broken());
        $cols = array_keys($row);
        self::$shop->db->run("INSERT INTO {$t} (" . implode(', ', $cols) . ') VALUES (' . implode(', ', array_fill(0, count($cols), '?')) . ')',
            array_values(array_map(static fn ($v) => is_int($v) || $v === null ? $v : (string) $v, $row)));
        self::$shop->cli(['audit:verify']);
        // Reordered: rows 3 and 4 swap their contents (each keeps its seq).
        $four = self::$shop->db->row("SELECT * FROM {$t} WHERE seq = 4");
        foreach ([[3, $four], [4, $row]] as [$seq, $r]) {
            self::$shop->db->run("UPDATE {$t} SET record = ?, hash = ? WHERE seq = ?", [(string) $r['record'], (string) $r['hash'], $seq]);
        }
        self::assertMatchesRegularExpression('/\b3\b/', self::broken());
        foreach ([[3, $row], [4, $four]] as [$seq, $r]) {
            self::$shop->db->run("UPDATE {$t} SET record = ?, hash = ? WHERE seq = ?", [(string) $r['record'], (string) $r['hash'], $seq]);
        }
        self::$shop->cli(['audit:verify']);
    }

    /** audit:verify's report of a broken chain (exit code 1). */
    private static function broken(): string
    {
        $r = self::$shop->cli(['audit:verify'], 1);
        return $r['stdout'] . $r['stderr'];
    }
}
