<?php

declare(strict_types=1);

namespace McpGuard\Statamic\Http\Middleware;

use Illuminate\Http\Request;
use McpGuard\Statamic\Http\Exchanges;
use Symfony\Component\HttpFoundation\Response;

/** Pipeline step `confirm`. A destructive tool runs only with a confirmation bound to this member, tool and arguments. */
final class RequirePermission
{
    public function __construct(private readonly Exchanges $exchanges)
    {
    }

    public function handle(Request $request, \Closure $next): Response
    {
        return $this->exchanges->step($request, 'confirm', $next);
    }
}
