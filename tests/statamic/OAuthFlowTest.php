<?php

declare(strict_types=1);

namespace McpGuard\Tests\Statamic;

use McpGuard\OAuth\Pkce;
use McpGuard\Tests\Statamic\Support\AdapterCase;
use McpGuard\Tests\Statamic\Support\EntryTools;
use McpGuard\Tests\Statamic\Support\TestApp;
use McpGuard\Tests\Support\OAuth\HttpClient;
use McpGuard\Tests\Support\OAuth\HttpServer;
use PHPUnit\Framework\TestCase;

/**
 * The OAuth flow through the addon's routes over real HTTP (`php -S` serving
 * public/index.php, so the consent page has a real PHP session): a client
 * registers, a control-panel user who is a member consents, the code becomes
 * an access token, and that token calls the MCP endpoint through the five
 * middlewares with the member's role; a signed-out visitor is sent to
 * Statamic's login, a user who is not a member gets no code.
 */
final class OAuthFlowTest extends TestCase
{
    private static HttpServer $server;
    private static string $dir;
    private HttpClient $http;
    private string $callback = 'http://127.0.0.1/callback';

    public static function setUpBeforeClass(): void
    {
        self::$dir = sys_get_temp_dir() . '/mcpg-statamic-oauth-' . bin2hex(random_bytes(6));
        mkdir(self::$dir . '/sessions', 0777, true);
        self::$server = new HttpServer(__DIR__ . '/public/index.php', ['MCPG_STATAMIC_DIR' => self::$dir],
            ['session.save_path' => self::$dir . '/sessions', 'display_errors' => 'stderr', 'log_errors' => '0'], self::$dir . '/server.log');
        $settings = ['web' => ['require_https' => false], 'policy' => EntryTools::manifest(true)];
        file_put_contents(self::$dir . '/settings.json', json_encode(['settings' => $settings, 'url' => self::$server->origin], JSON_UNESCAPED_SLASHES));
        $t = new TestApp(self::$dir, $settings, AdapterCase::USERS, self::$server->origin);
        $t->artisan('mcp-guard:member:add', ['id' => 'u-cy', '--role' => 'viewer', '--name' => 'Cy']);
        $t->app['db']->connection()->table('entries')->insert(['id' => 'home', 'title' => 'Home']);
        $t->app['db']->disconnect();
    }

    public static function tearDownAfterClass(): void
    {
        self::$server->stop();
        exec('rm -rf ' . escapeshellarg(self::$dir));
    }

    protected function setUp(): void
    {
        $this->http = new HttpClient(self::$server->origin);
    }

    protected function onNotSuccessfulTest(\Throwable $t): never
    {
        fwrite(STDERR, "\n--- php -S log\n" . self::$server->log());
        throw $t;
    }

    /** @return array{0: string, 1: string, 2: string} client id, verifier, authorize query */
    private function start(): array
    {
        $reg = $this->http->request('POST', '/oauth/register', json_encode(['client_name' => 'Statamic test client',
            'redirect_uris' => [$this->callback], 'token_endpoint_auth_method' => 'none',
            'grant_types' => ['authorization_code', 'refresh_token']]), ['Content-Type' => 'application/json']);
        self::assertSame(201, $reg['status'], $reg['body']);
        $client = json_decode($reg['body'], true)['client_id'];
        $verifier = rtrim(strtr(base64_encode(random_bytes(32)), '+/', '-_'), '=');
        $query = http_build_query(['response_type' => 'code', 'client_id' => $client, 'redirect_uri' => $this->callback, 'state' => 's1',
            'code_challenge' => Pkce::challenge($verifier), 'code_challenge_method' => 'S256', 'scope' => 'discover read',
            'resource' => self::$server->origin . '/mcp/statamic'], '', '&', PHP_QUERY_RFC3986);
        return [$client, $verifier, $query];
    }

    /** @return array<string, string> the consent form's hidden fields */
    private static function fields(string $html): array
    {
        preg_match_all('/<input type="hidden" name="([a-z_]+)" value="([^"]*)">/', $html, $m, PREG_SET_ORDER);
        $fields = [];
        foreach ($m as [, $name, $value]) {
            $fields[$name] = html_entity_decode($value, ENT_QUOTES | ENT_HTML5);
        }
        return $fields;
    }

    public function testAMemberConsentsAndTheAccessTokenCallsTheEndpoint(): void
    {
        [$client, $verifier, $query] = $this->start();
        $login = $this->http->request('GET', '/oauth/authorize?' . $query);
        self::assertSame([302, '/cp/auth/login'], [$login['status'], $login['headers']['location'] ?? null], 'signed out: Statamic\'s login');
        $cy = ['X-Test-User' => 'cy@example.com'];
        $page = $this->http->request('GET', '/oauth/authorize?' . $query, '', $cy);
        self::assertSame(200, $page['status'], $page['body']);
        self::assertStringContainsString('Statamic test client', $page['body']);
        $form = http_build_query(self::fields($page['body']) + ['decision' => 'allow'], '', '&', PHP_QUERY_RFC3986);
        $allow = $this->http->request('POST', '/oauth/authorize', $form, $cy + ['Content-Type' => 'application/x-www-form-urlencoded']);
        self::assertSame(302, $allow['status'], $allow['body']);
        parse_str((string) parse_url($allow['headers']['location'], PHP_URL_QUERY), $q);
        self::assertSame(['s1', self::$server->origin], [$q['state'] ?? null, $q['iss'] ?? null], $allow['headers']['location']);
        $token = $this->http->request('POST', '/oauth/token', http_build_query(['grant_type' => 'authorization_code', 'code' => $q['code'],
            'redirect_uri' => $this->callback, 'code_verifier' => $verifier, 'client_id' => $client,
            'resource' => self::$server->origin . '/mcp/statamic'], '', '&', PHP_QUERY_RFC3986), ['Content-Type' => 'application/x-www-form-urlencoded']);
        self::assertSame(200, $token['status'], $token['body']);
        $access = json_decode($token['body'], true)['access_token'];
        $list = $this->http->request('POST', '/mcp/statamic', '{"jsonrpc":"2.0","id":1,"method":"tools/list"}',
            ['Authorization' => "Bearer {$access}", 'Content-Type' => 'application/json', 'Accept' => 'application/json, text/event-stream']);
        self::assertSame(200, $list['status'], $list['body']);
        self::assertSame(['entries.list'], array_column(json_decode($list['body'], true)['result']['tools'], 'name'), "the viewer's tools");
    }

    public function testAUserWhoIsNotAMemberGetsNoCode(): void
    {
        [, , $query] = $this->start();
        $ada = $this->http->request('GET', '/oauth/authorize?' . $query, '', ['X-Test-User' => 'ada@example.com']);
        self::assertNotSame(200, $ada['status'], 'no consent page for a non-member');
        self::assertStringNotContainsString('code=', (string) ($ada['headers']['location'] ?? ''));
    }
}
