<?php

declare(strict_types=1);

namespace McpGuard\Tests\Statamic\Support;

use Illuminate\Config\Repository;
use Illuminate\Contracts\Http\Kernel as HttpKernel;
use Illuminate\Foundation\Application;
use Illuminate\Http\Request;
use Illuminate\Support\ServiceProvider;
use McpGuard\Statamic\Addon;
use Statamic\Contracts\Auth\UserRepository;
use Symfony\Component\HttpFoundation\Response;

/**
 * A Laravel 8 application with the addon installed: base path in a
 * temporary directory, SQLite database file, the addon's migration run by
 * Laravel's migrator, Statamic's user repository bound to the stand-in's
 * users. handle() sends one request through the HTTP kernel.
 */
final class TestApp
{
    public readonly Application $app;

    /**
     * @param array<string, mixed> $overrides of config('mcp-guard'), over the addon's defaults and settings()
     * @param array<string, array{password: string, permissions: list<string>, id: string}> $users by email
     */
    public function __construct(public readonly string $dir, array $overrides = [], array $users = [], string $url = 'https://localhost')
    {
        @mkdir($dir . '/bootstrap/cache', 0777, true);
        $app = new Application($dir);
        $mcp = self::settings($overrides);
        $app->singleton(HttpKernel::class, TestKernel::class);
        $app->singleton(\Illuminate\Contracts\Debug\ExceptionHandler::class, TestExceptions::class);
        $app->instance('config', new Repository([
            'app' => ['name' => 'Test Statamic', 'url' => $url, 'env' => 'production', 'debug' => false, 'key' => str_repeat('k', 32),
                'cipher' => 'AES-256-CBC', 'aliases' => [], 'providers' => [
                \Illuminate\Database\DatabaseServiceProvider::class, \Illuminate\Filesystem\FilesystemServiceProvider::class,
                \Illuminate\Hashing\HashServiceProvider::class, \Illuminate\Auth\AuthServiceProvider::class,
                \Illuminate\View\ViewServiceProvider::class, \Illuminate\Session\SessionServiceProvider::class,
                \Illuminate\Encryption\EncryptionServiceProvider::class, \Illuminate\Cookie\CookieServiceProvider::class,
                \Illuminate\Database\MigrationServiceProvider::class, \Illuminate\Foundation\Providers\ComposerServiceProvider::class,
                \McpGuard\Statamic\ServiceProvider::class,
            ]],
            'database' => ['default' => 'sqlite', 'migrations' => 'migrations', 'connections' => [
                'sqlite' => ['driver' => 'sqlite', 'database' => $dir . '/app.sqlite', 'prefix' => '', 'foreign_key_constraints' => true]]],
            'hashing' => ['driver' => 'bcrypt', 'bcrypt' => ['rounds' => 4]],
            'view' => ['paths' => [], 'compiled' => $dir . '/views'],
            'session' => ['driver' => 'array', 'lifetime' => 120, 'cookie' => 'laravel_session', 'path' => '/', 'domain' => null,
                'secure' => false, 'http_only' => true, 'same_site' => 'lax', 'lottery' => [2, 100], 'expire_on_close' => false, 'encrypt' => false],
            // The control panel's user: the stand-in of Statamic's session sign-in is the X-Test-User header (an email).
            'auth' => ['defaults' => ['guard' => 'web'], 'guards' => ['web' => ['driver' => 'test-user', 'provider' => 'users']],
                'providers' => ['users' => ['driver' => 'eloquent', 'model' => TestUser::class]]],
            'mcp-guard' => $mcp,
        ]));
        touch($dir . '/app.sqlite');
        @mkdir($dir . '/views');
        $app->singleton(UserRepository::class, static function ($app) use ($users): TestUsers {
            $byEmail = [];
            foreach ($users as $email => $u) {
                $byEmail[$email] = new TestUser($u['id'], $email, $app['hash']->make($u['password']), $u['permissions']);
            }
            return new TestUsers($byEmail);
        });
        // Statamic binds these as singletons; names only: nothing loads unless Statamic (the stand-in) is there.
        $app->singleton('Statamic\\Auth\\Permissions');
        $app->singleton('Statamic\\CP\\Navigation\\Nav');
        $this->app = $app;
        $app->afterResolving('view', static fn ($view) => $view->addNamespace('statamic', dirname(__DIR__) . '/stubs/views'));
        $app->afterResolving('auth', static function ($auth) use ($app): void {
            $auth->viaRequest('test-user', static fn ($request) => $app->make(UserRepository::class)->findByEmail((string) $request->header('X-Test-User')));
        });
        if (class_exists(\Statamic\Statamic::class)) {
            \Statamic\Statamic::forgetCpRoutes();
        }
        $app->make(HttpKernel::class)->bootstrap();
        if (class_exists(\Statamic\Statamic::class)) {
            // The stand-in of Statamic's CP routes and its gate: CP routes behind a signed-in user, permissions from the user.
            $router = $app['router'];
            $router->aliasMiddleware('can', \Illuminate\Auth\Middleware\Authorize::class);
            $router->aliasMiddleware('auth', \Illuminate\Auth\Middleware\Authenticate::class);
            $router->middlewareGroup('statamic.cp.authenticated', ['auth']);
            $router->prefix('cp')->name('statamic.cp.')->middleware('statamic.cp.authenticated')
                ->group(static fn () => \Statamic\Statamic::additionalCpRoutes());
            $router->getRoutes()->refreshNameLookups();
            $app[\Illuminate\Contracts\Auth\Access\Gate::class]->after(static fn ($user, $ability) => $user->hasPermission($ability) === true ? true : null);
        }
        // Several php -S workers share the file: wait for a lock rather than fail (SQLITE_BUSY).
        $app['db']->connection()->statement('PRAGMA busy_timeout = 5000');
        $migrator = $app->make('migrator');
        if (!$migrator->repositoryExists()) {
            $migrator->getRepository()->createRepository();
        }
        $migrator->run($migrator->paths());
        $app['db']->connection()->statement('CREATE TABLE IF NOT EXISTS entries (id TEXT PRIMARY KEY, title TEXT NOT NULL)');
    }

    /** The addon's defaults with the tests' manifest, tools and loopback origin. */
    private static function settings(array $overrides): array
    {
        $defaults = require dirname(__DIR__, 3) . '/php/statamic/config/mcp-guard.php';
        return array_replace_recursive($defaults, [
            'policy' => EntryTools::manifest(false), 'tools' => EntryTools::class,
            'security' => ['confirmation_key' => str_repeat('c', 32), 'audit_key' => str_repeat('a', 32)],
        ], $overrides);
    }

    public function addon(): Addon
    {
        return $this->app->make(Addon::class);
    }

    /**
     * One artisan command (the addon's, through Laravel's console application).
     *
     * @param array<string, mixed> $args
     * @return array{0: int, 1: string} exit code, output
     */
    public function artisan(string $command, array $args = []): array
    {
        $artisan = new \Illuminate\Console\Application($this->app, $this->app['events'], 'test');
        $artisan->setAutoExit(false);
        $out = new \Symfony\Component\Console\Output\BufferedOutput();
        $code = $artisan->call($command, $args, $out);
        return [$code, $out->fetch()];
    }

    /** Serves the request PHP is serving now (public/index.php under php -S). */
    public function serve(): void
    {
        $kernel = $this->app->make(HttpKernel::class);
        $request = Request::capture();
        $response = $kernel->handle($request);
        $response->send();
        $kernel->terminate($request, $response);
    }

    /** @param array<string, string> $headers */
    public function handle(string $method, string $uri, array $headers = [], string $body = '', array $server = []): Response
    {
        foreach ($headers as $name => $value) {
            $server['HTTP_' . strtoupper(str_replace('-', '_', $name))] = $value;
        }
        if (isset($server['HTTP_CONTENT_TYPE'])) {
            $server['CONTENT_TYPE'] = $server['HTTP_CONTENT_TYPE'];
        }
        return $this->send(Request::create($uri, $method, [], [], [], $server, $body));
    }

    /** One request, as built, through the HTTP kernel. */
    public function send(Request $request): Response
    {
        $kernel = $this->app->make(HttpKernel::class);
        $response = $kernel->handle($request);
        $kernel->terminate($request, $response);
        // As if each request had its own PHP process: no signed-in user carries over.
        $this->app['auth']->forgetGuards();
        return $response;
    }
}
