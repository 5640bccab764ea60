<?php

// Generated from the built mcp_guard module by tools/stubs.php. Do not edit.

namespace McpGuard\Resource;

/**
 * The resource's own origin and the cross origins CORS allows (none by
 * default: CORS off). Build it per request from the configuration; it
 * parses only the listed origins.
 */
final class Origins
{
    /**
     * Decides a request's `Origin` header (`$_SERVER['HTTP_ORIGIN'] ?? null`):
     * allowed when absent, the resource's own or a listed origin; refused
     * (403) otherwise. `headers()` of the result are the CORS headers to add.
     */
    public function check(?string $origin = null): \McpGuard\Resource\OriginResult {}

    /**
     * Decides a possible CORS preflight, before authentication: `$method`
     * is the request method, the others the `Origin`,
     * `Access-Control-Request-Method` and `Access-Control-Request-Headers`
     * values (null when absent). `isPreflight()` is false when the request
     * is not one (go on as usual); otherwise answer `status()` (204 or 403)
     * with `headers()` and no body.
     */
    public function preflight(string $method, ?string $origin = null, ?string $requestMethod = null, ?string $requestHeaders = null): \McpGuard\Resource\OriginResult {}

    /**
     * The resource's own origin, serialised (`https://shop.example`).
     */
    public function own(): string {}

    /**
     * The allowed cross origins, serialised (RFC 6454: lower case, default
     * port dropped).
     */
    public function allowed(): array {}

    /**
     * @param string $resource the MCP endpoint URL (or its origin): requests
     *   from this origin are same-origin. Never the request's `Host`.
     * @param array $allowed exact origins `scheme://host[:port]` (no path,
     *   wildcard or `null`), at most 64; empty = CORS off.
     * @param int $maxAge `Access-Control-Max-Age` of a preflight, 0 … 7200 s.
     * @throws \McpGuard\Exception\ConfigurationException reason
     *   invalid_resource_url (the resource URL), invalid_origin_setting,
     *   too_many_origins or invalid_max_age.
     * @throws \McpGuard\Exception\InvalidArgumentException for an entry that is not a string.
     */
    public function __construct(string $resource, ?array $allowed = null, ?int $maxAge = null) {}
}
