<?php

declare(strict_types=1);

namespace McpGuard\Tests\PrestaShop;

use McpGuard\Jwt\Signer;
use McpGuard\PrestaShop\Services;
use McpGuard\Tests\Support\OAuth\HttpClient;
use McpGuard\Tests\Support\OAuth\HttpServer;
use PHPUnit\Framework\TestCase;

/**
 * Sign-in through PrestaShop Accounts: its access tokens are JWTs verified
 * against its JWKS (here our own Signer plays the identity provider, its
 * JWKS served by a second php -S on loopback); the member is the token's
 * email, which must be in the members list; mcp.discover/read/write are the
 * policy's built-in aliases of discover/read/write.
 */
final class AccountsJwtTest extends TestCase
{
    private const ISSUER = 'https://accounts.test.example';
    private static PsShop $shop;
    private static HttpServer $idpServer;
    private static Signer $idp;
    private static string $resource;
    private HttpClient $http;

    public static function setUpBeforeClass(): void
    {
        self::$shop = new PsShop();
        self::$idp = Signer::generate('ES256');
        file_put_contents(self::$shop->dir . '/jwks.json', self::$idp->jwks());
        self::$idpServer = new HttpServer(__DIR__ . '/jwks.php', ['MCPG_JWKS_FILE' => self::$shop->dir . '/jwks.json']);
        self::$shop->start(settings: ['MCPGUARD_ACCOUNTS_ISSUER' => self::ISSUER, 'MCPGUARD_ACCOUNTS_JWKS_URL' => self::$idpServer->origin . '/jwks.json']);
        self::$resource = self::$shop->server?->origin . '/module/mcpguard/mcp';
        Services::get()->cli()->members()->add('victor@shop.example', 'viewer');
        Services::get()->cli()->members()->add('alice@shop.example', 'editor');
    }

    public static function tearDownAfterClass(): void
    {
        self::$idpServer->stop();
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

    private function jwt(?string $email, string $scope, ?Signer $by = null, ?string $audience = null): string
    {
        return ($by ?? self::$idp)->accessToken(self::ISSUER, $audience ?? self::$resource, 'accounts-user-7', 'claude',
            scope: $scope, extraClaims: $email === null ? null : ['email' => $email]);
    }

    private function call(string $jwt, string $method, array $params = []): array
    {
        $r = $this->http->request('POST', '/module/mcpguard/mcp', json_encode(['jsonrpc' => '2.0', 'id' => 1, 'method' => $method] + ($params ? ['params' => $params] : [])),
            ['Content-Type' => 'application/json', 'Accept' => 'application/json, text/event-stream', 'Authorization' => 'Bearer ' . $jwt]);
        $r['json'] = json_decode($r['body'], true);
        return $r;
    }

    public function testAMembersAccountsTokenIsAcceptedWithTheScopesItCarries(): void
    {
        $jwt = $this->jwt('victor@shop.example', 'mcp.discover mcp.read');
        $list = $this->call($jwt, 'tools/list');
        self::assertSame(200, $list['status'], $list['body']);
        self::assertSame(['products.search', 'shop.info'], array_column($list['json']['result']['tools'], 'name'));
        $search = $this->call($jwt, 'tools/call', ['name' => 'products.search', 'arguments' => ['query' => 'Tea']]);
        self::assertSame(200, $search['status'], $search['body']);
        self::assertCount(2, $search['json']['result']['structuredContent']['products']);
        // mcp.write on a viewer: the role caps it.
        $write = $this->call($this->jwt('victor@shop.example', 'mcp.discover mcp.read mcp.write'), 'tools/call',
            ['name' => 'products.update', 'arguments' => ['id' => 3, 'price' => 1.0]]);
        self::assertSame(403, $write['status'], $write['body']);
        // mcp.write on an editor: the write goes through.
        $ok = $this->call($this->jwt('alice@shop.example', 'mcp.discover mcp.write'), 'tools/call',
            ['name' => 'products.update', 'arguments' => ['id' => 3, 'price' => 7.5]]);
        self::assertSame(200, $ok['status'], $ok['body']);
        self::assertSame(7.5, (float) self::$shop->row('products', 3)['price']);
        // Without mcp.read, no read.
        $noRead = $this->call($this->jwt('alice@shop.example', 'mcp.discover'), 'tools/call', ['name' => 'products.search', 'arguments' => []]);
        self::assertSame(403, $noRead['status'], $noRead['body']);
    }

    public function testAnEmailNotInTheMembersListOrNoEmailIsRefused(): void
    {
        foreach (['bob@shop.example', null] as $email) {
            $r = $this->call($this->jwt($email, 'mcp.discover mcp.read'), 'tools/list');
            self::assertSame(401, $r['status'], (string) $email);
            self::assertStringContainsString('error="invalid_token"', $r['headers']['www-authenticate']);
        }
    }

    public function testAnotherSignerOrAnotherAudienceIsRefused(): void
    {
        $forged = $this->call($this->jwt('victor@shop.example', 'mcp.discover mcp.read', Signer::generate('ES256')), 'tools/list');
        self::assertSame(401, $forged['status']);
        $elsewhere = $this->call($this->jwt('victor@shop.example', 'mcp.discover mcp.read', audience: 'https://other.example/mcp'), 'tools/list');
        self::assertSame(401, $elsewhere['status']);
    }

    public function testTheJwksIsFetchedOnceAndKeptInConfiguration(): void
    {
        self::assertSame(200, $this->call($this->jwt('victor@shop.example', 'mcp.discover'), 'tools/list')['status']);
        $hits = strlen((string) @file_get_contents(self::$shop->dir . '/jwks.json.hits'));
        self::assertGreaterThanOrEqual(1, $hits);
        for ($i = 0; $i < 3; $i++) {
            self::assertSame(200, $this->call($this->jwt('victor@shop.example', 'mcp.discover'), 'tools/list')['status']);
        }
        self::assertSame($hits, strlen((string) @file_get_contents(self::$shop->dir . '/jwks.json.hits')));
        self::assertSame(file_get_contents(self::$shop->dir . '/jwks.json'), json_decode((string) \Configuration::get('MCPGUARD_JWKS_CACHE'), true)['jwks']);
    }

    public function testAJwksThatCannotBeReadIs503NotKeptAndTheNextFetchWorks(): void
    {
        \Configuration::deleteByName('MCPGUARD_JWKS_CACHE');
        $good = (string) file_get_contents(self::$shop->dir . '/jwks.json');
        file_put_contents(self::$shop->dir . '/jwks.json', '<html>maintenance</html>');
        try {
            $r = $this->call($this->jwt('victor@shop.example', 'mcp.discover'), 'tools/list');
            self::assertSame(503, $r['status'], $r['body']);
            self::assertSame('60', $r['headers']['retry-after']);
            self::assertFalse(\Configuration::get('MCPGUARD_JWKS_CACHE'), 'not kept');
        } finally {
            file_put_contents(self::$shop->dir . '/jwks.json', $good);
        }
        self::assertSame(200, $this->call($this->jwt('victor@shop.example', 'mcp.discover'), 'tools/list')['status']);
        self::assertIsString(\Configuration::get('MCPGUARD_JWKS_CACHE'));
    }
}
