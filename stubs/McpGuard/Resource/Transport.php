<?php

// Generated from the built mcp_guard module by tools/stubs.php. Do not edit.

namespace McpGuard\Resource;

/**
 * The trusted proxies and the HTTPS rule. Build it per request from the
 * configuration (it parses only the proxy list).
 */
final class Transport
{
    /**
     * Decides a request from `$_SERVER` (read in place; only `HTTPS`,
     * `REMOTE_ADDR`, `HTTP_HOST`, `HTTP_X_FORWARDED_PROTO`,
     * `HTTP_X_FORWARDED_FOR` and `HTTP_FORWARDED` are looked at).
     *
     * @param array $server `$_SERVER` or an array like it.
     * @throws \McpGuard\Exception\InvalidArgumentException when one of those
     *   entries is neither a string nor null.
     */
    public function inspect(array $server): \McpGuard\Resource\TransportResult {}

    /**
     * @param array $trustedProxies IP addresses or CIDR ranges (v4, v6)
     *   whose `Forwarded` / `X-Forwarded-*` headers are believed; default
     *   none (the headers are then ignored).
     * @param bool $dangerousAllowHttpLoopback let plain HTTP through when
     *   the peer, the client and the `Host` are all loopback (local
     *   development only); default false.
     * @throws \McpGuard\Exception\ConfigurationException reason invalid_trusted_proxy.
     * @throws \McpGuard\Exception\InvalidArgumentException for an entry that is not a string.
     */
    public function __construct(?array $trustedProxies = null, ?bool $dangerousAllowHttpLoopback = null) {}
}
