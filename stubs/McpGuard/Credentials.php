<?php

// Generated from the built mcp_guard module by tools/stubs.php. Do not edit.

namespace McpGuard;

final class Credentials
{
    public static function fromHeader(?string $header = null): \McpGuard\Credentials {}
    public function scheme(): string {}
    public function isPresent(): bool {}
    public function bearerToken(): ?string {}
    public function username(): ?string {}
    public function password(): ?string {}
    public function __construct() {}
}
