<?php

// Generated from the built mcp_guard module by tools/stubs.php. Do not edit.

namespace McpGuard\Jwt;

final class KeySet
{
    public static function fromJwks(string $jwks, ?string $alg = null, ?bool $allowSecretKeys = null): \McpGuard\Jwt\KeySet {}
    public static function fromPem(string $pem, string $alg, ?string $kid = null): \McpGuard\Jwt\KeySet {}
    public static function fromSecret(string $secret, ?string $alg = null, ?string $kid = null): \McpGuard\Jwt\KeySet {}
    public function count(): int {}
    public function keys(): array {}
    public static function clearCache(): void {}
    public static function cacheStats(): array {}
    public function __construct() {}
}
