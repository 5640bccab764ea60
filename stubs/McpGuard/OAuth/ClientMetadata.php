<?php

// Generated from the built mcp_guard module by tools/stubs.php. Do not edit.

namespace McpGuard\OAuth;

/**
 * A client's validated metadata: from a Client ID Metadata Document, a
 * dynamic registration (RFC 7591) or the host's configuration (pass it as
 * registration JSON). Redirect URIs are judged one by one.
 *
 * Built with fromDocument(), fromRegistration(); `new` is refused.
 */
final class ClientMetadata
{
    /**
     * From a metadata document fetched from `$clientId` (its `client_id`
     * must be that URL exactly; `client_name` and `redirect_uris` required;
     * `none` or `private_key_jwt` get `none`).
     *
     * @throws \McpGuard\Exception\OAuthException errorCode invalid_client_metadata,
     *   invalid_redirect_uri or invalid_client.
     */
    public static function fromDocument(string $document, string $clientId): \McpGuard\OAuth\ClientMetadata {}

    /**
     * From a registration request's JSON body (RFC 7591 §2).
     *
     * @throws \McpGuard\Exception\OAuthException errorCode invalid_client_metadata or invalid_redirect_uri.
     */
    public static function fromRegistration(string $request): \McpGuard\OAuth\ClientMetadata {}

    /**
     * The host of a metadata-document `client_id`, or null when `$clientId`
     * is not an `https://` URL (then it is a registered client's id).
     *
     * @throws \McpGuard\Exception\OAuthException reason invalid_client_id for an https URL that breaks the rules.
     */
    public static function documentHost(string $clientId): ?string {}

    /**
     * Where to fetch a metadata-document `client_id` from: `host` (lower-
     * cased, to resolve and to verify the certificate for), `port` (443
     * unless named), `authority` (the `Host` header) and `path`.
     *
     * @throws \McpGuard\Exception\OAuthException reason invalid_client_id.
     */
    public static function documentTarget(string $clientId): array {}

    /**
     * Whether the glue may connect to this address to fetch a metadata
     * document (only global unicast; never private, loopback, link-local,
     * multicast, reserved, or an IPv4-mapped form of those).
     */
    public static function fetchTargetAllowed(string $ip): bool {}

    /**
     * Seconds a fetched document may be reused, from its `Cache-Control`
     * (0 without `max-age`; at most 7 days).
     */
    public static function cacheLifetime(?string $cacheControl = null): int {}

    /**
     * Largest document the glue may read, in bytes (5 KiB).
     */
    public static function maxDocumentBytes(): int {}

    /**
     * Longest a document fetch may take, in seconds.
     */
    public static function fetchTimeoutSeconds(): int {}

    /**
     * `client_name`, if given.
     */
    public function name(): ?string {}

    /**
     * The redirect URIs.
     */
    public function redirectUris(): array {}

    /**
     * The token-endpoint auth method assigned: `none`, `client_secret_basic`
     * or `client_secret_post`.
     */
    public function authMethod(): string {}

    /**
     * Whether the client must present a secret.
     */
    public function confidential(): bool {}

    /**
     * Whether the client may use refresh tokens.
     */
    public function refresh(): bool {}

    /**
     * `scope`, if given.
     */
    public function scope(): ?string {}

    /**
     * Whether every redirect URI is a loopback one (the consent page warns).
     */
    public function onlyLoopback(): bool {}

    /**
     * The metadata as registration JSON (what to store, and what
     * `fromRegistration()` reads back).
     */
    public function toJson(): string {}
}
