<?php

declare(strict_types=1);

namespace McpGuard\Tests\Server\Console;

require_once __DIR__ . '/ConsoleTestCase.php';

use McpGuard\Exception\InvalidTokenException;
use McpGuard\Server\Console\ExitCode;
use McpGuard\Server\Token\TokenRecord;

/** token:create, token:list, token:revoke, token:rotate against the real token store and the extension. */
final class TokenCommandsTest extends ConsoleTestCase
{
    protected function setUp(): void
    {
        parent::setUp();
        $this->ok('member:add', ['id' => 'alice', '--role' => 'viewer', '--name' => 'Alice']);
    }

    private function create(array $input = []): string
    {
        $t = $this->ok('token:create', ['member' => 'alice'] + $input);
        return $t->getDisplay();
    }

    private function reason(\Closure $call): string
    {
        try {
            $call();
        } catch (InvalidTokenException $e) {
            return $e->reason();
        }
        self::fail('the token was accepted');
    }

    public function testCreatePrintsTheTokenOnceAloneOnStdoutAndItAuthenticates(): void
    {
        $t = $this->ok('token:create', ['member' => 'alice', '--name' => 'laptop', '--ttl' => '30d']);
        $stdout = $t->getDisplay();
        self::assertMatchesRegularExpression('/^shop_[A-Za-z0-9]{16}_[A-Za-z0-9]+\n$/D', $stdout, 'the token and a newline, nothing else');
        $token = rtrim($stdout, "\n");
        self::assertStringNotContainsString($token, $t->getErrorOutput(), 'the token is printed once');
        self::assertStringContainsString('shown once', $t->getErrorOutput());

        $who = $this->tokenService()->authenticate('Bearer ' . $token, self::NOW + 60);
        self::assertSame('alice', $who->subject);
        self::assertSame(['discover', 'read'], $who->scopes, "the member's role's scopes (viewer)");
        $row = $this->pdo()->query('SELECT * FROM ' . self::TOKENS)->fetch(\PDO::FETCH_ASSOC);
        self::assertSame(self::NOW + 30 * 86400, (int) $row['expires_at']);
        self::assertSame('laptop', $row['name']);
        self::assertStringNotContainsString(substr($token, 22), json_encode($row, JSON_THROW_ON_ERROR), 'only a hash is stored');
        self::assertStringStartsWith('hmac-sha256', (string) $row['hash'], 'hashed with the configured pepper');
        // Past its lifetime the extension refuses it.
        self::assertSame('expired', $this->reason(fn () => $this->tokenService()->authenticate('Bearer ' . $token, self::NOW + 30 * 86400)));
    }

    public function testScopesComeFromScopesOrARoleNeverBoth(): void
    {
        $token = rtrim($this->create(['--scopes' => 'read, products:write']), "\n");
        self::assertSame(['read', 'products:write'], $this->tokenService()->authenticate('Bearer ' . $token, self::NOW)->scopes);
        $token = rtrim($this->create(['--role' => 'editor']), "\n");
        self::assertSame(['discover', 'read', 'write'], $this->tokenService()->authenticate('Bearer ' . $token, self::NOW)->scopes);

        self::assertRefused($this->command('token:create', ['member' => 'alice', '--scopes' => 'read', '--role' => 'viewer']), ExitCode::INVALID, 'not both');
        self::assertRefused($this->command('token:create', ['member' => 'alice', '--role' => 'admin']), ExitCode::INVALID, "Unknown role 'admin'");
        self::assertRefused($this->command('token:create', ['member' => 'alice', '--scopes' => ' , ']), ExitCode::INVALID, 'no scope');
        self::assertRefused($this->command('token:create', ['member' => 'alice', '--scopes' => 'read "x"']), ExitCode::INVALID, 'scope-token');
        self::assertCount(2, $this->rows(), 'the refusals stored nothing');
    }

    public function testCreateRefusesAnUnknownMemberABadLifetimeAndABadName(): void
    {
        self::assertRefused($this->command('token:create', ['member' => 'mallory']), ExitCode::INVALID, "No member 'mallory'");
        self::assertRefused($this->command('token:create', ['member' => 'alice', '--ttl' => '-5']), ExitCode::INVALID, '--ttl must be a duration');
        self::assertRefused($this->command('token:create', ['member' => 'alice', '--ttl' => '1y']), ExitCode::INVALID, '--ttl must be a duration');
        self::assertRefused($this->command('token:create', ['member' => 'alice', '--ttl' => '400d']), ExitCode::INVALID, 'lifetime_exceeds_maximum');
        self::assertRefused($this->command('token:create', ['member' => 'alice', '--name' => "a\x1b[2Jb"]), ExitCode::INVALID, 'token name');
        self::assertRefused($this->command('token:create', ['member' => "alice\xff"]), ExitCode::INVALID, 'not UTF-8');
        self::assertSame([], $this->rows(), 'nothing stored');
    }

    public function testListShowsEveryRowButNeverAHashOrASecret(): void
    {
        $first = rtrim($this->create(['--name' => 'one']), "\n");
        $this->now += 10;
        $second = rtrim($this->create(['--name' => 'two']), "\n");
        $rows = $this->rows();
        $table = $this->ok('token:list')->getDisplay();
        $json = $this->ok('token:list', ['--format' => 'json'])->getDisplay();
        foreach ([$first, $second] as $token) {
            foreach ([$table, $json] as $out) {
                self::assertStringNotContainsString(substr($token, 22, 20), $out, 'no secret');
            }
        }
        foreach ($rows as $row) {
            self::assertStringNotContainsString($row->hash, $table . $json, 'no hash');
            self::assertStringContainsString($row->publicId, $table);
        }
        $list = json_decode($json, true, 8, JSON_THROW_ON_ERROR);
        self::assertSame(['public_id', 'member', 'name', 'scopes', 'created_at', 'expires_at', 'revoked_at'], array_keys($list[0]));
        self::assertSame(['two', 'one'], array_column($list, 'name'), 'newest first');
        self::assertSame(self::NOW + 10, $list[0]['created_at']);
        self::assertStringContainsString('2027-01-15 08:00:10Z', $table, 'times as UTC dates in the table');
        self::assertSame([], json_decode($this->ok('token:list', ['--member' => 'bob', '--format' => 'json'])->getDisplay(), true));
        self::assertRefused($this->command('token:list', ['--format' => 'xml']), ExitCode::INVALID, '--format');
    }

    public function testStoredTextIsShownAsTextNeverAsTerminalControlOrStyle(): void
    {
        // A row written by someone else (the host, an import): the name is not checked on the way in.
        $this->tokenService(); // creates the table
        $store = new \McpGuard\Server\Token\PdoTokenStore($this->pdo(), self::TOKENS);
        $store->save(new TokenRecord('AAAAAAAAAAAAAAAA', 'sha256:x', 'alice', ['read'], "\x1b]0;pwned\x07<error>red</error>\u{202E}", self::NOW, null));
        $table = $this->ok('token:list')->getDisplay();
        self::assertStringNotContainsString("\x1b", $table);
        self::assertStringNotContainsString("\x07", $table);
        self::assertStringNotContainsString("\u{202E}", $table);
        self::assertStringContainsString('\x1b]0;pwned\x07<error>red</error>\xe2\x80\xae', $table, 'shown literally');
    }

    public function testRevokeStopsTheTokenAtOnce(): void
    {
        $token = rtrim($this->create(), "\n");
        $id = $this->rows()[0]->publicId;
        $t = $this->ok('token:revoke', ['publicId' => $id]);
        self::assertSame('', $t->getDisplay());
        self::assertStringContainsString("Token {$id} of 'alice' is revoked", $t->getErrorOutput());
        self::assertSame('revoked', $this->reason(fn () => $this->tokenService()->authenticate('Bearer ' . $token, self::NOW + 1)));
        self::assertStringContainsString('revoked already', $this->ok('token:revoke', ['publicId' => $id])->getErrorOutput());

        self::assertRefused($this->command('token:revoke', ['publicId' => 'ZZZZZZZZZZZZZZZZ']), ExitCode::INVALID, 'No token with the public id');
        self::assertRefused($this->command('token:revoke', ['publicId' => 'has space']), ExitCode::INVALID, 'malformed');
        self::assertRefused($this->command('token:revoke', ['publicId' => str_repeat('A', 65)]), ExitCode::INVALID, 'malformed');
    }

    public function testRotatePrintsTheSuccessorOnceAndTheOldTokenWorksForTheOverlapOnly(): void
    {
        $old = rtrim($this->create(['--name' => 'ci']), "\n");
        $id = $this->rows()[0]->publicId;
        $t = $this->ok('token:rotate', ['publicId' => $id, '--overlap' => '1h']);
        self::assertMatchesRegularExpression('/^shop_[A-Za-z0-9]{16}_[A-Za-z0-9]+\n$/D', $t->getDisplay());
        $new = rtrim($t->getDisplay(), "\n");
        self::assertNotSame($old, $new);
        self::assertStringNotContainsString($new, $t->getErrorOutput());
        self::assertStringContainsString('2027-01-15 09:00:00Z', $t->getErrorOutput(), 'when the old one stops');

        $svc = $this->tokenService();
        $who = $svc->authenticate('Bearer ' . $new, self::NOW + 3600);
        self::assertSame(['alice', ['discover', 'read']], [$who->subject, $who->scopes], 'same member and scopes');
        self::assertSame('alice', $svc->authenticate('Bearer ' . $old, self::NOW + 3599)->subject, 'in the overlap');
        self::assertSame('expired', $this->reason(fn () => $svc->authenticate('Bearer ' . $old, self::NOW + 3600)));

        $this->ok('token:revoke', ['publicId' => $id]);
        self::assertRefused($this->command('token:rotate', ['publicId' => $id]), ExitCode::INVALID, 'revoked');
        self::assertRefused($this->command('token:rotate', ['publicId' => 'ZZZZZZZZZZZZZZZZ']), ExitCode::INVALID, 'No token');
        self::assertRefused($this->command('token:rotate', ['publicId' => $id, '--overlap' => '1w']), ExitCode::INVALID, '--overlap');
        self::assertCount(2, $this->rows());
    }

    /** @return list<TokenRecord> */
    private function rows(): array
    {
        $store = new \McpGuard\Server\Token\PdoTokenStore($this->pdo(), self::TOKENS);
        $store->createTable();
        return $store->all();
    }
}
