<?php

// Generated from the built mcp_guard module by tools/stubs.php. Do not edit.

namespace McpGuard;

final class Tokens
{
    public function issue(?int $lifetimeSeconds = null, ?int $now = null): \McpGuard\IssuedToken {}
    public function verify(string $token, ?string $storedHash = null, ?int $expiresAt = null, ?int $revokedAt = null, ?int $now = null): \McpGuard\VerifiedToken {}
    public function publicId(string $token): string {}
    public function rotate(?int $previousExpiresAt = null, ?int $overlapSeconds = null, ?int $lifetimeSeconds = null, ?int $now = null): \McpGuard\Rotation {}
    public static function verifyLegacySha256(string $token, string $storedHexDigest): void {}
    public static function verifyShopsys(string $token, string $storedHexDigest): string {}
    public function prefix(): string {}
    public function hasPepper(): bool {}
    public function maxLifetimeSeconds(): ?int {}
    public function __construct(?string $prefix = null, ?string $pepper = null) {}
}
