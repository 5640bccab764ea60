<?php

declare(strict_types=1);

namespace McpGuard\Tests\Server\OAuth;

require_once __DIR__ . '/OAuthStoreTestCase.php';
require_once dirname(__DIR__, 2) . '/Support/OAuth/TestMembers.php';
require_once dirname(__DIR__, 2) . '/Support/OAuth/FixtureFetcher.php';
require_once dirname(__DIR__, 2) . '/Support/OAuth/HttpServer.php';
require_once dirname(__DIR__, 2) . '/Support/OAuth/HttpClient.php';

use McpGuard\OAuth\Pkce;
use McpGuard\Server\OAuth\Pdo\Migrations;
use McpGuard\Server\OAuth\Pdo\PdoDatabase;
use McpGuard\Tests\Support\OAuth\FixtureFetcher;
use McpGuard\Tests\Support\OAuth\HttpClient;
use McpGuard\Tests\Support\OAuth\HttpServer;
use McpGuard\Tests\Support\OAuth\TestMembers;
use PHPUnit\Framework\TestCase;

/**
 * The endpoints over real HTTP: a `php -S` server the test starts (and stops
 * with all its children, also on failure) runs tests/oauth/server/router.php
 * on the database under test (a SQLite file, or MariaDB through
 * tests/db/mariadb.sh), with PHP's own sessions for the consent form. What
 * this adds to the in-process tests: Request::fromGlobals() and
 * Response::send() under a real SAPI, cookies and sessions, the headers as a
 * client receives them, and a stand-in MCP endpoint answering with the token.
 */
final class OAuthHttpTest extends TestCase
{
    private const PREFIX = 'mcpg_http_';

    private static HttpServer $server;
    private static string $dir;
    private static PdoDatabase $db;
    private static ?string $sqlite = null;
    private HttpClient $http;
    private string $callback;

    public static function setUpBeforeClass(): void
    {
        self::$dir = sys_get_temp_dir() . '/mcpg-http-' . bin2hex(random_bytes(6));
        mkdir(self::$dir . '/sessions', 0700, true);
        $pdo = OAuthStoreTestCase::connect(self::$sqlite);
        self::$db = new PdoDatabase($pdo, self::PREFIX);
        $m = new Migrations(self::$db);
        $m->down();
        $m->up();
        $dsn = getenv('MCP_GUARD_TEST_DSN');
        $db = self::$sqlite !== null ? ['driver' => 'sqlite', 'path' => self::$sqlite]
            : ['driver' => 'mysql', 'dsn' => $dsn, 'user' => getenv('MCP_GUARD_TEST_DB_USER'), 'password' => getenv('MCP_GUARD_TEST_DB_PASSWORD')];
        TestMembers::write(self::$dir . '/members.json', ['alice' => ['role' => 'editor', 'name' => 'Alice'], 'victor' => ['role' => 'viewer']]);
        FixtureFetcher::write(self::$dir . '/documents.json', []);
        // The origin is known once the port is: the router reads its config file per request.
        self::$server = new HttpServer(dirname(__DIR__, 3) . '/oauth/server/router.php', ['MCPG_OAUTH_CONFIG' => self::$dir . '/config.json'],
            ['session.save_path' => self::$dir . '/sessions', 'session.use_strict_mode' => '1', 'session.cookie_httponly' => '1',
                'session.cookie_samesite' => 'Lax', 'display_errors' => 'stderr', 'log_errors' => '0'], self::$dir . '/server.log');
        file_put_contents(self::$dir . '/config.json', json_encode(['origin' => self::$server->origin, 'db' => $db, 'prefix' => self::PREFIX,
            'members' => self::$dir . '/members.json', 'documents' => self::$dir . '/documents.json', 'events' => self::$dir . '/events.log',
            'rateLimits' => ['register' => ['limit' => 3, 'period' => 3600]]], JSON_UNESCAPED_SLASHES));
    }

    public static function tearDownAfterClass(): void
    {
        self::$server->stop();
        (new Migrations(self::$db))->down();
        foreach ([...glob(self::$dir . '/sessions/*') ?: [], ...glob(self::$dir . '/*') ?: []] as $f) {
            is_dir($f) ? rmdir($f) : unlink($f);
        }
        rmdir(self::$dir);
        if (self::$sqlite !== null) {
            foreach (['', '-wal', '-shm'] as $suffix) {
                @unlink(self::$sqlite . $suffix);
            }
        }
    }

    protected function setUp(): void
    {
        $this->http = new HttpClient(self::$server->origin);
        $this->callback = 'http://127.0.0.1:' . random_int(20000, 60000) . '/callback';
    }

    protected function onNotSuccessfulTest(\Throwable $t): never
    {
        fwrite(STDERR, "\n--- php -S log\n" . self::$server->log());
        throw $t;
    }

    private function json(array $r): array
    {
        self::assertSame('application/json', $r['headers']['content-type'] ?? null, $r['body']);
        return json_decode($r['body'], true, 16, JSON_THROW_ON_ERROR);
    }

    private function form(array $fields): array
    {
        return [http_build_query($fields, '', '&', PHP_QUERY_RFC3986), ['Content-Type' => 'application/x-www-form-urlencoded']];
    }

    private function post(string $path, array $fields, array $headers = []): array
    {
        [$body, $h] = $this->form($fields);
        return $this->http->request('POST', $path, $body, $headers + $h);
    }

    /** register → authorize (login, consent) → code. @return array{string, string, string, array<string, string>} client, code, verifier, callback query */
    private function authorize(string $member = 'alice'): array
    {
        $reg = $this->http->request('POST', '/oauth/register', json_encode(['client_name' => 'HTTP test client',
            'redirect_uris' => ['http://127.0.0.1/callback'], 'token_endpoint_auth_method' => 'none',
            'grant_types' => ['authorization_code', 'refresh_token']]), ['Content-Type' => 'application/json']);
        self::assertSame(201, $reg['status'], $reg['body']);
        $client = $this->json($reg)['client_id'];
        $verifier = rtrim(strtr(base64_encode(random_bytes(32)), '+/', '-_'), '=');
        $query = http_build_query(['response_type' => 'code', 'client_id' => $client, 'redirect_uri' => $this->callback, 'state' => 'xyz',
            'code_challenge' => Pkce::challenge($verifier), 'code_challenge_method' => 'S256', 'scope' => 'discover read write',
            'resource' => self::$server->origin . '/mcp'], '', '&', PHP_QUERY_RFC3986);

        $login = $this->http->request('GET', '/oauth/authorize?' . $query);
        self::assertSame(302, $login['status'], $login['body']);
        self::assertStringStartsWith('/test/login?return=', $login['headers']['location']);
        $back = $this->http->request('GET', $login['headers']['location'] . '&member=' . $member);
        self::assertSame('/oauth/authorize?' . $query, $back['headers']['location']);

        $page = $this->http->request('GET', $back['headers']['location']);
        self::assertSame(200, $page['status'], $page['body']);
        self::assertSame('DENY', $page['headers']['x-frame-options']);
        self::assertStringContainsString('form-action \'self\' ' . substr($this->callback, 0, -strlen('/callback')), $page['headers']['content-security-policy']);
        self::assertArrayHasKey('PHPSESSID', $this->http->cookies, 'the CSRF bag lives in a real PHP session');
        preg_match_all('/<input type="hidden" name="([a-z_]+)" value="([^"]*)">/', $page['body'], $m, PREG_SET_ORDER);
        $fields = [];
        foreach ($m as [, $name, $value]) {
            $fields[$name] = html_entity_decode($value, ENT_QUOTES | ENT_HTML5);
        }
        $allow = $this->post('/oauth/authorize', $fields + ['decision' => 'allow']);
        self::assertSame(302, $allow['status'], $allow['body']);
        self::assertStringStartsWith($this->callback . '?', $allow['headers']['location']);
        parse_str((string) parse_url($allow['headers']['location'], PHP_URL_QUERY), $q);
        return [$client, $q['code'], $verifier, $q];
    }

    public function testTheWholeFlowOverHttpFromThe401ToARevokedToken(): void
    {
        $origin = self::$server->origin;
        $challenge = $this->http->request('POST', '/mcp', '{"jsonrpc":"2.0","id":1,"method":"initialize","params":{}}', ['Content-Type' => 'application/json']);
        self::assertSame(401, $challenge['status']);
        self::assertSame('Bearer resource_metadata="' . $origin . '/.well-known/oauth-protected-resource/mcp"', $challenge['headers']['www-authenticate']);
        $prm = $this->http->request('GET', '/.well-known/oauth-protected-resource/mcp');
        self::assertStringContainsString('"resource":"' . str_replace('/', '\/', $origin) . '\/mcp"', str_replace('/', '\/', $prm['body']));
        self::assertSame($origin . '/mcp', $this->json($prm)['resource']);
        self::assertSame('*', $prm['headers']['access-control-allow-origin']);
        $as = $this->json($this->http->request('GET', '/.well-known/oauth-authorization-server'));
        self::assertSame($origin . '/oauth/token', $as['token_endpoint']);

        [$client, $code, $verifier, $q] = $this->authorize();
        self::assertSame(['xyz', $origin], [$q['state'], $q['iss']]);
        $token = $this->post('/oauth/token', ['grant_type' => 'authorization_code', 'code' => $code, 'redirect_uri' => $this->callback,
            'code_verifier' => $verifier, 'client_id' => $client, 'resource' => $origin . '/mcp']);
        self::assertSame(200, $token['status'], $token['body']);
        self::assertSame('no-store', $token['headers']['cache-control']);
        self::assertSame('no-cache', $token['headers']['pragma']);
        $t = $this->json($token);

        $call = fn (string $access, string $method): array => $this->http->request('POST', '/mcp',
            json_encode(['jsonrpc' => '2.0', 'id' => 2, 'method' => $method, 'params' => new \stdClass()]), ['Authorization' => "Bearer {$access}", 'Content-Type' => 'application/json']);
        $tools = $call($t['access_token'], 'tools/list');
        self::assertSame(200, $tools['status'], $tools['body']);
        self::assertSame(['products.search', 'products.update', 'shop.info'], array_column(json_decode($tools['body'], true)['result']['tools'], 'name'));

        $refreshed = $this->json($this->post('/oauth/token', ['grant_type' => 'refresh_token', 'refresh_token' => $t['refresh_token'], 'client_id' => $client]));
        self::assertSame(200, $call($refreshed['access_token'], 'ping')['status']);
        $revoke = $this->post('/oauth/revoke', ['token' => $refreshed['refresh_token'], 'client_id' => $client]);
        self::assertSame(200, $revoke['status']);
        $after = $call($refreshed['access_token'], 'ping');
        self::assertSame(401, $after['status']);
        self::assertStringEndsWith(', error="invalid_token"', $after['headers']['www-authenticate']);
        self::assertSame(401, $call($t['access_token'], 'ping')['status'], 'the whole family');
    }

    public function testAReplayedCodeOverHttpRevokesTheTokensOfTheFirstRedemption(): void
    {
        [$client, $code, $verifier] = $this->authorize();
        $exchange = fn (): array => $this->post('/oauth/token', ['grant_type' => 'authorization_code', 'code' => $code,
            'redirect_uri' => $this->callback, 'code_verifier' => $verifier, 'client_id' => $client]);
        $first = $this->json($exchange());
        $second = $exchange();
        self::assertSame(400, $second['status']);
        self::assertSame('invalid_grant', $this->json($second)['error']);
        $ping = $this->http->request('POST', '/mcp', '{"jsonrpc":"2.0","id":1,"method":"ping"}', ['Authorization' => 'Bearer ' . $first['access_token']]);
        self::assertSame(401, $ping['status']);
    }

    public function testAForgedConsentPostIsRefusedOverHttp(): void
    {
        $this->http->request('GET', '/test/login?member=alice&return=/');
        $r = $this->post('/oauth/authorize', ['query' => 'client_id=x', 'decision' => 'allow', 'csrf_token' => 'csrf_AAAAAAAAAAAAAAAA_' . str_repeat('A', 49)]);
        self::assertSame(403, $r['status']);
        self::assertStringContainsString('This form has expired', $r['body']);
        self::assertSame('DENY', $r['headers']['x-frame-options']);
    }

    public function testRegistrationErrorsAndRateLimitHeadersOverHttp(): void
    {
        $bad = $this->http->request('POST', '/oauth/register', '{"redirect_uris":["javascript:alert(1)"]}', ['Content-Type' => 'application/json']);
        self::assertSame(400, $bad['status']);
        self::assertSame('invalid_redirect_uri', $this->json($bad)['error']);
        $body = json_encode(['client_name' => 'Limited', 'redirect_uris' => ['https://limited.example/cb'], 'token_endpoint_auth_method' => 'none']);
        $last = null;
        for ($i = 0; $i < 4; $i++) {
            $last = $this->http->request('POST', '/oauth/register', $body, ['Content-Type' => 'application/json']);
        }
        self::assertSame(429, $last['status']);
        self::assertMatchesRegularExpression('/^\d+$/', $last['headers']['retry-after']);
        self::assertSame('"oauth_register";q=3;w=3600', $last['headers']['ratelimit-policy']);
    }

    public function testARemovedMemberIsLockedOutOnTheNextRequest(): void
    {
        [$client, $code, $verifier] = $this->authorize('victor');
        $t = $this->json($this->post('/oauth/token', ['grant_type' => 'authorization_code', 'code' => $code,
            'redirect_uri' => $this->callback, 'code_verifier' => $verifier, 'client_id' => $client]));
        self::assertSame('discover read', $t['scope'], "a viewer's grant");
        TestMembers::write(self::$dir . '/members.json', ['alice' => ['role' => 'editor']]);
        try {
            $ping = $this->http->request('POST', '/mcp', '{"jsonrpc":"2.0","id":1,"method":"ping"}', ['Authorization' => 'Bearer ' . $t['access_token']]);
            self::assertSame(401, $ping['status']);
            $refresh = $this->post('/oauth/token', ['grant_type' => 'refresh_token', 'refresh_token' => $t['refresh_token'], 'client_id' => $client]);
            self::assertSame('invalid_grant', $this->json($refresh)['error']);
        } finally {
            TestMembers::write(self::$dir . '/members.json', ['alice' => ['role' => 'editor', 'name' => 'Alice'], 'victor' => ['role' => 'viewer']]);
        }
    }

    public function testAMetadataDocumentThatCannotBeFetchedIs503WithRetryAfter(): void
    {
        $id = 'https://agent.example/client.json';
        FixtureFetcher::write(self::$dir . '/documents.json', [$id => ['fail' => 'timeout']]);
        $r = $this->http->request('GET', '/oauth/authorize?' . http_build_query(['response_type' => 'code', 'client_id' => $id,
            'redirect_uri' => $this->callback, 'code_challenge' => Pkce::challenge(str_repeat('v', 43)), 'code_challenge_method' => 'S256']));
        self::assertSame(503, $r['status']);
        self::assertSame('17', $r['headers']['retry-after']);
        $t = $this->post('/oauth/token', ['grant_type' => 'refresh_token', 'refresh_token' => 'x', 'client_id' => $id]);
        self::assertSame(503, $t['status']);
        self::assertSame('temporarily_unavailable', $this->json($t)['error']);
    }
}
