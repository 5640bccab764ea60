<?php

declare(strict_types=1);

namespace McpGuard\Statamic\Http;

use Illuminate\Http\Request;
use Symfony\Component\HttpFoundation\Response;

/** The MCP endpoint behind the five middlewares: the tool handlers' answer. */
final class McpController
{
    public function __invoke(Request $request, Exchanges $exchanges): Response
    {
        return $exchanges->finish($request);
    }
}
