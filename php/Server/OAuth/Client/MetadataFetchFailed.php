<?php

declare(strict_types=1);

namespace McpGuard\Server\OAuth\Client;

use McpGuard\Exception\GuardException;

/**
 * A Client ID Metadata Document could not be fetched. This is its own answer
 * (OAuthErrorResponse: `temporarily_unavailable`, 503 with Retry-After), never
 * "unknown client": the client exists, its document was not reachable now.
 * A refused target address (private, loopback, …) is permanent instead:
 * `invalid_client`. `why()` is for the log (`dns`, `connect`, `tls`,
 * `timeout`, `status`, `redirect`, `too_large`, `target_refused`, …); the
 * message is generic.
 */
final class MetadataFetchFailed extends GuardException
{
    private string $why = 'fetch_failed';
    private int $retryAfter = 30;

    public static function because(string $why, int $retryAfter = 30): self
    {
        $e = new self('The client metadata document could not be fetched.');
        $e->why = $why;
        $e->retryAfter = $retryAfter;
        return $e;
    }

    /** The resolved address is one the server must never connect to: not a passing failure. */
    public static function targetRefused(): self
    {
        return self::because('target_refused');
    }

    public function why(): string
    {
        return $this->why;
    }

    public function isTargetRefused(): bool
    {
        return $this->why === 'target_refused';
    }

    /** Seconds for Retry-After. */
    public function retryAfter(): int
    {
        return $this->retryAfter;
    }
}
