<?php

declare(strict_types=1);

namespace McpGuard\PrestaShop;

use McpGuard\Credentials;
use McpGuard\Exception\GuardException;
use McpGuard\Server\Http\Request;

/**
 * PrestaShop's MCP Server takes the member's token as the Basic password
 * too. It is the same token, so it is handed to the pipeline as the Bearer
 * token it is (the extension parses the header): verified, scoped, counted
 * and audited exactly like one. (A BasicVerifier would give the request
 * the member's role scopes instead, wider than a token issued with fewer.)
 */
final class BasicToken
{
    public static function asBearer(Request $request): Request
    {
        try {
            $c = Credentials::fromHeader($request->header('authorization'));
        } catch (GuardException) {
            return $request; // malformed: the pipeline refuses it (and counts the failure)
        }
        if ($c->scheme() !== 'basic') {
            return $request;
        }
        return new Request($request->method, $request->path, $request->query,
            ['authorization' => 'Bearer ' . $c->password()] + $request->headers(),
            $request->body, $request->cookies, $request->remoteAddress, $request->https);
    }
}
