<?php

declare(strict_types=1);

namespace McpGuard\Statamic\Http\Middleware;

use Illuminate\Http\Request;
use McpGuard\Statamic\Http\Exchanges;
use Symfony\Component\HttpFoundation\Response;

/** Pipeline step `credential`. The credential: a Bearer API or OAuth token (its row found), then Basic against a Statamic user with `access cp`; none or a wrong one → 401 with the challenge. */
final class Authenticate
{
    public function __construct(private readonly Exchanges $exchanges)
    {
    }

    public function handle(Request $request, \Closure $next): Response
    {
        return $this->exchanges->step($request, 'credential', $next);
    }
}
