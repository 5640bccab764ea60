<?php

declare(strict_types=1);

namespace McpGuard\Statamic;

use Illuminate\Contracts\Container\Container;
use Illuminate\Database\ConnectionInterface;
use McpGuard\Confirmations;
use McpGuard\Server\Audit\PdoAuditSink;
use McpGuard\Server\Console\CliConfig;
use McpGuard\Server\Guard\Auth\ApiTokenSource;
use McpGuard\Server\Guard\Auth\OAuthTokenSource;
use McpGuard\Server\Guard\Confirmation\Confirmer;
use McpGuard\Server\Guard\Confirmation\PdoConfirmationStore;
use McpGuard\Server\Guard\Pipeline;
use McpGuard\Server\Guard\PipelineConfig;
use McpGuard\Server\Mcp\Endpoint;
use McpGuard\Server\Mcp\ToolRegistry;
use McpGuard\Server\OAuth\Consent\NativeSession;
use McpGuard\Server\OAuth\OAuthConfig;
use McpGuard\Server\OAuth\OAuthServer;
use McpGuard\Server\OAuth\OAuthStores;
use McpGuard\Server\OAuth\Pdo\PdoDatabase;
use McpGuard\Statamic\Auth\StatamicBasicVerifier;
use McpGuard\Statamic\Auth\StatamicMembers;
use McpGuard\Statamic\Database\LaravelLegacyTokenSource;
use McpGuard\Statamic\Database\LaravelMemberStore;
use McpGuard\Statamic\Database\LaravelTokenStore;

/**
 * The addon's objects, built from `config('mcp-guard')` once per request
 * cycle (a singleton of the container): the pipeline, the OAuth server, the
 * stores on the configured connection, and the admin CLI's configuration.
 */
final class Addon
{
    private ?Pipeline $pipeline = null;
    private ?OAuthServer $oauth = null;

    /** @param array<string, mixed> $config `config('mcp-guard')` */
    public function __construct(private readonly array $config, private readonly Container $app, private readonly string $origin)
    {
    }

    public function path(): string
    {
        return '/' . trim((string) $this->config['web']['path'], '/');
    }

    /** The MCP endpoint's URL: the resource its tokens are bound to. */
    public function resource(): string
    {
        return $this->origin . $this->path();
    }

    public function connection(): ConnectionInterface
    {
        return $this->app->make('db')->connection($this->config['database']['connection'] ?? null);
    }

    /** The one migration list of the glue, on the connection's PDO (prefixed tables). */
    public function database(): PdoDatabase
    {
        return new PdoDatabase($this->connection()->getPdo(), (string) $this->config['database']['prefix']);
    }

    public function members(): LaravelMemberStore
    {
        return new LaravelMemberStore($this->connection(), $this->database()->table('members'));
    }

    public function tokens(): LaravelTokenStore
    {
        return new LaravelTokenStore($this->connection(), (string) $this->config['database']['tokens_table']);
    }

    public function pipelineConfig(): PipelineConfig
    {
        // The guard is named after the manifest's text, not its decoded array: a
        // request reads the file but decodes it only when this worker has no guard
        // of that name yet (the closure runs on a miss only).
        $text = $this->manifestText();
        $aliases = $this->config['scope_aliases'] ?? [];
        $rates = ['request' => ['limit' => (int) $this->config['rate_limit']['max_attempts'], 'period' => 60]]
            + ($this->config['rate_limit']['rates'] ?? []);
        $web = $this->config['web'];
        $legacy = $this->legacyTokensEnabled();
        return new PipelineConfig(
            resource: $this->resource(),
            resourceMetadata: $this->origin . '/.well-known/oauth-protected-resource' . $this->path(),
            // A new name whenever the configuration changes: each worker compiles the guard once per name.
            guardName: 'statamic@' . hash('xxh128', json_encode([$aliases, $rates, $web, $this->origin, $legacy], JSON_THROW_ON_ERROR)
                . "\n" . $text),
            guard: static fn (): array => ['manifest' => self::decodeManifest($text, $aliases), 'rates' => $rates,
                'legacySha256Tokens' => $legacy],
            allowedOrigins: $web['allowed_origins'] ?? [],
            trustedProxies: $web['trusted_proxies'] ?? [],
            dangerousAllowHttpLoopback: !$web['require_https'],
        );
    }

    /** The configured manifest as text: the file's bytes, or the inline array as JSON. */
    private function manifestText(): string
    {
        $policy = $this->config['policy'];
        return is_array($policy) ? json_encode($policy, JSON_THROW_ON_ERROR) : (string) file_get_contents((string) $policy);
    }

    /**
     * The manifest with the configured platform scope names as aliases.
     *
     * @param array<string, string> $aliases
     * @return array<string, mixed>
     */
    private static function decodeManifest(string $text, array $aliases): array
    {
        $manifest = json_decode($text, true, 64, JSON_THROW_ON_ERROR);
        $manifest['aliases'] = ($manifest['aliases'] ?? []) + $aliases;
        return $manifest;
    }

    public function pipeline(): Pipeline
    {
        if ($this->pipeline !== null) {
            return $this->pipeline;
        }
        $config = $this->pipelineConfig();
        $registry = new ToolRegistry($config->compiled()->policy());
        $tools = $this->config['tools'] ?? null;
        $endpoint = new Endpoint($tools === null ? $registry : $this->app->make($tools)->bind($registry),
            serverName: 'statamic', serverVersion: (string) (phpversion('mcp_guard') ?: '0'));
        $key = $this->config['security']['confirmation_key'] ?? null;
        $db = $this->database();
        return $this->pipeline = new Pipeline($config, $endpoint, $this->members(),
            [new ApiTokenSource($this->tokens()), new OAuthTokenSource(OAuthStores::pdo($db)->accessTokens)],
            // Basic checks Statamic users: without Statamic there is no Basic fallback.
            basic: class_exists(\Statamic\Facades\User::class) ? new StatamicBasicVerifier($this->app->make('hash')) : null,
            confirmer: $key === null ? null : new Confirmer(new Confirmations($key, 300), new PdoConfirmationStore($db)),
            audit: $this->audit(),
            legacyTokens: $this->legacyTokensEnabled() ? new LaravelLegacyTokenSource($this->connection(),
                (string) ($this->config['legacy_tokens']['table'] ?? 'mcp_tokens'),
                (string) ($this->app->make('config')->get('app.timezone') ?? 'UTC')) : null,
        );
    }

    /** Whether the Statamic MCP addon's `mcp_tokens` rows are accepted (`legacy_tokens.enabled`, default false). */
    private function legacyTokensEnabled(): bool
    {
        return ($this->config['legacy_tokens']['enabled'] ?? false) === true;
    }

    public function oauth(): OAuthServer
    {
        $cp = trim((string) ($this->app->make('config')->get('statamic.cp.route') ?? 'cp'), '/');
        $o = $this->config['oauth'];
        return $this->oauth ??= new OAuthServer(new OAuthConfig(
            issuer: $this->origin,
            resource: $this->resource(),
            scopes: ['discover', 'read', 'write'],
            shopName: (string) $this->app->make('config')->get('app.name', 'Statamic'),
            policy: $this->pipelineConfig()->compiled()->policy(), // the guard's own, compiled once per worker
            codeTtl: (int) $o['code_ttl'],
            accessTokenTtl: (int) $o['token_ttl'],
            refreshTokenTtl: (int) $o['refresh_token_ttl'],
            dangerousAllowHttpLoopback: !$this->config['web']['require_https'],
        ), OAuthStores::pdo($this->database()), new StatamicMembers($this->members(), $this->app->make('auth'), "/{$cp}/auth/login",
            $this->app->make('config')->get('statamic.users.guards.cp')),
            new NativeSession(), audit: $this->audit());
    }

    /** The admin CLI's configuration, on the same database, tables, policy and audit key. */
    public function cliConfig(): CliConfig
    {
        $c = $this->connection()->getConfig();
        $database = $c['driver'] === 'sqlite' ? ['sqlite' => (string) $c['database']] : [
            'dsn' => sprintf('mysql:host=%s;port=%s;dbname=%s;charset=utf8mb4', $c['host'], $c['port'] ?? 3306, $c['database']),
            'user' => $c['username'] ?? null, 'password' => $c['password'] ?? null,
        ];
        $policy = $this->config['policy'];
        return CliConfig::fromArray(array_filter([
            'database' => $database,
            'prefix' => (string) $this->config['database']['prefix'],
            'tokens' => ['table' => (string) $this->config['database']['tokens_table']],
            'audit' => $this->config['security']['audit_logging'] ? array_filter(['key' => $this->config['security']['audit_key'] ?? null]) : null,
            'policy' => is_string($policy) ? $policy : null,
        ], static fn ($v): bool => $v !== null), getcwd() ?: '/');
    }

    private function audit(): ?PdoAuditSink
    {
        $key = $this->config['security']['audit_key'] ?? null;
        return $this->config['security']['audit_logging']
            ? new PdoAuditSink($this->database(), $key === null ? null : new \McpGuard\Audit\Chain($key)) : null;
    }
}
