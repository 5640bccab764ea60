<?php

declare(strict_types=1);

namespace McpGuard\Tests\Statamic;

use McpGuard\Tests\Statamic\Support\AdapterCase;
use Statamic\Auth\Permissions;
use Statamic\CP\Navigation\Nav;

/**
 * The service provider: Statamic's extras (permission, control-panel entry)
 * only when Statamic is installed, the published configuration, and the
 * artisan commands with the addon's defaults.
 */
final class ProviderTest extends AdapterCase
{
    public function testWithStatamicThePermissionAndTheNavigationEntryAreRegistered(): void
    {
        $this->boot();
        self::assertSame(['view mcp guard' => 'mcp_guard'], $this->t->app->make(Permissions::class)->all());
        $this->t->app->instance('request', \Illuminate\Http\Request::create('https://localhost/cp')); // the CP builds its nav in a request
        $items = $this->t->app->make(Nav::class)->build();
        self::assertCount(1, $items);
        self::assertSame(['Tools', 'MCP Guard', 'view mcp guard', 'https://localhost/cp/mcp-guard'],
            [$items[0]->section, $items[0]->name, $items[0]->can, $items[0]->url]);
    }

    public function testTheControlPanelPageListsMembersAndTokensToUsersWithThePermissionOnly(): void
    {
        $this->boot();
        $token = $this->token('u-ed', 'editor', 'discover,entries:read');
        $page = $this->t->handle('GET', 'https://localhost/cp/mcp-guard', ['X-Test-User' => 'ada@example.com']);
        self::assertSame(403, $page->getStatusCode(), 'ada has `access cp` but not `view mcp guard`: ' . $page->getContent());
        $page = $this->t->handle('GET', 'https://localhost/cp/mcp-guard', ['X-Test-User' => 'cy@example.com']);
        $html = (string) $page->getContent();
        self::assertSame(200, $page->getStatusCode(), $html);
        self::assertStringContainsString('<title>MCP Guard</title>', $html);
        $row = $this->t->app['db']->connection()->table('mcp_guard_tokens')->first();
        self::assertStringContainsString('<td>' . $row->public_id . '</td><td>u-ed</td>', $html);
        self::assertStringContainsString('<td>u-ed</td><td></td><td>editor</td>', $html);
        self::assertStringNotContainsString(substr((string) $row->hash, -20), $html, 'never a hash');
        self::assertStringNotContainsString(substr($token, -20), $html);
        $anonymous = $this->t->handle('GET', 'https://localhost/cp/mcp-guard', ['Accept' => 'application/json']);
        self::assertSame(401, $anonymous->getStatusCode(), 'behind the control panel\'s sign-in');
    }

    public function testWithoutStatamicTheEndpointWorksAndBasicIsOff(): void
    {
        // scripts/php.sh: the same PHP and build of the module as this process (MCP_GUARD_SO is passed on;
        // a PHP_RUNNER such as valgrind is not: the child runs the code this process runs under it).
        $cmd = 'env -u PHP_RUNNER MCPG_WITHOUT_STATAMIC=1 PHP=' . escapeshellarg(PHP_BINARY) . ' ' . escapeshellarg(dirname(__DIR__, 2) . '/scripts/php.sh') . ' '
            . escapeshellarg(__DIR__ . '/Support/without_statamic.php') . ' 2>&1';
        exec($cmd, $lines, $code);
        self::assertSame(0, $code, implode("\n", $lines));
        self::assertSame(['statamic' => false, 'token' => 200, 'basic' => 401], json_decode((string) end($lines), true), implode("\n", $lines));
    }

    public function testTheConfigurationIsPublishableAndMergedUnderMcpGuard(): void
    {
        $this->boot();
        $paths = \Illuminate\Support\ServiceProvider::pathsToPublish(\McpGuard\Statamic\ServiceProvider::class, 'mcp-guard-config');
        self::assertSame([realpath(dirname(__DIR__, 2) . '/php/statamic/config/mcp-guard.php')], array_map('realpath', array_keys($paths)));
        self::assertSame($this->t->app->configPath('mcp-guard.php'), array_values($paths)[0]);
        self::assertSame('/mcp/statamic', $this->t->app['config']->get('mcp-guard.web.path'));
    }

    public function testTokenCreateDefaultsToTheConfiguredMaximumLifetime(): void
    {
        $this->boot(['security' => ['max_token_lifetime_days' => 30]]);
        $before = time();
        $this->token('u-ed', 'editor', 'discover');
        $row = $this->t->app['db']->connection()->table('mcp_guard_tokens')->first();
        self::assertEqualsWithDelta($before + 30 * 86400, (int) $row->expires_at, 5);
        [$code, $out] = $this->artisan('mcp-guard:token:list', ['--format' => 'json']);
        self::assertSame(0, $code, $out);
        self::assertStringContainsString('u-ed', $out);
    }
}
