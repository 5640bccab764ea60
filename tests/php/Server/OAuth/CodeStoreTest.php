<?php

declare(strict_types=1);

namespace McpGuard\Tests\Server\OAuth;

require_once __DIR__ . '/OAuthStoreTestCase.php';

use McpGuard\Exception\InvalidArgumentException;
use McpGuard\Server\OAuth\Pdo\PdoCodeStore;
use McpGuard\Server\OAuth\StorageException;
use McpGuard\Server\OAuth\Store\CodeRecord;
use McpGuard\Server\OAuth\Store\CodeRedemption;
use McpGuard\Tokens;

final class CodeStoreTest extends OAuthStoreTestCase
{
    private PdoCodeStore $codes;

    protected function setUp(): void
    {
        parent::setUp();
        $this->codes = new PdoCodeStore($this->db);
    }

    public function testTheFirstConsumeWinsWithEveryBinding(): void
    {
        $code = self::code();
        $this->codes->save($code);
        $r = $this->codes->consume($code->codeHash, self::NOW + 10);
        self::assertSame(CodeRedemption::OK, $r->status());
        self::assertTrue($r->isOk());
        $back = $r->record();
        self::assertNotNull($back);
        self::assertSame(self::NOW + 10, $back->consumedAt);
        foreach (['codeHash', 'familyId', 'clientId', 'redirectUri', 'challenge', 'scopes', 'resource', 'memberId', 'createdAt', 'expiresAt'] as $field) {
            self::assertSame($code->{$field}, $back->{$field}, $field);
        }
    }

    public function testASecondConsumeIsAReplayWithTheFamilyToRevoke(): void
    {
        $this->codes->save(self::code(family: 'fam-replay'));
        self::assertTrue($this->codes->consume('sha256:code1', self::NOW + 1)->isOk());
        foreach ([self::NOW + 2, self::NOW + 59, self::NOW + 3600] as $later) {
            $r = $this->codes->consume('sha256:code1', $later);
            self::assertSame(CodeRedemption::REPLAYED, $r->status(), 'also after the expiry: a replay is a replay');
            self::assertFalse($r->isOk());
            self::assertSame('fam-replay', $r->record()?->familyId);
            self::assertSame(self::NOW + 1, $r->record()?->consumedAt, 'the first consumption time is kept');
        }
    }

    public function testExpiryIsExclusiveAndAnExpiredCodeIsNeverConsumed(): void
    {
        $this->codes->save(self::code('sha256:a', self::NOW + 60));
        $this->codes->save(self::code('sha256:b', self::NOW + 60));
        self::assertTrue($this->codes->consume('sha256:a', self::NOW + 59)->isOk(), 'one second before its expiry');
        $r = $this->codes->consume('sha256:b', self::NOW + 60);
        self::assertSame(CodeRedemption::EXPIRED, $r->status(), 'at its expiry');
        self::assertNull($r->record()?->consumedAt);
        self::assertSame(CodeRedemption::EXPIRED, $this->codes->consume('sha256:b', self::NOW + 120)->status());
    }

    public function testUnknownCodes(): void
    {
        $this->codes->save(self::code());
        foreach (['sha256:nope', 'SHA256:CODE1', 'sha256:code', 'sha256:code1 ', "sha256:code1\0", '', "' OR '1'='1"] as $other) {
            $r = $this->codes->consume($other, self::NOW);
            self::assertSame(CodeRedemption::UNKNOWN, $r->status(), json_encode($other));
            self::assertNull($r->record());
        }
        self::assertTrue($this->codes->consume('sha256:code1', self::NOW)->isOk(), 'the real one is untouched');
    }

    public function testSaveNeverReplacesACodeSoAConsumedOneCannotBeRearmed(): void
    {
        $this->codes->save(self::code());
        self::assertTrue($this->codes->consume('sha256:code1', self::NOW)->isOk());
        try {
            $this->codes->save(self::code());
            self::fail('a second save of the same code hash succeeded');
        } catch (StorageException $e) {
            self::assertTrue($e->isConflict());
            self::assertSame('server_error', $e->errorCode());
        }
        self::assertSame(CodeRedemption::REPLAYED, $this->codes->consume('sha256:code1', self::NOW + 1)->status());
    }

    public function testPruneDeletesOnlyCodesExpiredBeforeTheCutoff(): void
    {
        $this->codes->save(self::code('sha256:old', self::NOW - 100));
        $this->codes->save(self::code('sha256:edge', self::NOW));
        $this->codes->save(self::code('sha256:live', self::NOW + 60));
        self::assertSame(1, $this->codes->prune(self::NOW));
        self::assertSame(CodeRedemption::UNKNOWN, $this->codes->consume('sha256:old', self::NOW)->status());
        self::assertSame(CodeRedemption::EXPIRED, $this->codes->consume('sha256:edge', self::NOW)->status());
        self::assertTrue($this->codes->consume('sha256:live', self::NOW)->isOk());
    }

    public function testOnlyTheHashOfARealCodeIsStored(): void
    {
        $issued = (new Tokens('code'))->issue(60, self::NOW);
        $record = new CodeRecord($issued->hash(), 'fam', 'client', 'https://app.example/cb', str_repeat('x', 43), [], 'https://shop.example/mcp', 'm', self::NOW, self::NOW + 60);
        $this->codes->save($record);
        $secret = substr($issued->plaintext(), strrpos($issued->plaintext(), '_') + 1);
        self::assertStringNotContainsString($secret, $this->storedBytes());
        if ($this->file !== null) {
            foreach (['', '-wal'] as $suffix) {
                self::assertStringNotContainsString($secret, (string) @file_get_contents($this->file . $suffix));
            }
        }
        self::assertSame([], $this->codes->consume($issued->hash(), self::NOW)->record()?->scopes);
    }

    public function testRecordsRefuseHostileFields(): void
    {
        $cases = [
            'code hash' => fn () => self::code("sha256:a\nb"),
            'family id' => fn () => self::code(family: str_repeat('f', 129)),
            'scope' => fn () => new CodeRecord('h', 'f', 'c', 'https://r', 'ch', ['a', 'a'], 'https://res', 'm', 1, 2),
            'scope quote' => fn () => new CodeRecord('h', 'f', 'c', 'https://r', 'ch', ['a"b'], 'https://res', 'm', 1, 2),
            'scope list' => fn () => new CodeRecord('h', 'f', 'c', 'https://r', 'ch', ['x' => 'a'], 'https://res', 'm', 1, 2),
            'scope type' => fn () => new CodeRecord('h', 'f', 'c', 'https://r', 'ch', [1], 'https://res', 'm', 1, 2),
            'member' => fn () => new CodeRecord('h', 'f', 'c', 'https://r', 'ch', [], 'https://res', str_repeat('m', 192), 1, 2),
            'resource' => fn () => new CodeRecord('h', 'f', 'c', 'https://r', 'ch', [], '', 'm', 1, 2),
            'time' => fn () => new CodeRecord('h', 'f', 'c', 'https://r', 'ch', [], 'https://res', 'm', -5, 2),
        ];
        foreach ($cases as $name => $make) {
            try {
                $make();
                self::fail("accepted: {$name}");
            } catch (InvalidArgumentException) {
                $this->addToAssertionCount(1);
            }
        }
    }
}
