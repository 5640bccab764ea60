<?php

declare(strict_types=1);

namespace McpGuard\Server\OAuth\Endpoint;

use McpGuard\Server\Http\Request;
use McpGuard\Server\Http\Response;
use McpGuard\Server\OAuth\OAuthConfig;
use McpGuard\Server\OAuth\OAuthErrorResponse;

/**
 * The public documents: RFC 8414 authorization-server metadata (at every
 * path AuthorizationServer::route() names, the OpenID discovery paths
 * included), RFC 9728 protected-resource metadata (root and path-inserted),
 * and the JWKS when access tokens are JWTs. The bodies are the extension's,
 * byte for byte. These, and only these, are open to every origin
 * (`Access-Control-Allow-Origin: *`: they hold nothing private and browser
 * clients read them) and cacheable for `metadataMaxAge` seconds.
 */
final class MetadataEndpoint
{
    public const AUTHORIZATION_SERVER = 'authorization_server';
    public const PROTECTED_RESOURCE = 'protected_resource';
    public const JWKS = 'jwks';

    public function __construct(private readonly OAuthConfig $config)
    {
    }

    public function handle(Request $request, string $document): Response
    {
        $cors = [
            'Access-Control-Allow-Origin' => '*',
            'Access-Control-Allow-Methods' => 'GET, OPTIONS',
            'Access-Control-Allow-Headers' => 'MCP-Protocol-Version',
            'Access-Control-Max-Age' => '86400',
        ];
        if ($request->method === 'OPTIONS') {
            return new Response(204, $cors + ['Cache-Control' => 'public, max-age=86400']);
        }
        if ($request->method !== 'GET' && $request->method !== 'HEAD') {
            return OAuthErrorResponse::methodNotAllowed('GET, HEAD, OPTIONS')->response()->withHeader('Access-Control-Allow-Origin', '*');
        }
        $server = $this->config->server;
        $body = match ($document) {
            self::AUTHORIZATION_SERVER => $server->metadata(),
            self::PROTECTED_RESOURCE => $server->protectedResourceMetadata($this->config->resourceName),
            self::JWKS => (string) $this->config->signer?->jwks(),
        };
        return new Response(200, $cors + [
            'Content-Type' => self::JWKS === $document ? 'application/jwk-set+json' : 'application/json',
            'Cache-Control' => 'public, max-age=' . $this->config->metadataMaxAge,
            'X-Content-Type-Options' => 'nosniff',
        ], $request->method === 'HEAD' ? '' : $body);
    }
}
