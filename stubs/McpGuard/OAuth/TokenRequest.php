<?php

// Generated from the built mcp_guard module by tools/stubs.php. Do not edit.

namespace McpGuard\OAuth;

/**
 * A token request (OAuth 2.1 §3.2), read from the form body and the
 * `Authorization` header. The client secret, if any, goes to
 * `McpGuard\Tokens::verify()` against the stored hash: never compared in PHP.
 *
 * Built with parse(); `new` is refused.
 */
final class TokenRequest
{
    /**
     * Reads a token request.
     *
     * @throws \McpGuard\Exception\OAuthException errorCode invalid_request,
     *   invalid_client or unsupported_grant_type.
     */
    public static function parse(string $body, ?string $authorization = null): \McpGuard\OAuth\TokenRequest {}

    /**
     * `authorization_code` or `refresh_token`.
     */
    public function grantType(): string {}

    /**
     * `code`, for an authorization_code grant.
     */
    public function code(): ?string {}

    /**
     * `refresh_token`, for a refresh_token grant.
     */
    public function refreshToken(): ?string {}

    /**
     * `scope`, for a refresh_token grant.
     */
    public function scope(): ?string {}

    /**
     * The client id.
     */
    public function clientId(): string {}

    /**
     * The client secret, if one was presented (pass it to `Tokens::verify()`).
     */
    public function clientSecret(): ?string {}

    /**
     * Whether the request used the method the client was assigned.
     *
     * @throws \McpGuard\Exception\OAuthException errorCode invalid_client.
     */
    public function checkAuthMethod(\McpGuard\OAuth\ClientMetadata $client): void {}
}
