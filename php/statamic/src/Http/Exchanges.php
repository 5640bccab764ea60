<?php

declare(strict_types=1);

namespace McpGuard\Statamic\Http;

use Illuminate\Http\Request as LaravelRequest;
use McpGuard\Server\Guard\Exchange;
use McpGuard\Server\Http\Request;
use McpGuard\Server\Http\Response;
use McpGuard\Statamic\Addon;
use Symfony\Component\HttpFoundation\Response as SymfonyResponse;

/**
 * Between Laravel and the pipeline: the request as the framework-neutral
 * value (the query and body as sent, the direct peer, TLS as the server saw it,
 * never what a proxy claims), its exchange kept on the request's attributes
 * from one middleware to the next, and the pipeline's response as Laravel's.
 */
final class Exchanges
{
    private const ATTRIBUTE = 'mcp_guard.exchange';

    public function __construct(private readonly Addon $addon)
    {
    }

    /** Runs one pipeline step for a middleware: its refusal, or the next middleware's response. */
    public function step(LaravelRequest $request, string $step, \Closure $next): SymfonyResponse
    {
        $response = $this->addon->pipeline()->step($this->exchange($request), $step);
        return $response === null ? $next($request) : self::laravel($response);
    }

    /** The answer, once every middleware let the request through. */
    public function finish(LaravelRequest $request): SymfonyResponse
    {
        return self::laravel($this->addon->pipeline()->finish($this->exchange($request)));
    }

    public static function neutral(LaravelRequest $r): Request
    {
        $headers = [];
        foreach ($r->headers->all() as $name => $values) {
            $headers[(string) $name] = implode(', ', array_map('strval', $values));
        }
        // The query as sent: the part of the request target after `?` (as Request::fromGlobals() takes it).
        $query = explode('?', $r->getRequestUri(), 2)[1] ?? '';
        return new Request($r->getMethod(), $r->getPathInfo(), $query, $headers,
            (string) $r->getContent(), array_filter($r->cookies->all(), 'is_string'), (string) $r->server->get('REMOTE_ADDR', ''),
            Request::tlsFromServer($r->server->get('HTTPS')));
    }

    public static function laravel(Response $response): SymfonyResponse
    {
        return new \Illuminate\Http\Response($response->body, $response->status, $response->headers());
    }

    private function exchange(LaravelRequest $request): Exchange
    {
        $x = $request->attributes->get(self::ATTRIBUTE);
        if (!$x instanceof Exchange) {
            $x = $this->addon->pipeline()->begin(self::neutral($request));
            $request->attributes->set(self::ATTRIBUTE, $x);
        }
        return $x;
    }
}
