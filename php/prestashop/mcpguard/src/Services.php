<?php

declare(strict_types=1);

namespace McpGuard\PrestaShop;

use McpGuard\Confirmations;
use McpGuard\Exception\ConfigurationException;
use McpGuard\Exception\GuardException;
use McpGuard\Jwt\KeySet;
use McpGuard\Server\Audit\PdoAuditSink;
use McpGuard\Server\Console\CliConfig;
use McpGuard\Server\Console\CliServices;
use McpGuard\Server\Guard\Auth\ApiTokenSource;
use McpGuard\Server\Guard\Auth\JwtAuthenticator;
use McpGuard\Server\Guard\Auth\OAuthTokenSource;
use McpGuard\Server\Guard\Confirmation\Confirmer;
use McpGuard\Server\Guard\Confirmation\PdoConfirmationStore;
use McpGuard\Server\Guard\Pipeline;
use McpGuard\Server\Guard\PipelineConfig;
use McpGuard\Server\Http\Response;
use McpGuard\Server\Mcp\Endpoint;
use McpGuard\Server\Mcp\ToolRegistry;
use McpGuard\Server\OAuth\Consent\NativeSession;
use McpGuard\Server\OAuth\OAuthConfig;
use McpGuard\Server\OAuth\OAuthServer;
use McpGuard\Server\OAuth\Pdo\PdoDatabase;

/**
 * The module's objects, built from PrestaShop's settings: the shared stores
 * on PrestaShop's database (the same `mcp_guard` PDO stores as
 * `bin/mcp-guard`, tables `<_DB_PREFIX_>mcpguard_*`), the guarded pipeline,
 * the OAuth server. One connection per request, opened from the
 * _DB_SERVER_/_DB_NAME_/_DB_USER_/_DB_PASSWD_ constants PrestaShop defines
 * (Db gives no prepared statements; the stores need them).
 */
final class Services
{
    private static ?self $instance = null;
    private ?CliServices $cli = null;

    public static function get(): self
    {
        return self::$instance ??= new self();
    }

    /** Forgets the objects built so far (after settings changed in the same process). */
    public static function reset(): void
    {
        self::$instance = null;
    }

    /**
     * An endpoint's response; a setting the extension refuses, a setting that
     * is not the JSON it should be, or PrestaShop Accounts' JWKS unreadable now
     * answers 503, never PHP's error page.
     *
     * @param \Closure(): Response $endpoint
     */
    public static function answer(\Closure $endpoint): Response
    {
        try {
            return $endpoint();
        } catch (ConfigurationException | \JsonException $e) {
            error_log('mcpguard: the endpoint is not available (' . ($e instanceof ConfigurationException ? $e->reason() : 'a setting is not valid JSON') . ')');
            return new Response(503, ['Content-Type' => 'text/plain', 'Retry-After' => '60'], "The MCP endpoint is not available.\n");
        }
    }

    /** Table names and dialect for the schema statements (sql/). */
    public static function names(): PdoDatabase
    {
        // A connection of its own: the stores' connection would apply the migrations itself.
        return new PdoDatabase(new \PDO(self::dsn(), _DB_USER_, _DB_PASSWD_), Settings::tablePrefix());
    }

    /** The stores and services (tokens, members, OAuth, audit), as `bin/mcp-guard` builds them. */
    public function cli(): CliServices
    {
        return $this->cli ??= new CliServices(CliConfig::fromArray([
            'database' => ['dsn' => self::dsn(), 'user' => _DB_USER_, 'password' => _DB_PASSWD_],
            'prefix' => Settings::tablePrefix(),
            'tokens' => ['table' => Settings::tokensTable()],
            'audit' => ['key' => Settings::get('MCPGUARD_AUDIT_KEY')],
            'policy' => Settings::policyPath(),
        ], dirname(__DIR__)));
    }

    /**
     * The resource is always the friendly URL (/module/mcpguard/mcp under the
     * shop's base): the extension refuses a resource identifier with a query,
     * so index.php?fc=module&… serves the same resource under another URL.
     *
     * @return array{resource: string, metadata: string, issuer: string, oauthBase: string}
     */
    public function urls(): array
    {
        $base = rtrim(\Context::getContext()->link->getBaseLink(null, true), '/');
        $origin = rtrim(\Tools::getShopDomainSsl(true), '/');
        $resource = $base . '/module/mcpguard/mcp';
        // RFC 9728 §3.1: the metadata path is the well-known prefix followed by the resource's path.
        return ['resource' => $resource,
            'metadata' => $origin . '/.well-known/oauth-protected-resource' . (string) parse_url($resource, PHP_URL_PATH),
            'issuer' => $base,
            'oauthBase' => $base . '/module/mcpguard/oauth'];
    }

    public function pipelineConfig(): PipelineConfig
    {
        $urls = $this->urls();
        // The guard is named after the settings as stored (the manifest file's text,
        // the rates' JSON): a request decodes neither unless this worker has no guard
        // of that name yet (the closure runs on a miss only).
        $manifest = (string) file_get_contents(Settings::policyPath());
        $writes = Settings::flag('MCPGUARD_WRITES');
        $rates = Settings::get('MCPGUARD_RATES');
        $origins = Settings::list('MCPGUARD_ALLOWED_ORIGINS');
        $proxies = Settings::list('MCPGUARD_TRUSTED_PROXIES');
        $loopback = Settings::flag('MCPGUARD_HTTP_LOOPBACK');
        return new PipelineConfig(
            resource: $urls['resource'],
            resourceMetadata: $urls['metadata'],
            guardName: 'prestashop@' . hash('sha256', json_encode([$urls, $writes, $rates, $origins, $proxies, $loopback],
                JSON_THROW_ON_ERROR) . "\n" . $manifest),
            guard: static fn (): array => [
                // The back office's writes switch over the file's own setting.
                'manifest' => ['writes_enabled' => $writes] + json_decode($manifest, true, 64, JSON_THROW_ON_ERROR),
                'rates' => $rates === '' ? [] : json_decode($rates, true, 8, JSON_THROW_ON_ERROR),
            ],
            allowedOrigins: $origins,
            trustedProxies: $proxies,
            dangerousAllowHttpLoopback: $loopback,
        );
    }

    public function pipeline(): Pipeline
    {
        $config = $this->pipelineConfig();
        $cli = $this->cli();
        $db = $cli->database();
        $tools = new ToolRegistry($config->compiled()->policy());
        // Modules bind their tools' handlers (see README: "Registering tools").
        \Hook::exec(\Mcpguard::TOOLS_HOOK, ['registry' => $tools, 'policy' => $config->compiled()->policy()]);
        $issuer = Settings::get('MCPGUARD_ACCOUNTS_ISSUER');
        return new Pipeline(
            $config,
            new Endpoint($tools, serverName: 'prestashop-mcpguard', serverVersion: \Module::getInstanceByName('mcpguard')->version),
            $cli->members(),
            [new ApiTokenSource($cli->tokenStore()), new OAuthTokenSource($cli->oauth()->accessTokens)],
            jwt: $issuer === '' ? null : new JwtAuthenticator($issuer, $config->resource, fn (): string => $this->accountsJwks(),
                // PrestaShop Accounts: the member is the token's email; the pipeline refuses one not in the members list.
                static fn (array $claims): ?string => is_string($claims['email'] ?? null) ? $claims['email'] : null),
            confirmer: new Confirmer(new Confirmations(Settings::get('MCPGUARD_CONFIRMATION_KEY'), 300), new PdoConfirmationStore($db)),
            audit: new PdoAuditSink($db, $cli->auditChain()),
        );
    }

    /** The module's own authorization server, or null when switched off. */
    public function oauth(): ?OAuthServer
    {
        if (!Settings::flag('MCPGUARD_OAUTH')) {
            return null;
        }
        $urls = $this->urls();
        $base = (string) parse_url($urls['oauthBase'], PHP_URL_PATH);
        $cli = $this->cli();
        return new OAuthServer(new OAuthConfig(
            issuer: $urls['issuer'],
            resource: $urls['resource'],
            scopes: ['discover', 'read', 'write'],
            shopName: (string) \Configuration::get('PS_SHOP_NAME'),
            paths: ['authorize' => $base . '/authorize', 'token' => $base . '/token', 'register' => $base . '/register',
                'revoke' => $base . '/revoke', 'jwks' => $base . '/jwks'],
            policy: $this->pipelineConfig()->compiled()->policy(),
            dangerousAllowHttpLoopback: Settings::flag('MCPGUARD_HTTP_LOOPBACK'),
        ), $cli->oauth(), new EmployeeMembers($cli->members()), new NativeSession(), audit: new PdoAuditSink($cli->database(), $cli->auditChain()));
    }

    /** PrestaShop Accounts' JWKS, fetched with PrestaShop's HTTP client and kept for an hour in Configuration. */
    private function accountsJwks(): string
    {
        $cached = json_decode((string) \Configuration::get('MCPGUARD_JWKS_CACHE'), true);
        if (is_array($cached) && ($cached['at'] ?? 0) > time() - 3600 && is_string($cached['jwks'] ?? null)) {
            return $cached['jwks'];
        }
        $jwks = (string) \Tools::file_get_contents(Settings::get('MCPGUARD_ACCOUNTS_JWKS_URL'), false, null, 5);
        try {
            KeySet::fromJwks($jwks); // only a document the extension accepts is kept (a failed fetch is tried again next time)
            \Configuration::updateValue('MCPGUARD_JWKS_CACHE', json_encode(['at' => time(), 'jwks' => $jwks]));
        } catch (GuardException) {
        }
        return $jwks;
    }

    /** PrestaShop's server setting: `host`, `host:port` or `host:/path/to/socket`. */
    private static function dsn(): string
    {
        [$host, $port] = array_pad(explode(':', _DB_SERVER_, 2), 2, '');
        $where = str_starts_with($port, '/') ? "unix_socket={$port}" : "host={$host}" . ($port !== '' ? ";port={$port}" : '');
        return "mysql:{$where};dbname=" . _DB_NAME_ . ';charset=utf8mb4';
    }
}
