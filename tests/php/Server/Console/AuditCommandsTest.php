<?php

declare(strict_types=1);

namespace McpGuard\Tests\Server\Console;

require_once __DIR__ . '/ConsoleTestCase.php';

use McpGuard\Audit\Chain;
use McpGuard\Audit\Event;
use McpGuard\Server\Audit\AuditHead;
use McpGuard\Server\Audit\AuditLog;
use McpGuard\Server\Audit\AuditRow;
use McpGuard\Server\Audit\PdoAuditLog;
use McpGuard\Server\Console\CliConfig;
use McpGuard\Server\Console\CliServices;
use McpGuard\Server\Console\ConsoleApplication;
use McpGuard\Server\Console\ExitCode;
use Symfony\Component\Console\Tester\CommandTester;

/**
 * audit:tail and audit:verify on the PDO audit trail, and the events the
 * commands that change state write into it.
 */
final class AuditCommandsTest extends ConsoleTestCase
{
    private const KEY = 'cli-audit-key-0123456789abcdefghijklmnopq';

    protected function setUp(): void
    {
        parent::setUp();
        $this->writeConfig(['audit' => ['key' => self::KEY]]);
    }

    private function log(): PdoAuditLog
    {
        return new PdoAuditLog($this->database());
    }

    /** @return list<array{string, ?string}> type and principal of every row */
    private function events(): array
    {
        $rows = [];
        foreach ($this->log()->rows() as $row) {
            $rows[] = [$row->type, $row->principal];
        }
        return $rows;
    }

    public function testEveryStateChangeWritesOneEventAndNoneHoldsASecret(): void
    {
        $this->ok('member:add', ['id' => 'alice', '--role' => 'editor']);
        $token = rtrim($this->ok('token:create', ['member' => 'alice'])->getDisplay(), "\n");
        $id = explode('_', $token)[1];
        $this->ok('token:list');                                   // reads write nothing
        $new = rtrim($this->ok('token:rotate', ['publicId' => $id])->getDisplay(), "\n");
        $this->ok('token:revoke', ['publicId' => $id]);
        $this->command('token:revoke', ['publicId' => 'ZZZZZZZZZZZZZZZZ']); // a refusal writes nothing
        $this->ok('member:remove', ['id' => 'alice']);
        self::assertSame([['member_added', 'alice'], ['token_issued', 'alice'], ['token_rotated', 'alice'],
            ['token_revoked', 'alice'], ['member_removed', 'alice']], $this->events());

        $records = '';
        foreach ($this->log()->rows() as $row) {
            $records .= $row->record . "\n";
        }
        self::assertStringContainsString('"' . $id . '"', $records, 'the public id is named');
        foreach ([$token, $new] as $secret) {
            self::assertStringNotContainsString(substr($secret, 22), $records, 'never the secret');
        }
        self::assertSame(0, $this->ok('audit:verify')->getStatusCode());
    }

    public function testWithoutAnAuditSectionNothingIsWritten(): void
    {
        $this->writeConfig();
        $this->ok('member:add', ['id' => 'alice', '--role' => 'editor']);
        self::assertSame(0, $this->log()->count());
    }

    public function testAnEventThatCannotBeWrittenIsAStorageErrorAfterTheChange(): void
    {
        $this->database();
        $this->pdo()->exec('DROP TABLE ' . self::PREFIX . 'audit_events');
        self::assertRefused($this->command('member:add', ['id' => 'alice', '--role' => 'viewer']), ExitCode::STORAGE, 'Done, but its audit event (member_added) could not be written');
    }

    public function testTailShowsTheNewestEventsOldestFirst(): void
    {
        self::assertStringContainsString('| seq | at | type |', $this->ok('audit:tail')->getDisplay());
        foreach (['a', 'b', 'c'] as $m) {
            $this->ok('member:add', ['id' => $m, '--role' => 'viewer']);
        }
        $json = json_decode($this->ok('audit:tail', ['-n' => '2', '--format' => 'json'])->getDisplay(), true, 8, JSON_THROW_ON_ERROR);
        self::assertSame([2, 3], array_column($json, 'seq'));
        self::assertSame(['b', 'c'], array_column($json, 'principal'));
        self::assertSame(['seq', 'at', 'type', 'outcome', 'principal', 'tool', 'record', 'hash'], array_keys($json[0]));
        self::assertMatchesRegularExpression('/\| 3 +\| \d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3}Z \| member_added \| allowed +\| c +\|/', $this->ok('audit:tail', ['-n' => '1'])->getDisplay());
        self::assertGreaterThan(1_700_000_000_000_000, $json[0]['at'], 'JSON: Unix microseconds');
        self::assertRefused($this->command('audit:tail', ['-n' => '0']), ExitCode::INVALID, '--lines must be a whole number');
        self::assertRefused($this->command('audit:tail', ['-n' => 'x']), ExitCode::INVALID, '--lines');
    }

    public function testVerifyNamesTheFirstEditedDeletedOrReorderedRow(): void
    {
        foreach (['a', 'b', 'c', 'd'] as $m) {
            $this->ok('member:add', ['id' => $m, '--role' => 'viewer']);
        }
        $t = $this->ok('audit:verify');
        self::assertSame("ok: 4 row(s) verified, the chain is intact.\n", $t->getDisplay());
        $events = self::PREFIX . 'audit_events';
        $pdo = $this->pdo();

        $pdo->exec("UPDATE {$events} SET record = REPLACE(record, '\"b\"', '\"x\"') WHERE seq = 2");
        $t = $this->command('audit:verify');
        self::assertSame(ExitCode::BROKEN, $t->getStatusCode());
        self::assertMatchesRegularExpression('/^BROKEN at row 2: edited \(1 row\(s\) verified before it\)\.\n$/D', $t->getDisplay());
        $json = json_decode($this->command('audit:verify', ['--format' => 'json'])->getDisplay(), true, 4, JSON_THROW_ON_ERROR);
        self::assertSame(['ok' => false, 'verified' => 1, 'broken_at' => 2, 'reason' => 'edited', 'pending' => 0], $json);

        $pdo->exec("UPDATE {$events} SET record = REPLACE(record, '\"x\"', '\"b\"') WHERE seq = 2");
        self::assertSame(ExitCode::OK, $this->command('audit:verify')->getStatusCode(), 'restored');
        $pdo->exec("DELETE FROM {$events} WHERE seq = 3");
        $t = $this->command('audit:verify');
        self::assertSame(ExitCode::BROKEN, $t->getStatusCode());
        self::assertStringStartsWith('BROKEN at row 3: missing', $t->getDisplay());
    }

    public function testACutOffTailAndAForgedHeadAreBroken(): void
    {
        foreach (['a', 'b', 'c'] as $m) {
            $this->ok('member:add', ['id' => $m, '--role' => 'viewer']);
        }
        $pdo = $this->pdo();
        $pdo->exec('DELETE FROM ' . self::PREFIX . 'audit_events WHERE seq = 3');
        self::assertStringContainsString('tail_cut', $this->command('audit:verify')->getDisplay());
        // Someone who can write the database but has not the key: moves the head back.
        $row = $pdo->query('SELECT hash FROM ' . self::PREFIX . 'audit_events WHERE seq = 2')->fetchColumn();
        $pdo->exec('UPDATE ' . self::PREFIX . "audit_head SET seq = 2, hash = '{$row}'");
        $t = $this->command('audit:verify');
        self::assertSame(ExitCode::BROKEN, $t->getStatusCode());
        self::assertStringContainsString('forged_head', $t->getDisplay());
        $this->writeConfig(['audit' => ['key' => 'short']]);
        self::assertRefused($this->command('audit:verify'), ExitCode::CONFIG, 'weak_audit_key');
    }

    public function testALongRunShowsProgressOnStderrOnly(): void
    {
        $n = 10001;
        $chain = new Chain(self::KEY);
        $log = new class ($chain, $n) implements AuditLog {
            /** @var list<AuditRow> */
            private array $rows = [];

            public function __construct(private readonly Chain $chain, int $n)
            {
                $previous = null;
                for ($seq = 1; $seq <= $n; $seq++) {
                    $event = new Event('token_used', ['principal' => 'm' . ($seq % 7), 'at' => 1_800_000_000_000_000 + $seq]);
                    $link = $chain->link($event, $seq, $previous);
                    $this->rows[] = new AuditRow($seq, $event->at(), $event->type(), $event->outcome(), $event->principal(), null, $link->record(), $link->hash());
                    $previous = $link->hash();
                }
            }

            public function count(): int
            {
                return count($this->rows);
            }

            public function head(): ?AuditHead
            {
                $last = end($this->rows);
                return $last === false ? null : new AuditHead($last->seq, $last->hash, $this->chain->headMac($last->seq, $last->hash));
            }

            public function tail(int $n): array
            {
                return array_slice($this->rows, -$n);
            }

            public function rows(int $fromSeq = 1): iterable
            {
                return array_slice($this->rows, $fromSeq - 1);
            }
        };
        $app = new ConsoleApplication(new CliServices(CliConfig::load($this->configFile), fn (): int => self::NOW, $log));
        $t = new CommandTester($app->find('audit:verify'));
        $t->execute([], ['capture_stderr_separately' => true, 'decorated' => false]);
        self::assertSame(0, $t->getStatusCode(), $t->getErrorOutput());
        self::assertSame("ok: {$n} row(s) verified, the chain is intact.\n", $t->getDisplay(), 'stdout: the result only');
        self::assertStringContainsString("{$n}/{$n}", $t->getErrorOutput(), 'the bar, finished, on stderr');
        self::assertStringContainsString('100%', $t->getErrorOutput());

        $t->execute(['--no-progress' => true], ['capture_stderr_separately' => true, 'decorated' => false]);
        self::assertSame('', $t->getErrorOutput());
    }
}
