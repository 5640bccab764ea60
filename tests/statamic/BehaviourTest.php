<?php

declare(strict_types=1);

namespace McpGuard\Tests\Statamic;

use McpGuard\Tests\Statamic\Support\AdapterCase;
use McpGuard\Tests\Statamic\Support\EntryTools;

/**
 * The guarded endpoint's behaviour table through the Laravel stack: the
 * addon's routes and five middlewares on Laravel 8.83's HTTP kernel, tokens
 * and members made by the addon's artisan commands, rows on SQLite through
 * Laravel's query builder.
 */
final class BehaviourTest extends AdapterCase
{
    public function testNoCredentialIs401WithTheChallengeAndTheMetadataIsServed(): void
    {
        $this->boot();
        $r = $this->mcp(['id' => 1, 'method' => 'tools/list'], null);
        self::assertSame(401, $r['status'], $r['body']);
        self::assertSame('Bearer resource_metadata="https://localhost/.well-known/oauth-protected-resource/mcp/statamic"',
            $r['headers']->get('WWW-Authenticate'));
        $token = $this->token('u-ed', 'editor', 'discover,entries:read');
        $query = $this->mcp(['id' => 1, 'method' => 'tools/list'], null, [], self::MCP . '?access_token=' . rawurlencode($token));
        self::assertSame(401, $query['status'], 'a token in the query string is not a credential');
        $meta = $this->t->handle('GET', 'https://localhost/.well-known/oauth-protected-resource/mcp/statamic');
        self::assertSame(200, $meta->getStatusCode());
        self::assertSame('https://localhost/mcp/statamic', json_decode((string) $meta->getContent(), true)['resource']);
        $as = $this->t->handle('GET', 'https://localhost/.well-known/oauth-authorization-server');
        self::assertSame(200, $as->getStatusCode(), (string) $as->getContent());
        self::assertSame(['S256'], json_decode((string) $as->getContent(), true)['code_challenge_methods_supported']);
    }

    public function testAViewerListsAndReadsAndAWriteIs403InsufficientScope(): void
    {
        $this->boot(['policy' => EntryTools::manifest(true)]);
        $token = $this->token('u-vic', 'viewer', 'discover,entries:read');
        $list = $this->mcp(['id' => 1, 'method' => 'tools/list'], "Bearer {$token}");
        self::assertSame(200, $list['status'], $list['body']);
        self::assertSame(['entries.list'], array_column($list['json']['result']['tools'], 'name'));
        $read = $this->call('entries.list', [], "Bearer {$token}");
        self::assertSame(200, $read['status'], $read['body']);
        self::assertSame('Home', $read['json']['result']['structuredContent']['entries'][1]['title']);
        $write = $this->call('entries.update', ['id' => 'home', 'title' => 'Pwned'], "Bearer {$token}");
        self::assertSame(403, $write['status'], $write['body']);
        self::assertSame('Bearer error="insufficient_scope", scope="entries:write", resource_metadata='
            . '"https://localhost/.well-known/oauth-protected-resource/mcp/statamic"', $write['headers']->get('WWW-Authenticate'));
        self::assertSame('Home', $this->title('home'));
    }

    public function testAWriteIsRefusedWhileWritesAreOffAndRunsOnceOn(): void
    {
        $this->boot(); // the manifest of settings(): writes_enabled false
        $token = $this->token('u-ed', 'editor', 'discover,entries:read,entries:write');
        $off = $this->call('entries.update', ['id' => 'home', 'title' => 'New'], "Bearer {$token}");
        self::assertSame('writes_disabled', $off['json']['error']['data']['reason'] ?? null, $off['body']);
        self::assertSame('Home', $this->title('home'));
        $this->boot(['policy' => EntryTools::manifest(true)]);
        $token = $this->token('u-ed', 'editor', 'discover,entries:read,entries:write');
        $on = $this->call('entries.update', ['id' => 'home', 'title' => 'New'], "Bearer {$token}");
        self::assertFalse($on['json']['result']['isError'] ?? false, $on['body']);
        self::assertSame('New', $this->title('home'));
    }

    public function testABurstIs429WithRetryAfter(): void
    {
        $this->boot(['rate_limit' => ['max_attempts' => 3]]);
        $token = $this->token('u-ed', 'editor', 'discover,entries:read');
        $statuses = [];
        for ($i = 0; $i < 5; $i++) {
            $r = $this->mcp(['id' => $i, 'method' => 'tools/list'], "Bearer {$token}");
            $statuses[] = $r['status'];
        }
        self::assertSame([200, 200, 200, 429, 429], $statuses, 'rate_limit.max_attempts = 3 per minute');
        self::assertGreaterThanOrEqual(1, (int) $r['headers']->get('Retry-After'));
        self::assertMatchesRegularExpression('/^"mcp\.request";q=3;w=60$/', (string) $r['headers']->get('RateLimit-Policy'));
    }

    public function testARemovedMemberIs401OnTheNextRequest(): void
    {
        $this->boot();
        $token = $this->token('u-mal', 'editor', 'discover,entries:read');
        self::assertSame(200, $this->mcp(['id' => 1, 'method' => 'tools/list'], "Bearer {$token}")['status']);
        self::assertSame(0, $this->artisan('mcp-guard:member:remove', ['id' => 'u-mal'])[0]);
        $r = $this->mcp(['id' => 2, 'method' => 'tools/list'], "Bearer {$token}");
        self::assertSame(401, $r['status'], $r['body']);
        self::assertStringContainsString('error="invalid_token"', (string) $r['headers']->get('WWW-Authenticate'));
    }

    public function testADestructiveToolNeedsAConfirmationThatWorksOnce(): void
    {
        $this->boot(['policy' => EntryTools::manifest(true)]);
        $token = "Bearer " . $this->token('u-ed', 'editor', 'discover,entries:read,entries:write');
        $first = $this->call('entries.delete', ['id' => 'about'], $token);
        self::assertTrue($first['json']['result']['isError'], $first['body']);
        self::assertSame('About', $this->title('about'), 'nothing deleted without a confirmation');
        $confirmation = $first['json']['result']['structuredContent']['confirmation']['token'];
        $other = $this->call('entries.delete', ['id' => 'home', '_confirmation' => $confirmation], $token);
        self::assertTrue($other['json']['result']['isError'], 'bound to the arguments');
        self::assertSame('Home', $this->title('home'));
        $ok = $this->call('entries.delete', ['id' => 'about', '_confirmation' => $confirmation], $token);
        self::assertFalse($ok['json']['result']['isError'] ?? false, $ok['body']);
        self::assertNull($this->title('about'));
        $replay = $this->call('entries.delete', ['id' => 'about', '_confirmation' => $confirmation], $token);
        self::assertSame('confirmation_replayed', $replay['json']['result']['structuredContent']['refused'] ?? null, $replay['body']);
    }

    public function testBasicWorksForAStatamicUserWithControlPanelAccessOnly(): void
    {
        $this->boot();
        $this->artisan('mcp-guard:member:add', ['id' => 'u-ada', '--role' => 'viewer']);
        $this->artisan('mcp-guard:member:add', ['id' => 'u-bob', '--role' => 'editor']);
        $ada = $this->mcp(['id' => 1, 'method' => 'tools/list'], self::basic('ada@example.com', 'correct horse'));
        self::assertSame(200, $ada['status'], $ada['body']);
        self::assertSame(['entries.list'], array_column($ada['json']['result']['tools'], 'name'), "the viewer role's scopes");
        $wrong = $this->mcp(['id' => 1, 'method' => 'tools/list'], self::basic('ada@example.com', 'correct horsE'));
        self::assertSame(401, $wrong['status']);
        $noCp = $this->mcp(['id' => 1, 'method' => 'tools/list'], self::basic('bob@example.com', 'battery staple'));
        self::assertSame(401, $noCp['status'], 'a user without `access cp` is refused, member or not');
        $unknown = $this->mcp(['id' => 1, 'method' => 'tools/list'], self::basic('eve@example.com', 'correct horse'));
        self::assertSame(401, $unknown['status']);
        $this->artisan('mcp-guard:member:remove', ['id' => 'u-ada']);
        $removed = $this->mcp(['id' => 1, 'method' => 'tools/list'], self::basic('ada@example.com', 'correct horse'));
        self::assertSame(401, $removed['status'], 'a Statamic user who is not a member is refused');
    }

    public function testPlainHttpIsRefusedUnlessRequireHttpsIsOffAndTheClientIsLoopback(): void
    {
        $this->boot([], 'http://localhost');
        $token = "Bearer " . $this->token('u-ed', 'editor', 'discover,entries:read');
        $plain = $this->mcp(['id' => 1, 'method' => 'tools/list'], $token, [], 'http://localhost/mcp/statamic');
        self::assertSame(403, $plain['status'], $plain['body']);
        $this->boot(['web' => ['require_https' => false]], 'http://localhost');
        $token = "Bearer " . $this->token('u-ed', 'editor', 'discover,entries:read');
        $local = $this->mcp(['id' => 1, 'method' => 'tools/list'], $token, [], 'http://localhost/mcp/statamic');
        self::assertSame(200, $local['status'], $local['body']);
        $remote = $this->mcp(['id' => 1, 'method' => 'tools/list'], $token, [], 'http://localhost/mcp/statamic', ['REMOTE_ADDR' => '203.0.113.9']);
        self::assertSame(403, $remote['status'], 'require_https = false is loopback only');
    }

    public function testAllowedOriginsAnswerThePreflightAndOtherOriginsAreRefused(): void
    {
        $this->boot(['web' => ['allowed_origins' => ['https://app.example']]]);
        $pre = $this->t->handle('OPTIONS', self::MCP, ['Origin' => 'https://app.example', 'Access-Control-Request-Method' => 'POST',
            'Access-Control-Request-Headers' => 'authorization, content-type']);
        self::assertContains($pre->getStatusCode(), [200, 204]);
        self::assertSame('https://app.example', $pre->headers->get('Access-Control-Allow-Origin'));
        $token = "Bearer " . $this->token('u-ed', 'editor', 'discover,entries:read');
        $ok = $this->mcp(['id' => 1, 'method' => 'tools/list'], $token, ['Origin' => 'https://app.example']);
        self::assertSame(200, $ok['status'], $ok['body']);
        self::assertSame('https://app.example', $ok['headers']->get('Access-Control-Allow-Origin'));
        $evil = $this->mcp(['id' => 1, 'method' => 'tools/list'], $token, ['Origin' => 'https://evil.example']);
        self::assertSame(403, $evil['status']);
        self::assertNull($evil['headers']->get('Access-Control-Allow-Origin'));
    }

    public function testEveryRequestIsAuditedAndTheChainVerifies(): void
    {
        $this->boot();
        $token = "Bearer " . $this->token('u-ed', 'editor', 'discover,entries:read');
        $this->mcp(['id' => 1, 'method' => 'tools/list'], $token);
        $this->mcp(['id' => 1, 'method' => 'tools/list'], null);
        $db = $this->t->app['db']->connection();
        $types = $db->table('mcp_guard_audit_events')->orderBy('seq')->pluck('type')->all();
        self::assertContains('tool_listed', $types);
        self::assertContains('token_issued', $types);
        [$code, $out] = $this->artisan('mcp-guard:audit:verify', ['--no-progress' => true]);
        self::assertSame(0, $code, $out);
        $this->boot(['security' => ['audit_logging' => false]]);
        $token = "Bearer " . $this->token('u-ed', 'editor', 'discover,entries:read');
        $this->mcp(['id' => 1, 'method' => 'tools/list'], $token);
        self::assertSame(0, $this->t->app['db']->connection()->table('mcp_guard_audit_events')->count(), 'audit_logging = false');
    }

    public function testPlatformScopeNamesMapThroughTheManifestAliases(): void
    {
        // entries:read-style names are canonical (the other tests' tokens carry them); the addon's `*`
        // (full access) grants only what the configuration aliases it to.
        $this->boot(['scope_aliases' => ['*' => 'read']]);
        $token = 'Bearer ' . $this->token('u-vic', 'viewer', 'discover,*');
        $read = $this->call('entries.list', [], $token);
        self::assertFalse($read['json']['result']['isError'] ?? true, $read['body']);
        $this->boot();
        $token = 'Bearer ' . $this->token('u-vic', 'viewer', 'discover,*');
        $none = $this->call('entries.list', [], $token);
        self::assertSame(403, $none['status'], 'without the alias `*` grants nothing: ' . $none['body']);
    }

    public function testARepeatedAuthorizationHeaderIsNeverReadAsItsFirstValue(): void
    {
        $this->boot();
        $token = 'Bearer ' . $this->token('u-ed', 'editor', 'discover,entries:read');
        $request = static fn (): \Illuminate\Http\Request => \Illuminate\Http\Request::create(self::MCP, 'POST', [], [], [],
            ['CONTENT_TYPE' => 'application/json', 'HTTP_ACCEPT' => 'application/json, text/event-stream'], '{"jsonrpc":"2.0","id":1,"method":"tools/list"}');
        $twice = $request();
        $twice->headers->set('Authorization', [$token, 'Bearer mcp_other']);
        self::assertSame(401, $this->t->send($twice)->getStatusCode());
        $once = $request();
        $once->headers->set('Authorization', $token);
        self::assertSame(200, $this->t->send($once)->getStatusCode());
    }
}
