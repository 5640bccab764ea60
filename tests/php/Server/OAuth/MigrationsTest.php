<?php

declare(strict_types=1);

namespace McpGuard\Tests\Server\OAuth;

require_once __DIR__ . '/OAuthStoreTestCase.php';

use McpGuard\Exception\InvalidArgumentException;
use McpGuard\Server\OAuth\Pdo\Migration;
use McpGuard\Server\OAuth\Pdo\Migrations;
use McpGuard\Server\OAuth\Pdo\PdoDatabase;
use McpGuard\Server\OAuth\Pdo\PdoGrantStore;
use McpGuard\Server\OAuth\StorageException;
use McpGuard\Server\OAuth\Store\Field;
use McpGuard\Server\OAuth\Store\GrantRecord;
use PDO;

final class MigrationsTest extends OAuthStoreTestCase
{
    private const TABLES = ['clients', 'codes', 'grants', 'families', 'refresh_tokens', 'access_tokens', 'members', 'audit_events', 'audit_head', 'confirmations'];

    /** @return list<int> every version of this release, oldest first */
    private static function versions(): array
    {
        return range(1, count(Migrations::steps()));
    }

    private function tableExists(string $name): bool
    {
        try {
            $this->pdo->query('SELECT 1 FROM ' . $name . ' LIMIT 1');
            return true;
        } catch (\PDOException) {
            return false;
        }
    }

    public function testDriverUnderTest(): void
    {
        $driver = $this->pdo->getAttribute(PDO::ATTR_DRIVER_NAME);
        self::assertSame(getenv('MCP_GUARD_TEST_DSN') ? 'mysql' : 'sqlite', $driver);
        if ($driver === 'sqlite') {
            self::assertSame('wal', strtolower((string) $this->pdo->query('PRAGMA journal_mode')->fetchColumn()));
            self::assertSame(5000, (int) $this->pdo->query('PRAGMA busy_timeout')->fetchColumn());
        }
    }

    public function testUpIsVersionedAndIdempotentDownUndoesEverything(): void
    {
        self::assertSame(count(Migrations::steps()), $this->migrations->version());
        foreach (self::TABLES as $t) {
            self::assertTrue($this->tableExists(self::PREFIX . $t), $t);
        }
        self::assertSame([], $this->migrations->up(), 'nothing applied twice');
        self::assertSame(array_reverse(self::versions()), $this->migrations->down());
        self::assertSame(0, $this->migrations->version());
        foreach (self::TABLES as $t) {
            self::assertFalse($this->tableExists(self::PREFIX . $t), $t);
        }
        self::assertSame([], $this->migrations->down());
        self::assertSame(self::versions(), $this->migrations->up(now: self::NOW));
        self::assertSame(self::NOW, (int) $this->pdo->query('SELECT applied_at FROM ' . self::PREFIX . 'schema_versions')->fetchColumn());
    }

    public function testPrefixesKeepSchemasApart(): void
    {
        $other = new Migrations(new PdoDatabase($this->pdo, 'mcpg_other_'));
        $other->up();
        try {
            self::assertTrue($this->tableExists('mcpg_other_codes'));
            self::assertSame(array_reverse(self::versions()), $other->down());
            self::assertTrue($this->tableExists(self::PREFIX . 'codes'), 'the other prefix is untouched');
        } finally {
            $other->down();
            $this->pdo->exec('DROP TABLE IF EXISTS mcpg_other_schema_versions');
        }
    }

    public function testPrefixMustBeAPlainIdentifier(): void
    {
        foreach (['', 'bad-prefix', 'x; DROP TABLE y; --', '1abc', str_repeat('a', 33), "abc\n", 'é'] as $bad) {
            try {
                new PdoDatabase($this->pdo, $bad);
                self::fail('accepted prefix ' . json_encode($bad));
            } catch (InvalidArgumentException $e) {
                self::assertSame('invalid_argument', $e->errorCode());
            }
        }
        self::assertSame('a_codes', (new PdoDatabase($this->pdo, 'a_'))->table('codes'));
    }

    public function testStepsMustBeNumberedInOrder(): void
    {
        $this->expectException(InvalidArgumentException::class);
        new Migrations($this->db, [...Migrations::steps(), self::step(count(Migrations::steps()) + 2, ['SELECT 1'])]);
    }

    public function testAFailingStepLeavesNothingBehind(): void
    {
        $table = $this->db->table('half');
        $broken = self::step(count(Migrations::steps()) + 1, ["CREATE TABLE {$table} (id INTEGER)", 'THIS IS NOT SQL'], ["DROP TABLE IF EXISTS {$table}"]);
        $m = new Migrations($this->db, [...Migrations::steps(), $broken]);
        try {
            $m->up();
            self::fail('the broken step was applied');
        } catch (StorageException $e) {
            self::assertSame('server_error', $e->errorCode());
            self::assertInstanceOf(\PDOException::class, $e->getPrevious());
            self::assertStringNotContainsString('NOT SQL', $e->getMessage(), 'generic message');
        }
        self::assertSame(count(Migrations::steps()), $m->version());
        self::assertFalse($this->tableExists($table), 'the first statement of the failed step is undone');
    }

    public function testGrantKeyHoldsTheLongestRedirectUriByteForByte(): void
    {
        $grants = new PdoGrantStore($this->db);
        $long = 'https://app.example/' . str_repeat('a', Field::URL_MAX - 20);
        self::assertSame(Field::URL_MAX, strlen($long));
        $member = str_repeat('m', Field::MEMBER_MAX);
        $key = str_repeat('k', Field::KEY_MAX);
        $grants->save(new GrantRecord($member, $key, $long, ['mcp.read'], self::NOW, self::NOW));
        self::assertNotNull($grants->find($member, $key, $long));
        self::assertNull($grants->find($member, $key, strtoupper($long)), 'no case folding');
        self::assertNull($grants->find($member, $key, substr($long, 0, -1)), 'no prefix match');
    }

    /**
     * @param list<string> $up
     * @param list<string> $down
     */
    private static function step(int $version, array $up, array $down = []): Migration
    {
        return new class ($version, $up, $down) implements Migration {
            /**
             * @param list<string> $up
             * @param list<string> $down
             */
            public function __construct(private int $v, private array $up, private array $down)
            {
            }

            public function version(): int
            {
                return $this->v;
            }

            public function up(PdoDatabase $db): array
            {
                return $this->up;
            }

            public function down(PdoDatabase $db): array
            {
                return $this->down;
            }
        };
    }
}
