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

    /**
     * Statamic's extras: the control panel's MCP Guard page (a CP route, so
     * behind Statamic's CP authentication), who may see it, and its entry under Tools.
     */
    private function bootStatamic(): void
    {
        $this->loadViewsFrom(dirname(__DIR__) . '/resources/views', 'mcp-guard');
        \Statamic\Facades\Permission::group('mcp_guard', 'MCP Guard', static function (): void {
            \Statamic\Facades\Permission::register('view mcp guard');
        });
        \Statamic\Statamic::pushCpRoutes(static function (): void {
            \Illuminate\Support\Facades\Route::get('mcp-guard', Http\CpController::class)
                ->middleware('can:view mcp guard')->name('mcp-guard.index');
        });
        \Statamic\Facades\CP\Nav::extend(static function ($nav): void {
            $nav->tools('MCP Guard')->route('mcp-guard.index')->can('view mcp guard');
        });
    }
}
