<?php

declare(strict_types=1);

namespace McpGuard\Tests\Server\OAuth;

require_once __DIR__ . '/OAuthStoreTestCase.php';
require_once dirname(__DIR__, 2) . '/Support/OAuth/TestMembers.php';
require_once dirname(__DIR__, 2) . '/Support/OAuth/ArraySession.php';
require_once dirname(__DIR__, 2) . '/Support/OAuth/FixtureFetcher.php';

use McpGuard\OAuth\Pkce;
use McpGuard\Policy;
use McpGuard\Server\RateLimit\Limiter;
use McpGuard\Server\Http\Request;
use McpGuard\Server\Http\Response;
use McpGuard\Server\OAuth\OAuthConfig;
use McpGuard\Server\OAuth\OAuthServer;
use McpGuard\Server\OAuth\OAuthStores;
use McpGuard\Tests\Support\OAuth\ArraySession;
use McpGuard\Tests\Support\OAuth\FixtureFetcher;
use McpGuard\Tests\Support\OAuth\TestMembers;

/**
 * The OAuth endpoints in-process, on the real stores (a SQLite file, or the
 * MariaDB of tests/db/mariadb.sh) and a clock the test moves: an
 * OAuthServer, a members list (alice: editor, victor: viewer), sessions and
 * an injected metadata-document fetcher. Requests are Request values; the
 * flow helpers do what a client does (register, authorize, consent, token).
 */
abstract class OAuthEndpointTestCase extends OAuthStoreTestCase
{
    protected const ISSUER = 'https://shop.example';
    protected const RESOURCE = 'https://shop.example/mcp';
    protected const CALLBACK = 'http://127.0.0.1:53123/callback';
    protected const DOC_ID = 'https://client.example/oauth/client.json';

    protected int $now = self::NOW;
    protected string $dir;
    protected string $membersFile;
    protected string $docsFile;
    protected ArraySession $session;
    protected OAuthStores $stores;
    /** This test's client address: rate-limit keys stay apart across tests (the CLI table lives as long as PHPUnit). */
    protected string $ip;

    protected function setUp(): void
    {
        parent::setUp();
        $this->dir = sys_get_temp_dir() . '/mcpg-oauth-' . bin2hex(random_bytes(6));
        mkdir($this->dir);
        $this->membersFile = $this->dir . '/members.json';
        $this->docsFile = $this->dir . '/documents.json';
        TestMembers::write($this->membersFile, ['alice' => ['role' => 'editor', 'name' => 'Alice Martin'], 'victor' => ['role' => 'viewer']]);
        FixtureFetcher::write($this->docsFile, [self::DOC_ID => ['body' => self::document(), 'cacheControl' => 'max-age=600']]);
        $this->session = new ArraySession();
        $this->stores = OAuthStores::pdo($this->db);
        $this->ip = sprintf('2001:db8:%x:%x::7', random_int(0, 0xffff), random_int(0, 0xffff));
    }

    protected function tearDown(): void
    {
        foreach (glob($this->dir . '/*') ?: [] as $f) {
            unlink($f);
        }
        @rmdir($this->dir);
        parent::tearDown();
        // PHPUnit keeps every test object to the end of the run: close this test's
        // connection now, or a MariaDB run hits max_connections.
        unset($this->stores, $this->db, $this->migrations, $this->pdo);
    }

    public static function policy(): Policy
    {
        return new Policy(['version' => 1, 'writes_enabled' => true, 'tools' => [
            'shop.info' => ['class' => 'read', 'scopes' => ['discover']],
            'products.search' => ['class' => 'read', 'scopes' => ['read'], 'fields' => ['query' => ['type' => 'string', 'max_length' => 100]]],
            'products.update' => ['class' => 'write', 'scopes' => ['write'], 'fields' => ['id' => ['type' => 'integer', 'required' => true]]],
            'orders.cancel' => ['class' => 'destructive', 'scopes' => ['write'], 'enabled' => true, 'fields' => ['id' => ['type' => 'integer', 'required' => true]]],
        ]]);
    }

    /** A Client ID Metadata Document for DOC_ID (loopback redirect: any port). */
    protected static function document(array $extra = []): string
    {
        return json_encode($extra + ['client_id' => self::DOC_ID, 'client_name' => 'Example Agent',
            'redirect_uris' => ['http://127.0.0.1/callback'], 'token_endpoint_auth_method' => 'none'], JSON_UNESCAPED_SLASHES);
    }

    /** @param array<string, mixed> $config named arguments of OAuthConfig over the defaults here */
    protected function config(array $config = []): OAuthConfig
    {
        return new OAuthConfig(...($config + ['issuer' => self::ISSUER, 'resource' => self::RESOURCE,
            'scopes' => ['discover', 'read', 'write'], 'shopName' => 'Demo shop', 'resourceName' => 'Demo shop MCP',
            'policy' => self::policy()]));
    }

    /** @param Limiter|null|false $limiter null (default): no limit; false: the config's shared-memory limiter */
    protected function server(array $config = [], Limiter|null|false $limiter = null): OAuthServer
    {
        return new OAuthServer($this->config($config), $this->stores, new TestMembers($this->membersFile), $this->session,
            new FixtureFetcher($this->docsFile), $limiter, fn (): int => $this->now);
    }

    /** @param array<string, string> $headers */
    protected function call(OAuthServer $s, string $method, string $path, string $query = '', string $body = '', array $headers = [],
        ?string $member = 'alice', string $sessionId = 's1', ?string $ip = null): Response
    {
        $cookies = [ArraySession::COOKIE => $sessionId] + ($member !== null ? [TestMembers::COOKIE => $member] : []);
        $response = $s->handle(new Request($method, $path, $query, $headers, $body, $cookies, $ip ?? $this->ip));
        self::assertNotNull($response, "{$method} {$path} is an OAuth path");
        return $response;
    }

    /** @return array<string, mixed> */
    protected static function json(Response $r): array
    {
        self::assertSame('application/json', $r->header('Content-Type'), $r->body);
        $data = json_decode($r->body, true, 16, JSON_THROW_ON_ERROR);
        self::assertIsArray($data);
        return $data;
    }

    /** @return array<string, mixed> the 201 body */
    protected function register(OAuthServer $s, array $metadata = [], int $status = 201): array
    {
        $r = $this->call($s, 'POST', '/oauth/register', '', json_encode($metadata + ['client_name' => 'Cursor',
            'redirect_uris' => [self::CALLBACK], 'token_endpoint_auth_method' => 'none',
            'grant_types' => ['authorization_code', 'refresh_token']], JSON_UNESCAPED_SLASHES), ['Content-Type' => 'application/json']);
        self::assertSame($status, $r->status, $r->body);
        return self::json($r);
    }

    /**
     * An authorization query and its PKCE verifier.
     *
     * @return array{string, string}
     */
    protected static function authorizeQuery(string $clientId, array $params = []): array
    {
        $verifier = rtrim(strtr(base64_encode(random_bytes(32)), '+/', '-_'), '=');
        return [http_build_query($params + ['response_type' => 'code', 'client_id' => $clientId, 'redirect_uri' => self::CALLBACK,
            'state' => 'st-' . bin2hex(random_bytes(4)), 'code_challenge' => Pkce::challenge($verifier), 'code_challenge_method' => 'S256',
            'scope' => 'discover read write', 'resource' => self::RESOURCE], '', '&', PHP_QUERY_RFC3986), $verifier];
    }

    /** The hidden fields of a consent page. @return array<string, string> */
    protected static function form(Response $page): array
    {
        self::assertSame(200, $page->status, $page->body);
        preg_match_all('/<input type="hidden" name="([a-z_]+)" value="([^"]*)">/', $page->body, $m, PREG_SET_ORDER);
        $fields = [];
        foreach ($m as [, $name, $value]) {
            $fields[$name] = html_entity_decode($value, ENT_QUOTES | ENT_HTML5, 'UTF-8');
        }
        return $fields;
    }

    /** GET the consent page, then post the member's decision with its CSRF token. */
    protected function consent(OAuthServer $s, string $query, string $decision = 'allow', string $member = 'alice'): Response
    {
        $fields = self::form($this->call($s, 'GET', '/oauth/authorize', $query, member: $member));
        return $this->call($s, 'POST', '/oauth/authorize', '', http_build_query($fields + ['decision' => $decision]),
            ['Content-Type' => 'application/x-www-form-urlencoded'], $member);
    }

    /** @return array<string, string> the query of a redirect's Location */
    protected static function redirected(Response $r, string $prefix = self::CALLBACK): array
    {
        self::assertSame(302, $r->status, $r->body);
        $location = (string) $r->header('Location');
        self::assertStringStartsWith($prefix . '?', $location);
        parse_str((string) parse_url($location, PHP_URL_QUERY), $q);
        return $q;
    }

    /** @param array<string, string> $extra */
    protected function token(OAuthServer $s, array $form, array $headers = []): Response
    {
        return $this->call($s, 'POST', '/oauth/token', '', http_build_query($form, '', '&', PHP_QUERY_RFC3986),
            $headers + ['Content-Type' => 'application/x-www-form-urlencoded'], null);
    }

    /**
     * Registration, consent and code exchange of a public client.
     *
     * @return array{client: string, tokens: array<string, mixed>, code: string, verifier: string}
     */
    protected function fullFlow(OAuthServer $s, string $member = 'alice', ?string $clientId = null): array
    {
        $clientId ??= (string) $this->register($s)['client_id'];
        [$query, $verifier] = self::authorizeQuery($clientId);
        $code = self::redirected($this->consent($s, $query, 'allow', $member))['code'];
        $r = $this->token($s, ['grant_type' => 'authorization_code', 'code' => $code, 'redirect_uri' => self::CALLBACK,
            'code_verifier' => $verifier, 'client_id' => $clientId, 'resource' => self::RESOURCE]);
        self::assertSame(200, $r->status, $r->body);
        return ['client' => $clientId, 'tokens' => self::json($r), 'code' => $code, 'verifier' => $verifier];
    }

    protected function refreshWith(OAuthServer $s, string $clientId, string $refreshToken, array $extra = []): Response
    {
        return $this->token($s, $extra + ['grant_type' => 'refresh_token', 'refresh_token' => $refreshToken, 'client_id' => $clientId]);
    }
}
