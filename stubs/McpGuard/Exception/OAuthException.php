<?php

// Generated from the built mcp_guard module by tools/stubs.php. Do not edit.

namespace McpGuard\Exception;

/**
 * An OAuth request was refused: answer with `errorCode()` (the OAuth error
 * code of RFC 6749 §5.2, RFC 7591 §3.2.2 or RFC 8707: `invalid_grant`,
 * `invalid_client`, `invalid_target`, …) and `httpStatus()`; `reason()`
 * says exactly why, for the audit log only.
 */
class OAuthException extends \McpGuard\Exception\GuardException
{
    /**
     * The HTTP status to answer with: 401 for `invalid_client`, 503 for
     * `temporarily_unavailable`, 500 for `server_error`, else 400.
     */
    final public function httpStatus(): int {}
}
