<?php

declare(strict_types=1);

namespace McpGuard\Server\OAuth;

use McpGuard\Server\Http\Response;

/**
 * JSON answers of the OAuth endpoints. Every one is `Cache-Control:
 * no-store` and `Pragma: no-cache` (RFC 6749 §5.1: token responses carry
 * secrets), unless the caller sets its own Cache-Control (the public
 * metadata documents).
 *
 * @internal
 */
final class JsonResponse
{
    private function __construct()
    {
    }

    /**
     * @param array<mixed>|string   $body    encoded here, or JSON text already made (by the extension)
     * @param array<string, string> $headers
     */
    public static function make(int $status, array|string $body, array $headers = []): Response
    {
        $json = is_string($body) ? $body : json_encode($body, JSON_UNESCAPED_SLASHES | JSON_UNESCAPED_UNICODE | JSON_THROW_ON_ERROR);
        $response = new Response($status, [
            'Content-Type' => 'application/json',
            'Cache-Control' => 'no-store',
            'Pragma' => 'no-cache',
            'X-Content-Type-Options' => 'nosniff',
        ], $json);
        foreach ($headers as $name => $value) {
            $response = $response->withHeader($name, $value);
        }
        return $response;
    }
}
