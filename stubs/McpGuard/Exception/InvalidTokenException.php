<?php

// Generated from the built mcp_guard module by tools/stubs.php. Do not edit.

namespace McpGuard\Exception;

/**
 * The presented credential (API token, JWT) is not valid: answer 401 with
 * `WWW-Authenticate: Bearer error="invalid_token"`. `errorCode()` is
 * `invalid_token`; `reason()` says why (`expired`, `bad_signature`, …) for
 * the audit log only, never for the client.
 */
class InvalidTokenException extends \McpGuard\Exception\GuardException
{
}
