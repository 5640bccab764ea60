<?php

declare(strict_types=1);

namespace McpGuard\Tests\Server\Guard;

use McpGuard\Tests\Lib\FastCgiClient;
use McpGuard\Tests\Lib\FpmServer;
use McpGuard\Tests\Support\Guard\TestShop;
use McpGuard\Tests\Support\PhpProcess;
use PHPUnit\Framework\TestCase;

require_once dirname(__DIR__, 3) . '/lib/FastCgiClient.php';
require_once dirname(__DIR__, 3) . '/lib/FpmServer.php';

/**
 * The guarded endpoint under php-fpm (four static workers, the module loaded
 * in the master so they share one rate-limit table), spoken to over FastCGI
 * as a web server would: the same router and shop as PipelineHttpTest.
 */
final class PipelineFpmTest extends TestCase
{
    private const ORIGIN = 'http://127.0.0.1:8089';
    private static FpmServer $fpm;
    private static TestShop $shop;

    public static function setUpBeforeClass(): void
    {
        self::$shop = new TestShop();
        self::$shop->configure(['origin' => self::ORIGIN, 'rates' => ['read' => ['limit' => 6, 'period' => 3600]]]);
        self::$shop->members(['victor' => 'viewer', 'alice' => 'editor']);
        $ext = (string) ini_get('extension_dir');
        self::$fpm = new FpmServer(["extension={$ext}/pdo.so", "extension={$ext}/pdo_sqlite.so", "extension={$ext}/posix.so", 'extension=' . PhpProcess::modulePath(),
            'display_errors=stderr', 'log_errors=0', 'session.save_path=' . self::$shop->dir . '/sessions'], 4,
            ['MCPG_SHOP_CONFIG' => self::$shop->configFile()]);
    }

    public static function tearDownAfterClass(): void
    {
        self::$fpm->stop();
        self::$shop->destroy();
    }

    protected function onNotSuccessfulTest(\Throwable $t): never
    {
        fwrite(STDERR, "\n--- php-fpm log\n" . self::$fpm->log());
        throw $t;
    }

    /**
     * @param array<string, mixed> $message
     * @return array{status: int, headers: array<string, string>, body: string, json: mixed}
     */
    private static function post(FastCgiClient $c, array $message, ?string $token): array
    {
        $params = ['SCRIPT_FILENAME' => dirname(__DIR__, 3) . '/mcp/server/router.php', 'SCRIPT_NAME' => '/mcp', 'REQUEST_URI' => '/mcp',
            'REQUEST_METHOD' => 'POST', 'CONTENT_TYPE' => 'application/json', 'REMOTE_ADDR' => '127.0.0.1', 'HTTP_HOST' => '127.0.0.1:8089',
            'SERVER_NAME' => '127.0.0.1', 'SERVER_PORT' => '8089'];
        if ($token !== null) {
            $params['HTTP_AUTHORIZATION'] = 'Bearer ' . $token;
        }
        $r = $c->request($params, json_encode($message + ['jsonrpc' => '2.0'], JSON_UNESCAPED_SLASHES));
        $r['json'] = json_decode($r['body'], true);
        return $r;
    }

    public function testNoTokenAViewersCallAndAWriteRefusedWithItsScope(): void
    {
        $c = self::$fpm->client();
        $none = self::post($c, ['id' => 1, 'method' => 'tools/list'], null);
        self::assertSame(401, $none['status'], $none['body'] . $none['stderr']);
        self::assertSame('Bearer resource_metadata="' . self::ORIGIN . '/.well-known/oauth-protected-resource/mcp"', $none['headers']['www-authenticate']);
        $search = self::post($c, ['id' => 2, 'method' => 'tools/call', 'params' => ['name' => 'products.search', 'arguments' => ['query' => 'Mug']]],
            self::$shop->tokens['victor']);
        self::assertSame(200, $search['status'], $search['body']);
        self::assertSame('Mug', $search['json']['result']['structuredContent']['products'][0]['name']);
        $write = self::post($c, ['id' => 3, 'method' => 'tools/call', 'params' => ['name' => 'products.update', 'arguments' => ['id' => 1, 'price' => 1]]],
            self::$shop->tokens['victor']);
        self::assertSame(403, $write['status']);
        self::assertStringContainsString('scope="products:write"', $write['headers']['www-authenticate']);
        self::assertSame(12.5, (float) self::$shop->row('products', 1)['price']);
        $c->close();
    }

    public function testTheRateOfOneTokenIsSharedByEveryWorker(): void
    {
        $token = self::$shop->token('alice', 'editor');
        // Three kept-open connections: php-fpm gives each its own worker.
        $clients = array_map(static fn () => self::$fpm->client(), range(1, 3));
        $statuses = [];
        foreach (range(0, 8) as $i) {
            $statuses[] = self::post($clients[$i % 3], ['id' => $i, 'method' => 'tools/call', 'params' => ['name' => 'shop.info', 'arguments' => []]],
                $token)['status'];
        }
        self::assertSame([200, 200, 200, 200, 200, 200, 429, 429, 429], $statuses, 'read rate 6 per hour, one table for all workers');
        $pids = [];
        foreach ($clients as $c) {
            $pids[] = $c->request(['SCRIPT_FILENAME' => dirname(__DIR__, 3) . '/mcp/server/router.php', 'REQUEST_URI' => '/test/pid',
                'REQUEST_METHOD' => 'GET', 'REMOTE_ADDR' => '127.0.0.1'])['headers']['x-worker'] ?? '';
        }
        self::assertCount(3, array_unique($pids), 'served by three workers');
        foreach ($clients as $c) {
            $c->close();
        }
    }

    public function testARemovedMemberIsRefusedOnTheNextRequest(): void
    {
        self::$shop->cli(['member:add', 'mallory', '--role=editor']);
        $token = self::$shop->token('mallory', 'editor');
        $c = self::$fpm->client();
        self::assertSame(200, self::post($c, ['id' => 1, 'method' => 'tools/list'], $token)['status']);
        self::$shop->cli(['member:remove', 'mallory']);
        $r = self::post($c, ['id' => 2, 'method' => 'tools/list'], $token);
        self::assertSame(401, $r['status']);
        self::assertStringContainsString('error="invalid_token"', $r['headers']['www-authenticate']);
        $c->close();
    }
}
