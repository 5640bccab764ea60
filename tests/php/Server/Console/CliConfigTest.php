<?php

declare(strict_types=1);

namespace McpGuard\Tests\Server\Console;

require_once __DIR__ . '/ConsoleTestCase.php';

use McpGuard\Server\Console\CliConfig;
use McpGuard\Server\Console\ExitCode;

/**
 * The configuration file and the command line: every mistake is one line on
 * stderr and its exit code, never a PHP warning or a stack trace, and never
 * a secret of the file.
 */
final class CliConfigTest extends ConsoleTestCase
{
    private function runWith(string $configText, array $input = ['command' => 'member:list']): \Symfony\Component\Console\Tester\ApplicationTester
    {
        file_put_contents($this->dir . '/c.php', $configText);
        return self::runApplication($input + ['--config' => $this->dir . '/c.php']);
    }

    public function testTheFileComesFromTheOptionOrTheEnvironment(): void
    {
        putenv(CliConfig::ENV);
        self::assertRefused(self::runApplication(['command' => 'member:list']), ExitCode::CONFIG, 'No configuration: pass --config FILE or set MCP_GUARD_CONFIG');
        self::assertRefused(self::runApplication(['command' => 'member:list', '--config' => $this->dir . '/none.php']), ExitCode::CONFIG, 'does not exist');
        putenv(CliConfig::ENV . '=' . $this->configFile);
        try {
            $t = self::runApplication(['command' => 'member:list', '--format' => 'json']);
            self::assertSame(0, $t->getStatusCode(), $t->getErrorOutput());
            self::assertSame("[]\n", $t->getDisplay());
            self::assertSame(0, self::runApplication(['command' => 'member:list', '-c' => $this->configFile])->getStatusCode(), 'short option');
        } finally {
            putenv(CliConfig::ENV);
        }
    }

    public function testABrokenFileIsOneLineAndNeverQuotesTheFile(): void
    {
        $cases = [
            ["<?php return ['database' => ['dsn' => 'mysql:x', 'password' => \"hunter2-secret\"] 'oops'];", 'PHP syntax error on line 1'],
            ['<?php return 42;', 'must return an array'],
            ["<?php\n\$a = [];\nreturn ['x' => \$a['hunter2-secret']];", 'a PHP warning on line 3'],
            ["<?php throw new RuntimeException('hunter2-secret');", 'an uncaught RuntimeException on line 1'],
            ["hunter2-secret <?php return [];", 'printed output'],
            ["<?php return ['databse' => []];", "unknown key 'databse'"],
            ["<?php return ['database' => ['sqlite' => 'x'], \"hunter2\\nsecret\" => 1];", 'unknown key a key'],
            ["<?php return ['prefix' => 'x'];", "needs 'database'"],
            ["<?php return ['database' => ['sqlite' => '']];", "'database.sqlite' must be a non-empty string"],
            ["<?php return ['database' => ['sqlite' => 'x', 'user' => 'u']];", "unknown key 'database.user'"],
            ["<?php return ['database' => ['dsn' => 'pgsql:host=x']];", 'mysql: or sqlite: PDO DSN'],
            ["<?php return ['database' => ['sqlite' => 'g.sqlite'], 'tokens' => ['pepper' => 42]];", "'tokens.pepper' must be a string"],
            ["<?php return ['database' => ['sqlite' => 'g.sqlite'], 'tokens' => 'x'];", "'tokens' must be an array"],
        ];
        foreach ($cases as [$text, $message]) {
            $t = $this->runWith($text);
            self::assertRefused($t, ExitCode::CONFIG, $message);
            self::assertStringNotContainsString('hunter2', $t->getErrorOutput());
        }
    }

    public function testValuesAreCheckedWhereTheyAreUsed(): void
    {
        $sqlite = "'database' => ['sqlite' => 'g.sqlite']";
        self::assertRefused($this->runWith("<?php return [{$sqlite}, 'prefix' => 'bad-prefix'];"), ExitCode::CONFIG, "'prefix'");
        self::assertRefused($this->runWith("<?php return [{$sqlite}, 'tokens' => ['pepper' => 'short-hunter2']];", ['command' => 'token:create', 'member' => 'a']),
            ExitCode::INVALID, "No member 'a'");
        $this->runWith("<?php return [{$sqlite}];", ['command' => 'member:add', 'id' => 'a', '--role' => 'viewer']);
        $t = $this->runWith("<?php return [{$sqlite}, 'tokens' => ['pepper' => 'short-hunter2']];", ['command' => 'token:create', 'member' => 'a']);
        self::assertRefused($t, ExitCode::CONFIG, 'weak_pepper');
        self::assertStringNotContainsString('hunter2', $t->getErrorOutput());
        self::assertRefused($this->runWith("<?php return [{$sqlite}, 'tokens' => ['table' => 'x y']];", ['command' => 'token:list']), ExitCode::CONFIG, "'tokens.table'");
        self::assertRefused($this->runWith("<?php return [{$sqlite}, 'policy' => 'missing.json'];", ['command' => 'member:add', 'id' => 'a', '--role' => 'viewer']),
            ExitCode::CONFIG, 'policy manifest');
        file_put_contents($this->dir . '/bad.json', '{"version": 1, "tools": {}, "rolez": {}}');
        self::assertRefused($this->runWith("<?php return [{$sqlite}, 'policy' => 'bad.json'];", ['command' => 'member:add', 'id' => 'a', '--role' => 'viewer']),
            ExitCode::CONFIG, 'manifest_unknown_key');
        self::assertRefused($this->runWith("<?php return [{$sqlite}, 'rate_limits' => ['write' => ['limit' => 0, 'period' => 60]]];", ['command' => 'ratelimit:status']),
            ExitCode::CONFIG, "'rate_limits'");
    }

    public function testADatabaseThatCannotBeOpenedIsAStorageErrorWithoutThePassword(): void
    {
        $t = $this->runWith("<?php return ['database' => ['dsn' => 'mysql:unix_socket={$this->dir}/no.sock;dbname=x', 'user' => 'shop', 'password' => 'hunter2-secret']];");
        self::assertRefused($t, ExitCode::STORAGE, 'Cannot open the database (SQLSTATE');
        self::assertStringNotContainsString('hunter2', $t->getErrorOutput());
        $t = $this->runWith("<?php return ['database' => ['sqlite' => '{$this->dir}/no/such/dir/g.sqlite']];");
        self::assertRefused($t, ExitCode::STORAGE, 'Cannot open the database');
    }

    public function testUsageErrorsAreOneLineWithExitCodeTwo(): void
    {
        self::assertRefused(self::runApplication(['command' => 'token:list', '--bogus' => true, '--config' => $this->configFile]), ExitCode::INVALID, 'option does not exist');
        self::assertRefused(self::runApplication(['command' => 'token:revoke', '--config' => $this->configFile]), ExitCode::INVALID, 'Not enough arguments');
        self::assertRefused(self::runApplication(['command' => 'token:nope', '--config' => $this->configFile]), ExitCode::INVALID, 'not defined');
        // Symfony would run an abbreviation (token:rev = token:revoke): never here.
        self::assertRefused(self::runApplication(['command' => 'member:l', '--config' => $this->configFile]), ExitCode::INVALID, 'Command "member:l" is not defined');
        self::assertRefused(self::runApplication(['command' => 'token:rev', 'publicId' => 'AAAAAAAAAAAAAAAA', '--config' => $this->configFile]), ExitCode::INVALID, 'not defined');
        $help = self::runApplication(['command' => 'list']);
        self::assertSame(0, $help->getStatusCode());
        foreach (['token:create', 'token:list', 'token:revoke', 'token:rotate', 'member:add', 'member:remove', 'member:list',
            'client:list', 'client:revoke', 'ratelimit:status', 'audit:tail', 'audit:verify'] as $name) {
            self::assertStringContainsString($name, $help->getDisplay());
        }
    }
}
