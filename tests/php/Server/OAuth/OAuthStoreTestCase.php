<?php

declare(strict_types=1);

namespace McpGuard\Tests\Server\OAuth;

use McpGuard\Server\OAuth\Pdo\Migrations;
use McpGuard\Server\OAuth\Store\AccessTokenRecord;
use McpGuard\Server\OAuth\Store\CodeRecord;
use McpGuard\Server\OAuth\Store\FamilyRecord;
use McpGuard\Server\OAuth\Store\RefreshTokenRecord;
use McpGuard\Server\OAuth\Pdo\PdoDatabase;
use PDO;
use PHPUnit\Framework\TestCase;

/**
 * The OAuth stores against a real database: a SQLite file (WAL) by default,
 * or the server named by MCP_GUARD_TEST_DSN (tests/db/mariadb.sh starts a
 * private MariaDB and sets it). Every test gets the schema fresh, under a
 * table prefix of its own, and drops it again.
 */
abstract class OAuthStoreTestCase extends TestCase
{
    protected const NOW = 1_800_000_000;
    protected const PREFIX = 'mcpg_test_';

    protected ?string $file = null;
    protected PDO $pdo;
    protected PdoDatabase $db;
    protected Migrations $migrations;

    protected function setUp(): void
    {
        $this->pdo = self::connect($this->file);
        $this->db = new PdoDatabase($this->pdo, static::PREFIX);
        $this->migrations = new Migrations($this->db);
        $this->migrations->down();
        $this->migrations->up(now: self::NOW);
    }

    protected function tearDown(): void
    {
        $this->migrations->down();
        $this->pdo->exec('DROP TABLE IF EXISTS ' . $this->db->table('schema_versions'));
        if ($this->file !== null) {
            foreach (['', '-wal', '-shm'] as $suffix) {
                @unlink($this->file . $suffix);
            }
        }
        // PHPUnit keeps every test object to the end of the run: drop this
        // test's stores and connection now (the subclasses' private ones too,
        // from their own scope), or a MariaDB run nears max_connections.
        $drop = function (): void {
            foreach (array_keys(get_object_vars($this)) as $name) {
                if ($this->$name instanceof PDO || $this->$name instanceof \McpGuard\Server\OAuth\Pdo\PdoDatabase
                    || (is_object($this->$name) && str_starts_with(get_class($this->$name), 'McpGuard\\Server\\OAuth\\Pdo\\'))) {
                    unset($this->$name);
                }
            }
        };
        \Closure::bind($drop, $this, static::class)();
        unset($this->migrations, $this->db, $this->pdo);
    }

    /** A connection to the database under test; `$file` is set to the SQLite file it made. */
    public static function connect(?string &$file = null): PDO
    {
        $dsn = getenv('MCP_GUARD_TEST_DSN');
        if ($dsn === false || $dsn === '') {
            $file = (string) tempnam(sys_get_temp_dir(), 'mcpg-oauth');
            return PdoDatabase::sqlite($file);
        }
        return new PDO($dsn, getenv('MCP_GUARD_TEST_DB_USER') ?: null, getenv('MCP_GUARD_TEST_DB_PASSWORD') ?: null);
    }

    protected static function code(string $hash = 'sha256:code1', int $expiresAt = self::NOW + 60, string $family = 'fam-1'): CodeRecord
    {
        return new CodeRecord($hash, $family, 'https://app.example/client.json', 'http://127.0.0.1:53123/callback',
            str_repeat('E', 43), ['mcp.read', 'mcp.write'], 'https://shop.example/mcp', 'customer:42', self::NOW, $expiresAt);
    }

    protected static function family(string $id = 'fam-1', string $member = 'customer:42', string $client = 'client-key-a'): FamilyRecord
    {
        return new FamilyRecord($id, $member, $client, 'https://app.example/cb', ['mcp.read'], 'https://shop.example/mcp', self::NOW);
    }

    protected static function refresh(string $id, string $family = 'fam-1', ?string $parent = null, int $expiresAt = self::NOW + 86400): RefreshTokenRecord
    {
        return new RefreshTokenRecord($id, "sha256:hash-of-{$id}", $family, $parent, self::NOW, $expiresAt);
    }

    protected static function access(string $id, string $family = 'fam-1', string $member = 'customer:42', string $client = 'client-key-a'): AccessTokenRecord
    {
        return new AccessTokenRecord($id, "sha256:hash-of-{$id}", $family, $member, $client, ['mcp.read'], 'https://shop.example/mcp', self::NOW, self::NOW + 3600);
    }

    protected function isMysql(): bool
    {
        return $this->db->driver() === 'mysql';
    }

    /** Every stored byte of every OAuth table, whatever the database. */
    protected function storedBytes(): string
    {
        $all = [];
        foreach (['clients', 'codes', 'grants', 'families', 'refresh_tokens', 'access_tokens'] as $t) {
            $all[$t] = $this->pdo->query('SELECT * FROM ' . $this->db->table($t))->fetchAll(PDO::FETCH_ASSOC);
        }
        return json_encode($all, JSON_THROW_ON_ERROR | JSON_INVALID_UTF8_SUBSTITUTE);
    }
}
