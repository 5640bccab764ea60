<?php

declare(strict_types=1);

namespace McpGuard\Tests\Statamic;

use Illuminate\Support\Str;
use McpGuard\Tests\Statamic\Support\AdapterCase;
use McpGuard\Tests\Statamic\Support\EntryTools;
use McpGuard\Tests\Statamic\Support\OldAddon;

/**
 * Tokens made by the Statamic MCP addon before the switch: its `mcp_tokens`
 * table and rows made its way (Support\OldAddon), through the addon's five
 * middlewares on Laravel's HTTP kernel.
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
        OldAddon::createTable($this->t->app['db']->connection());
    }

    /** @param list<string> $scopes */
    private function oldToken(string $user, array $scopes, ?string $expiresAt = null): string
    {
        return OldAddon::issue($this->t->app['db']->connection(), $user, $scopes, $expiresAt);
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
