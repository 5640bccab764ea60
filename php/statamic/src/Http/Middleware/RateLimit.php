<?php

declare(strict_types=1);

namespace McpGuard\Statamic\Http\Middleware;

use Illuminate\Http\Request;
use McpGuard\Statamic\Http\Exchanges;
use Symfony\Component\HttpFoundation\Response;

/** Pipeline step `decide`. The MCP message(s), then the one decision of the extension: the member's role now, the scopes, the rates (429 with Retry-After), the tool's policy (403). */
final class RateLimit
{
    public function __construct(private readonly Exchanges $exchanges)
    {
    }

    public function handle(Request $request, \Closure $next): Response
    {
        return $this->exchanges->step($request, 'decide', $next);
    }
}
