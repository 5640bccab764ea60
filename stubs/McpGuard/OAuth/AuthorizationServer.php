<?php

// Generated from the built mcp_guard module by tools/stubs.php. Do not edit.

namespace McpGuard\OAuth;

/**
 * The authorization server's decisions, configured once: issuer, resource,
 * scopes, lifetimes. URLs come from here, never from the request.
 */
final class AuthorizationServer
{
    /**
     * The issuer.
     */
    public function issuer(): string {}

    /**
     * The MCP resource URL.
     */
    public function resource(): string {}

    /**
     * Access-token lifetime in seconds.
     */
    public function accessTokenTtl(): int {}

    /**
     * Refresh-token lifetime in seconds.
     */
    public function refreshTokenTtl(): int {}

    /**
     * The RFC 8414 authorization-server metadata (JSON).
     */
    public function metadata(): string {}

    /**
     * The RFC 9728 protected-resource metadata (JSON).
     */
    public function protectedResourceMetadata(?string $resourceName = null): string {}

    /**
     * The protected-resource metadata URL, for `resource_metadata=` in
     * `WWW-Authenticate`.
     */
    public function protectedResourceMetadataUrl(): string {}

    /**
     * The `WWW-Authenticate` value of a 401 from the MCP endpoint:
     * `Bearer resource_metadata="…"`, plus `error="invalid_token"` when a
     * token was presented and refused.
     *
     * @throws \McpGuard\Exception\ConfigurationException reason invalid_metadata_url
     *   when the resource URL cannot stand in a quoted string.
     */
    public function challenge(bool $invalidToken = false): string {}

    /**
     * Reads a form body that may hold only the `$fields` names, each at most
     * once (strictly: a bad escape, a value that is not UTF-8 or holds a
     * control character, another name or a repeated one refuses the whole
     * form). Returns name → value, or null when the form is refused.
     */
    public static function formFields(string $body, array $fields): ?array {}

    /**
     * Which document a request path serves: `authorization_server`,
     * `protected_resource`, or null.
     */
    public function route(string $path): ?string {}

    /**
     * Step 1 of the authorization request: the `client_id` of the raw
     * query string, for the glue to load that client.
     *
     * @throws \McpGuard\Exception\OAuthException reason malformed_request, duplicate_parameter, missing_parameter.
     */
    public function authorizationClientId(string $query): string {}

    /**
     * Step 2: the whole request against the client's metadata. Never
     * throws for a bad request: the result says what to do.
     */
    public function authorize(string $query, \McpGuard\OAuth\ClientMetadata $client): \McpGuard\OAuth\AuthorizationResult {}

    /**
     * Issues a code for a validated request, after the member consented:
     * `$scopes` is what was granted (see `AuthorizationRequest::grantable()`).
     *
     * @throws \McpGuard\Exception\OAuthException reason access_denied when nothing is granted.
     */
    public function issueCode(\McpGuard\OAuth\AuthorizationRequest $request, string $member, array $scopes, ?int $now = null): \McpGuard\OAuth\IssuedCode {}

    /**
     * The digest a code is stored and looked up under; a value that cannot
     * be a code is refused before any lookup.
     *
     * @throws \McpGuard\Exception\OAuthException errorCode invalid_grant.
     */
    public function codeHash(string $code): string {}

    /**
     * Redeems a consumed code against the token request: `$binding` is
     * what `IssuedCode::binding()` gave (as stored). Returns the binding
     * when every part holds.
     *
     * @throws \McpGuard\Exception\OAuthException errorCode invalid_grant (or invalid_target).
     */
    public function redeemCode(array $binding, \McpGuard\OAuth\TokenRequest $request, ?int $now = null): array {}

    /**
     * Decides on a presented refresh token from what the store knows of it:
     * `expiresAt` (int), `rotatedAt` (?int), `graceSuccessors` (int),
     * `successorUsed` (bool), `familyRevoked` (bool). Returns `rotate`,
     * `rotate_again` (benign race: issue another successor) or
     * `revoke_family` (a replay: revoke, then refuse with invalid_grant).
     *
     * @throws \McpGuard\Exception\OAuthException reason refresh_revoked or refresh_expired.
     */
    public function refreshDecision(array $state, ?int $now = null): string {}

    /**
     * The scopes of refreshed tokens: the requested ones (only a subset of
     * the grant), or the whole grant.
     *
     * @throws \McpGuard\Exception\OAuthException errorCode invalid_scope.
     */
    public function narrowScopes(array $granted, ?string $requested = null): array {}

    /**
     * Whether the token request's `resource` values (if any) name this
     * server's resource (checked again on refresh).
     *
     * @throws \McpGuard\Exception\OAuthException errorCode invalid_target.
     */
    public function checkResource(\McpGuard\OAuth\TokenRequest $request): void {}

    /**
     * @param array $config `issuer`, `resource` (the MCP URL), `scopes`
     *   (the resource's scopes; never `offline_access`) are required;
     *   `codeTtl` (60 s, ≤ 600), `accessTokenTtl` (3600 s), `refreshTokenTtl`
     *   (30 days), `refreshGrace` (30 s, ≤ 300; 0 = any reuse revokes),
     *   `authorizationEndpoint`, `tokenEndpoint`, `registrationEndpoint`,
     *   `revocationEndpoint` (default: `<issuer>/oauth/…`), `jwksUri` (when
     *   access tokens are JWTs), `dangerousAllowHttpLoopback` (false; local
     *   development only). An unknown key is refused.
     * @throws \McpGuard\Exception\ConfigurationException reason invalid_oauth_configuration.
     * @throws \McpGuard\Exception\InvalidArgumentException for a value of the wrong type.
     */
    public function __construct(array $config) {}
}
