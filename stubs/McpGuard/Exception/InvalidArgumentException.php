<?php

// Generated from the built mcp_guard module by tools/stubs.php. Do not edit.

namespace McpGuard\Exception;

class InvalidArgumentException extends \McpGuard\Exception\GuardException
{
}
