<?php

declare(strict_types=1);

namespace McpGuard\Tests\Server\OAuth;

require_once __DIR__ . '/OAuthStoreTestCase.php';

use McpGuard\Server\OAuth\Pdo\PdoAccessTokenStore;
use McpGuard\Server\OAuth\Pdo\PdoFamilyStore;
use McpGuard\Server\OAuth\Pdo\PdoRefreshTokenStore;
use McpGuard\Server\OAuth\StorageException;
use McpGuard\Server\OAuth\Store\AccessTokenRecord;
use McpGuard\Server\OAuth\Store\RefreshTokenRecord;
use McpGuard\Tokens;

/** Families, and the access and refresh tokens a family's revocation reaches. */
final class FamilyStoreTest extends OAuthStoreTestCase
{
    private PdoFamilyStore $families;
    private PdoRefreshTokenStore $refresh;
    private PdoAccessTokenStore $access;

    protected function setUp(): void
    {
        parent::setUp();
        $this->families = new PdoFamilyStore($this->db);
        $this->refresh = new PdoRefreshTokenStore($this->db);
        $this->access = new PdoAccessTokenStore($this->db);
    }

    public function testOpenOnceAndFind(): void
    {
        $f = self::family();
        self::assertTrue($this->families->open($f));
        self::assertFalse($this->families->open(self::family(member: 'someone-else')), 'an existing family is never replaced');
        self::assertEquals($f, $this->families->find('fam-1'));
        self::assertNull($this->families->find('fam-2'));
    }

    public function testRevokingAFamilyRevokesAllItsTokensAndOnlyThem(): void
    {
        $this->families->open(self::family());
        $this->families->open(self::family('fam-2'));
        $this->refresh->save(self::refresh('r1'));
        $this->access->save(self::access('a1'));
        $this->access->save(self::access('a2'));
        $this->refresh->save(self::refresh('other-r', 'fam-2'));
        $this->access->save(self::access('other-a', 'fam-2'));

        $this->families->revoke('fam-1', self::NOW + 10);
        self::assertSame(self::NOW + 10, $this->families->find('fam-1')?->revokedAt);
        self::assertSame(self::NOW + 10, $this->refresh->find('r1')?->revokedAt);
        self::assertSame(self::NOW + 10, $this->access->find('a1')?->revokedAt);
        self::assertSame(self::NOW + 10, $this->access->find('a2')?->revokedAt);
        self::assertNull($this->refresh->find('other-r')?->revokedAt);
        self::assertNull($this->access->find('other-a')?->revokedAt);

        $this->families->revoke('fam-1', self::NOW + 99);
        self::assertSame(self::NOW + 10, $this->families->find('fam-1')?->revokedAt, 'idempotent, the first time is kept');
        self::assertSame(self::NOW + 10, $this->access->find('a1')?->revokedAt);
    }

    public function testATokenWrittenAfterItsFamilysRevocationIsRevokedToo(): void
    {
        $this->families->open(self::family());
        $this->families->revoke('fam-1', self::NOW + 5);
        $this->access->save(self::access('late-a'));
        $this->refresh->save(self::refresh('late-r'));
        self::assertSame(self::NOW + 5, $this->access->find('late-a')?->revokedAt);
        self::assertSame(self::NOW + 5, $this->refresh->find('late-r')?->revokedAt);
    }

    public function testARevocationBeforeTheOpeningWinsTheRace(): void
    {
        // A replayed code revokes its family while the first redemption has not opened it yet.
        $this->families->revoke('fam-1', self::NOW + 1);
        self::assertNull($this->families->find('fam-1'), 'a placeholder is not a family');
        self::assertFalse($this->families->open(self::family()), 'the late opening fails: no token is issued');
        $this->access->save(self::access('a'));
        self::assertSame(self::NOW + 1, $this->access->find('a')?->revokedAt);
    }

    public function testTheEarlierOfTokenAndFamilyRevocationIsReported(): void
    {
        $this->families->open(self::family());
        $this->access->save(self::access('a'));
        self::assertTrue($this->access->revoke('a', self::NOW + 3));
        self::assertTrue($this->access->revoke('a', self::NOW + 4), 'a second revocation is not an error');
        self::assertSame(self::NOW + 3, $this->access->find('a')?->revokedAt);
        $this->families->revoke('fam-1', self::NOW + 7);
        self::assertSame(self::NOW + 3, $this->access->find('a')?->revokedAt);
        self::assertFalse($this->access->revoke('missing', self::NOW));
        // The family first, then a late token of it revoked on its own.
        $this->access->save(self::access('late'));
        $this->access->revoke('late', self::NOW + 9);
        self::assertSame(self::NOW + 7, $this->access->find('late')?->revokedAt);
    }

    public function testRevokeForAMemberAndClientOrAMember(): void
    {
        $this->families->open(self::family('f-a1', 'alice', 'client-1'));
        $this->families->open(self::family('f-a1b', 'alice', 'client-1'));
        $this->families->open(self::family('f-a2', 'alice', 'client-2'));
        $this->families->open(self::family('f-b1', 'bob', 'client-1'));
        foreach (['f-a1', 'f-a1b', 'f-a2', 'f-b1'] as $f) {
            $this->access->save(self::access("a-{$f}", $f));
            $this->refresh->save(self::refresh("r-{$f}", $f));
        }
        self::assertSame(2, $this->families->revokeFor('alice', 'client-1', self::NOW + 1));
        self::assertSame(0, $this->families->revokeFor('alice', 'client-1', self::NOW + 2));
        foreach (['f-a1' => true, 'f-a1b' => true, 'f-a2' => false, 'f-b1' => false] as $f => $revoked) {
            self::assertSame($revoked, $this->access->find("a-{$f}")?->revokedAt !== null, $f);
            self::assertSame($revoked, $this->refresh->find("r-{$f}")?->revokedAt !== null, $f);
        }
        self::assertSame(1, $this->families->revokeFor('alice', null, self::NOW + 3));
        self::assertNotNull($this->access->find('a-f-a2')?->revokedAt);
        self::assertNull($this->access->find('a-f-b1')?->revokedAt, 'another member is untouched');
    }

    public function testTokensWithoutAFamilyRowAreNotFound(): void
    {
        $this->access->save(self::access('orphan-a', 'never-opened'));
        $this->refresh->save(self::refresh('orphan-r', 'never-opened'));
        self::assertNull($this->access->find('orphan-a'));
        self::assertNull($this->refresh->find('orphan-r'));
    }

    public function testTokenRowsAreInsertedOnceAndRoundTrip(): void
    {
        $this->families->open(self::family());
        $a = self::access('a');
        $this->access->save($a);
        self::assertEquals($a, $this->access->find('a'));
        $r = self::refresh('r');
        $this->refresh->save($r);
        self::assertEquals($r, $this->refresh->find('r'));
        foreach ([fn () => $this->access->save($a), fn () => $this->refresh->save($r)] as $again) {
            try {
                $again();
                self::fail('a second insert of the same public id succeeded');
            } catch (StorageException $e) {
                self::assertTrue($e->isConflict());
            }
        }
    }

    public function testOnlyHashesOfRealTokensAreStored(): void
    {
        $tokens = new Tokens();
        $this->families->open(self::family());
        $at = $tokens->issue(3600, self::NOW);
        $rt = $tokens->issue(86400, self::NOW);
        $this->access->save(new AccessTokenRecord($at->publicId(), $at->hash(), 'fam-1', 'm', 'c', ['mcp.read'], 'https://shop.example/mcp', self::NOW, (int) $at->expiresAt()));
        $this->refresh->save(new RefreshTokenRecord($rt->publicId(), $rt->hash(), 'fam-1', null, self::NOW, (int) $rt->expiresAt()));
        $bytes = $this->storedBytes();
        foreach ([$at, $rt] as $t) {
            $secret = substr($t->plaintext(), strrpos($t->plaintext(), '_') + 1);
            self::assertStringNotContainsString($secret, $bytes);
        }
        // The extension verifies what the store returns.
        $row = $this->access->find($at->publicId());
        self::assertNotNull($row);
        self::assertSame($at->publicId(), $tokens->verify($at->plaintext(), $row->hash, $row->expiresAt, $row->revokedAt, self::NOW + 1)->publicId());
    }
}
