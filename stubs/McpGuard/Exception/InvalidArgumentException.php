<?php

// Generated from the built mcp_guard module by tools/stubs.php. Do not edit.

namespace McpGuard\Exception;

/**
 * The calling code passed a value outside the documented range: a bug in
 * the host, never something a client can cause alone. `errorCode()` is
 * `invalid_argument`.
 */
class InvalidArgumentException extends \McpGuard\Exception\GuardException
{
}
