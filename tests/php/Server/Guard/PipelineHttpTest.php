<?php

declare(strict_types=1);

namespace McpGuard\Tests\Server\Guard;

use McpGuard\Server\Audit\AuditVerifier;
use McpGuard\Server\Audit\PdoAuditLog;
use McpGuard\Server\Member\PdoMemberStore;
use McpGuard\Server\OAuth\Pdo\Migrations;
use McpGuard\Server\OAuth\Pdo\PdoDatabase;
use McpGuard\Tests\Mcp\Catalogue;
use McpGuard\Tests\Support\OAuth\HttpClient;
use McpGuard\Tests\Support\OAuth\HttpServer;
use McpGuard\Tests\Support\PhpProcess;
use PHPUnit\Framework\TestCase;

require_once dirname(__DIR__, 3) . '/mcp/server/Catalogue.php';

/**
 * The guarded MCP endpoint end to end over real HTTP: `php -S` with four
 * workers serving tests/mcp/server/router.php (the real Pipeline, Endpoint,
 * OAuth server, PDO stores on SQLite), tokens and members made with the real
 * `bin/mcp-guard`, and the audit chain checked by `bin/mcp-guard audit:verify`.
 */
final class PipelineHttpTest extends TestCase
{
    private const PREFIX = 'mcpg_';
    private static HttpServer $server;
    private static string $dir;
    private static PdoDatabase $db;
    private static array $config;
    /** @var array<string, string> member => API token */
    private static array $tokens = [];
    private HttpClient $http;

    public static function setUpBeforeClass(): void
    {
        self::$dir = sys_get_temp_dir() . '/mcpg-pipeline-' . bin2hex(random_bytes(6));
        mkdir(self::$dir . '/sessions', 0700, true);
        $sqlite = self::$dir . '/shop.sqlite';
        self::$db = new PdoDatabase(PdoDatabase::sqlite($sqlite), self::PREFIX);
        (new Migrations(self::$db))->up();
        Catalogue::install(self::$db);
        file_put_contents(self::$dir . '/cli.php', '<?php return ' . var_export([
            'database' => ['sqlite' => $sqlite], 'prefix' => self::PREFIX, 'audit' => ['key' => str_repeat('k', 32)],
        ], true) . ';');
        self::$server = new HttpServer(dirname(__DIR__, 3) . '/mcp/server/router.php',
            ['MCPG_SHOP_CONFIG' => self::$dir . '/shop.json', 'PHP_CLI_SERVER_WORKERS' => '4'],
            ['session.save_path' => self::$dir . '/sessions', 'display_errors' => 'stderr', 'log_errors' => '0'], self::$dir . '/server.log');
        self::$config = ['origin' => self::$server->origin, 'cli' => self::$dir . '/cli.php', 'writesEnabled' => true,
            'dangerousAllowHttpLoopback' => true, 'confirmationKey' => str_repeat('c', 32),
            'rates' => ['read' => ['limit' => 5, 'period' => 3600]]];
        self::writeConfig([]);
        self::cli(['member:add', 'victor', '--role=viewer']);
        self::cli(['member:add', 'alice', '--role=editor']);
        self::cli(['member:add', 'eve', '--role=editor']);
        foreach (['victor' => 'viewer', 'alice' => 'editor', 'eve' => 'editor'] as $member => $role) {
            self::$tokens[$member] = trim(self::cli(['token:create', $member, "--role={$role}"])['stdout']);
        }
    }

    public static function tearDownAfterClass(): void
    {
        self::$server->stop();
        foreach ([...glob(self::$dir . '/sessions/*') ?: [], ...glob(self::$dir . '/*') ?: []] as $f) {
            is_dir($f) ? rmdir($f) : unlink($f);
        }
        rmdir(self::$dir);
    }

    protected function setUp(): void
    {
        $this->http = new HttpClient(self::$server->origin);
        self::writeConfig([]);
    }

    protected function onNotSuccessfulTest(\Throwable $t): never
    {
        fwrite(STDERR, "\n--- php -S log\n" . self::$server->log());
        throw $t;
    }

    /** @param array<string, mixed> $changes */
    private static function writeConfig(array $changes): void
    {
        file_put_contents(self::$dir . '/shop.json', json_encode($changes + self::$config, JSON_UNESCAPED_SLASHES), LOCK_EX);
    }

    /**
     * @param list<string> $args
     * @return array{status: int, stdout: string, stderr: string}
     */
    private static function cli(array $args, int $expect = 0): array
    {
        // The same PHP settings as this process (scripts/php.sh's scan directory), and the built module.
        $cmd = [PHP_BINARY, '-d', 'extension=' . PhpProcess::modulePath(), dirname(__DIR__, 4) . '/bin/mcp-guard',
            '--config=' . self::$dir . '/cli.php', ...$args];
        $p = proc_open($cmd, [1 => ['pipe', 'w'], 2 => ['pipe', 'w']], $pipes);
        $out = stream_get_contents($pipes[1]);
        $err = stream_get_contents($pipes[2]);
        $status = proc_close($p);
        self::assertSame($expect, $status, implode(' ', $args) . "\n" . $out . $err);
        return ['status' => $status, 'stdout' => (string) $out, 'stderr' => (string) $err];
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
            self::$tokens[$member], $headers);
    }

    private function row(string $table, int $id): array
    {
        return self::$db->row('SELECT * FROM ' . self::$db->table($table) . ' WHERE id = ?', [$id]) ?? [];
    }

    public function testNoTokenIs401WithTheResourceMetadataChallengeAndAQueryTokenIsIgnored(): void
    {
        $r = $this->mcp(['id' => 1, 'method' => 'tools/list'], null);
        self::assertSame(401, $r['status'], $r['body']);
        self::assertSame('Bearer resource_metadata="' . self::$server->origin . '/.well-known/oauth-protected-resource/mcp"',
            $r['headers']['www-authenticate']);
        $q = $this->http->request('POST', '/mcp?access_token=' . rawurlencode(self::$tokens['alice']),
            '{"jsonrpc":"2.0","id":1,"method":"tools/list"}', ['Content-Type' => 'application/json']);
        self::assertSame(401, $q['status']);
        $meta = $this->http->request('GET', '/.well-known/oauth-protected-resource/mcp');
        self::assertSame(self::$server->origin . '/mcp', json_decode($meta['body'], true)['resource']);
    }

    public function testABadOrExpiredTokenIs401InvalidTokenNever403(): void
    {
        $bad = $this->mcp(['id' => 1, 'method' => 'tools/list'], substr(self::$tokens['alice'], 0, -1) . 'x');
        self::assertSame(401, $bad['status']);
        self::assertStringContainsString('error="invalid_token"', $bad['headers']['www-authenticate']);
        $expired = trim(self::cli(['token:create', 'alice', '--role=editor', '--ttl=1'])['stdout']);
        sleep(2);
        $r = $this->mcp(['id' => 1, 'method' => 'tools/list'], $expired);
        self::assertSame(401, $r['status']);
        self::assertStringContainsString('error="invalid_token"', $r['headers']['www-authenticate']);
    }

    public function testAViewerReadsButAWriteIs403WithTheScopeItNeeds(): void
    {
        $list = $this->mcp(['id' => 1, 'method' => 'tools/list'], self::$tokens['victor']);
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
        self::assertSame('12.5', (string) (float) $this->row('products', 1)['price']);
    }

    public function testAnEditorWithWritesOffIsRefusedAndWithWritesOnAnExtraFieldRefusesTheWholeCall(): void
    {
        self::writeConfig(['writesEnabled' => false]);
        $off = $this->call('products.update', ['id' => 2, 'price' => 30.0], 'alice');
        self::assertSame(200, $off['status'], $off['body']);
        self::assertSame(-32001, $off['json']['error']['code']);
        self::assertSame('writes_disabled', $off['json']['error']['data']['reason']);
        self::writeConfig([]);
        $extra = $this->call('products.update', ['id' => 2, 'price' => 30.0, 'cost_price' => 0.01], 'alice');
        self::assertSame(-32602, $extra['json']['error']['code'], $extra['body']);
        self::assertSame(['reason' => 'unknown_field', 'path' => '/cost_price'], $extra['json']['error']['data']);
        $row = $this->row('products', 2);
        self::assertSame([39.0, 15.0], [(float) $row['price'], (float) $row['cost_price']], 'the row is unchanged');
        $ok = $this->call('products.update', ['id' => 2, 'price' => 30.0], 'alice');
        self::assertSame(200, $ok['status'], $ok['body']);
        self::assertSame(30.0, (float) $this->row('products', 2)['price']);
    }

    public function testADestructiveCallNeedsAConfirmationThatWorksOnce(): void
    {
        $first = $this->call('orders.cancel', ['id' => 100], 'alice');
        self::assertSame(200, $first['status'], $first['body']);
        self::assertTrue($first['json']['result']['isError']);
        $token = $first['json']['result']['structuredContent']['confirmation']['token'];
        self::assertSame('paid', $this->row('orders', 100)['status']);
        // Bound to the arguments: another order is refused, and nothing changes.
        $other = $this->call('orders.cancel', ['id' => 101, '_confirmation' => $token], 'alice');
        self::assertTrue($other['json']['result']['isError']);
        self::assertSame('paid', $this->row('orders', 101)['status']);
        // Bound to the principal.
        $eve = $this->call('orders.cancel', ['id' => 100, '_confirmation' => $token], 'eve');
        self::assertTrue($eve['json']['result']['isError']);
        self::assertSame('paid', $this->row('orders', 100)['status']);
        $ok = $this->call('orders.cancel', ['id' => 100, '_confirmation' => $token], 'alice');
        self::assertFalse($ok['json']['result']['isError'] ?? false, $ok['body']);
        self::assertSame('cancelled', $this->row('orders', 100)['status']);
        $replay = $this->call('orders.cancel', ['id' => 100, '_confirmation' => $token], 'alice');
        self::assertTrue($replay['json']['result']['isError']);
        self::assertSame('confirmation_replayed', $replay['json']['result']['structuredContent']['refused']);
    }

    public function testABurstIs429WithRetryAfterAndRateLimitHeaders(): void
    {
        $token = trim(self::cli(['token:create', 'alice', '--role=editor'])['stdout']);
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
        self::cli(['member:add', 'mallory', '--role=editor']);
        $token = trim(self::cli(['token:create', 'mallory', '--role=editor'])['stdout']);
        self::assertSame(200, $this->mcp(['id' => 1, 'method' => 'tools/list'], $token)['status']);
        self::cli(['member:remove', 'mallory']);
        $r = $this->mcp(['id' => 2, 'method' => 'tools/list'], $token);
        self::assertSame(401, $r['status']);
        self::assertStringContainsString('error="invalid_token"', $r['headers']['www-authenticate']);
    }

    public function testBothProtocolErasAndTheirHeaderErrors(): void
    {
        $init = $this->mcp(['id' => 1, 'method' => 'initialize', 'params' => ['protocolVersion' => '2025-11-25', 'capabilities' => new \stdClass(),
            'clientInfo' => ['name' => 't', 'version' => '1']]], self::$tokens['alice']);
        self::assertSame('2025-11-25', $init['json']['result']['protocolVersion'], $init['body']);
        $modern = ['MCP-Protocol-Version' => '2026-07-28', 'Mcp-Method' => 'tools/list'];
        $meta = ['_meta' => ['io.modelcontextprotocol/protocolVersion' => '2026-07-28', 'io.modelcontextprotocol/clientCapabilities' => new \stdClass()]];
        $list = $this->mcp(['id' => 2, 'method' => 'tools/list', 'params' => $meta], self::$tokens['alice'], $modern);
        self::assertSame(200, $list['status'], $list['body']);
        self::assertSame('complete', $list['json']['result']['resultType']);
        self::assertSame('private', $list['json']['result']['cacheScope']);
        $mismatch = $this->mcp(['id' => 3, 'method' => 'tools/list', 'params' => $meta], self::$tokens['alice'], ['Mcp-Method' => 'tools/call'] + $modern);
        self::assertSame([400, -32020], [$mismatch['status'], $mismatch['json']['error']['code']]);
        $old = $this->mcp(['id' => 4, 'method' => 'tools/list'], self::$tokens['alice'], ['MCP-Protocol-Version' => '1999-01-01']);
        self::assertSame([400, -32022], [$old['status'], $old['json']['error']['code']]);
        self::assertContains('2026-07-28', $old['json']['error']['data']['supported']);
        $get = $this->http->request('GET', '/mcp', '', ['Authorization' => 'Bearer ' . self::$tokens['alice']]);
        self::assertSame(405, $get['status']);
        $note = $this->mcp(['method' => 'notifications/initialized'], self::$tokens['alice']);
        self::assertSame(202, $note['status']);
    }

    public function testAForeignOriginIs403AndPlainHttpIsRefusedOutsideLocalDevelopment(): void
    {
        $r = $this->mcp(['id' => 1, 'method' => 'tools/list'], self::$tokens['alice'], ['Origin' => 'https://evil.example']);
        self::assertSame(403, $r['status']);
        $same = $this->mcp(['id' => 1, 'method' => 'tools/list'], self::$tokens['alice'], ['Origin' => self::$server->origin]);
        self::assertSame(200, $same['status']);
        self::writeConfig(['dangerousAllowHttpLoopback' => false]);
        self::assertSame(403, $this->mcp(['id' => 1, 'method' => 'tools/list'], self::$tokens['alice'])['status']);
        // Forwarded headers from an untrusted peer change nothing.
        self::assertSame(403, $this->mcp(['id' => 1, 'method' => 'tools/list'], self::$tokens['alice'], ['X-Forwarded-Proto' => 'https'])['status']);
    }

    public function testTheAuditChainVerifiesAndATamperedRowIsNamed(): void
    {
        $this->call('shop.info', [], 'alice');
        self::assertStringContainsString('verified', self::cli(['audit:verify'])['stderr'] . self::cli(['audit:verify'])['stdout']);
        $log = new PdoAuditLog(self::$db);
        $report = AuditVerifier::verify($log, new \McpGuard\Audit\Chain(str_repeat('k', 32)));
        self::assertTrue($report->ok, (string) $report->reason);
        self::assertGreaterThan(5, $report->verified);
        $t = self::$db->table('audit_events');
        $row = self::$db->row("SELECT seq, record FROM {$t} WHERE seq = 3");
        self::assertStringNotContainsString(self::$tokens['alice'], (string) self::$db->row("SELECT GROUP_CONCAT(record) AS r FROM {$t}")['r']);
        self::$db->run("UPDATE {$t} SET record = ? WHERE seq = 3", [str_replace('"tool_', '"tool-', (string) $row['record']) . ' ']);
        $broken = self::cli(['audit:verify'], 1);
        self::assertStringContainsString('3', $broken['stdout'] . $broken['stderr']);
        self::$db->run("UPDATE {$t} SET record = ? WHERE seq = 3", [(string) $row['record']]);
        self::cli(['audit:verify']);
    }
}
