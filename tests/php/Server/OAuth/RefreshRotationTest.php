<?php

declare(strict_types=1);

namespace McpGuard\Tests\Server\OAuth;

require_once __DIR__ . '/OAuthStoreTestCase.php';

use McpGuard\Exception\InvalidArgumentException;
use McpGuard\Server\OAuth\Pdo\PdoFamilyStore;
use McpGuard\Server\OAuth\Pdo\PdoRefreshTokenStore;
use McpGuard\Server\OAuth\StorageException;
use McpGuard\Server\OAuth\Store\RefreshRotation;
use McpGuard\Server\OAuth\Store\RefreshTokenRecord;

/** Every branch of RefreshTokenStore::rotate()'s rule, one database call each. */
final class RefreshRotationTest extends OAuthStoreTestCase
{
    private const GRACE = 30;

    private PdoFamilyStore $families;
    private PdoRefreshTokenStore $refresh;

    protected function setUp(): void
    {
        parent::setUp();
        $this->families = new PdoFamilyStore($this->db);
        $this->refresh = new PdoRefreshTokenStore($this->db);
        $this->families->open(self::family());
        $this->refresh->save(self::refresh('r0'));
    }

    private function rotate(string $id, string $successor, int $at, bool $grace = false, int $max = 1): RefreshRotation
    {
        return $this->refresh->rotate($id, self::refresh($successor, parent: $id), $at, $grace ? $at - self::GRACE : null, $max);
    }

    public function testFirstUseRotates(): void
    {
        $r = $this->rotate('r0', 'r1', self::NOW + 5);
        self::assertSame(RefreshRotation::ROTATED, $r->status());
        self::assertTrue($r->isRotated());
        self::assertSame(self::NOW + 5, $r->record()?->rotatedAt);
        self::assertSame(1, $r->record()?->successorCount);
        $s = $this->refresh->find('r1');
        self::assertSame('r0', $s?->parentId);
        self::assertSame('fam-1', $s?->familyId);
        self::assertNull($s?->rotatedAt);
    }

    public function testWithoutAGraceWindowASecondUseIsReuseAndWritesNothing(): void
    {
        $this->rotate('r0', 'r1', self::NOW + 5);
        $r = $this->rotate('r0', 'r1-bis', self::NOW + 6);
        self::assertSame(RefreshRotation::REUSED, $r->status());
        self::assertNull($this->refresh->find('r1-bis'), 'no successor on refusal');
        self::assertSame(1, $this->refresh->find('r0')?->successorCount);
    }

    public function testTheBenignRaceGetsASiblingWithinTheWindowAndTheCap(): void
    {
        self::assertTrue($this->rotate('r0', 'r1', self::NOW + 5, true, 2)->isRotated());
        $second = $this->rotate('r0', 'r1b', self::NOW + 5 + self::GRACE, true, 2);
        self::assertSame(RefreshRotation::ROTATED, $second->status(), 'at the window edge');
        self::assertSame(self::NOW + 5, $second->record()?->rotatedAt, 'the first rotation time is kept');
        self::assertSame(2, $second->record()?->successorCount);
        self::assertNotNull($this->refresh->find('r1b'));
        $third = $this->rotate('r0', 'r1c', self::NOW + 6, true, 2);
        self::assertSame(RefreshRotation::CONCURRENT, $third->status(), 'the cap is reached: refused, but not a reuse');
        self::assertNull($this->refresh->find('r1c'));
    }

    public function testAfterTheWindowASecondUseIsReuse(): void
    {
        $this->rotate('r0', 'r1', self::NOW + 5, true, 5);
        self::assertSame(RefreshRotation::REUSED, $this->rotate('r0', 'r1b', self::NOW + 6 + self::GRACE, true, 5)->status());
    }

    public function testOnceASuccessorIsUsedTheParentIsReuseEvenInsideTheWindow(): void
    {
        $this->rotate('r0', 'r1', self::NOW + 5, true, 5);
        self::assertTrue($this->rotate('r1', 'r2', self::NOW + 6, true, 5)->isRotated());
        self::assertSame(self::NOW + 6, $this->refresh->find('r0')?->successorUsedAt);
        self::assertSame(RefreshRotation::REUSED, $this->rotate('r0', 'r1b', self::NOW + 7, true, 5)->status());
        self::assertNull($this->refresh->find('r0')?->revokedAt, 'the store only reports; the caller revokes the family');
    }

    public function testRevokedTokenOrFamily(): void
    {
        $this->families->revoke('fam-1', self::NOW + 1);
        self::assertSame(RefreshRotation::REVOKED, $this->rotate('r0', 'r1', self::NOW + 2)->status());
        self::assertNull($this->refresh->find('r1'));
        self::assertNull($this->refresh->find('r0')?->rotatedAt, 'nothing written');
    }

    public function testARevokedFamilyStopsATokenWrittenAfterTheRevocation(): void
    {
        $this->families->revoke('fam-1', self::NOW + 1);
        $this->refresh->save(self::refresh('late'));
        $this->pdo->exec('UPDATE ' . $this->db->table('refresh_tokens') . " SET revoked_at = NULL WHERE public_id = 'late'");
        self::assertSame(RefreshRotation::REVOKED, $this->rotate('late', 'l1', self::NOW + 2)->status(), 'the family alone decides');
        self::assertNull($this->refresh->find('l1'));
    }

    public function testExpiredNeverRotatedToken(): void
    {
        $this->refresh->save(self::refresh('short', expiresAt: self::NOW + 10));
        self::assertSame(RefreshRotation::EXPIRED, $this->rotate('short', 's1', self::NOW + 10)->status(), 'expiry is exclusive');
        self::assertTrue($this->rotate('r0', 'r1', self::NOW + 9)->isRotated());
    }

    public function testUnknownTokenOrMissingFamily(): void
    {
        $r = $this->rotate('nope', 'n1', self::NOW);
        self::assertSame(RefreshRotation::UNKNOWN, $r->status());
        self::assertNull($r->record());
        $this->refresh->save(self::refresh('orphan', 'never-opened'));
        self::assertSame(RefreshRotation::UNKNOWN, $this->refresh->rotate('orphan', self::refresh('o1', 'never-opened', 'orphan'), self::NOW)->status());
        self::assertNull($this->refresh->find('o1'));
    }

    public function testTheSuccessorMustBeAFreshChildOfTheSameFamily(): void
    {
        $this->families->open(self::family('fam-2'));
        $bad = [
            'other parent' => self::refresh('x1', parent: 'someone'),
            'no parent' => self::refresh('x2'),
            'other family' => self::refresh('x3', 'fam-2', 'r0'),
            'already rotated' => new RefreshTokenRecord('x4', 'sha256:h', 'fam-1', 'r0', self::NOW, self::NOW + 60, self::NOW),
            'already revoked' => new RefreshTokenRecord('x5', 'sha256:h', 'fam-1', 'r0', self::NOW, self::NOW + 60, revokedAt: self::NOW),
        ];
        foreach ($bad as $name => $successor) {
            try {
                $this->refresh->rotate('r0', $successor, self::NOW);
                self::fail("accepted: {$name}");
            } catch (InvalidArgumentException) {
                self::assertNull($this->refresh->find($successor->publicId), $name);
            }
        }
        self::assertNull($this->refresh->find('r0')?->rotatedAt, 'no refusal wrote anything');
        $this->expectException(InvalidArgumentException::class);
        $this->refresh->rotate('r0', self::refresh('x6', parent: 'r0'), self::NOW, null, 0);
    }

    public function testAFailedSuccessorInsertRollsTheRotationBack(): void
    {
        $this->refresh->save(self::refresh('taken'));
        try {
            $this->refresh->rotate('r0', self::refresh('taken', parent: 'r0'), self::NOW + 1);
            self::fail('the duplicate successor was inserted');
        } catch (StorageException $e) {
            self::assertTrue($e->isConflict());
        }
        $r0 = $this->refresh->find('r0');
        self::assertNull($r0?->rotatedAt, 'the conditional UPDATE was rolled back with the failed insert');
        self::assertSame(0, $r0?->successorCount);
        self::assertTrue($this->rotate('r0', 'r1', self::NOW + 2)->isRotated(), 'and the token still works');
    }
}
