<?php

declare(strict_types=1);

namespace McpGuard\Tests\Support\Guard;

use McpGuard\Server\OAuth\Pdo\Migrations;
use McpGuard\Server\OAuth\Pdo\PdoDatabase;
use McpGuard\Tests\Mcp\Catalogue;
use McpGuard\Tests\Support\PhpProcess;
use PHPUnit\Framework\Assert;

require_once dirname(__DIR__, 3) . '/mcp/server/Catalogue.php';

/**
 * The test shop behind tests/mcp/server/router.php, for the end-to-end
 * tests: a temp dir with the SQLite database (schema, catalogue), the
 * `bin/mcp-guard` configuration file the router reads its stores from, and
 * the router's own settings (shop.json, rewritten by a test to change
 * writes, rates, origins…). Members and tokens are made with the real CLI.
 */
final class TestShop
{
    public const PREFIX = 'mcpg_';
    public const AUDIT_KEY = 'audit-key-of-the-test-shop-32-bytes';
    public readonly string $dir;
    public readonly PdoDatabase $db;
    /** @var array<string, mixed> */
    private array $config = [];
    /** @var array<string, string> member => API token */
    public array $tokens = [];

    public function __construct()
    {
        $this->dir = sys_get_temp_dir() . '/mcpg-shop-' . bin2hex(random_bytes(6));
        mkdir($this->dir . '/sessions', 0700, true);
        $sqlite = $this->dir . '/shop.sqlite';
        $this->db = new PdoDatabase(PdoDatabase::sqlite($sqlite), self::PREFIX);
        (new Migrations($this->db))->up();
        Catalogue::install($this->db);
        file_put_contents($this->dir . '/cli.php', '<?php return ' . var_export([
            'database' => ['sqlite' => $sqlite], 'prefix' => self::PREFIX, 'audit' => ['key' => self::AUDIT_KEY],
        ], true) . ';');
    }

    /** The settings file the router reads (MCPG_SHOP_CONFIG). */
    public function configFile(): string
    {
        return $this->dir . '/shop.json';
    }

    /** @param array<string, mixed> $config the router's settings (see tests/mcp/server/router.php) */
    public function configure(array $config): void
    {
        $this->config = $config + ['cli' => $this->dir . '/cli.php', 'writesEnabled' => true, 'dangerousAllowHttpLoopback' => true,
            'confirmationKey' => str_repeat('c', 32)];
        $this->change([]);
    }

    /** @param array<string, mixed> $changes over the configured settings, until the next change([]) */
    public function change(array $changes): void
    {
        file_put_contents($this->configFile(), json_encode($changes + $this->config, JSON_UNESCAPED_SLASHES), LOCK_EX);
    }

    /** Adds members (id => role) and an API token for each, through the CLI. */
    public function members(array $roles): void
    {
        foreach ($roles as $member => $role) {
            $this->cli(['member:add', $member, "--role={$role}"]);
            $this->tokens[$member] = $this->token($member, $role);
        }
    }

    public function token(string $member, string $role, ?int $ttl = null): string
    {
        return trim($this->cli(['token:create', $member, "--role={$role}", ...($ttl === null ? [] : ["--ttl={$ttl}"])])['stdout']);
    }

    /**
     * Runs the real `bin/mcp-guard` against the shop's configuration.
     *
     * @param list<string> $args
     * @return array{status: int, stdout: string, stderr: string}
     */
    public function cli(array $args, int $expect = 0): array
    {
        // The same PHP settings as this process (scripts/php.sh's scan directory), and the built module.
        $cmd = [PHP_BINARY, '-d', 'extension=' . PhpProcess::modulePath(), dirname(__DIR__, 4) . '/bin/mcp-guard',
            '--config=' . $this->dir . '/cli.php', ...$args];
        $p = proc_open($cmd, [1 => ['pipe', 'w'], 2 => ['pipe', 'w']], $pipes);
        $out = (string) stream_get_contents($pipes[1]);
        $err = (string) stream_get_contents($pipes[2]);
        $status = proc_close($p);
        Assert::assertSame($expect, $status, implode(' ', $args) . "\n" . $out . $err);
        return ['status' => $status, 'stdout' => $out, 'stderr' => $err];
    }

    /** @return array<string, mixed> a row of the shop's products or orders table */
    public function row(string $table, int $id): array
    {
        return $this->db->row('SELECT * FROM ' . $this->db->table($table) . ' WHERE id = ?', [$id]) ?? [];
    }

    public function destroy(): void
    {
        foreach ([...glob($this->dir . '/sessions/*') ?: [], ...glob($this->dir . '/*') ?: []] as $f) {
            is_dir($f) ? rmdir($f) : unlink($f);
        }
        @rmdir($this->dir);
    }
}
