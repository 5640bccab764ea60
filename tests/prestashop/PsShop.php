<?php

declare(strict_types=1);

namespace McpGuard\Tests\PrestaShop;

use McpGuard\PrestaShop\Services;
use McpGuard\Tests\Mcp\Catalogue;
use McpGuard\Tests\Support\OAuth\HttpServer;

/**
 * A PrestaShop shop for the tests: an empty MariaDB database, the module
 * (and the test module mcpdemo, which binds the catalogue's tools) installed
 * through Module::install(), the settings in Configuration, and `php -S`
 * with four workers serving tests/prestashop/front/index.php.
 */
final class PsShop
{
    public readonly string $dir;
    public ?HttpServer $server = null;

    public function __construct(?string $dir = null)
    {
        $this->dir = $dir ?? sys_get_temp_dir() . '/mcpg-ps-' . bin2hex(random_bytes(6));
        is_dir($this->dir) || mkdir($this->dir, 0700, true);
        self::dropEverything();
        Services::reset();
    }

    /** Every table of the test database goes (PrestaShop's stand-in tables are made again by the stand-ins' bootstrap). */
    public static function dropEverything(): void
    {
        $db = \Db::getInstance();
        foreach ($db->executeS('SHOW TABLES') ?: [] as $row) {
            $db->execute('DROP TABLE IF EXISTS `' . array_values($row)[0] . '`');
        }
        foreach (['configuration' => 'name VARCHAR(254) NOT NULL PRIMARY KEY, value TEXT NULL', 'module' => 'name VARCHAR(64) NOT NULL PRIMARY KEY, active TINYINT NOT NULL, version VARCHAR(8) NOT NULL',
            'hook_module' => 'hook VARCHAR(191) NOT NULL, module VARCHAR(64) NOT NULL, PRIMARY KEY (hook, module)',
            'employee' => 'id_employee INT NOT NULL PRIMARY KEY, email VARCHAR(255) NOT NULL, firstname VARCHAR(255) NOT NULL, lastname VARCHAR(255) NOT NULL'] as $t => $cols) {
            $db->execute('CREATE TABLE ' . _DB_PREFIX_ . "{$t} ({$cols})");
        }
    }

    /** Installs both modules and starts the server (friendly URLs on or off). */
    public function start(bool $friendlyUrls = true, array $settings = []): void
    {
        $this->install($friendlyUrls, $settings);
        $env = [];
        foreach (['MCPG_PS_DB_SERVER', 'MCPG_PS_DB_NAME', 'MCPG_PS_DB_USER', 'MCPG_PS_DB_PASSWORD', 'MCPG_PS_VERSION'] as $k) {
            $env[$k] = (string) getenv($k);
        }
        $this->server = new HttpServer(__DIR__ . '/front/index.php', $env + ['PHP_CLI_SERVER_WORKERS' => '4'],
            ['display_errors' => 'stderr', 'log_errors' => '0', 'session.save_path' => $this->dir], $this->dir . '/server.log');
        \Configuration::updateValue('PS_SHOP_DOMAIN_SSL', substr($this->server->origin, strlen('http://')));
    }

    /** Installs both modules (mcpdemo binds the catalogue's tools), the policy manifest and the catalogue. */
    public function install(bool $friendlyUrls = true, array $settings = []): void
    {
        \Configuration::updateValue('PS_REWRITING_SETTINGS', $friendlyUrls ? '1' : '0');
        \Configuration::updateValue('PS_SSL_ENABLED', '0');
        foreach (['mcpdemo', 'mcpguard'] as $name) {
            \Module::getInstanceByName($name)->install() || throw new \RuntimeException("{$name} did not install: " . \Db::getInstance()->getMsgError());
        }
        $manifest = Catalogue::manifest(true);
        unset($manifest['writes_enabled']);
        file_put_contents($this->dir . '/policy.json', json_encode($manifest, JSON_UNESCAPED_SLASHES));
        $this->settings(['MCPGUARD_POLICY' => $this->dir . '/policy.json', 'MCPGUARD_WRITES' => '1', 'MCPGUARD_HTTP_LOOPBACK' => '1',
            'MCPGUARD_RATES' => json_encode(['read' => ['limit' => 5, 'period' => 3600], 'destructive' => ['limit' => 20, 'period' => 60]])] + $settings);
        Catalogue::install(Services::get()->cli()->database());
    }

    /** @param array<string, string> $settings Configuration key => value */
    public function settings(array $settings): void
    {
        foreach ($settings as $k => $v) {
            \Configuration::updateValue($k, $v);
        }
    }

    /** An API token for a member, as the back office issues it (scopes of the role). */
    public function token(string $member, string $role, ?int $ttl = null): string
    {
        $cli = Services::get()->cli();
        return $cli->tokens()->issue($member, $cli->policy()->scopesForRole($role), '', $ttl)->plaintext();
    }

    /** @return array<string, mixed> */
    public function row(string $table, int $id): array
    {
        $db = Services::get()->cli()->database();
        return $db->row('SELECT * FROM ' . $db->table($table) . ' WHERE id = ?', [$id]) ?? [];
    }

    public function destroy(): void
    {
        $this->server?->stop();
        // The objects of the run (the admin commands' Symfony application holds itself in a cycle) are
        // freed now: PHP 8.2 leaks the PDOStatements of cyclic garbage still alive at shutdown when
        // run without its allocator (USE_ZEND_ALLOC=0, the valgrind check).
        Services::reset();
        gc_collect_cycles();
        foreach ([...glob($this->dir . '/*') ?: [], ...glob($this->dir . '/.*') ?: []] as $f) {
            if (is_dir($f)) {
                continue;
            }
            unlink($f);
        }
        @rmdir($this->dir);
    }
}
