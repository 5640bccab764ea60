<?php

declare(strict_types=1);

namespace McpGuard\Tests\OAuth;

use McpGuard\Exception\InvalidRequestException;
use McpGuard\Exception\InvalidTokenException;
use McpGuard\Policy;
use McpGuard\Server\Http\Request;
use McpGuard\Server\Http\Response;
use McpGuard\Server\OAuth\Resource\AccessTokenAuthenticator;

/**
 * A STAND-IN for the MCP endpoint, for the OAuth tests only: just enough
 * Streamable HTTP (JSON responses, protocol 2025-11-25) for a real client to
 * prove that the access token it obtained works — 401 with the RFC 9728
 * challenge without a token, then `initialize`, `notifications/initialized`,
 * `tools/list` (the policy's tools for the token's scopes), `ping`; the
 * 2026-07-28 probe `server/discover` gets "method not found", so the client
 * falls back to `initialize`. No tool is ever called. Issue 12 builds the
 * real endpoint (both protocol eras, the pipeline, the audit trail).
 */
final class StandInMcp
{
    private const VERSIONS = ['2025-11-25', '2025-06-18', '2025-03-26'];

    public function __construct(private readonly AccessTokenAuthenticator $auth, private readonly Policy $policy, private readonly string $events)
    {
    }

    public function handle(Request $request): Response
    {
        if ($request->method !== 'POST') {
            return new Response(405, ['Allow' => 'POST', 'Content-Type' => 'text/plain'], "POST only\n");
        }
        try {
            $principal = $this->auth->authenticate($request->header('authorization'));
        } catch (InvalidTokenException) {
            $this->log('mcp 401 invalid_token');
            return $this->unauthorized('invalid_token');
        } catch (InvalidRequestException) {
            return new Response(400, ['Content-Type' => 'text/plain'], "bad Authorization header\n");
        }
        if ($principal === null) {
            $this->log('mcp 401 no_token');
            return $this->unauthorized(null);
        }
        $message = json_decode($request->body, true);
        if (!is_array($message) || !is_string($message['method'] ?? null)) {
            return self::json(['jsonrpc' => '2.0', 'id' => null, 'error' => ['code' => -32700, 'message' => 'Parse error']]);
        }
        $method = $message['method'];
        $this->log("mcp {$method} {$principal->memberId}");
        if (!array_key_exists('id', $message)) {
            return new Response(202); // a notification
        }
        $id = $message['id'];
        $result = match ($method) {
            'initialize' => [
                'protocolVersion' => in_array($message['params']['protocolVersion'] ?? null, self::VERSIONS, true) ? $message['params']['protocolVersion'] : self::VERSIONS[0],
                'capabilities' => ['tools' => ['listChanged' => false]],
                'serverInfo' => ['name' => 'mcp_guard stand-in', 'version' => '0'],
            ],
            'ping' => new \stdClass(),
            'tools/list' => ['tools' => array_map(fn (string $t): array => ['name' => $t, 'description' => $this->policy->toolClass($t) . ' tool',
                'inputSchema' => ['type' => 'object']], $this->policy->visibleTools($principal->scopes))],
            default => null,
        };
        return self::json($result === null
            ? ['jsonrpc' => '2.0', 'id' => $id, 'error' => ['code' => -32601, 'message' => 'Method not found']]
            : ['jsonrpc' => '2.0', 'id' => $id, 'result' => $result]);
    }

    private function unauthorized(?string $error): Response
    {
        return new Response(401, ['WWW-Authenticate' => $this->auth->challenge($error), 'Content-Type' => 'application/json'],
            '{"error":"' . ($error ?? 'unauthorized') . '"}');
    }

    private static function json(array $body): Response
    {
        return new Response(200, ['Content-Type' => 'application/json'], json_encode($body, JSON_UNESCAPED_SLASHES | JSON_THROW_ON_ERROR));
    }

    private function log(string $line): void
    {
        file_put_contents($this->events, $line . "\n", FILE_APPEND | LOCK_EX);
    }
}
