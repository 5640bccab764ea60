<?php

declare(strict_types=1);

namespace McpGuard\Tests\Server\Console;

require_once __DIR__ . '/ConsoleTestCase.php';

use McpGuard\Server\Console\ExitCode;
use McpGuard\Server\Http\Request;
use McpGuard\Server\Member\MemberRoles;
use McpGuard\Server\Member\PdoMemberStore;
use McpGuard\Server\OAuth\Member\Member;
use McpGuard\Server\OAuth\Member\MemberDirectory;
use McpGuard\Server\OAuth\OAuthConfig;
use McpGuard\Server\OAuth\OAuthStores;
use McpGuard\Server\OAuth\Resource\AccessTokenAuthenticator;
use McpGuard\Server\OAuth\Resource\AccessTokenRefused;
use McpGuard\Server\OAuth\Store\AccessTokenRecord;
use McpGuard\Server\OAuth\Store\FamilyRecord;
use McpGuard\Tokens;

/** member:add, member:remove, member:list, and what a removal does to the member's tokens. */
final class MemberCommandsTest extends ConsoleTestCase
{
    public function testAddListAndChangeARole(): void
    {
        $t = $this->ok('member:add', ['id' => 'alice', '--role' => 'viewer', '--name' => 'Alice <b>']);
        self::assertSame('', $t->getDisplay(), 'messages go to stderr');
        self::assertStringContainsString("Member 'alice' added as viewer.", $t->getErrorOutput());
        $this->ok('member:add', ['id' => 'bob', '--role' => 'editor']);
        $this->now += 5;
        self::assertStringContainsString('is now editor (was viewer)', $this->ok('member:add', ['id' => 'alice', '--role' => 'editor', '--name' => 'Alice'])->getErrorOutput());

        $list = json_decode($this->ok('member:list', ['--format' => 'json'])->getDisplay(), true, 4, JSON_THROW_ON_ERROR);
        self::assertSame([
            ['id' => 'alice', 'role' => 'editor', 'name' => 'Alice', 'created_at' => self::NOW],
            ['id' => 'bob', 'role' => 'editor', 'name' => '', 'created_at' => self::NOW],
        ], $list, 'by id; the first creation time is kept');
        $table = $this->ok('member:list')->getDisplay();
        self::assertMatchesRegularExpression('/\| alice +\| editor +\| Alice +\| 2027-01-15 08:00:00Z +\|/', $table);
        self::assertSame('editor', (new PdoMemberStore($this->database()))->role('alice'));
    }

    public function testRolesAreThePolicysAndOnlyThose(): void
    {
        self::assertRefused($this->command('member:add', ['id' => 'alice', '--role' => 'admin']), ExitCode::INVALID, '--role must be one of: editor, viewer.');
        self::assertRefused($this->command('member:add', ['id' => 'alice']), ExitCode::INVALID, '--role must be one of');
        file_put_contents($this->dir . '/policy.json', json_encode(['version' => 1, 'tools' => [], 'roles' => ['catalog' => ['discover', 'read', 'products:write']]]));
        $this->writeConfig(['policy' => 'policy.json']);
        $this->ok('member:add', ['id' => 'carol', '--role' => 'catalog']);
        $this->ok('member:add', ['id' => 'carol2', '--role' => 'viewer']);
        $token = rtrim($this->ok('token:create', ['member' => 'carol'])->getDisplay(), "\n");
        self::assertSame(['discover', 'read', 'products:write'], $this->tokenService()->authenticate('Bearer ' . $token, self::NOW)->scopes, "the manifest role's scopes");
        self::assertSame(['carol', 'carol2'], array_map(fn ($m) => $m->id, (new PdoMemberStore($this->database()))->list()), 'nothing else was stored');
    }

    public function testBadIdsAndNamesAreRefusedAndNothingIsStored(): void
    {
        foreach (["al\nice", "al\x00ice", str_repeat('m', 192)] as $bad) {
            self::assertRefused($this->command('member:add', ['id' => $bad, '--role' => 'viewer']), ExitCode::INVALID, 'member id is not acceptable');
        }
        self::assertRefused($this->command('member:add', ['id' => "\xC3\x28", '--role' => 'viewer']), ExitCode::INVALID, 'not UTF-8');
        self::assertRefused($this->command('member:add', ['id' => 'alice', '--role' => 'viewer', '--name' => "x\x1b[2J"]), ExitCode::INVALID, 'member name');
        self::assertSame('[]', trim($this->ok('member:list', ['--format' => 'json'])->getDisplay()));
    }

    public function testRemoveSaysTheTokensStopAndRefusesAnUnknownMember(): void
    {
        $this->ok('member:add', ['id' => 'alice', '--role' => 'viewer']);
        $this->ok('token:create', ['member' => 'alice']);
        $t = $this->ok('member:remove', ['id' => 'alice']);
        self::assertStringContainsString("Member 'alice' removed.", $t->getErrorOutput());
        self::assertStringContainsString('1 API token(s) not revoked', $t->getErrorOutput());
        self::assertStringContainsString('stop working on the next request', $t->getErrorOutput());
        self::assertNull((new PdoMemberStore($this->database()))->role('alice'));
        self::assertRefused($this->command('member:remove', ['id' => 'alice']), ExitCode::INVALID, "No member 'alice'.");
        self::assertRefused($this->command('token:create', ['member' => 'alice']), ExitCode::INVALID, "No member 'alice'");
    }

    /**
     * The server's principal check: an API token → its member → the role in
     * the store the CLI writes. The token row is untouched by member:remove;
     * the member lookup is what refuses it.
     */
    public function testARemovedMembersApiTokenNoLongerYieldsAPrincipal(): void
    {
        $this->ok('member:add', ['id' => 'alice', '--role' => 'editor']);
        $token = rtrim($this->ok('token:create', ['member' => 'alice'])->getDisplay(), "\n");
        $principal = function () use ($token): ?string {
            $who = $this->tokenService()->authenticate('Bearer ' . $token, self::NOW);
            $roles = new PdoMemberStore($this->database()); // a fresh one per request, as the server builds it
            return $roles->role($who->subject);
        };
        self::assertSame('editor', $principal());
        $this->ok('member:remove', ['id' => 'alice']);
        self::assertNull($principal(), 'no role: refused on the next request');
        $this->ok('member:add', ['id' => 'alice', '--role' => 'viewer']);
        self::assertSame('viewer', $principal(), 'the role is read on every request');
    }

    /** The OAuth resource check (AccessTokenAuthenticator) with the CLI's members list as its MemberDirectory. */
    public function testARemovedMembersOAuthAccessTokenIsRefusedOnTheNextRequest(): void
    {
        $this->ok('member:add', ['id' => 'alice', '--role' => 'viewer']);
        $db = $this->database();
        $stores = OAuthStores::pdo($db);
        $config = new OAuthConfig(issuer: 'https://shop.example', resource: 'https://shop.example/mcp', scopes: ['discover', 'read']);
        $stores->families->open(new FamilyRecord('fam-1', 'alice', 'cid:1', 'http://127.0.0.1/cb', ['read'], 'https://shop.example/mcp', self::NOW));
        $tokens = new Tokens('mcpat');
        $issued = $tokens->issue(3600, self::NOW);
        $stores->accessTokens->save(new AccessTokenRecord($issued->publicId(), $issued->hash(), 'fam-1', 'alice', 'cid:1', ['read'],
            'https://shop.example/mcp', self::NOW, self::NOW + 3600));
        $members = new class (new PdoMemberStore($db)) implements MemberDirectory {
            public function __construct(private readonly MemberRoles $roles)
            {
            }

            public function current(Request $request): ?Member
            {
                return null;
            }

            public function loginUrl(Request $request): string
            {
                return '/login';
            }

            public function role(string $memberId): ?string
            {
                return $this->roles->role($memberId);
            }
        };
        $auth = new AccessTokenAuthenticator($config, $stores->accessTokens, $members, $tokens, fn (): int => self::NOW + 1);
        $who = $auth->authenticate('Bearer ' . $issued->plaintext());
        self::assertSame(['alice', 'viewer'], [$who->memberId, $who->role]);

        $this->ok('member:remove', ['id' => 'alice']);
        try {
            $auth->authenticate('Bearer ' . $issued->plaintext());
            self::fail('a removed member was let in');
        } catch (AccessTokenRefused $e) {
            self::assertSame('member_removed', $e->why());
        }
    }
}
