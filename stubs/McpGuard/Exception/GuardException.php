<?php

// Generated from the built mcp_guard module by tools/stubs.php. Do not edit.

namespace McpGuard\Exception;

/**
 * Base class of every exception mcp_guard throws (and of those the PHP glue
 * throws). `errorCode()` is the OAuth error code where one exists,
 * `reason()` the machine-readable reason for the audit log; the message is
 * generic and never holds a secret or the input.
 */
class GuardException extends \Exception
{
    /**
     * The OAuth error code of this exception's class (`invalid_token`,
     * `invalid_request`, `invalid_argument`, `server_error`).
     */
    final public function errorCode(): string {}

    /**
     * The machine-readable reason (`expired`, `bad_checksum`, `weak_pepper`, …)
     * for the audit log; `unspecified` for an exception PHP code constructed.
     * (Carried as the exception's integer code.)
     */
    final public function reason(): string {}
}
