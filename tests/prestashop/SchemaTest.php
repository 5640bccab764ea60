<?php

declare(strict_types=1);

namespace McpGuard\Tests\PrestaShop;

use McpGuard\PrestaShop\Services;
use McpGuard\Server\OAuth\Pdo\Migrations;
use McpGuard\Server\OAuth\Pdo\PdoDatabase;
use McpGuard\Server\Token\PdoTokenStore;
use PHPUnit\Framework\TestCase;

/**
 * The module's install, upgrade and uninstall SQL, run through the Db
 * stand-in on a real MariaDB: the tables it makes are exactly the ones the
 * shared stores' own migrations make, an older install is upgraded by the
 * upgrade script, and uninstall leaves nothing behind.
 */
final class SchemaTest extends TestCase
{
    private const TABLES = ['ps_mcpguard_access_tokens', 'ps_mcpguard_audit_events', 'ps_mcpguard_audit_head', 'ps_mcpguard_clients',
        'ps_mcpguard_codes', 'ps_mcpguard_confirmations', 'ps_mcpguard_families', 'ps_mcpguard_grants', 'ps_mcpguard_members',
        'ps_mcpguard_refresh_tokens', 'ps_mcpguard_schema_versions', 'ps_mcpguard_tokens'];

    protected function setUp(): void
    {
        PsShop::dropEverything();
        Services::reset();
    }

    /** @return list<string> */
    private static function tables(string $like): array
    {
        return array_map(static fn (array $r): string => (string) array_values($r)[0], \Db::getInstance()->executeS("SHOW TABLES LIKE '{$like}'") ?: []);
    }

    /** @return array<string, string> table (prefix removed) => its CREATE TABLE */
    private static function definitions(string $prefix): array
    {
        $defs = [];
        foreach (self::tables($prefix . '%') as $t) {
            $sql = (string) (\Db::getInstance()->executeS("SHOW CREATE TABLE `{$t}`") ?: [[]])[0]["Create Table"];
            $defs[substr($t, strlen($prefix))] = str_replace($prefix, 'PREFIX_', $sql);
        }
        ksort($defs);
        return $defs;
    }

    public function testInstallMakesTheTablesTheSharedMigrationsMakeAndUninstallDropsThem(): void
    {
        $module = \Module::getInstanceByName('mcpguard');
        self::assertTrue($module->install());
        $tables = self::tables('ps_mcpguard_%');
        sort($tables);
        self::assertSame(self::TABLES, $tables);
        self::assertSame([1, 2, 3, 4], array_map('intval', array_column(\Db::getInstance()->executeS('SELECT version FROM ps_mcpguard_schema_versions ORDER BY version') ?: [], 'version')));
        self::assertSame(['moduleRoutes'], array_column(\Db::getInstance()->executeS("SELECT hook FROM ps_hook_module WHERE module = 'mcpguard'") ?: [], 'hook'));
        self::assertSame(64, strlen((string) \Configuration::get('MCPGUARD_AUDIT_KEY')));
        self::assertSame('0', \Configuration::get('MCPGUARD_WRITES'), 'writes are off after install');

        // The reference: the shared migrations and PdoTokenStore on PDO, under another prefix.
        $pdo = new \PDO((string) getenv('MCP_GUARD_TEST_DSN'), (string) getenv('MCP_GUARD_TEST_DB_USER'), (string) getenv('MCP_GUARD_TEST_DB_PASSWORD'));
        (new Migrations(new PdoDatabase($pdo, 'ref_')))->up();
        (new PdoTokenStore($pdo, 'ref_tokens'))->createTable();
        self::assertSame(self::definitions('ref_'), self::definitions('ps_mcpguard_'));

        // The runtime stores find the schema current: nothing is migrated again.
        self::assertSame(4, (new Migrations(Services::get()->cli()->database()))->version());
        self::assertSame([], (new Migrations(Services::get()->cli()->database()))->up());

        self::assertTrue($module->uninstall());
        self::assertSame([], self::tables('ps_mcpguard_%'));
        self::assertFalse(\Configuration::get('MCPGUARD_AUDIT_KEY'));
        self::assertFalse(\Module::isInstalled('mcpguard'));
    }

    public function testTheUpgradeScriptAppliesTheStepsAfterAnOlderInstall(): void
    {
        $module = \Module::getInstanceByName('mcpguard');
        // Release 1.0.0: schema steps 1–3 (no confirmations table).
        \Db::getInstance()->execute("INSERT INTO ps_module (name, active, version) VALUES ('mcpguard', 1, '1.0.0')");
        self::assertTrue(\McpGuard\PrestaShop\Schema::install(\Db::getInstance(), _DB_PREFIX_, 3));
        self::assertSame([], self::tables('ps_mcpguard_confirmations'));
        self::assertTrue(\Module::upgradeModule('mcpguard'));
        self::assertSame(['ps_mcpguard_confirmations'], self::tables('ps_mcpguard_confirmations'));
        self::assertSame('4', (string) \Db::getInstance()->getValue('SELECT MAX(version) FROM ps_mcpguard_schema_versions'));
        self::assertSame('1.1.0', (string) \Db::getInstance()->getValue("SELECT version FROM ps_module WHERE name = 'mcpguard'"));
        self::assertTrue(\Module::upgradeModule('mcpguard'), 'nothing left to upgrade');
        self::assertTrue($module->uninstall());
        self::assertSame([], self::tables('ps_mcpguard_%'));
    }

    public function testTheModuleInstallsOnPrestaShop8And9AndNotOn17(): void
    {
        $install = static function (string $version): string {
            $code = 'require ' . var_export(__DIR__ . '/bootstrap.php', true) . '; echo json_encode([Module::getInstanceByName("mcpguard")->install(),'
                . ' Db::getInstance()->executeS("SHOW TABLES LIKE \'ps_mcpguard_%\'")]);';
            $p = proc_open([PHP_BINARY, '-d', 'extension=' . \McpGuard\Tests\Support\PhpProcess::modulePath(), '-r', $code],
                [1 => ['pipe', 'w'], 2 => ['pipe', 'w']], $pipes, null, ['MCPG_PS_VERSION' => $version] + getenv());
            $out = (string) stream_get_contents($pipes[1]) . stream_get_contents($pipes[2]);
            proc_close($p);
            return $out;
        };
        foreach (['8.0.0', '8.2.1', '9.0.0'] as $version) {
            $r = json_decode($install($version), true);
            self::assertTrue($r[0] ?? null, $version);
            self::assertCount(12, $r[1], $version);
            self::assertTrue(\Module::getInstanceByName('mcpguard')->uninstall());
        }
        self::assertSame('[false,[]]', $install('1.7.8.11'), 'refused before any table is made');
    }

    public function testAStatementThatFailsFailsTheInstall(): void
    {
        \Db::getInstance()->execute('CREATE TABLE ps_mcpguard_members (x INT)');
        self::assertFalse(\McpGuard\PrestaShop\Schema::install(\Db::getInstance(), _DB_PREFIX_));
    }
}
