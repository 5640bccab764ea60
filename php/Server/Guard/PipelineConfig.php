<?php

declare(strict_types=1);

namespace McpGuard\Server\Guard;

use McpGuard\Exception\InvalidArgumentException;

/**
 * What a shop configures for its guarded MCP endpoint. Every default is the
 * secure one: no cross origin allowed (CORS off), HTTPS required, no trusted
 * proxy, no Basic fallback.
 */
final class PipelineConfig
{
    /**
     * @param string   $resource         the MCP endpoint URL (`https://shop.example/mcp`): tokens are bound to it, same-origin requests come from its origin
     * @param string   $resourceMetadata its RFC 9728 protected-resource metadata URL (named in every challenge)
     * @param string   $guardName        names the compiled guard in each worker; put the manifest's version or modification time in it
     * @param \Closure(): array $guard   the rest of the `McpGuard\Guard` configuration (manifest, rates, token prefixes, pepper),
     *                                  called once per worker and name; the URLs, origins, proxies and loopback option are this object's
     * @param list<string> $allowedOrigins cross origins CORS allows (exact `scheme://host[:port]`); empty = CORS off
     * @param list<string> $trustedProxies IPs/CIDRs whose `Forwarded`/`X-Forwarded-*` headers are believed
     * @param bool     $dangerousAllowHttpLoopback plain HTTP when peer and host are loopback (local development only)
     * @throws InvalidArgumentException an empty guard name
     */
    public function __construct(
        public readonly string $resource,
        public readonly string $resourceMetadata,
        public readonly string $guardName,
        public readonly \Closure $guard,
        public readonly array $allowedOrigins = [],
        public readonly array $trustedProxies = [],
        public readonly bool $dangerousAllowHttpLoopback = false,
    ) {
        if ($guardName === '') {
            throw new InvalidArgumentException('The guard name must not be empty.');
        }
    }

    /**
     * This worker's compiled guard (compiled on the first call for this
     * name, found by name afterwards).
     */
    public function compiled(): \McpGuard\Guard
    {
        // Only on a miss (once per worker and name): the URLs, origins and proxies
        // are compiled with the rest, so no request parses them again.
        return \McpGuard\Guard::named($this->guardName, fn (): array => ['resource' => $this->resource,
            'resourceMetadata' => $this->resourceMetadata, 'allowedOrigins' => $this->allowedOrigins,
            'trustedProxies' => $this->trustedProxies, 'dangerousAllowHttpLoopback' => $this->dangerousAllowHttpLoopback]
            + ($this->guard)());
    }
}
