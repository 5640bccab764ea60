<?php

declare(strict_types=1);

namespace McpGuard\Statamic\Http\Middleware;

use Illuminate\Http\Request;
use McpGuard\Statamic\Http\Exchanges;
use Symfony\Component\HttpFoundation\Response;

/** Pipeline step `transport`. HTTPS, directly or through a trusted proxy (`web.require_https` = false allows plain HTTP from loopback only); else 403. */
final class RequireHttps
{
    public function __construct(private readonly Exchanges $exchanges)
    {
    }

    public function handle(Request $request, \Closure $next): Response
    {
        return $this->exchanges->step($request, 'transport', $next);
    }
}
