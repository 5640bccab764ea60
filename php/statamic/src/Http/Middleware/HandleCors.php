<?php

declare(strict_types=1);

namespace McpGuard\Statamic\Http\Middleware;

use Illuminate\Http\Request;
use McpGuard\Statamic\Http\Exchanges;
use Symfony\Component\HttpFoundation\Response;

/** Pipeline step `origin`. CORS: a preflight is answered here, an Origin that is not allowed is refused (403); an allowed one gets its CORS headers on the answer. */
final class HandleCors
{
    public function __construct(private readonly Exchanges $exchanges)
    {
    }

    public function handle(Request $request, \Closure $next): Response
    {
        return $this->exchanges->step($request, 'origin', $next);
    }
}
