<?php

declare(strict_types=1);

namespace McpGuard\Tests\Server\Console;

require_once __DIR__ . '/ConsoleTestCase.php';

use McpGuard\Server\Console\ExitCode;
use McpGuard\Server\OAuth\Client\ClientResolver;
use McpGuard\Server\OAuth\OAuthStores;
use McpGuard\Server\OAuth\Store\AccessTokenRecord;
use McpGuard\Server\OAuth\Store\ClientRecord;
use McpGuard\Server\OAuth\Store\FamilyRecord;
use McpGuard\Server\OAuth\Store\GrantRecord;
use McpGuard\Server\OAuth\Store\RefreshTokenRecord;

/** client:list and client:revoke on the OAuth stores the endpoints use. */
final class ClientCommandsTest extends ConsoleTestCase
{
    private const CURSOR = 'mcpc_cursor0000000000000000';
    private const OTHER = 'https://app.example/client.json';

    private OAuthStores $stores;

    protected function setUp(): void
    {
        parent::setUp();
        $this->stores = OAuthStores::pdo($this->database());
        foreach ([self::CURSOR => ClientRecord::REGISTERED, self::OTHER => ClientRecord::METADATA_DOCUMENT] as $id => $kind) {
            $key = ClientResolver::key($id);
            $this->stores->clients->save(new ClientRecord($key, $id, $kind, '{"client_name":"x"}', null, self::NOW, null, self::NOW + 5, self::NOW + 1));
            foreach (['alice', 'bob'] as $i => $member) {
                $this->stores->grants->save(new GrantRecord($member, $key, 'http://127.0.0.1/cb', ['read'], self::NOW, self::NOW));
                $family = substr($key, 4, 20) . "-{$member}";
                $this->stores->families->open(new FamilyRecord($family, $member, $key, 'http://127.0.0.1/cb', ['read'], 'https://shop.example/mcp', self::NOW));
                $this->stores->refreshTokens->save(new RefreshTokenRecord("r{$i}" . substr($key, 4, 10), 'sha256:r', $family, null, self::NOW, self::NOW + 86400));
                $this->stores->accessTokens->save(new AccessTokenRecord("a{$i}" . substr($key, 4, 10), 'sha256:a', $family, $member, $key, ['read'],
                    'https://shop.example/mcp', self::NOW, self::NOW + 3600));
            }
        }
        $this->stores->grants->save(new GrantRecord('alice', ClientResolver::key(self::CURSOR), 'http://127.0.0.1/other', ['read', 'write'], self::NOW, self::NOW));
    }

    protected function tearDown(): void
    {
        unset($this->stores);
        parent::tearDown();
    }

    public function testListShowsEveryClientWithItsGrants(): void
    {
        $json = json_decode($this->ok('client:list', ['--format' => 'json'])->getDisplay(), true, 8, JSON_THROW_ON_ERROR);
        self::assertSame([self::OTHER, self::CURSOR], array_column($json, 'client_id'), 'by client id');
        self::assertSame(['client_id', 'kind', 'created_at', 'last_used_at', 'consented_at', 'grants'], array_keys($json[0]));
        self::assertSame([
            ['member' => 'alice', 'redirect_uri' => 'http://127.0.0.1/cb', 'scopes' => ['read'], 'created_at' => self::NOW, 'updated_at' => self::NOW],
            ['member' => 'alice', 'redirect_uri' => 'http://127.0.0.1/other', 'scopes' => ['read', 'write'], 'created_at' => self::NOW, 'updated_at' => self::NOW],
            ['member' => 'bob', 'redirect_uri' => 'http://127.0.0.1/cb', 'scopes' => ['read'], 'created_at' => self::NOW, 'updated_at' => self::NOW],
        ], $json[1]['grants']);
        self::assertSame([self::NOW + 5, self::NOW + 1, 'registered'], [$json[1]['last_used_at'], $json[1]['consented_at'], $json[1]['kind']]);
        $table = $this->ok('client:list')->getDisplay();
        self::assertStringContainsString('alice: read write -> http://127.0.0.1/other', $table);
        self::assertStringContainsString(self::CURSOR, $table);
        self::assertStringNotContainsString('sha256:', $table . json_encode($json), 'no hash');
    }

    public function testRevokeRemovesTheGrantsAndRevokesTheTokensOfThatClientOnly(): void
    {
        $key = ClientResolver::key(self::CURSOR);
        $t = $this->ok('client:revoke', ['client' => self::CURSOR]);
        self::assertSame('', $t->getDisplay());
        self::assertStringContainsString('3 grant(s) removed, 2 token family(ies) revoked', $t->getErrorOutput());
        self::assertSame([], $this->stores->grants->forClient($key));
        foreach (['0', '1'] as $i) {
            self::assertSame(self::NOW, $this->stores->accessTokens->find("a{$i}" . substr($key, 4, 10))?->revokedAt, 'access token revoked');
            self::assertSame(self::NOW, $this->stores->refreshTokens->find("r{$i}" . substr($key, 4, 10))?->revokedAt, 'refresh token revoked');
        }
        self::assertNotNull($this->stores->clients->find($key), 'the client stays without --delete');

        $other = ClientResolver::key(self::OTHER);
        self::assertCount(2, $this->stores->grants->forClient($other), 'another client is untouched');
        self::assertNull($this->stores->accessTokens->find('a0' . substr($other, 4, 10))?->revokedAt);
        self::assertStringContainsString('0 grant(s) removed, 0 token family(ies)', $this->ok('client:revoke', ['client' => self::CURSOR])->getErrorOutput(), 'idempotent');

        self::assertStringContainsString('the client is deleted', $this->ok('client:revoke', ['client' => self::OTHER, '--delete' => true])->getErrorOutput());
        self::assertNull($this->stores->clients->find($other));
        self::assertSame(self::NOW, $this->stores->accessTokens->find('a0' . substr($other, 4, 10))?->revokedAt);
    }

    public function testRevokeRefusesAnUnknownClient(): void
    {
        self::assertRefused($this->command('client:revoke', ['client' => 'mcpc_nobody']), ExitCode::INVALID, "No OAuth client 'mcpc_nobody'");
        self::assertRefused($this->command('client:revoke', ['client' => ClientResolver::key(self::CURSOR)]), ExitCode::INVALID, 'No OAuth client');
        self::assertCount(3, $this->stores->grants->forClient(ClientResolver::key(self::CURSOR)));
    }
}
