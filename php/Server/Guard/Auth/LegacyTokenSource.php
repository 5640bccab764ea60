<?php

declare(strict_types=1);

namespace McpGuard\Server\Guard\Auth;

/**
 * Where the rows of a tool the shop replaced live, when that tool stored the
 * bare hex SHA-256 of each token (the Statamic MCP addon's `mcp_tokens`):
 * one lookup by that digest (`McpGuard\Guard::legacyDigest()`). The row is
 * NOT verified here: `McpGuard\Guard::checkLegacy()` compares the presented
 * token with `TokenRow::$hash` in constant time and checks revocation and
 * expiry. The guard must be configured with `legacySha256Tokens => true`.
 */
interface LegacyTokenSource
{
    /** The row stored under the lower-case hex SHA-256 of the token, or null. */
    public function find(string $digest): ?TokenRow;
}
