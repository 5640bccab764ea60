<?php

// Generated from the built mcp_guard module by tools/stubs.php. Do not edit.

namespace McpGuard\Exception;

/**
 * The server's own configuration is unusable (a weak pepper, a bad manifest,
 * a key that must not be used): fix the configuration, answer 500.
 * `errorCode()` is `server_error`.
 */
class ConfigurationException extends \McpGuard\Exception\GuardException
{
}
