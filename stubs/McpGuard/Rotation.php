<?php

// Generated from the built mcp_guard module by tools/stubs.php. Do not edit.

namespace McpGuard;

final class Rotation
{
    public function successor(): \McpGuard\IssuedToken {}
    public function previousExpiresAt(): int {}
    public function __construct() {}
}
