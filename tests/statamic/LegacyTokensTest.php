<?php

declare(strict_types=1);

namespace McpGuard\Tests\Statamic;

use Illuminate\Database\Schema\Blueprint;
use Illuminate\Support\Str;
use McpGuard\Tests\Statamic\Support\AdapterCase;
use McpGuard\Tests\Statamic\Support\EntryTools;

/**
 * Tokens made by the Statamic MCP addon before the switch: its `mcp_tokens`
 * table as its migrations create it (cboxdk/statamic-mcp
 * database/migrations/tokens: uuid `id`, `user_id`, `name`, `token`
 * string(128) with a unique index, JSON `scopes`, `oauth_client_id`/`_name`,
 * nullable `last_used_at` and `expires_at`, timestamps), rows made its way: a
 * `Str::random(64)` token, `hash('sha256', $token)` stored. Through the
 * addon's five middlewares on Laravel's HTTP kernel.
 */
final class LegacyTokensTest extends AdapterCase
{
    /** A client address of this test's own: the failed-attempt rate of the shared table is per address. */
    private string $ip;

    protected function setUp(): void
    {
        $this->ip = '198.51.100.' . random_int(1, 254);
    }

    /** @return array{status: int, headers: \Symfony\Component\HttpFoundation\ResponseHeaderBag, body: string, json: mixed} */
    private function list(string $token): array
    {
        return $this->mcp(['id' => 7, 'method' => 'tools/call', 'params' => ['name' => 'entries.list', 'arguments' => (object) []]],
            "Bearer {$token}", [], self::MCP, ['REMOTE_ADDR' => $this->ip]);
    }

    private function oldAddonTable(): void
    {
        $this->t->app['db']->connection()->getSchemaBuilder()->create('mcp_tokens', static function (Blueprint $table): void {
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

    /** A token the old addon issued to `$user`: the plain token (shown once), its row stored as the addon stores it. */
    private function oldToken(string $user, array $scopes, ?string $expiresAt = null): string
    {
        $plain = Str::random(64);
        $now = gmdate('Y-m-d H:i:s');
        $this->t->app['db']->connection()->table('mcp_tokens')->insert([
            'id' => (string) Str::uuid(), 'user_id' => $user, 'name' => 'Claude Desktop', 'token' => hash('sha256', $plain),
            'scopes' => json_encode($scopes), 'last_used_at' => null, 'expires_at' => $expiresAt, 'created_at' => $now, 'updated_at' => $now,
        ]);
        return $plain;
    }

    private function member(string $id, string $role): void
    {
        self::assertSame(0, $this->artisan('mcp-guard:member:add', ['id' => $id, '--role' => $role])[0]);
    }

    public function testAnOldTokenReadsWithItsScopesAndAWriteBeyondThemIs403(): void
    {
        $this->boot(['policy' => EntryTools::manifest(true), 'legacy_tokens' => ['enabled' => true]]);
        $this->oldAddonTable();
        $this->member('u-old', 'editor');
        $plain = $this->oldToken('u-old', ['entries:read'], gmdate('Y-m-d H:i:s', time() + 86400));
        $list = $this->mcp(['id' => 1, 'method' => 'initialize', 'params' => ['protocolVersion' => '2025-06-18', 'capabilities' => (object) [],
            'clientInfo' => ['name' => 't', 'version' => '1']]], "Bearer {$plain}");
        self::assertSame(200, $list['status'], $list['body']);
        $read = $this->list($plain);
        self::assertSame(200, $read['status'], $read['body']);
        self::assertSame('Home', $read['json']['result']['structuredContent']['entries'][1]['title']);
        // An editor's old token holding entries:read only: the write is 403 naming entries:write, and nothing changes.
        $write = $this->call('entries.update', ['id' => 'home', 'title' => 'Pwned'], "Bearer {$plain}");
        self::assertSame(403, $write['status'], $write['body']);
        self::assertStringContainsString('scope="entries:write"', (string) $write['headers']->get('WWW-Authenticate'));
        self::assertSame('Home', $this->title('home'));
        // With entries:write in its row the same member's old token writes.
        $writer = $this->oldToken('u-old', ['entries:read', 'entries:write']);
        $ok = $this->call('entries.update', ['id' => 'home', 'title' => 'New'], "Bearer {$writer}");
        self::assertFalse($ok['json']['result']['isError'] ?? true, $ok['body']);
        self::assertSame('New', $this->title('home'));
        // Its user removed from the members list: 401.
        self::assertSame(0, $this->artisan('mcp-guard:member:remove', ['id' => 'u-old'])[0]);
        self::assertSame(401, $this->list($plain)['status']);
    }

    public function testExpiredDeletedAndWrongOldTokensAre401AndWrongOnesCountAsFailed(): void
    {
        $this->boot(['legacy_tokens' => ['enabled' => true], 'rate_limit' => ['rates' => ['failed' => ['limit' => 4, 'period' => 60]]]]);
        $this->oldAddonTable();
        $this->member('u-old', 'viewer');
        $expired = $this->oldToken('u-old', ['entries:read'], gmdate('Y-m-d H:i:s', time() - 1));
        self::assertSame(401, $this->list($expired)['status'], 'expired');
        $deleted = $this->oldToken('u-old', ['entries:read']);
        self::assertSame(200, $this->list($deleted)['status']);
        $this->t->app['db']->connection()->table('mcp_tokens')->where('token', hash('sha256', $deleted))->delete();
        self::assertSame(401, $this->list($deleted)['status'], 'the old addon revoked by deleting the row');
        $wrong = $this->list(Str::random(64));
        self::assertSame(401, $wrong['status']);
        self::assertStringContainsString('error="invalid_token"', (string) $wrong['headers']->get('WWW-Authenticate'));
        // Four failures from this address so far (expired, deleted, wrong): one more is allowed, then 429.
        self::assertSame(401, $this->list(Str::random(64))['status']);
        $over = $this->list(Str::random(64));
        self::assertSame(429, $over['status'], 'a wrong old token counts against the failed rate');
    }

    public function testOldTokensAreRefusedUnlessEnabledAndOurTokensWorkBeside(): void
    {
        $this->boot();
        $this->oldAddonTable();
        $this->member('u-old', 'viewer');
        $plain = $this->oldToken('u-old', ['entries:read']);
        $r = $this->list($plain);
        self::assertSame(401, $r['status'], 'legacy_tokens.enabled is false by default');
        $this->boot(['legacy_tokens' => ['enabled' => true]]);
        $this->oldAddonTable();
        $ours = $this->token('u-new', 'viewer', 'discover,entries:read');
        self::assertSame(200, $this->list($ours)['status']);
        // The old addon's table holding the bare SHA-256 of one of ours does not make it an old token.
        $this->member('u-old', 'viewer');
        $now = gmdate('Y-m-d H:i:s');
        $this->t->app['db']->connection()->table('mcp_tokens')->insert(['id' => (string) Str::uuid(), 'user_id' => 'u-old', 'name' => 'x',
            'token' => hash('sha256', $ours), 'scopes' => '["entries:read"]', 'created_at' => $now, 'updated_at' => $now]);
        self::assertSame(0, $this->artisan('mcp-guard:token:revoke', ['publicId' => substr($ours, 4, 16)])[0]);
        self::assertSame(401, $this->list($ours)['status'], 'a revoked token of ours stays revoked');
    }
}
