<?php

declare(strict_types=1);

namespace McpGuard\Tests\Server\Console;

require_once '/usr/share/php/Symfony/Component/Console/autoload.php';

use McpGuard\Server\Console\CliConfig;
use McpGuard\Server\Console\CliServices;
use McpGuard\Server\Console\ConsoleApplication;
use McpGuard\Server\OAuth\Pdo\Migrations;
use McpGuard\Server\OAuth\Pdo\PdoDatabase;
use McpGuard\Server\Token\PdoTokenStore;
use McpGuard\Server\Token\TokenService;
use McpGuard\Tokens;
use PDO;
use PHPUnit\Framework\TestCase;
use Symfony\Component\Console\Tester\ApplicationTester;
use Symfony\Component\Console\Tester\CommandTester;

/**
 * The admin commands through Symfony's CommandTester, on a configuration
 * file in a temporary directory: a SQLite file by default, or the server
 * MCP_GUARD_TEST_DSN names (tests/db/mariadb.sh), under table names of
 * their own that tearDown drops. Every run() builds the application afresh,
 * as every invocation of bin/mcp-guard does.
 */
abstract class ConsoleTestCase extends TestCase
{
    protected const NOW = 1_800_000_000;
    protected const PEPPER = 'cli-test-pepper-0123456789abcdefghijklmnop';
    protected const PREFIX = 'mcpg_cli_';
    protected const TOKENS = 'mcpg_cli_tokens';

    protected string $dir;
    protected string $configFile;
    protected int $now = self::NOW;

    protected function setUp(): void
    {
        $this->dir = sys_get_temp_dir() . '/mcpg-cli-' . bin2hex(random_bytes(6));
        mkdir($this->dir, 0700);
        $this->configFile = $this->dir . '/mcp-guard.php';
        $this->writeConfig();
        $this->dropTables(); // a MariaDB run left by an interrupted test
    }

    protected function tearDown(): void
    {
        $this->dropTables();
        foreach (glob($this->dir . '/*') ?: [] as $f) {
            unlink($f);
        }
        rmdir($this->dir);
        // Symfony's Application and its commands point at each other: a
        // cycle only the collector frees. Free it now, not at shutdown
        // (where valgrind, with USE_ZEND_ALLOC=0, counts it as a leak).
        gc_collect_cycles();
    }

    private function dropTables(): void
    {
        $db = $this->database();
        (new Migrations($db))->down();
        $pdo = $this->pdo();
        $pdo->exec('DROP TABLE IF EXISTS ' . $db->table('schema_versions'));
        $pdo->exec('DROP TABLE IF EXISTS ' . self::TOKENS);
    }

    /** @param array<string, mixed> $extra merged over the defaults */
    protected function writeConfig(array $extra = []): void
    {
        $dsn = getenv('MCP_GUARD_TEST_DSN');
        $database = $dsn === false || $dsn === ''
            ? ['sqlite' => 'guard.sqlite']
            : ['dsn' => $dsn, 'user' => getenv('MCP_GUARD_TEST_DB_USER') ?: null, 'password' => getenv('MCP_GUARD_TEST_DB_PASSWORD') ?: null];
        $config = array_replace(['database' => $database, 'prefix' => self::PREFIX,
            'tokens' => ['prefix' => 'shop', 'pepper' => self::PEPPER, 'table' => self::TOKENS]], $extra);
        file_put_contents($this->configFile, '<?php return ' . var_export($config, true) . ";\n");
    }

    /** A connection of the test's own to the configured database. */
    protected function pdo(): PDO
    {
        $dsn = getenv('MCP_GUARD_TEST_DSN');
        if ($dsn === false || $dsn === '') {
            return PdoDatabase::sqlite($this->dir . '/guard.sqlite');
        }
        return new PDO($dsn, getenv('MCP_GUARD_TEST_DB_USER') ?: null, getenv('MCP_GUARD_TEST_DB_PASSWORD') ?: null,
            [PDO::ATTR_ERRMODE => PDO::ERRMODE_EXCEPTION]);
    }

    protected function database(): PdoDatabase
    {
        $db = new PdoDatabase($this->pdo(), self::PREFIX);
        (new Migrations($db))->up();
        return $db;
    }

    /** The token service the server would use: same table, prefix and pepper. */
    protected function tokenService(): TokenService
    {
        $store = new PdoTokenStore($this->pdo(), self::TOKENS);
        $store->createTable();
        return new TokenService($store, new Tokens('shop', self::PEPPER));
    }

    protected function application(): ConsoleApplication
    {
        return new ConsoleApplication(new CliServices(CliConfig::load($this->configFile), fn (): int => $this->now));
    }

    /**
     * Runs one command, stderr captured apart from stdout.
     *
     * @param array<string, mixed> $input arguments and options, as CommandTester takes them
     */
    protected function command(string $command, array $input = []): CommandTester
    {
        $tester = new CommandTester($this->application()->find($command));
        $tester->execute($input, ['capture_stderr_separately' => true, 'decorated' => false]);
        return $tester;
    }

    /**
     * Runs a whole command line through the application (usage errors, the
     * configuration lookup), without a preset configuration.
     *
     * @param array<string, mixed> $input
     */
    protected static function runApplication(array $input): ApplicationTester
    {
        $app = new ConsoleApplication();
        $app->setAutoExit(false);
        $tester = new ApplicationTester($app);
        $tester->run($input, ['capture_stderr_separately' => true, 'decorated' => false]);
        return $tester;
    }

    /** Runs a command and asserts that it succeeded, stderr shown on failure. */
    protected function ok(string $command, array $input = []): CommandTester
    {
        $t = $this->command($command, $input);
        self::assertSame(0, $t->getStatusCode(), $command . ': ' . $t->getErrorOutput());
        return $t;
    }

    /** Asserts a refusal: the exit code, nothing on stdout, one line on stderr naming it. */
    protected static function assertRefused(CommandTester|ApplicationTester $t, int $code, string $message): void
    {
        self::assertSame($code, $t->getStatusCode(), 'exit code; stderr: ' . $t->getErrorOutput());
        self::assertSame('', $t->getDisplay(), 'nothing on stdout');
        $err = $t->getErrorOutput();
        self::assertStringStartsWith('mcp-guard: ', $err);
        self::assertStringContainsString($message, $err);
        self::assertSame(1, substr_count(rtrim($err, "\n"), "\n") + 1, 'one line: ' . $err);
        self::assertStringNotContainsString('Stack trace', $err);
        self::assertStringNotContainsString('#0 ', $err);
    }
}
