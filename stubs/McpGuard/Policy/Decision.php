<?php

// Generated from the built mcp_guard module by tools/stubs.php. Do not edit.

namespace McpGuard\Policy;

final class Decision
{
    public function allowed(): bool {}
    public function reason(): ?string {}
    public function path(): ?string {}
    public function expected(): ?string {}
    public function requiredScopes(): array {}
    public function __construct() {}
}
