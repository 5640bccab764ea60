<?php

declare(strict_types=1);

namespace McpGuard\Statamic\Database;

use Illuminate\Database\ConnectionInterface;
use McpGuard\Server\Guard\Auth\LegacyTokenSource;
use McpGuard\Server\Guard\Auth\TokenRow;

/**
 * The rows of the Statamic MCP addon (`mcp_tokens`: `token` = the lower-case
 * hex SHA-256 of the token, `user_id` a Statamic user id, `scopes` a JSON
 * list such as `["entries:read"]`, nullable `expires_at` in the app's time
 * zone), read on Laravel's query builder, never written. A row is only
 * found here; the extension compares the token with its digest and checks
 * its expiry (`Guard::checkLegacy()`). That addon revoked a token by
 * deleting its row: a deleted row is an unknown token.
 *
 * That addon let every valid token list the tools it may call; mcp_guard
 * asks for the `discover` scope to list. So each row is read with
 * `discover` beside its own scopes — as every scope, intersected with what
 * the member's role grants.
 */
final class LaravelLegacyTokenSource implements LegacyTokenSource
{
    public function __construct(
        private readonly ConnectionInterface $db,
        private readonly string $table = 'mcp_tokens',
        private readonly string $timezone = 'UTC',
    ) {
    }

    public function find(string $digest): ?TokenRow
    {
        $row = $this->db->table($this->table)->where('token', $digest)->first();
        if ($row === null) {
            return null;
        }
        $scopes = json_decode((string) $row->scopes, true);
        return new TokenRow((string) $row->id, (string) $row->token, (string) $row->user_id,
            array_values(array_unique(['discover', ...array_filter(is_array($scopes) ? $scopes : [], 'is_string')])),
            $row->expires_at === null ? null : $this->unix((string) $row->expires_at), null, null,
            // The old addon's oauth_client_id names a client of its own server, not of ours: not carried over.
            '', 'legacy_sha256');
    }

    /** A timestamp column as Unix seconds; one that cannot be read is taken as already expired. */
    private function unix(string $value): int
    {
        try {
            return (new \DateTimeImmutable($value, new \DateTimeZone($this->timezone)))->getTimestamp();
        } catch (\Exception) {
            return 0;
        }
    }
}
