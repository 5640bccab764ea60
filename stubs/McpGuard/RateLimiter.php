<?php

// Generated from the built mcp_guard module by tools/stubs.php. Do not edit.

namespace McpGuard;

final class RateLimiter
{
    public function hit(string $key, string $policy, int $cost = 1, ?int $now = null): \McpGuard\RateLimit\Result {}
    public function policies(): array {}
    public static function ipKey(string $ip): string {}
    public static function tokenKey(string $publicId): string {}
    public static function userKey(string $id): string {}
    public static function tableInfo(): array {}
    public function __construct(?array $policies = null) {}
}
