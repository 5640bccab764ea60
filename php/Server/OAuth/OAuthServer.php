<?php

declare(strict_types=1);

namespace McpGuard\Server\OAuth;

use McpGuard\Server\Audit\AuditSink;
use McpGuard\Server\Http\Request;
use McpGuard\Server\Http\Response;
use McpGuard\Server\OAuth\Client\ClientResolver;
use McpGuard\Server\OAuth\Client\MetadataDocumentFetcher;
use McpGuard\Server\OAuth\Client\StreamMetadataFetcher;
use McpGuard\Server\OAuth\Consent\ConsentSession;
use McpGuard\Server\OAuth\Endpoint\AuditTrail;
use McpGuard\Server\OAuth\Endpoint\AuthorizeEndpoint;
use McpGuard\Server\OAuth\Endpoint\ClientAuthentication;
use McpGuard\Server\OAuth\Endpoint\MetadataEndpoint;
use McpGuard\Server\OAuth\Endpoint\RegisterEndpoint;
use McpGuard\Server\OAuth\Endpoint\RevokeEndpoint;
use McpGuard\Server\OAuth\Endpoint\Throttle;
use McpGuard\Server\OAuth\Endpoint\TokenEndpoint;
use McpGuard\Server\OAuth\Member\MemberDirectory;
use McpGuard\Server\OAuth\Resource\AccessTokenAuthenticator;
use McpGuard\Server\RateLimit\Limiter;
use McpGuard\Server\RateLimit\SharedMemoryLimiter;

/**
 * The OAuth authorization server in one object: a Request in, a Response
 * out (or null: not an OAuth path, the host routes it on). Which well-known
 * document a path serves is the extension's answer (AuthorizationServer::
 * route); the endpoints answer on the configured paths.
 *
 *     $oauth = new OAuthServer($config, OAuthStores::pdo($db), $members, new NativeSession());
 *     $response = $oauth->handle(Request::fromGlobals());
 *     if ($response !== null) { $response->send(); exit; }
 *
 * The limiter defaults to the extension's shared-memory one
 * (SharedMemoryLimiter) with the config's `oauth_register` and `oauth_token`
 * policies; pass another Limiter built with the same policy names
 * (RedisRateLimiter for several servers), or null for none.
 */
final class OAuthServer
{
    private readonly \Closure $clock;
    private readonly ClientResolver $resolver;
    private readonly TokenIssuer $issuer;
    private readonly Throttle $throttle;
    private readonly ClientAuthentication $clientAuth;
    private readonly AuditTrail $audit;
    /** @var array<string, object> */
    private array $endpoints = [];

    /**
     * @param (\Closure(): int)|null $clock Unix seconds; null = time()
     * @param Limiter|null|false $limiter false (default) = the shared-memory limiter with the config's policies; null = none
     * @param AuditSink|null $audit where the token and revocation endpoints record their events (code exchanged,
     *   token refreshed, revoked, failed with its reason); null = none
     */
    public function __construct(
        private readonly OAuthConfig $config,
        private readonly OAuthStores $stores,
        private readonly MemberDirectory $members,
        private readonly ConsentSession $session,
        ?MetadataDocumentFetcher $fetcher = null,
        Limiter|null|false $limiter = false,
        ?\Closure $clock = null,
        ?AuditSink $audit = null,
    ) {
        $this->audit = new AuditTrail($audit);
        $this->clock = $clock ?? static fn (): int => time();
        $this->resolver = new ClientResolver($stores->clients, $fetcher ?? new StreamMetadataFetcher(), $config->pinnedDocuments,
            $config->unconsentedClientTtl, $config->clientIdleTtl);
        $this->issuer = new TokenIssuer($config, $stores->accessTokens);
        $this->throttle = new Throttle($limiter === false ? new SharedMemoryLimiter($config->limiterPolicies()) : $limiter);
        $this->clientAuth = new ClientAuthentication($this->resolver);
    }

    /** The response for an OAuth request, or null when the path is not one of ours. */
    public function handle(Request $request): ?Response
    {
        $path = $request->path;
        $document = $this->config->server->route($path);
        if ($document !== null) {
            return $this->metadata()->handle($request, $document);
        }
        return match ($path) {
            $this->config->paths['authorize'] => $this->authorize()->handle($request),
            $this->config->paths['token'] => $this->token()->handle($request),
            $this->config->paths['register'] => $this->register()->handle($request),
            $this->config->paths['revoke'] => $this->revoke()->handle($request),
            $this->config->paths['jwks'] => $this->config->signer !== null ? $this->metadata()->handle($request, MetadataEndpoint::JWKS) : null,
            default => null,
        };
    }

    /** The resource side: who an MCP request's bearer token belongs to (see AccessTokenAuthenticator). */
    public function authenticator(): AccessTokenAuthenticator
    {
        return new AccessTokenAuthenticator($this->config, $this->stores->accessTokens, $this->members, $this->issuer->accessTokens(), $this->clock);
    }

    public function resolver(): ClientResolver
    {
        return $this->resolver;
    }

    /**
     * Deletes what has expired: codes a day past their expiry (a replay of a
     * deleted code is only "unknown"), registrations never consented to, idle
     * clients. For a cron job; registration also prunes clients by itself.
     *
     * @return array{codes: int, unconsented: int, idle: int}
     */
    public function prune(): array
    {
        $now = ($this->clock)();
        return [
            'codes' => $this->stores->codes->prune($now - 86400),
            'unconsented' => $this->stores->clients->pruneUnconsented($now - $this->config->unconsentedClientTtl),
            'idle' => $this->stores->clients->pruneIdle($now - $this->config->clientIdleTtl),
        ];
    }

    private function metadata(): MetadataEndpoint
    {
        return $this->endpoints['metadata'] ??= new MetadataEndpoint($this->config);
    }

    private function authorize(): AuthorizeEndpoint
    {
        return $this->endpoints['authorize'] ??= new AuthorizeEndpoint($this->config, $this->stores, $this->resolver, $this->members, $this->session, $this->clock);
    }

    private function token(): TokenEndpoint
    {
        return $this->endpoints['token'] ??= new TokenEndpoint($this->config, $this->stores, $this->clientAuth, $this->members, $this->issuer, $this->throttle, $this->clock, $this->audit);
    }

    private function register(): RegisterEndpoint
    {
        return $this->endpoints['register'] ??= new RegisterEndpoint($this->config, $this->stores->clients, $this->throttle, $this->clock);
    }

    private function revoke(): RevokeEndpoint
    {
        return $this->endpoints['revoke'] ??= new RevokeEndpoint($this->stores, $this->clientAuth, $this->issuer, $this->throttle, $this->clock, $this->audit);
    }
}
