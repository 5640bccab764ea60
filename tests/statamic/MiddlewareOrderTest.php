<?php

declare(strict_types=1);

namespace McpGuard\Tests\Statamic;

use McpGuard\Statamic\Http\McpController;
use McpGuard\Statamic\Http\Middleware;
use McpGuard\Statamic\ServiceProvider;
use McpGuard\Tests\Statamic\Support\AdapterCase;
use McpGuard\Tests\Statamic\Support\EntryTools;

/**
 * The middlewares run in the documented order, CORS → HTTPS → authenticate
 * → rate limit → permission: the route has them so, each refusal comes from
 * the step the order puts first, and the pipeline refuses any other order.
 */
final class MiddlewareOrderTest extends AdapterCase
{
    private const ORDER = [Middleware\HandleCors::class, Middleware\RequireHttps::class, Middleware\Authenticate::class,
        Middleware\RateLimit::class, Middleware\RequirePermission::class];

    public function testTheRouteHasTheFiveMiddlewaresInTheDocumentedOrder(): void
    {
        $this->boot();
        self::assertSame(self::ORDER, ServiceProvider::MIDDLEWARE);
        $routes = $this->t->app['router']->getRoutes();
        $routes->refreshNameLookups();
        $route = $routes->getByName('mcp-guard.mcp');
        self::assertNotNull($route);
        self::assertSame(self::ORDER, $route->gatherMiddleware());
    }

    public function testEachRefusalComesFromTheFirstStepThatRefuses(): void
    {
        $this->boot([], 'http://localhost');
        $http = 'http://localhost/mcp/statamic';
        // A foreign origin over plain HTTP without credentials: CORS refuses first.
        $r = $this->mcp(['id' => 1, 'method' => 'tools/list'], null, ['Origin' => 'https://evil.example'], $http);
        self::assertSame([403, 'Origin not allowed'], [$r['status'], $r['json']['error']['message'] ?? null], $r['body']);
        // Plain HTTP without credentials: HTTPS refuses before authentication asks for any.
        $r = $this->mcp(['id' => 1, 'method' => 'tools/list'], null, [], $http);
        self::assertSame([403, 'HTTPS required'], [$r['status'], $r['json']['error']['message'] ?? null], $r['body']);
        self::assertNull($r['headers']->get('WWW-Authenticate'));
    }

    public function testAuthenticationComesBeforeTheRateAndTheRateBeforeThePermission(): void
    {
        $this->boot(['rate_limit' => ['max_attempts' => 1], 'policy' => EntryTools::manifest(true)]);
        $token = 'Bearer ' . $this->token('u-vic', 'viewer', 'discover,entries:read');
        self::assertSame(200, $this->mcp(['id' => 1, 'method' => 'tools/list'], $token)['status']);
        // The rate is used up: a bad credential is still 401 (authentication first) …
        $bad = $this->mcp(['id' => 2, 'method' => 'tools/list'], substr($token, 0, -1) . ($token[-1] === 'x' ? 'y' : 'x')); // never the token itself
        self::assertSame(401, $bad['status'], $bad['body']);
        // … and a write the viewer may not make is 429, not 403 (the rate before the permission).
        $write = $this->call('entries.update', ['id' => 'home', 'title' => 'x'], $token);
        self::assertSame(429, $write['status'], $write['body']);
    }

    public function testThePipelineRefusesAnyOtherOrderAndRunsNoTool(): void
    {
        $this->boot(['policy' => EntryTools::manifest(true)]);
        $token = 'Bearer ' . $this->token('u-ed', 'editor', 'discover,entries:read,entries:write');
        $router = $this->t->app['router'];
        for ($i = 0; $i < count(self::ORDER) - 1; $i++) {
            $swapped = self::ORDER;
            [$swapped[$i], $swapped[$i + 1]] = [$swapped[$i + 1], $swapped[$i]];
            $router->post("/swapped-{$i}", McpController::class)->middleware($swapped);
            // Routes added after boot: refresh the lookup tables as Laravel does after loading routes.
            $router->getRoutes()->refreshNameLookups();
            $r = $this->mcp(['id' => 1, 'method' => 'tools/call', 'params' => ['name' => 'entries.update',
                'arguments' => ['id' => 'home', 'title' => "swap {$i}"]]], $token, [], "https://localhost/swapped-{$i}");
            self::assertSame(500, $r['status'], "swap {$i}: " . $r['body']);
            self::assertStringContainsString('LogicException', $r['body']);
            self::assertSame('Home', $this->title('home'), "swap {$i}: no tool ran");
        }
        $skipped = self::ORDER;
        unset($skipped[3]);
        $router->post('/skipped', McpController::class)->middleware(array_values($skipped));
        $r = $this->mcp(['id' => 1, 'method' => 'tools/list'], $token, [], 'https://localhost/skipped');
        self::assertSame(500, $r['status'], 'a missing step is refused too');
        $all = $this->call('entries.update', ['id' => 'home', 'title' => 'In order'], $token);
        self::assertFalse($all['json']['result']['isError'] ?? false, $all['body']);
        self::assertSame('In order', $this->title('home'));
    }
}
