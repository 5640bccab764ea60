<?php

declare(strict_types=1);

namespace McpGuard\Server\OAuth;

use McpGuard\Exception\InvalidArgumentException;
use McpGuard\Jwt\Signer;
use McpGuard\OAuth\AuthorizationServer;
use McpGuard\Policy;

/**
 * Everything the OAuth endpoints are configured with, secure by default.
 * Build it with named arguments (or spread a config array into them: an
 * unknown key is an Error, never a silently kept default):
 *
 *     new OAuthConfig(issuer: 'https://shop.example', resource: 'https://shop.example/mcp',
 *         scopes: ['discover', 'read', 'write'], shopName: 'Demo shop', policy: $policy);
 *
 * The URLs come from here, never from the request's Host header. The
 * endpoint URLs the metadata publishes are `$baseUrl . $paths[…]` (baseUrl:
 * the issuer by default), the same paths the router answers on, so the two
 * cannot disagree. The extension checks the AuthorizationServer part
 * (https, lifetimes, scopes) and refuses an unsafe value.
 */
final class OAuthConfig
{
    /** The default request paths of the endpoints. */
    public const PATHS = [
        'authorize' => '/oauth/authorize',
        'token' => '/oauth/token',
        'register' => '/oauth/register',
        'revoke' => '/oauth/revoke',
        'jwks' => '/oauth/jwks',
    ];

    /** The core's default grace window (AuthorizationServer's `refreshGrace`), in seconds. */
    public const DEFAULT_REFRESH_GRACE = 30;

    public readonly AuthorizationServer $server;
    public readonly int $refreshGrace;
    /** @var array<string, string> */
    public readonly array $paths;
    /** @var array<string, array{limit: int, period: int}> */
    public readonly array $rateLimits;

    /**
     * @param list<string>                      $scopes            the resource's scopes (never offline_access)
     * @param array<string, string>             $paths             request paths of authorize, token, register, revoke, jwks
     * @param array<string, list<string>>|null  $roleScopes        role => the canonical scopes it may grant; null = the policy's roles
     * @param array<string, string>             $scopeDescriptions scope => what it means, for the consent page
     * @param array<string, string>             $pinnedDocuments   client id => metadata document JSON, used instead of fetching
     * @param 'opaque'|'jwt'                    $accessTokenFormat opaque (stored hashed, revocable) by default; jwt needs $signer
     * @param array<string, array{limit: int, period: int}> $rateLimits `register` and `token` (also used by revoke), per key
     * @throws \McpGuard\Exception\ConfigurationException the extension refuses the authorization-server part
     * @throws InvalidArgumentException a value of the glue's part out of range
     */
    public function __construct(
        public readonly string $issuer,
        public readonly string $resource,
        public readonly array $scopes,
        public readonly string $shopName = 'Shop',
        public readonly ?string $resourceName = null,
        ?string $baseUrl = null,
        array $paths = [],
        public readonly ?Policy $policy = null,
        public readonly ?array $roleScopes = null,
        public readonly array $scopeDescriptions = [],
        public readonly array $pinnedDocuments = [],
        int $codeTtl = 60,
        int $accessTokenTtl = 3600,
        int $refreshTokenTtl = 30 * 86400,
        int $refreshGrace = self::DEFAULT_REFRESH_GRACE,
        public readonly string $accessTokenFormat = 'opaque',
        public readonly ?Signer $signer = null,
        public readonly int $maxUnconsentedClients = 1000,
        public readonly int $unconsentedClientTtl = 86400,
        public readonly int $clientIdleTtl = 90 * 86400,
        array $rateLimits = [],
        public readonly int $metadataMaxAge = 3600,
        public readonly bool $dangerousAllowHttpLoopback = false,
    ) {
        $unknown = array_diff_key($paths, self::PATHS);
        if ($unknown !== []) {
            throw new InvalidArgumentException('Unknown endpoint path name.');
        }
        $this->paths = $paths + self::PATHS;
        foreach ($this->paths as $path) {
            if (preg_match('#^/[A-Za-z0-9._~!$&\'()*+,;=:@%/-]*$#D', $path) !== 1 || str_starts_with($path, '//')) {
                throw new InvalidArgumentException('An endpoint path must be an absolute path on this server.');
            }
        }
        if (!in_array($accessTokenFormat, ['opaque', 'jwt'], true) || ($accessTokenFormat === 'jwt') !== ($signer !== null)) {
            throw new InvalidArgumentException("accessTokenFormat is 'opaque', or 'jwt' with a signer.");
        }
        try {
            $signer?->jwks(); // published at the jwks path: an HMAC key has none, and must never be published
        } catch (InvalidArgumentException) {
            throw new InvalidArgumentException('JWT access tokens need an asymmetric signer (ES256, ES384, EdDSA, RS256): its JWKS is published.');
        }
        foreach ([$maxUnconsentedClients, $unconsentedClientTtl, $clientIdleTtl, $metadataMaxAge] as $n) {
            if ($n < 1) {
                throw new InvalidArgumentException('Client limits and lifetimes must be positive.');
            }
        }
        $this->rateLimits = $rateLimits + [
            'register' => ['limit' => 10, 'period' => 3600],
            'token' => ['limit' => 120, 'period' => 60],
        ];
        $base = rtrim($baseUrl ?? $issuer, '/');
        $config = [
            'issuer' => $issuer, 'resource' => $resource, 'scopes' => $scopes,
            'codeTtl' => $codeTtl, 'accessTokenTtl' => $accessTokenTtl, 'refreshTokenTtl' => $refreshTokenTtl,
            'refreshGrace' => $refreshGrace, 'dangerousAllowHttpLoopback' => $dangerousAllowHttpLoopback,
            'authorizationEndpoint' => $base . $this->paths['authorize'], 'tokenEndpoint' => $base . $this->paths['token'],
            'registrationEndpoint' => $base . $this->paths['register'], 'revocationEndpoint' => $base . $this->paths['revoke'],
        ];
        if ($signer !== null) {
            $config['jwksUri'] = $base . $this->paths['jwks'];
        }
        $this->server = new AuthorizationServer($config);
        $this->refreshGrace = $refreshGrace;
    }

    /** The rate-limit policies of the endpoints (names `oauth_register`, `oauth_token`), for a Limiter. */
    public function limiterPolicies(): array
    {
        return ['oauth_register' => $this->rateLimits['register'], 'oauth_token' => $this->rateLimits['token']];
    }

    /**
     * The canonical scopes a role may grant: the configured map, else the
     * policy's roles (McpGuard\Policy::scopesForRole); [] for a role neither knows.
     *
     * @return list<string>
     */
    public function scopesForRole(string $role): array
    {
        if ($this->roleScopes !== null) {
            return array_values($this->roleScopes[$role] ?? []);
        }
        if ($this->policy === null) {
            return [];
        }
        try {
            return $this->policy->scopesForRole($role);
        } catch (InvalidArgumentException) {
            return [];
        }
    }
}
