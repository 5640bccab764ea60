<?php

// Generated from the built mcp_guard module by tools/stubs.php. Do not edit.

namespace McpGuard\Jwt;

final class Signer
{
    public static function generate(?string $alg = null): \McpGuard\Jwt\Signer {}
    public static function fromPrivateKey(string $key, string $alg): \McpGuard\Jwt\Signer {}
    public static function fromSecret(string $secret, ?string $alg = null, ?string $kid = null): \McpGuard\Jwt\Signer {}
    public function alg(): string {}
    public function kid(): ?string {}
    public function privateKeyPem(): string {}
    public function publicJwk(): array {}
    public function jwks(): string {}
    public function sign(array $claims, ?string $typ = null): string {}
    public function accessToken(string $issuer, string $audience, string $subject, string $clientId, ?int $lifetimeSeconds = null, ?string $scope = null, ?array $extraClaims = null, ?int $now = null): string {}
    public function __construct() {}
}
