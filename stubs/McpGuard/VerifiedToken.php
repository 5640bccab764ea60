<?php

// Generated from the built mcp_guard module by tools/stubs.php. Do not edit.

namespace McpGuard;

final class VerifiedToken
{
    public function publicId(): string {}
    public function needsRehash(): bool {}
    public function rehash(): ?string {}
    public function __construct() {}
}
