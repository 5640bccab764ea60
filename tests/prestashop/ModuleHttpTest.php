<?php

declare(strict_types=1);

namespace McpGuard\Tests\PrestaShop;

use McpGuard\PrestaShop\Services;
use McpGuard\Tests\Support\OAuth\HttpClient;
use PHPUnit\Framework\TestCase;

/**
 * The module's MCP endpoint end to end: php -S with four workers serving
 * PrestaShop's front dispatcher (stand-in) → McpguardMcpModuleFrontController
 * → the guarded pipeline, on PrestaShop's (MariaDB) database, tools bound by
 * another module through the actionMcpGuardTools hook. The behaviour table
 * of the guarded endpoint, Bearer and Basic, friendly and fc=module URLs.
 */
final class ModuleHttpTest extends TestCase
{
    private static PsShop $shop;
    private static string $path;
    /** @var array<string, string> */
    private static array $tokens = [];
    private HttpClient $http;

    public static function setUpBeforeClass(): void
    {
        self::$shop = new PsShop();
        self::$shop->start(friendlyUrls: true);
        self::$path = '/module/mcpguard/mcp';
        $members = Services::get()->cli()->members();
        foreach (['victor@shop.example' => 'viewer', 'alice@shop.example' => 'editor', 'eve@shop.example' => 'editor'] as $m => $role) {
            $members->add($m, $role);
            self::$tokens[$m] = self::$shop->token($m, $role);
        }
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

    /** @return array{status: int, headers: array<string, string>, body: string, json: mixed} */
    private function mcp(array $message, ?string $authorization, string $path = '', array $headers = []): array
    {
        $headers += ['Content-Type' => 'application/json', 'Accept' => 'application/json, text/event-stream'];
        if ($authorization !== null) {
            $headers['Authorization'] = $authorization;
        }
        $r = $this->http->request('POST', $path ?: self::$path, json_encode($message + ['jsonrpc' => '2.0'], JSON_UNESCAPED_SLASHES), $headers);
        $r['json'] = $r['body'] === '' ? null : json_decode($r['body'], true);
        return $r;
    }

    private function call(string $tool, array $arguments, string $member): array
    {
        return $this->mcp(['id' => random_int(1, 1 << 30), 'method' => 'tools/call', 'params' => ['name' => $tool, 'arguments' => $arguments]],
            'Bearer ' . self::$tokens[$member]);
    }

    public function testNoCredentialIs401WithTheChallengeNamingTheResourceMetadata(): void
    {
        $r = $this->mcp(['id' => 1, 'method' => 'tools/list'], null);
        self::assertSame(401, $r['status'], $r['body']);
        $origin = (string) self::$shop->server?->origin;
        self::assertSame('Bearer resource_metadata="' . $origin . '/.well-known/oauth-protected-resource/module/mcpguard/mcp"', $r['headers']['www-authenticate']);
        $meta = $this->http->request('GET', '/.well-known/oauth-protected-resource/module/mcpguard/mcp');
        self::assertSame(200, $meta['status'], $meta['body']);
        self::assertSame($origin . '/module/mcpguard/mcp', json_decode($meta['body'], true)['resource']);
        $as = $this->http->request('GET', '/.well-known/oauth-authorization-server');
        self::assertSame($origin . '/module/mcpguard/oauth/token', json_decode($as['body'], true)['token_endpoint'], $as['body']);
    }

    public function testAViewerReadsByBearerAndByBasicButAWriteIs403InsufficientScope(): void
    {
        $list = $this->mcp(['id' => 1, 'method' => 'tools/list'], 'Bearer ' . self::$tokens['victor@shop.example']);
        self::assertSame(200, $list['status'], $list['body']);
        self::assertSame(['products.search', 'shop.info'], array_column($list['json']['result']['tools'], 'name'));
        $basic = $this->mcp(['id' => 2, 'method' => 'tools/call', 'params' => ['name' => 'products.search', 'arguments' => ['query' => 'Mug']]],
            'Basic ' . base64_encode('victor@shop.example:' . self::$tokens['victor@shop.example']));
        self::assertSame(200, $basic['status'], $basic['body']);
        self::assertSame('Mug', $basic['json']['result']['structuredContent']['products'][0]['name']);
        $t = self::$tokens['victor@shop.example'];
        $wrong = $this->mcp(['id' => 3, 'method' => 'tools/list'], 'Basic ' . base64_encode('victor@shop.example:' . substr($t, 0, -1) . ($t[-1] === 'x' ? 'y' : 'x')));
        self::assertSame(401, $wrong['status']);
        $write = $this->call('products.update', ['id' => 1, 'price' => 1.0], 'victor@shop.example');
        self::assertSame(403, $write['status'], $write['body']);
        self::assertStringContainsString('error="insufficient_scope", scope="products:write"', $write['headers']['www-authenticate']);
        self::assertSame(12.5, (float) self::$shop->row('products', 1)['price']);
    }

    public function testBasicCarriesTheTokenWithItsOwnScopesNeverTheRolesAndCanBeSwitchedOff(): void
    {
        $cli = Services::get()->cli();
        $narrow = $cli->tokens()->issue('alice@shop.example', ['discover'])->plaintext(); // an editor's token for discovery only
        $search = ['id' => 1, 'method' => 'tools/call', 'params' => ['name' => 'products.search', 'arguments' => ['query' => 'Mug']]];
        $bearer = $this->mcp($search, 'Bearer ' . $narrow);
        $basic = $this->mcp($search, 'Basic ' . base64_encode('alice@shop.example:' . $narrow));
        self::assertSame([403, 403], [$bearer['status'], $basic['status']], $basic['body']);
        self::assertSame(200, $this->mcp(['id' => 2, 'method' => 'tools/list'], 'Basic ' . base64_encode('alice@shop.example:' . $narrow))['status']);
        self::$shop->settings(['MCPGUARD_BASIC' => '0']);
        try {
            $off = $this->mcp(['id' => 3, 'method' => 'tools/list'], 'Basic ' . base64_encode('alice@shop.example:' . self::$tokens['alice@shop.example']));
            self::assertSame(401, $off['status']);
        } finally {
            self::$shop->settings(['MCPGUARD_BASIC' => '1']);
        }
    }

    public function testWritesOffInConfigurationRefuseTheWriteAndOnLetItThrough(): void
    {
        self::$shop->settings(['MCPGUARD_WRITES' => '0']);
        try {
            $off = $this->call('products.update', ['id' => 2, 'price' => 30.0], 'alice@shop.example');
            self::assertSame('writes_disabled', $off['json']['error']['data']['reason'] ?? null, $off['body']);
            self::assertSame(39.0, (float) self::$shop->row('products', 2)['price']);
        } finally {
            self::$shop->settings(['MCPGUARD_WRITES' => '1']);
        }
        $ok = $this->call('products.update', ['id' => 2, 'price' => 30.0], 'alice@shop.example');
        self::assertSame(200, $ok['status'], $ok['body']);
        self::assertSame(30.0, (float) self::$shop->row('products', 2)['price']);
    }

    public function testADestructiveToolNeedsAConfirmationBoundToTheMemberThatWorksOnce(): void
    {
        $first = $this->call('orders.cancel', ['id' => 100], 'alice@shop.example');
        self::assertTrue($first['json']['result']['isError'], $first['body']);
        $token = $first['json']['result']['structuredContent']['confirmation']['token'];
        self::assertSame('paid', self::$shop->row('orders', 100)['status']);
        $eve = $this->call('orders.cancel', ['id' => 100, '_confirmation' => $token], 'eve@shop.example');
        self::assertTrue($eve['json']['result']['isError']);
        self::assertSame('paid', self::$shop->row('orders', 100)['status']);
        $ok = $this->call('orders.cancel', ['id' => 100, '_confirmation' => $token], 'alice@shop.example');
        self::assertFalse($ok['json']['result']['isError'] ?? false, $ok['body']);
        self::assertSame('cancelled', self::$shop->row('orders', 100)['status']);
        $replay = $this->call('orders.cancel', ['id' => 100, '_confirmation' => $token], 'alice@shop.example');
        self::assertTrue($replay['json']['result']['isError']);
    }

    public function testABurstIs429SharedByTheWorkers(): void
    {
        $token = self::$shop->token('alice@shop.example', 'editor');
        $statuses = [];
        for ($i = 0; $i < 7; $i++) {
            $statuses[] = $this->mcp(['id' => $i, 'method' => 'tools/call', 'params' => ['name' => 'shop.info', 'arguments' => []]], 'Bearer ' . $token)['status'];
        }
        self::assertSame([200, 200, 200, 200, 200, 429, 429], $statuses);
    }

    public function testARemovedMemberIs401OnTheNextRequest(): void
    {
        $members = Services::get()->cli()->members();
        $members->add('mallory@shop.example', 'editor');
        $token = self::$shop->token('mallory@shop.example', 'editor');
        self::assertSame(200, $this->mcp(['id' => 1, 'method' => 'tools/list'], 'Bearer ' . $token)['status']);
        $members->remove('mallory@shop.example');
        $r = $this->mcp(['id' => 2, 'method' => 'tools/list'], 'Bearer ' . $token);
        self::assertSame(401, $r['status']);
        $basic = $this->mcp(['id' => 3, 'method' => 'tools/list'], 'Basic ' . base64_encode('m:' . $token));
        self::assertSame(401, $basic['status']);
    }

    public function testASettingTheExtensionOrJsonRefusesIs503NotAnErrorPage(): void
    {
        foreach (['MCPGUARD_RATES' => '{"read":', 'MCPGUARD_ALLOWED_ORIGINS' => 'not-an-origin'] as $key => $bad) {
            $was = (string) \Configuration::get($key);
            self::$shop->settings([$key => $bad]);
            try {
                $r = $this->mcp(['id' => 1, 'method' => 'tools/list'], 'Bearer ' . self::$tokens['alice@shop.example']);
                self::assertSame([503, '60'], [$r['status'], $r['headers']['retry-after'] ?? null], $key . ': ' . $r['body']);
                self::assertSame("The MCP endpoint is not available.\n", $r['body']);
            } finally {
                self::$shop->settings([$key => $was]);
            }
        }
        self::assertSame(200, $this->mcp(['id' => 2, 'method' => 'tools/list'], 'Bearer ' . self::$tokens['alice@shop.example'])['status']);
    }

    public function testTheFcModuleUrlWorksWithoutFriendlyUrls(): void
    {
        $r = $this->mcp(['id' => 1, 'method' => 'tools/list'], 'Bearer ' . self::$tokens['alice@shop.example'],
            '/index.php?fc=module&module=mcpguard&controller=mcp');
        self::assertSame(200, $r['status'], $r['body']);
        self::assertContains('orders.cancel', array_column($r['json']['result']['tools'], 'name'));
        $none = $this->http->request('POST', '/index.php?fc=module&module=mcpguard&controller=mcp', '{}', ['Content-Type' => 'application/json']);
        self::assertSame(401, $none['status']);
    }
}
