<?php

declare(strict_types=1);

namespace McpGuard\Server\Guard;

use McpGuard\Guard\Verdict;
use McpGuard\Server\Http\Response;

/**
 * Why the pipeline stopped a request, as a value: every step returns one
 * (or null to go on) instead of throwing, and `Http\Refusals` is the one
 * place that turns it into a status, headers and a body.
 *
 * `$event` is the audit event type the refusal is recorded as; `$reason`
 * the machine-readable reason (never input, never a secret).
 */
final class Refusal
{
    /**
     * @param array<string, string> $headers
     * @param array<string, mixed>|null $data JSON-RPC error data
     * @param array<string, mixed>|null $result a JSON-RPC RESULT to answer instead of an error (a confirmation request)
     */
    private function __construct(
        public readonly int $status,
        public readonly string $reason,
        public readonly string $event,
        public readonly int $jsonRpcCode = -32000,
        public readonly string $message = 'Request refused',
        public readonly array $headers = [],
        public readonly ?array $data = null,
        public readonly ?array $result = null,
        public readonly ?Response $response = null,
    ) {
    }

    /** Step 1: an `Origin` that is present and not allowed (403, as the transport spec requires). */
    public static function origin(string $reason): self
    {
        return new self(403, $reason, 'request_refused', -32000, 'Origin not allowed');
    }

    /** Step 2: plain HTTP outside local development, or forwarded headers that do not add up. */
    public static function transport(string $reason): self
    {
        return new self(403, $reason, 'request_refused', -32000, 'HTTPS required');
    }

    /** Step 3: no credential at all: 401 with the RFC 9728 challenge (no `error`). */
    public static function unauthenticated(string $challenge, string $reason = 'no_credentials'): self
    {
        return new self(401, $reason, 'request_refused', -32000, 'Authentication required', ['WWW-Authenticate' => $challenge]);
    }

    /** Step 3: what the decision needs cannot be had now (an identity provider's keys): 503, try again later. */
    public static function unavailable(string $reason): self
    {
        return new self(503, $reason, 'request_refused', -32000, 'Service unavailable', ['Retry-After' => '60']);
    }

    /** The MCP layer's own answer (405, 413, 400 with a JSON-RPC error, …). */
    public static function protocol(Response $response, string $reason): self
    {
        return new self($response->status, $reason, 'request_refused', response: $response);
    }

    /**
     * Steps 3–6 as the extension decided them: 401 (token, member), 429
     * (rates), 403 `insufficient_scope`, or a JSON-RPC error for the other
     * policy refusals (unknown tool, writes off, a field). Every header text
     * (challenge, rate limits) is the extension's.
     */
    /** @param string|null $reason for the audit log instead of the verdict's (a JWT's own refusal reason) */
    public static function fromVerdict(Verdict $v, ?string $reason = null): self
    {
        $status = $v->status();
        $reason = $status === 401 && $reason !== null ? $reason : (string) $v->reason();
        $event = match (true) {
            $status === 401 => 'token_failed',
            $status === 429 => 'rate_limited',
            $status === 503 => 'request_refused',
            default => 'tool_denied',
        };
        $data = ['reason' => $reason];
        if ($v->path() !== null) {
            $data['path'] = $v->path();
        }
        if ($v->expected() !== null) {
            $data['expected'] = $v->expected();
        }
        if ($status === 403) {
            $data['requiredScopes'] = $v->requiredScopes();
        }
        if ($status === 429) {
            $data['retryAfter'] = $v->retryAfter();
        }
        $message = match ($status) {
            401 => 'Invalid credentials',
            403 => 'Insufficient scope',
            429 => 'Rate limit exceeded',
            503 => 'Service unavailable',
            default => match ($reason) {
                'unknown_tool' => 'Unknown tool',
                'writes_disabled', 'tool_disabled' => 'Tool not available',
                default => 'Invalid arguments',
            },
        };
        return new self($status, $reason, $event, $v->jsonRpcCode(), $message, $v->headers(), $status === 401 ? null : $data);
    }

    /**
     * A destructive call without a valid confirmation: answered as a tool
     * RESULT (`isError: true`) that carries a new confirmation, so the
     * client can ask its user and call again.
     *
     * @param array<string, mixed> $result
     */
    public static function confirmation(array $result, string $reason): self
    {
        return new self(200, $reason, 'confirmation_asked', result: $result);
    }
}
