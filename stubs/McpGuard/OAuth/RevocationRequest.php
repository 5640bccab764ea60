<?php

// Generated from the built mcp_guard module by tools/stubs.php. Do not edit.

namespace McpGuard\OAuth;

/**
 * A revocation request (RFC 7009).
 *
 * Built with parse(); `new` is refused.
 */
final class RevocationRequest
{
    /**
     * Reads a revocation request.
     *
     * @throws \McpGuard\Exception\OAuthException errorCode invalid_request or invalid_client.
     */
    public static function parse(string $body, ?string $authorization = null): \McpGuard\OAuth\RevocationRequest {}

    /**
     * The token to revoke.
     */
    public function token(): string {}

    /**
     * `access_token`, `refresh_token`, or null.
     */
    public function hint(): ?string {}

    /**
     * The client id.
     */
    public function clientId(): string {}

    /**
     * The client secret, if one was presented.
     */
    public function clientSecret(): ?string {}

    /**
     * Whether the request used the method the client was assigned.
     *
     * @throws \McpGuard\Exception\OAuthException errorCode invalid_client.
     */
    public function checkAuthMethod(\McpGuard\OAuth\ClientMetadata $client): void {}
}
