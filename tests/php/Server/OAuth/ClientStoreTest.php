<?php

declare(strict_types=1);

namespace McpGuard\Tests\Server\OAuth;

require_once __DIR__ . '/OAuthStoreTestCase.php';

use McpGuard\Exception\InvalidArgumentException;
use McpGuard\Server\OAuth\Pdo\PdoClientStore;
use McpGuard\Server\OAuth\Store\ClientRecord;
use McpGuard\Server\OAuth\Store\Field;

final class ClientStoreTest extends OAuthStoreTestCase
{
    private PdoClientStore $clients;

    protected function setUp(): void
    {
        parent::setUp();
        $this->clients = new PdoClientStore($this->db);
    }

    private static function client(string $key, string $kind = ClientRecord::REGISTERED, int $createdAt = self::NOW, ?int $lastUsedAt = null, ?int $consentedAt = null): ClientRecord
    {
        return new ClientRecord($key, "client-{$key}", $kind, '{"client_name":"Cursor"}', null, $createdAt, null, $lastUsedAt, $consentedAt);
    }

    public function testRoundTripOfAMetadataDocumentClientWithTheLongestUrlId(): void
    {
        $url = 'https://app.example/oauth/' . str_repeat('x', Field::URL_MAX - 31) . '.json';
        self::assertSame(Field::URL_MAX, strlen($url));
        $doc = '{"client_id":"' . $url . '","client_name":"Ünïcode \"quoted\" \u003cb\u003e","redirect_uris":["https://app.example/cb"]}';
        $r = new ClientRecord('sha256:' . str_repeat('ab', 32), $url, ClientRecord::METADATA_DOCUMENT, $doc, null, self::NOW, self::NOW + 3600);
        $this->clients->save($r);
        self::assertEquals($r, $this->clients->find($r->key));
        self::assertNull($this->clients->find('sha256:' . str_repeat('ab', 31) . 'ac'));
        self::assertNull($this->clients->find(strtoupper($r->key)), 'keys are compared byte for byte');
        self::assertNull($this->clients->find($r->key . ' '), 'no PAD SPACE collation');
    }

    public function testSaveReplacesEveryColumnAndWithMetadataKeepsConsentAndUse(): void
    {
        $r = new ClientRecord('k1', 'https://app.example/c.json', ClientRecord::METADATA_DOCUMENT, '{"v":1}', null, self::NOW, self::NOW + 60, self::NOW + 5, self::NOW + 2);
        $this->clients->save($r);
        $this->clients->save($r->withMetadata('{"v":2}', self::NOW + 7200));
        $back = $this->clients->find('k1');
        self::assertNotNull($back);
        self::assertSame('{"v":2}', $back->metadata);
        self::assertSame(self::NOW + 7200, $back->expiresAt);
        self::assertSame(self::NOW + 5, $back->lastUsedAt);
        self::assertSame(self::NOW + 2, $back->consentedAt);

        $secret = new ClientRecord('k1', 'dyn-1', ClientRecord::REGISTERED, '{}', 'sha256:secret-hash', self::NOW, null);
        $this->clients->save($secret);
        self::assertEquals($secret, $this->clients->find('k1'), 'a plain save replaces the whole row');
    }

    public function testTouchMovesLastUseForwardOnlyAndSetsConsentOnce(): void
    {
        $this->clients->save(self::client('k'));
        self::assertTrue($this->clients->touch('k', self::NOW + 100));
        self::assertTrue($this->clients->touch('k', self::NOW + 50), 'an older time is not an error');
        self::assertTrue($this->clients->touch('k', self::NOW + 100), 'the same time again (MySQL reports 0 changed rows)');
        $r = $this->clients->find('k');
        self::assertSame(self::NOW + 100, $r?->lastUsedAt);
        self::assertNull($r?->consentedAt);

        self::assertTrue($this->clients->touch('k', self::NOW + 200, true));
        self::assertTrue($this->clients->touch('k', self::NOW + 300, true));
        $r = $this->clients->find('k');
        self::assertSame(self::NOW + 200, $r?->consentedAt, 'the first consent time never moves');
        self::assertSame(self::NOW + 300, $r?->lastUsedAt);
        self::assertFalse($this->clients->touch('missing', self::NOW));
    }

    public function testDelete(): void
    {
        $this->clients->save(self::client('k'));
        self::assertTrue($this->clients->delete('k'));
        self::assertFalse($this->clients->delete('k'));
        self::assertNull($this->clients->find('k'));
    }

    public function testUnconsentedRegistrationsAreCountedAndPrunedAndNothingElse(): void
    {
        $this->clients->save(self::client('old', createdAt: self::NOW - 7200));
        $this->clients->save(self::client('new', createdAt: self::NOW - 10));
        $this->clients->save(self::client('consented', createdAt: self::NOW - 7200, consentedAt: self::NOW - 7000));
        $this->clients->save(self::client('doc', ClientRecord::METADATA_DOCUMENT, self::NOW - 7200));
        $this->clients->save(self::client('pinned', ClientRecord::PREREGISTERED, self::NOW - 7200));
        self::assertSame(2, $this->clients->countUnconsented());

        self::assertSame(1, $this->clients->pruneUnconsented(self::NOW - 3600));
        self::assertNull($this->clients->find('old'));
        foreach (['new', 'consented', 'doc', 'pinned'] as $kept) {
            self::assertNotNull($this->clients->find($kept), $kept);
        }
        self::assertSame(1, $this->clients->countUnconsented());
        self::assertSame(0, $this->clients->pruneUnconsented(self::NOW - 3600));
    }

    public function testIdleClientsExpireFromTheirLastActivityButPinnedOnesNever(): void
    {
        $idle = self::NOW - 86400 * 90;
        $this->clients->save(self::client('used-long-ago', createdAt: $idle - 10, lastUsedAt: $idle - 1, consentedAt: $idle - 5));
        $this->clients->save(self::client('used-recently', createdAt: $idle - 10, lastUsedAt: $idle + 1));
        $this->clients->save(self::client('consented-recently', createdAt: $idle - 10, consentedAt: $idle));
        $this->clients->save(self::client('never-used-old', createdAt: $idle - 1));
        $this->clients->save(self::client('doc-idle', ClientRecord::METADATA_DOCUMENT, $idle - 10));
        $this->clients->save(self::client('pinned-idle', ClientRecord::PREREGISTERED, $idle - 10));

        self::assertSame(3, $this->clients->pruneIdle($idle));
        foreach (['used-long-ago', 'never-used-old', 'doc-idle'] as $gone) {
            self::assertNull($this->clients->find($gone), $gone);
        }
        foreach (['used-recently', 'consented-recently', 'pinned-idle'] as $kept) {
            self::assertNotNull($this->clients->find($kept), $kept);
        }
    }

    public function testRecordsRefuseWhatTheColumnsCannotHoldExactly(): void
    {
        $ok = ['k', 'https://app.example/c.json', ClientRecord::REGISTERED, '{}', null, self::NOW];
        $bad = [
            [0, ''], [0, str_repeat('k', Field::KEY_MAX + 1)], [0, 'with space'], [0, "k\n"],
            [1, ''], [1, str_repeat('u', Field::URL_MAX + 1)], [1, "https://a.example/\x00"], [1, "https://a.example/\n"], [1, "\xff\xfe"],
            [2, 'admin'], [3, str_repeat(' ', Field::JSON_MAX + 1)], [3, "{\"a\":\"\xc3\x28\"}"],
            [4, ''], [4, 'hash with space'], [5, -1],
        ];
        foreach ($bad as [$i, $value]) {
            $args = $ok;
            $args[$i] = $value;
            try {
                new ClientRecord(...$args);
                self::fail("argument {$i} accepted: " . json_encode($value, JSON_INVALID_UTF8_SUBSTITUTE));
            } catch (InvalidArgumentException $e) {
                // Generic: names the field, never echoes the value.
                self::assertMatchesRegularExpression('/^The [a-z ]+ is not acceptable\.$/', $e->getMessage());
            }
        }
        self::assertNotNull(new ClientRecord(...$ok));
    }
}
