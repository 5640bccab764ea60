<?php

declare(strict_types=1);

namespace McpGuard\Tests\Server\Console;

require_once dirname(__DIR__) . '/OAuth/OAuthStoreTestCase.php';

use McpGuard\Exception\InvalidArgumentException;
use McpGuard\Server\Member\PdoMemberStore;
use McpGuard\Server\OAuth\OAuthStores;
use McpGuard\Server\OAuth\Store\AccessTokenRecord;
use McpGuard\Server\OAuth\Store\ClientRecord;
use McpGuard\Server\OAuth\Store\FamilyRecord;
use McpGuard\Server\OAuth\Store\GrantRecord;
use McpGuard\Server\Token\PdoTokenStore;
use McpGuard\Server\Token\TokenRecord;
use McpGuard\Tests\Server\OAuth\OAuthStoreTestCase;

/**
 * The store methods the admin CLI added (the members list, listings, a
 * client's revocation), on SQLite and, under tests/db/mariadb.sh, MariaDB.
 */
final class AdminStoreMethodsTest extends OAuthStoreTestCase
{
    public function testTheMembersListComparesIdsByteForByte(): void
    {
        $members = new PdoMemberStore($this->db);
        self::assertNull($members->role('alice'));
        $members->add('alice', 'viewer', 'Alice', self::NOW);
        $members->add('Zoë', 'editor', null, self::NOW);
        self::assertSame('viewer', $members->role('alice'));
        foreach (['alice ', 'ALICE', 'Alice', 'alic', 'alice%', 'Zoe'] as $near) {
            self::assertNull($members->role($near), "'{$near}' is not 'alice'");
        }
        $members->add('alice', 'editor', 'A.', self::NOW + 9);
        self::assertSame(['Zoë', 'alice'], array_map(fn ($m) => $m->id, $members->list()));
        $alice = $members->find('alice');
        self::assertSame(['editor', 'A.', self::NOW], [$alice?->role, $alice?->name, $alice?->createdAt], 'role and name replaced, creation kept');
        self::assertTrue($members->remove('alice'));
        self::assertFalse($members->remove('alice'));
        self::assertNull($members->role('alice'));
        foreach ([['', 'viewer'], ["a\tb", 'viewer'], ['a', ''], ['a', 'vie wer'], [str_repeat('x', 192), 'viewer']] as [$id, $role]) {
            try {
                $members->add($id, $role);
                self::fail('stored ' . json_encode([$id, $role]));
            } catch (InvalidArgumentException) {
            }
        }
        self::assertCount(1, $members->list(), 'nothing stored half-way');
    }

    public function testTokenStoreListsEveryRowNewestFirst(): void
    {
        $store = new PdoTokenStore($this->pdo, self::PREFIX . 'tokens');
        $store->createTable();
        try {
            $store->save(new TokenRecord('BBBBBBBBBBBBBBBB', 'sha256:b', 'bob', ['read'], '', self::NOW, null));
            $store->save(new TokenRecord('AAAAAAAAAAAAAAAA', 'sha256:a', 'alice', ['read'], '', self::NOW + 1, null));
            $store->save(new TokenRecord('CCCCCCCCCCCCCCCC', 'sha256:c', 'alice', ['read'], '', self::NOW, self::NOW + 5, self::NOW + 2));
            self::assertSame(['AAAAAAAAAAAAAAAA', 'BBBBBBBBBBBBBBBB', 'CCCCCCCCCCCCCCCC'], array_map(fn ($r) => $r->publicId, $store->all()));
            self::assertSame(self::NOW + 2, $store->all()[2]->revokedAt);
        } finally {
            $this->pdo->exec('DROP TABLE IF EXISTS ' . self::PREFIX . 'tokens');
        }
    }

    public function testAClientsGrantsAreListedAndItsFamiliesRevokedWhoeverTheMember(): void
    {
        $s = OAuthStores::pdo($this->db);
        foreach (['cid:b' => 'https://b.example/c.json', 'cid:a' => 'mcpc_a'] as $key => $id) {
            $s->clients->save(new ClientRecord($key, $id, ClientRecord::REGISTERED, '{}', null, self::NOW));
            foreach (['alice', 'bob'] as $m) {
                $s->grants->save(new GrantRecord($m, $key, 'http://127.0.0.1/cb', ['read'], self::NOW, self::NOW));
                $s->families->open(new FamilyRecord("{$key}-{$m}", $m, $key, 'http://127.0.0.1/cb', ['read'], 'https://shop.example/mcp', self::NOW));
                $s->accessTokens->save(new AccessTokenRecord(substr(md5("{$key}{$m}"), 0, 16), 'sha256:x', "{$key}-{$m}", $m, $key, ['read'],
                    'https://shop.example/mcp', self::NOW, self::NOW + 60));
            }
        }
        self::assertSame(['https://b.example/c.json', 'mcpc_a'], array_map(fn ($c) => $c->clientId, $s->clients->all()));
        self::assertSame([['alice', 'cid:a'], ['bob', 'cid:a']], array_map(fn ($g) => [$g->memberId, $g->clientKey], $s->grants->forClient('cid:a')));
        self::assertSame([], $s->grants->forClient('cid:'));

        self::assertSame(2, $s->families->revokeClient('cid:a', self::NOW + 1));
        self::assertSame(0, $s->families->revokeClient('cid:a', self::NOW + 2), 'revocation times already set are kept');
        foreach (['alice', 'bob'] as $m) {
            self::assertSame(self::NOW + 1, $s->families->find("cid:a-{$m}")?->revokedAt);
            self::assertSame(self::NOW + 1, $s->accessTokens->find(substr(md5("cid:a{$m}"), 0, 16))?->revokedAt);
            self::assertNull($s->families->find("cid:b-{$m}")?->revokedAt, 'the other client is untouched');
            self::assertNull($s->accessTokens->find(substr(md5("cid:b{$m}"), 0, 16))?->revokedAt);
        }
    }
}
