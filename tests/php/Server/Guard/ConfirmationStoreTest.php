<?php

declare(strict_types=1);

namespace McpGuard\Tests\Server\Guard;

require_once dirname(__DIR__) . '/OAuth/OAuthStoreTestCase.php';

use McpGuard\Exception\InvalidArgumentException;
use McpGuard\Server\Guard\Confirmation\PdoConfirmationStore;
use McpGuard\Server\OAuth\StorageException;
use McpGuard\Tests\Server\OAuth\OAuthStoreTestCase;

/**
 * PdoConfirmationStore on SQLite (default) or MariaDB (tests/db/mariadb.sh):
 * a claim succeeds once per id, also when several processes claim at once.
 */
final class ConfirmationStoreTest extends OAuthStoreTestCase
{
    private const ID = '00112233445566778899aabbccddeeff';

    public function testAClaimSucceedsOncePerId(): void
    {
        $store = new PdoConfirmationStore($this->db);
        self::assertTrue($store->claim(self::ID, self::NOW + 300, self::NOW));
        self::assertFalse($store->claim(self::ID, self::NOW + 300, self::NOW));
        self::assertFalse($store->claim(self::ID, self::NOW + 300, self::NOW + 100), 'later too');
        self::assertFalse((new PdoConfirmationStore($this->db))->claim(self::ID, self::NOW + 300, self::NOW), 'another store object');
        self::assertTrue($store->claim(str_repeat('a', 32), self::NOW + 300, self::NOW), 'another id');
        $rows = $this->pdo->query('SELECT confirmation_id, expires_at, claimed_at FROM ' . $this->db->table('confirmations') . ' ORDER BY confirmation_id')->fetchAll(\PDO::FETCH_NUM);
        self::assertSame([[self::ID, self::NOW + 300, self::NOW], [str_repeat('a', 32), self::NOW + 300, self::NOW]], array_map(
            static fn (array $r): array => [(string) $r[0], (int) $r[1], (int) $r[2]],
            $rows,
        ));
    }

    public function testIdsAreComparedByteForByte(): void
    {
        $store = new PdoConfirmationStore($this->db);
        self::assertTrue($store->claim(self::ID, self::NOW + 300, self::NOW));
        foreach ([strtoupper(self::ID), self::ID . ' ', ' ' . self::ID, substr(self::ID, 1), self::ID . "\n", ''] as $bad) {
            try {
                $store->claim($bad, self::NOW + 300, self::NOW);
                self::fail('accepted id ' . json_encode($bad));
            } catch (InvalidArgumentException $e) {
                self::assertSame('invalid_argument', $e->errorCode());
            }
        }
    }

    public function testPurgeKeepsIdsAMarginPastExpiry(): void
    {
        $store = new PdoConfirmationStore($this->db);
        $store->claim(str_repeat('1', 32), self::NOW + 10, self::NOW);
        $store->claim(str_repeat('2', 32), self::NOW + 300, self::NOW);
        $margin = PdoConfirmationStore::KEEP_AFTER_EXPIRY;
        self::assertSame(0, $store->purgeExpired(self::NOW + 10 + $margin), 'kept for the margin');
        self::assertSame(1, $store->purgeExpired(self::NOW + 11 + $margin));
        self::assertFalse($store->claim(str_repeat('2', 32), self::NOW + 300, self::NOW), 'the live id stays claimed');
        self::assertTrue($store->claim(str_repeat('1', 32), self::NOW + 10, self::NOW), 'a purged id is forgotten');
    }

    public function testAStoreFailureIsNotAFirstUse(): void
    {
        $store = new PdoConfirmationStore($this->db);
        $this->pdo->exec('DROP TABLE ' . $this->db->table('confirmations'));
        try {
            $store->claim(self::ID, self::NOW + 300, self::NOW);
            self::fail('a claim without its table succeeded');
        } catch (StorageException $e) {
            self::assertFalse($e->isConflict());
        }
    }

    /** Several processes claim the same ids at the same moment: exactly one wins each. */
    public function testConcurrentClaimsHaveExactlyOneWinner(): void
    {
        $workers = 6;
        $rounds = 4;
        $dir = sys_get_temp_dir() . '/mcpg-confirm-' . bin2hex(random_bytes(4));
        mkdir($dir);
        $script = $dir . '/claim.php';
        file_put_contents($script, <<<'PHP'
<?php
declare(strict_types=1);
require $argv[1] . '/php/autoload.php';
[, , $file, $go, $prefix, $rounds] = $argv;
$dsn = getenv('MCP_GUARD_TEST_DSN');
$pdo = $dsn ? new PDO($dsn, getenv('MCP_GUARD_TEST_DB_USER') ?: null, getenv('MCP_GUARD_TEST_DB_PASSWORD') ?: null)
    : \McpGuard\Server\OAuth\Pdo\PdoDatabase::sqlite($file);
$store = new \McpGuard\Server\Guard\Confirmation\PdoConfirmationStore(new \McpGuard\Server\OAuth\Pdo\PdoDatabase($pdo, $prefix));
for ($r = 0; $r < (int) $rounds; $r++) {
    while (!file_exists("$go.$r")) { usleep(200); }
    echo $store->claim(str_repeat((string) $r, 32), 1800000300, 1800000000) ? "won $r\n" : "lost $r\n";
}
PHP);
        $procs = [];
        try {
            for ($i = 0; $i < $workers; $i++) {
                $cmd = [PHP_BINARY, '-d', 'extension=' . \McpGuard\Tests\Support\PhpProcess::modulePath(), $script,
                    dirname(__DIR__, 4), (string) $this->file, "$dir/go", self::PREFIX, (string) $rounds];
                $p = proc_open($cmd, [1 => ['pipe', 'w'], 2 => ['pipe', 'w']], $pipes);
                self::assertIsResource($p);
                $procs[] = [$p, $pipes];
            }
            usleep(300_000); // every worker connected and waiting
            for ($r = 0; $r < $rounds; $r++) {
                touch("$dir/go.$r");
                usleep(50_000);
            }
            $won = array_fill(0, $rounds, 0);
            $lost = array_fill(0, $rounds, 0);
            foreach ($procs as [$p, $pipes]) {
                $out = (string) stream_get_contents($pipes[1]);
                $err = (string) stream_get_contents($pipes[2]);
                self::assertSame('', $err, 'worker stderr');
                foreach (explode("\n", trim($out)) as $line) {
                    [$what, $r] = explode(' ', $line);
                    $what === 'won' ? $won[(int) $r]++ : $lost[(int) $r]++;
                }
            }
            self::assertSame(array_fill(0, $rounds, 1), $won, 'exactly one winner per id');
            self::assertSame(array_fill(0, $rounds, $workers - 1), $lost);
        } finally {
            foreach ($procs as [$p, $pipes]) {
                foreach ($pipes as $pipe) {
                    if (is_resource($pipe)) {
                        fclose($pipe);
                    }
                }
                proc_terminate($p);
                proc_close($p);
            }
            array_map('unlink', glob("$dir/*") ?: []);
            rmdir($dir);
        }
    }
}
