<?php

declare(strict_types=1);

namespace McpGuard\Server\OAuth\Endpoint;

use McpGuard\Exception\GuardException;
use McpGuard\Exception\InvalidArgumentException;
use McpGuard\RateLimiter;
use McpGuard\Server\Http\Request;
use McpGuard\Server\OAuth\OAuthErrorResponse;
use McpGuard\Server\RateLimit\Limiter;

/**
 * Rate limits of the registration, token and revocation endpoints, keyed by
 * more than the IP: every claude.ai user of a shop arrives from one backend
 * address range, so a per-IP limit alone would lock them all out together.
 * The key is the IP (IPv6: its /64) plus what the request is about (the
 * client id, or the registration as the extension normalised it); the
 * limiter hashes the key, whatever its size.
 *
 * @internal
 */
final class Throttle
{
    public const REGISTER = 'oauth_register';
    public const TOKEN = 'oauth_token';

    /** @param Limiter|null $limiter null: no limit (tests, or a host that limits in front) */
    public function __construct(private readonly ?Limiter $limiter)
    {
    }

    /**
     * Counts one hit; returns the rate-limit headers to answer with.
     *
     * @return array<string, string>
     * @throws Refusal 429 with Retry-After when the key is over its limit; 503 when the limiter
     *   itself fails (fail closed: no table, Redis down, a policy the host did not configure)
     */
    public function hit(string $policy, Request $request, string $subject): array
    {
        if ($this->limiter === null) {
            return [];
        }
        try {
            $ip = RateLimiter::ipKey($request->remoteAddress);
        } catch (InvalidArgumentException) {
            $ip = 'ip:unknown';
        }
        try {
            $result = $this->limiter->hit($ip . "\0" . $policy . "\0" . $subject, $policy);
        } catch (GuardException $e) {
            throw new Refusal(OAuthErrorResponse::temporarilyUnavailable(5, 'rate_limit_' . $e->reason()));
        }
        if (!$result->allowed()) {
            throw new Refusal(OAuthErrorResponse::rateLimited($result));
        }
        return OAuthErrorResponse::headerList($result->headers());
    }
}
