<?php

declare(strict_types=1);

namespace McpGuard\Tests\Server\Audit;

require_once dirname(__DIR__) . '/OAuth/OAuthStoreTestCase.php';

use McpGuard\Audit\Chain;
use McpGuard\Audit\Event;
use McpGuard\Server\Audit\AuditException;
use McpGuard\Server\Audit\AuditVerifier;
use McpGuard\Server\Audit\PdoAuditLog;
use McpGuard\Server\Audit\PdoAuditSink;
use McpGuard\Server\Audit\VerifyReport;
use McpGuard\Tests\Server\OAuth\OAuthStoreTestCase;

/**
 * The PDO audit sink through the real extension, on SQLite (WAL) or the
 * MariaDB of tests/db/mariadb.sh: appends verify, and each kind of tampering
 * with the stored rows or head is named at its first broken row.
 */
final class PdoAuditSinkTest extends OAuthStoreTestCase
{
    private const KEY = 'an audit key of at least 32 bytes, kept in php.ini';

    private PdoAuditSink $sink;

    protected function setUp(): void
    {
        parent::setUp();
        $this->sink = new PdoAuditSink($this->db);
    }

    private static function event(int $i): Event
    {
        return new Event($i % 3 === 0 ? 'tool_denied' : 'tool_allowed', [
            'at' => 1_800_000_000_000_000 + $i,
            'principal' => 'customer:' . $i,
            'tokenId' => '0123456789abcdef',
            'tool' => 'product_update',
            'arguments' => ['id' => $i, 'name' => 'Mug'],
            'reason' => $i % 3 === 0 ? 'insufficient_scope' : null,
            'latencyUs' => 100 + $i,
            'ip' => '203.0.113.' . ($i % 256),
        ]);
    }

    private function fill(int $n, ?PdoAuditSink $sink = null): void
    {
        for ($i = 1; $i <= $n; $i++) {
            ($sink ?? $this->sink)->append(self::event($i));
        }
    }

    private function sql(string $sql, array $params = []): void
    {
        $this->db->run(strtr($sql, ['{events}' => $this->db->table('audit_events'), '{head}' => $this->db->table('audit_head')]), $params);
    }

    private function hashOf(int $seq): string
    {
        return (string) $this->db->row('SELECT hash FROM ' . $this->db->table('audit_events') . ' WHERE seq = ?', [$seq])['hash'];
    }

    private function assertBroken(int $seq, string $reason, VerifyReport $r): void
    {
        self::assertFalse($r->ok, 'the tampering went unnoticed');
        self::assertSame([$seq, $reason], [$r->brokenAt, $r->reason]);
    }

    public function testAppendsAChainThatVerifies(): void
    {
        self::assertNull($this->sink->head());
        self::assertSame(0, $this->sink->count());
        $empty = AuditVerifier::verify($this->sink);
        self::assertTrue($empty->ok);
        $this->fill(10);
        self::assertSame(10, $this->sink->count());
        $head = $this->sink->head();
        self::assertSame(10, $head?->seq);
        self::assertSame($this->hashOf(10), $head->hash);
        self::assertNull($head->mac, 'no key, no MAC');
        self::assertSame([8, 9, 10], array_map(static fn ($r) => $r->seq, $this->sink->tail(3)));
        self::assertSame([], $this->sink->tail(0));
        $row = $this->sink->tail(1)[0];
        self::assertSame(['tool_allowed', 'allowed', 'customer:10', 'product_update', 1_800_000_000_000_010], [$row->type, $row->outcome, $row->principal, $row->tool, $row->at]);
        self::assertSame('203.0.113.10', Event::fromRecord($row->record)->ip());
        self::assertSame([4, 5], array_map(static fn ($r) => $r->seq, array_slice(iterator_to_array($this->sink->rows(4), false), 0, 2)));
        $calls = [];
        $r = AuditVerifier::verify(new PdoAuditLog($this->db), null, function (int $done, int $total) use (&$calls): void {
            $calls[] = [$done, $total];
        });
        self::assertEquals(new VerifyReport(true, 10, null, null), $r);
        self::assertSame([[10, 10]], $calls);
    }

    public function testNoArgumentValueAndNoSecretIsStored(): void
    {
        $this->sink->append(new Event('tool_allowed', ['arguments' => ['password' => 'hunter2-secret-value'], 'tool' => 't']));
        $row = $this->sink->tail(1)[0];
        self::assertStringNotContainsString('hunter2', $row->record);
        self::assertStringNotContainsString('password', $row->record);
        self::assertMatchesRegularExpression('/"arguments_digest":"[0-9a-f]{64}"/', $row->record);
    }

    public function testRowsAreStreamedAcrossBatches(): void
    {
        // More rows than one batch, written in one transaction (fast).
        $chain = new Chain();
        $n = PdoAuditLog::BATCH * 2 + 7;
        $this->db->transaction(function () use ($chain, $n): void {
            $prev = null;
            for ($seq = 1; $seq <= $n; $seq++) {
                $e = self::event($seq);
                $l = $chain->link($e, $seq, $prev);
                $this->sql('INSERT INTO {events} (seq, at, type, outcome, principal, tool, record, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
                    [$seq, $e->at(), $e->type(), $e->outcome(), $e->principal(), $e->tool(), $l->record(), $l->hash()]);
                $prev = $l->hash();
            }
            $this->sql('UPDATE {head} SET seq = ?, hash = ? WHERE id = 1', [$n, $prev]);
        });
        $seqs = [];
        foreach ($this->sink->rows() as $row) {
            $seqs[] = $row->seq;
        }
        self::assertSame(range(1, $n), $seqs);
        self::assertEquals(new VerifyReport(true, $n, null, null), AuditVerifier::verify($this->sink));
        // The next append continues the chain.
        $this->sink->append(self::event(1));
        self::assertTrue(AuditVerifier::verify($this->sink)->ok);
    }

    public function testAnEditedRecordIsNamed(): void
    {
        $this->fill(10);
        $this->sql("UPDATE {events} SET record = REPLACE(record, 'customer:5', 'customer:6') WHERE seq = 5");
        $this->assertBroken(5, 'edited', AuditVerifier::verify($this->sink));
    }

    public function testAnEditedHashIsNamed(): void
    {
        $this->fill(10);
        $this->sql('UPDATE {events} SET hash = ? WHERE seq = 5', [str_repeat('0', 64)]);
        $this->assertBroken(5, 'edited', AuditVerifier::verify($this->sink));
    }

    public function testAnEditedColumnIsNamed(): void
    {
        $this->fill(10);
        $this->sql("UPDATE {events} SET principal = 'customer:99' WHERE seq = 4");
        $this->assertBroken(4, 'edited_column', AuditVerifier::verify($this->sink));
    }

    public function testARecomputedHashIsNamedByTheNextRow(): void
    {
        $this->fill(10);
        // A forger who knows the algorithm (not a key) rewrites row 5.
        $l = (new Chain())->link(new Event('tool_allowed', ['at' => 1, 'principal' => 'someone:else']), 5, $this->hashOf(4));
        $this->sql("UPDATE {events} SET record = ?, hash = ?, principal = 'someone:else', at = 1, type = 'tool_allowed', outcome = 'allowed', tool = NULL WHERE seq = 5", [$l->record(), $l->hash()]);
        $this->assertBroken(5, 'forged', AuditVerifier::verify($this->sink));
    }

    public function testADeletedMiddleRowIsNamed(): void
    {
        $this->fill(10);
        $this->sql('DELETE FROM {events} WHERE seq = 5');
        $this->assertBroken(5, 'missing', AuditVerifier::verify($this->sink));
    }

    public function testSwappedRowsAreNamed(): void
    {
        $this->fill(10);
        // Give row 5 the content of row 6 and the reverse (seq column kept).
        $this->sql('UPDATE {events} SET seq = 1000 WHERE seq = 5');
        $this->sql('UPDATE {events} SET seq = 5 WHERE seq = 6');
        $this->sql('UPDATE {events} SET seq = 6 WHERE seq = 1000');
        $this->assertBroken(5, 'reordered', AuditVerifier::verify($this->sink));
    }

    public function testACutTailIsNamedThroughTheHead(): void
    {
        $this->fill(10);
        $this->sql('DELETE FROM {events} WHERE seq > 8');
        $this->assertBroken(9, 'tail_cut', AuditVerifier::verify($this->sink));
    }

    public function testWithoutAKeyAHeadRewrittenAfterTheCutIsNotDetected(): void
    {
        // The documented limit: without the key, whoever can write both the
        // rows and the head can shorten the chain consistently.
        $this->fill(10);
        $this->sql('DELETE FROM {events} WHERE seq > 8');
        $this->sql('UPDATE {head} SET seq = 8, hash = ? WHERE id = 1', [$this->hashOf(8)]);
        self::assertTrue(AuditVerifier::verify($this->sink)->ok);
    }

    public function testWithAKeyAHeadRewrittenWithoutTheKeyIsDetected(): void
    {
        $chain = new Chain(self::KEY);
        $sink = new PdoAuditSink($this->db, $chain);
        $this->fill(10, $sink);
        self::assertSame($chain->headMac(10, $this->hashOf(10)), $sink->head()?->mac);
        self::assertTrue(AuditVerifier::verify($sink, $chain)->ok);
        $this->sql('DELETE FROM {events} WHERE seq > 8');
        // The old MAC kept, a MAC under another key, no MAC at all.
        $this->sql('UPDATE {head} SET seq = 8, hash = ? WHERE id = 1', [$this->hashOf(8)]);
        $this->assertBroken(8, 'forged_head', AuditVerifier::verify($sink, $chain));
        $this->sql('UPDATE {head} SET mac = ? WHERE id = 1', [(new Chain(str_repeat('x', 32)))->headMac(8, $this->hashOf(8))]);
        $this->assertBroken(8, 'forged_head', AuditVerifier::verify($sink, $chain));
        $this->sql('UPDATE {head} SET mac = NULL WHERE id = 1');
        $this->assertBroken(8, 'forged_head', AuditVerifier::verify($sink, $chain));
        // The key holder can (that is what "keep the key out of the database" means).
        $this->sql('UPDATE {head} SET mac = ? WHERE id = 1', [$chain->headMac(8, $this->hashOf(8))]);
        self::assertTrue(AuditVerifier::verify($sink, $chain)->ok);
    }

    public function testAMissingHeadIsNamed(): void
    {
        $this->fill(3);
        $this->sql('DELETE FROM {head}');
        $this->assertBroken(3, 'no_head', AuditVerifier::verify($this->sink));
        try {
            $this->sink->append(self::event(4));
            self::fail('appended without a head');
        } catch (AuditException $e) {
            self::assertSame('server_error', $e->errorCode());
        }
        self::assertSame(3, $this->sink->count());
    }

    public function testAFailedAppendLeavesNothingHalfWritten(): void
    {
        $this->fill(3);
        // A stray row where the next append would go: its insert fails.
        $this->sql("INSERT INTO {events} (seq, at, type, outcome, principal, tool, record, hash) VALUES (4, 0, 'x', 'x', NULL, NULL, 'x', 'x')");
        try {
            $this->sink->append(self::event(4));
            self::fail('the append succeeded');
        } catch (AuditException $e) {
            self::assertStringNotContainsString('INSERT', $e->getMessage(), 'generic message');
            self::assertNotNull($e->getPrevious());
        }
        self::assertSame(3, $this->sink->head()?->seq, 'the head did not move');
        self::assertSame(4, $this->sink->count(), 'only the stray row');
        // Rows after the head are reported, not verified.
        $r = AuditVerifier::verify($this->sink);
        self::assertTrue($r->ok);
        self::assertSame([3, 1], [$r->verified, $r->pending]);
    }
}
