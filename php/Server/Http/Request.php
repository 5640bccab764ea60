<?php

declare(strict_types=1);

namespace McpGuard\Server\Http;

use McpGuard\Exception\InvalidArgumentException;

/**
 * One HTTP request as the glue sees it, whatever the framework: an adapter
 * builds it (or fromGlobals() does, under plain PHP), an endpoint reads it.
 *
 * Deliberately raw: the query string and the body are kept as sent, never
 * parsed by PHP, because the extension parses OAuth parameters itself
 * (refusing a repeated parameter, which PHP's own parsing silently drops).
 * Header names are case-insensitive. `remoteAddress` is the direct peer; who
 * counts as a trusted proxy is decided elsewhere, never here.
 */
final class Request
{
    /** @var array<string, string> lower-case name => value */
    private readonly array $headers;

    /**
     * @param string                $method        upper-cased here (`GET`, `POST`, …)
     * @param string                $path          the path without the query (`/oauth/authorize`)
     * @param string                $query         the raw query string, without `?`
     * @param array<string, string> $headers       name => value; names in any case
     * @param array<string, string> $cookies
     * @param bool                  $https         whether the connection to this server is TLS (the SAPI's `HTTPS`),
     *                                             not what a proxy claims
     * @throws InvalidArgumentException a header name that is not an HTTP token, or a duplicate in another case
     */
    public function __construct(
        public readonly string $method,
        public readonly string $path,
        public readonly string $query = '',
        array $headers = [],
        public readonly string $body = '',
        public readonly array $cookies = [],
        public readonly string $remoteAddress = '',
        public readonly bool $https = false,
    ) {
        $lower = [];
        foreach ($headers as $name => $value) {
            $key = strtolower((string) $name);
            if (preg_match('/^[!#$%&\'*+.^_`|~0-9a-z-]+$/D', $key) !== 1 || !is_string($value) || isset($lower[$key])) {
                throw new InvalidArgumentException('A request header is not acceptable.');
            }
            $lower[$key] = $value;
        }
        $this->headers = $lower;
    }

    /**
     * The request PHP is serving now (SAPI globals; the body is read once from
     * php://input). The query is the part of REQUEST_URI after `?`, as sent.
     */
    public static function fromGlobals(): self
    {
        $headers = [];
        foreach ($_SERVER as $key => $value) {
            if (is_string($value) && str_starts_with((string) $key, 'HTTP_')) {
                $headers[str_replace('_', '-', substr((string) $key, 5))] = $value;
            }
        }
        // Apache + PHP-FPM/CGI drops Authorization unless a rewrite rule passes it on, and
        // then hands it over as REDIRECT_HTTP_AUTHORIZATION (a client cannot set that name:
        // its headers all arrive as HTTP_*). The header itself wins when both are present.
        foreach (['CONTENT_TYPE' => 'content-type', 'CONTENT_LENGTH' => 'content-length',
            'REDIRECT_HTTP_AUTHORIZATION' => 'AUTHORIZATION'] as $key => $name) {
            if (isset($_SERVER[$key]) && is_string($_SERVER[$key]) && $_SERVER[$key] !== '') {
                $headers[$name] ??= $_SERVER[$key];
            }
        }
        // Path and query both from the request target as the client sent it (a rewrite may
        // have changed the server's own query variable).
        $uri = is_string($_SERVER['REQUEST_URI'] ?? null) ? $_SERVER['REQUEST_URI'] : '/';
        [$path, $query] = array_pad(explode('?', $uri, 2), 2, '');
        $cookies = array_filter($_COOKIE, static fn ($v, $k): bool => is_string($v) && is_string($k), ARRAY_FILTER_USE_BOTH);
        return new self(
            strtoupper(is_string($_SERVER['REQUEST_METHOD'] ?? null) ? $_SERVER['REQUEST_METHOD'] : 'GET'),
            $path,
            $query,
            array_change_key_case($headers, CASE_LOWER),
            (string) file_get_contents('php://input'),
            $cookies,
            is_string($_SERVER['REMOTE_ADDR'] ?? null) ? $_SERVER['REMOTE_ADDR'] : '',
            self::tlsFromServer($_SERVER['HTTPS'] ?? null),
        );
    }

    /**
     * Whether the server variable `HTTPS` says the connection is TLS: the SAPI
     * convention, set and not "off" (IIS). For hosts that build the request
     * from their framework's copy of the server variables.
     */
    public static function tlsFromServer(mixed $https): bool
    {
        return is_string($https) && $https !== '' && strtolower($https) !== 'off';
    }

    /** A header's value, by case-insensitive name, or null. */
    public function header(string $name): ?string
    {
        return $this->headers[strtolower($name)] ?? null;
    }

    /** @return array<string, string> every header, lower-case name => value */
    public function headers(): array
    {
        return $this->headers;
    }

    public function cookie(string $name): ?string
    {
        return $this->cookies[$name] ?? null;
    }
}
