<?php

declare(strict_types=1);

namespace McpGuard\Server\OAuth;

use McpGuard\Exception\ConfigurationException;
use McpGuard\Exception\OAuthException;
use McpGuard\RateLimit\Result;
use McpGuard\Server\Http\Response;
use McpGuard\Server\OAuth\Client\MetadataFetchFailed;

/**
 * The one place where a refusal of the token, registration or revocation
 * endpoint becomes an HTTP answer (RFC 6749 §5.2, RFC 7591 §3.2.2): status,
 * `{"error": …, "error_description": …}` JSON, `Cache-Control: no-store`, and
 * the headers a refusal needs (`Retry-After`, rate-limit headers,
 * `WWW-Authenticate` for `invalid_client`).
 *
 * Named constructors for the refusals the glue itself decides; fromThrowable()
 * for the extension's OAuthException (its errorCode() and httpStatus()) and
 * the glue's own failures. `reason` is for the audit log only, never sent.
 * The description is always a fixed text, never the input.
 */
final class OAuthErrorResponse
{
    /** @param array<string, string> $headers */
    private function __construct(
        public readonly int $status,
        public readonly string $error,
        public readonly string $reason,
        private readonly string $description,
        private readonly array $headers = [],
    ) {
    }

    /**
     * The answer to a refusal thrown by the extension or the glue. Anything
     * that is not a refusal (a bug, a TypeError) is rethrown.
     *
     * @throws \Throwable $e itself when it is not a known refusal
     */
    public static function fromThrowable(\Throwable $e): self
    {
        return match (true) {
            $e instanceof OAuthException => $e->errorCode() === 'invalid_client'
                ? self::invalidClient($e->reason())
                : new self($e->httpStatus(), $e->errorCode(), $e->reason(), $e->getMessage()),
            $e instanceof MetadataFetchFailed => $e->isTargetRefused()
                ? self::invalidClient('fetch_target_refused')
                : self::temporarilyUnavailable($e->retryAfter(), $e->why()),
            $e instanceof StorageException => $e->isRetryable()
                ? self::temporarilyUnavailable(1, 'storage_contended')
                : self::serverError('storage_failed'),
            // The limiter's or the configuration's own failure (no table, a policy the host
            // misconfigured, a weak pepper): fail closed, say nothing more.
            $e instanceof ConfigurationException => self::serverError($e->reason()),
            default => throw $e,
        };
    }

    /** 500: the server could not complete the request (the log has why). */
    public static function serverError(string $reason): self
    {
        return new self(500, 'server_error', $reason, 'The server could not complete the request.');
    }

    /** 401: client authentication failed (RFC 6749 §5.2, with a Basic challenge). */
    public static function invalidClient(string $reason): self
    {
        return new self(401, 'invalid_client', $reason, 'Client authentication failed.', ['WWW-Authenticate' => 'Basic realm="oauth", charset="UTF-8"']);
    }

    /** 400: the code or refresh token is invalid, expired, revoked, or not this client's. */
    public static function invalidGrant(string $reason): self
    {
        return new self(400, 'invalid_grant', $reason, 'The grant is invalid.');
    }

    /** 400: this client may not use this grant type. */
    public static function unauthorizedClient(string $reason): self
    {
        return new self(400, 'unauthorized_client', $reason, 'The client may not use this grant type.');
    }

    /** 400: the request is malformed. */
    public static function invalidRequest(string $reason): self
    {
        return new self(400, 'invalid_request', $reason, 'The request is malformed.');
    }

    /** 503 with Retry-After: try again later (a metadata document could not be fetched, registrations are full). */
    public static function temporarilyUnavailable(int $retryAfter, string $reason): self
    {
        return new self(503, 'temporarily_unavailable', $reason, 'The server cannot handle the request now; try again later.',
            ['Retry-After' => (string) max(1, $retryAfter)]);
    }

    /**
     * 429 with the limiter's headers (`RateLimit-Policy`, `RateLimit`, `Retry-After`).
     * The error code is `temporarily_unavailable`: OAuth defines none for a rate limit.
     */
    public static function rateLimited(Result $result): self
    {
        return new self(429, 'temporarily_unavailable', (string) ($result->reason() ?? 'rate_limited'),
            'Too many requests; try again later.', self::headerList($result->headers()));
    }

    /** 405 with Allow. */
    public static function methodNotAllowed(string $allow): self
    {
        return new self(405, 'invalid_request', 'method_not_allowed', 'The request method is not allowed here.', ['Allow' => $allow]);
    }

    /** The same refusal with more headers (e.g. the rate-limit headers of an allowed hit). */
    public function withHeaders(array $headers): self
    {
        return new self($this->status, $this->error, $this->reason, $this->description, $this->headers + self::headerList($headers));
    }

    public function response(): Response
    {
        return JsonResponse::make($this->status, ['error' => $this->error, 'error_description' => $this->description], $this->headers);
    }

    /**
     * @param array<mixed> $headers name => value, or a list of "Name: value" lines
     * @return array<string, string>
     */
    public static function headerList(array $headers): array
    {
        $out = [];
        foreach ($headers as $name => $value) {
            if (is_int($name) && is_string($value) && str_contains($value, ':')) {
                [$name, $value] = explode(':', $value, 2);
            }
            $out[trim((string) $name)] = trim((string) $value);
        }
        return $out;
    }
}
