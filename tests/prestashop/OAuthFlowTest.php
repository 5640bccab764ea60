<?php

declare(strict_types=1);

namespace McpGuard\Tests\PrestaShop;

use McpGuard\OAuth\Pkce;
use McpGuard\PrestaShop\Services;
use McpGuard\Tests\Support\OAuth\HttpClient;
use PHPUnit\Framework\TestCase;

/**
 * The module's own authorization server over HTTP, with friendly URLs:
 * discovery from the 401, client registration, the consent page approved by
 * the employee signed in to the back office (a member by email), the code
 * exchanged with PKCE, the access token accepted by the MCP endpoint with
 * the employee's role, the client revoked from the back office.
 */
final class OAuthFlowTest extends TestCase
{
    private const CALLBACK = 'http://127.0.0.1/callback';
    private static PsShop $shop;
    private HttpClient $http;

    public static function setUpBeforeClass(): void
    {
        self::$shop = new PsShop();
        self::$shop->start();
        \Db::getInstance()->execute("INSERT INTO ps_employee (id_employee, email, firstname, lastname) VALUES (1, 'vera@shop.example', 'Vera', 'V'), (2, 'otto@shop.example', 'Otto', 'O')");
        Services::get()->cli()->members()->add('vera@shop.example', 'viewer');
    }

    public static function tearDownAfterClass(): void
    {
        self::$shop->destroy();
    }

    protected function setUp(): void
    {
        $this->http = new HttpClient((string) self::$shop->server?->origin);
    }

    protected function onNotSuccessfulTest(\Throwable $t): never
    {
        fwrite(STDERR, "\n--- php -S log\n" . self::$shop->server?->log());
        throw $t;
    }

    private function post(string $path, array $fields): array
    {
        return $this->http->request('POST', $path, http_build_query($fields, '', '&', PHP_QUERY_RFC3986), ['Content-Type' => 'application/x-www-form-urlencoded']);
    }

    /** @return array{0: string, 1: string} client id, authorize query */
    private function client(string $verifier): array
    {
        $reg = $this->http->request('POST', '/module/mcpguard/oauth/register', json_encode(['client_name' => 'Desk', 'redirect_uris' => [self::CALLBACK],
            'token_endpoint_auth_method' => 'none', 'grant_types' => ['authorization_code', 'refresh_token']]), ['Content-Type' => 'application/json']);
        self::assertSame(201, $reg['status'], $reg['body']);
        $client = json_decode($reg['body'], true)['client_id'];
        return [$client, http_build_query(['response_type' => 'code', 'client_id' => $client, 'redirect_uri' => self::CALLBACK, 'state' => 's1',
            'code_challenge' => Pkce::challenge($verifier), 'code_challenge_method' => 'S256', 'scope' => 'discover read',
            'resource' => self::$shop->server?->origin . '/module/mcpguard/mcp'], '', '&', PHP_QUERY_RFC3986)];
    }

    public function testAnEmployeeWhoIsAMemberApprovesAClientWhoseTokenThenWorksUntilRevoked(): void
    {
        $origin = (string) self::$shop->server?->origin;
        $as = json_decode($this->http->request('GET', '/.well-known/oauth-authorization-server')['body'], true);
        self::assertSame($origin . '/module/mcpguard/oauth/authorize', $as['authorization_endpoint']);

        $verifier = rtrim(strtr(base64_encode(random_bytes(32)), '+/', '-_'), '=');
        [$client, $query] = $this->client($verifier);
        $login = $this->http->request('GET', '/module/mcpguard/oauth/authorize?' . $query);
        self::assertSame(302, $login['status'], $login['body']);
        self::assertSame('/admin/AdminLogin', $login['headers']['location'], 'not signed in: the back-office login');

        $this->http->cookies['test_psAdmin'] = '1';
        $page = $this->http->request('GET', '/module/mcpguard/oauth/authorize?' . $query);
        self::assertSame(200, $page['status'], $page['body']);
        preg_match_all('/<input type="hidden" name="([a-z_]+)" value="([^"]*)">/', $page['body'], $m, PREG_SET_ORDER);
        $fields = [];
        foreach ($m as [, $name, $value]) {
            $fields[$name] = html_entity_decode($value, ENT_QUOTES | ENT_HTML5);
        }
        $allow = $this->post('/module/mcpguard/oauth/authorize', $fields + ['decision' => 'allow']);
        self::assertSame(302, $allow['status'], $allow['body']);
        parse_str((string) parse_url($allow['headers']['location'], PHP_URL_QUERY), $q);
        $token = $this->post('/module/mcpguard/oauth/token', ['grant_type' => 'authorization_code', 'code' => $q['code'], 'redirect_uri' => self::CALLBACK,
            'code_verifier' => $verifier, 'client_id' => $client, 'resource' => $origin . '/module/mcpguard/mcp']);
        self::assertSame(200, $token['status'], $token['body']);
        $access = json_decode($token['body'], true)['access_token'];

        $call = fn (): array => $this->http->request('POST', '/module/mcpguard/mcp', '{"jsonrpc":"2.0","id":1,"method":"tools/list"}',
            ['Content-Type' => 'application/json', 'Accept' => 'application/json, text/event-stream', 'Authorization' => 'Bearer ' . $access]);
        $list = $call();
        self::assertSame(200, $list['status'], $list['body']);
        self::assertSame(['products.search', 'shop.info'], array_column(json_decode($list['body'], true)['result']['tools'], 'name'));

        $admin = new \McpGuard\PrestaShop\Controller\Admin\McpGuardController();
        $admin->revokeClientAction(new \Symfony\Component\HttpFoundation\Request([], ['clientId' => $client]));
        self::assertArrayHasKey('success', $admin->flashes);
        self::assertSame(401, $call()['status'], 'the client revoked in the back office: its token stops');
    }

    public function testAnEmployeeWhoIsNoMemberOrNoEmployeeCannotApprove(): void
    {
        [, $query] = $this->client('v' . str_repeat('x', 50));
        foreach (['2', '99'] as $employee) { // a signed-in employee who is no member; a cookie of no employee
            $this->http->cookies['test_psAdmin'] = $employee;
            $r = $this->http->request('GET', '/module/mcpguard/oauth/authorize?' . $query);
            self::assertSame('/admin/AdminLogin', $r['headers']['location'] ?? null, $r['body']);
        }
    }
}
