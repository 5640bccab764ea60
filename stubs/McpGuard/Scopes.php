<?php

// Generated from the built mcp_guard module by tools/stubs.php. Do not edit.

namespace McpGuard;

/**
 * The scope grammar the policy grants by: an RFC 6749 §3.3 scope-token
 * (printable ASCII without space, `"` and `\`) of 1 to 128 bytes. Static
 * methods only; the class cannot be constructed.
 *
 * Made by the extension only: PHP code cannot construct it (`new` is refused).
 */
final class Scopes
{
    /**
     * Whether `$scope` is one scope-token (no white space, no newline, no
     * control byte, at most 128 bytes).
     */
    public static function isValid(string $scope): bool {}

    /**
     * Refuses a list of scopes to store (a token row's scopes): every entry
     * must be a string that is a scope-token, and there may be at most 256
     * (the most the policy looks at). Keys are ignored.
     *
     * @param array $scopes
     * @throws \McpGuard\Exception\InvalidArgumentException otherwise.
     */
    public static function check(array $scopes): void {}
}
