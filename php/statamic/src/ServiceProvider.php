<?php

declare(strict_types=1);

namespace McpGuard\Statamic;

use Illuminate\Console\Application as Artisan;
use Illuminate\Support\ServiceProvider as LaravelServiceProvider;
use McpGuard\Server\Console\CliServices;
use McpGuard\Statamic\Console\Commands;
use McpGuard\Statamic\Http\Middleware;

/**
 * The addon: configuration, routes, migration and artisan commands on any
 * Laravel application; with Statamic installed, its permissions and a
 * control-panel navigation entry too.
 */
class ServiceProvider extends LaravelServiceProvider
{
    /** The MCP endpoint's middlewares, in the documented order. */
    public const MIDDLEWARE = [
        Middleware\HandleCors::class,
        Middleware\RequireHttps::class,
        Middleware\Authenticate::class,
        Middleware\RateLimit::class,
        Middleware\RequirePermission::class,
    ];

    public function register(): void
    {
        $this->mergeConfigFrom(dirname(__DIR__) . '/config/mcp-guard.php', 'mcp-guard');
        $this->app->singleton(Addon::class, fn ($app): Addon => new Addon((array) $app['config']->get('mcp-guard'), $app,
            rtrim((string) $app['config']->get('app.url'), '/')));
    }

    public function boot(): void
    {
        $root = dirname(__DIR__);
        $this->publishes([$root . '/config/mcp-guard.php' => $this->app->configPath('mcp-guard.php')], 'mcp-guard-config');
        $this->loadMigrationsFrom($root . '/database/migrations');
        $this->loadRoutesFrom($root . '/routes/mcp-guard.php');
        $days = $this->app['config']->get('mcp-guard.security.max_token_lifetime_days');
        Artisan::starting(fn (Artisan $artisan) => $artisan->addCommands(Commands::all(
            fn (): CliServices => new CliServices($this->app->make(Addon::class)->cliConfig()),
            $days === null ? null : (int) $days,
        )));
        if (class_exists(\Statamic\Statamic::class)) {
            $this->bootStatamic();
        }
    }

    /** Statamic's extras: who may see the addon's page in the control panel, and its entry under Tools. */
    private function bootStatamic(): void
    {
        \Statamic\Facades\Permission::group('mcp_guard', 'MCP Guard', static function (): void {
            \Statamic\Facades\Permission::register('view mcp guard');
        });
        \Statamic\Facades\CP\Nav::extend(function ($nav): void {
            $nav->tools('MCP Guard')
                ->url($this->app['config']->get('app.url') . '/.well-known/oauth-protected-resource' . $this->app->make(Addon::class)->path())
                ->can('view mcp guard');
        });
    }
}
