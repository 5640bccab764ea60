<?php

// Generated from the built mcp_guard module by tools/stubs.php. Do not edit.

namespace McpGuard;

final class IssuedToken
{
    public function plaintext(): string {}
    public function publicId(): string {}
    public function hash(): string {}
    public function createdAt(): int {}
    public function expiresAt(): ?int {}
    public function __construct() {}
}
