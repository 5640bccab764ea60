<?php

declare(strict_types=1);

namespace McpGuard\Statamic\Http;

use Illuminate\Http\Request;
use McpGuard\Statamic\Addon;
use Symfony\Component\HttpFoundation\Response;

/** The well-known documents and the OAuth endpoints: the glue's OAuthServer answers. */
final class OAuthController
{
    public function __invoke(Request $request, Addon $addon): Response
    {
        $response = $addon->oauth()->handle(Exchanges::neutral($request));
        return $response === null ? new \Illuminate\Http\Response('', 404) : Exchanges::laravel($response);
    }
}
