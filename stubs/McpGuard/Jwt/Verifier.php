<?php

// Generated from the built mcp_guard module by tools/stubs.php. Do not edit.

namespace McpGuard\Jwt;

final class Verifier
{
    public function verify(string $jwt, ?int $now = null): array {}
    public static function scopes(array $claims): array {}
    public function __construct(\McpGuard\Jwt\KeySet $keys, string $issuer, mixed $audience, ?string $profile = null, ?int $leewaySeconds = null, ?int $maxAgeSeconds = null, ?int $maxTokenBytes = null) {}
}
