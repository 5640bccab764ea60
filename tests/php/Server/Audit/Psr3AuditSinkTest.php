<?php

declare(strict_types=1);

namespace McpGuard\Tests\Server\Audit;

use McpGuard\Audit\Chain;
use McpGuard\Audit\Event;
use McpGuard\Server\Audit\AuditException;
use McpGuard\Server\Audit\AuditVerifier;
use McpGuard\Server\Audit\JsonLinesAuditLog;
use McpGuard\Server\Audit\Psr3AuditSink;
use Monolog\Formatter\JsonFormatter;
use Monolog\Handler\StreamHandler;
use Monolog\Logger;
use PHPUnit\Framework\TestCase;
use Psr\Log\AbstractLogger;

/**
 * The PSR-3 sink with a real Monolog logger (Debian's php-monolog) writing
 * JSON lines, read back and verified through JsonLinesAuditLog.
 */
final class Psr3AuditSinkTest extends TestCase
{
    private string $dir;

    public static function setUpBeforeClass(): void
    {
        foreach (['/usr/share/php/Psr/Log/autoload.php', '/usr/share/php/Monolog/autoload.php'] as $autoload) {
            if (!is_file($autoload)) {
                self::markTestSkipped("{$autoload} missing (apt-get install php-psr-log php-monolog)");
            }
            require_once $autoload;
        }
    }

    protected function setUp(): void
    {
        $this->dir = sys_get_temp_dir() . '/mcpg-audit-' . bin2hex(random_bytes(4));
        mkdir($this->dir);
    }

    protected function tearDown(): void
    {
        foreach (glob($this->dir . '/{,.}*', GLOB_BRACE) ?: [] as $f) {
            if (is_file($f)) {
                unlink($f);
            }
        }
        rmdir($this->dir);
    }

    private function logger(): Logger
    {
        $handler = new StreamHandler($this->dir . '/audit.log');
        $handler->setFormatter(new JsonFormatter());
        return new Logger('audit', [$handler]);
    }

    private function fill(int $n, ?Chain $chain = null): void
    {
        $sink = new Psr3AuditSink($this->logger(), $this->dir . '/audit.head', $chain);
        for ($i = 1; $i <= $n; $i++) {
            $sink->append(new Event('tool_allowed', ['at' => $i, 'principal' => "customer:{$i}", 'tool' => 'product_list']));
        }
    }

    private function log(): JsonLinesAuditLog
    {
        return new JsonLinesAuditLog($this->dir . '/audit.log', $this->dir . '/audit.head');
    }

    /** @param \Closure(list<string>): list<string> $edit */
    private function editLines(\Closure $edit): void
    {
        $lines = file($this->dir . '/audit.log', FILE_IGNORE_NEW_LINES);
        file_put_contents($this->dir . '/audit.log', implode("\n", $edit($lines)) . "\n");
    }

    public function testAMonologJsonLinesChainVerifies(): void
    {
        $this->fill(5);
        // Another message in the same file is skipped.
        $this->logger()->warning('something else', ['seq' => 99]);
        $this->fill(2);
        $log = $this->log();
        self::assertSame(7, $log->count());
        self::assertSame(7, $log->head()?->seq);
        self::assertSame([6, 7], array_map(static fn ($r) => $r->seq, $log->tail(2)));
        self::assertSame('customer:2', $log->tail(2)[1]->principal);
        $r = AuditVerifier::verify($log);
        self::assertTrue($r->ok, (string) $r->reason);
        self::assertSame(7, $r->verified);
        $line = json_decode(file($this->dir . '/audit.log')[0], true);
        self::assertSame('mcp_guard.audit', $line['message']);
        self::assertSame(['seq', 'prev', 'hash', 'record'], array_keys($line['context']));
    }

    public function testTamperingWithTheLogIsNamed(): void
    {
        $this->fill(6);
        $this->editLines(static fn (array $l) => [...array_slice($l, 0, 2), str_replace('customer:3', 'customer:4', $l[2]), ...array_slice($l, 3)]);
        $r = AuditVerifier::verify($this->log());
        self::assertSame([false, 3, 'edited'], [$r->ok, $r->brokenAt, $r->reason]);
    }

    public function testDeletedAndReorderedLinesAreNamed(): void
    {
        $this->fill(6);
        $orig = file($this->dir . '/audit.log', FILE_IGNORE_NEW_LINES);
        $this->editLines(static fn (array $l) => [$l[0], $l[1], $l[3], $l[4], $l[5]]);
        $r = AuditVerifier::verify($this->log());
        self::assertSame([3, 'missing'], [$r->brokenAt, $r->reason]);
        $this->editLines(static fn () => [$orig[0], $orig[1], $orig[2], $orig[3], $orig[4]]);
        $r = AuditVerifier::verify($this->log());
        self::assertSame([6, 'tail_cut'], [$r->brokenAt, $r->reason]);
        $this->editLines(static fn () => [$orig[0], $orig[1], 'x mcp_guard.audit x', $orig[3], $orig[4], $orig[5]]);
        $r = AuditVerifier::verify($this->log());
        self::assertSame([3, 'malformed'], [$r->brokenAt, $r->reason]);
    }

    public function testAKeyedHeadFileCannotBeRewrittenWithoutTheKey(): void
    {
        $chain = new Chain(str_repeat('k', 32));
        $this->fill(4, $chain);
        self::assertTrue(AuditVerifier::verify($this->log(), $chain)->ok);
        $rows = iterator_to_array($this->log()->rows(), false);
        $this->editLines(static fn (array $l) => array_slice($l, 0, 3));
        file_put_contents($this->dir . '/audit.head', "3 {$rows[2]->hash}\n");
        $r = AuditVerifier::verify($this->log(), $chain);
        self::assertSame([false, 3, 'forged_head'], [$r->ok, $r->brokenAt, $r->reason]);
        self::assertTrue(AuditVerifier::verify($this->log())->ok, 'without the key it cannot be told');
    }

    public function testAFailingLoggerLeavesTheHeadWhereItWas(): void
    {
        $this->fill(2);
        $failing = new class () extends AbstractLogger {
            public function log($level, $message, array $context = []): void
            {
                throw new \RuntimeException('disk full');
            }
        };
        try {
            (new Psr3AuditSink($failing, $this->dir . '/audit.head'))->append(new Event('token_used'));
            self::fail('no exception');
        } catch (AuditException $e) {
            self::assertInstanceOf(\RuntimeException::class, $e->getPrevious());
        }
        self::assertSame(2, $this->log()->head()?->seq);
        $this->fill(1);
        self::assertTrue(AuditVerifier::verify($this->log())->ok);
    }

    public function testACorruptHeadFileRefusesToAppend(): void
    {
        file_put_contents($this->dir . '/audit.head', "garbage\n");
        $this->expectException(AuditException::class);
        $this->fill(1);
    }
}
