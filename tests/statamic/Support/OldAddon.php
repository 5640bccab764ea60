<?php

declare(strict_types=1);

namespace McpGuard\Tests\Statamic\Support;

use Illuminate\Database\ConnectionInterface;
use Illuminate\Database\Schema\Blueprint;
use Illuminate\Support\Str;

/**
 * The Statamic MCP addon's token table and tokens, as that addon makes them:
 * the table of its migrations (cboxdk/statamic-mcp database/migrations/tokens:
 * uuid `id`, `user_id`, `name`, `token` string(128) with a unique index, JSON
 * `scopes`, `oauth_client_id`/`_name`, nullable `last_used_at` and
 * `expires_at`, timestamps), a token of `Str::random(64)` whose row stores
 * `hash('sha256', $token)`.
 */
final class OldAddon
{
    public static function createTable(ConnectionInterface $db): void
    {
        $db->getSchemaBuilder()->create('mcp_tokens', static function (Blueprint $table): void {
            $table->uuid('id')->primary();
            $table->string('user_id');
            $table->string('name');
            $table->string('token', 128);
            $table->json('scopes');
            $table->string('oauth_client_id')->nullable();
            $table->string('oauth_client_name')->nullable();
            $table->timestamp('last_used_at')->nullable();
            $table->timestamp('expires_at')->nullable();
            $table->timestamps();
            $table->index('user_id');
            $table->unique('token');
        });
    }

    /**
     * A token issued to `$user` (the plain token, shown once); its row stored as the addon stores it.
     *
     * @param list<string> $scopes
     */
    public static function issue(ConnectionInterface $db, string $user, array $scopes, ?string $expiresAt = null): string
    {
        $plain = Str::random(64);
        $now = gmdate('Y-m-d H:i:s');
        $db->table('mcp_tokens')->insert([
            'id' => (string) Str::uuid(), 'user_id' => $user, 'name' => 'Claude Desktop', 'token' => hash('sha256', $plain),
            'scopes' => json_encode($scopes), 'last_used_at' => null, 'expires_at' => $expiresAt, 'created_at' => $now, 'updated_at' => $now,
        ]);
        return $plain;
    }
}
