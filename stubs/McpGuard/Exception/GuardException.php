<?php

// Generated from the built mcp_guard module by tools/stubs.php. Do not edit.

namespace McpGuard\Exception;

class GuardException extends \Exception
{
    final public function errorCode(): string {}
    final public function reason(): string {}
}
