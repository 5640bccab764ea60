<?php

// Generated from the built mcp_guard module by tools/stubs.php. Do not edit.

namespace McpGuard\Exception;

/**
 * The request is malformed (e.g. the `Authorization` header): answer 400.
 * `errorCode()` is `invalid_request`.
 */
class InvalidRequestException extends \McpGuard\Exception\GuardException
{
}
