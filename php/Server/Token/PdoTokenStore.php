<?php

declare(strict_types=1);

namespace McpGuard\Server\Token;

use McpGuard\Exception\InvalidArgumentException;
use PDO;

/**
 * TokenStore on PDO: SQLite and MySQL/MariaDB. Scopes are stored as one
 * space-separated string (the OAuth `scope` form).
 */
final class PdoTokenStore implements TokenStore
{
    private readonly string $table;
    private readonly string $driver;

    public function __construct(private readonly PDO $pdo, string $table = 'mcp_guard_tokens')
    {
        if (preg_match('/^[A-Za-z_][A-Za-z0-9_]{0,63}$/D', $table) !== 1) {
            throw new InvalidArgumentException('The table name must be a plain SQL identifier.');
        }
        $driver = (string) $pdo->getAttribute(PDO::ATTR_DRIVER_NAME);
        if (!in_array($driver, ['sqlite', 'mysql'], true)) {
            throw new InvalidArgumentException("PdoTokenStore supports sqlite and mysql, not {$driver}.");
        }
        $pdo->setAttribute(PDO::ATTR_ERRMODE, PDO::ERRMODE_EXCEPTION);
        $this->table = $table;
        $this->driver = $driver;
    }

    /** Creates the table if it does not exist. */
    public function createTable(): void
    {
        foreach (self::schema($this->table, $this->driver) as $statement) {
            $this->pdo->exec($statement);
        }
    }

    /**
     * The statements that create the table (and its index) if missing, for a
     * host that runs its schema through its own database layer (the
     * PrestaShop module's install through `Db`).
     *
     * @param 'sqlite'|'mysql' $driver
     * @return list<string>
     * @throws InvalidArgumentException a table name that is not a plain SQL identifier, another driver
     */
    public static function schema(string $table, string $driver): array
    {
        if (preg_match('/^[A-Za-z_][A-Za-z0-9_]{0,63}$/D', $table) !== 1) {
            throw new InvalidArgumentException('The table name must be a plain SQL identifier.');
        }
        return match ($driver) {
            'mysql' => ["CREATE TABLE IF NOT EXISTS {$table} (
                public_id VARCHAR(64) NOT NULL PRIMARY KEY,
                hash VARCHAR(128) NOT NULL,
                subject VARCHAR(191) NOT NULL,
                scopes TEXT NOT NULL,
                name VARCHAR(191) NOT NULL DEFAULT '',
                created_at BIGINT NOT NULL,
                expires_at BIGINT NULL,
                revoked_at BIGINT NULL,
                INDEX {$table}_subject (subject)
            ) DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin"],
            'sqlite' => ["CREATE TABLE IF NOT EXISTS {$table} (
                public_id TEXT NOT NULL PRIMARY KEY,
                hash TEXT NOT NULL,
                subject TEXT NOT NULL,
                scopes TEXT NOT NULL,
                name TEXT NOT NULL DEFAULT '',
                created_at INTEGER NOT NULL,
                expires_at INTEGER NULL,
                revoked_at INTEGER NULL
            )", "CREATE INDEX IF NOT EXISTS {$table}_subject ON {$table} (subject)"],
            default => throw new InvalidArgumentException("PdoTokenStore supports sqlite and mysql, not {$driver}."),
        };
    }

    public function find(string $publicId): ?TokenRecord
    {
        $st = $this->pdo->prepare("SELECT * FROM {$this->table} WHERE public_id = ?");
        $st->execute([$publicId]);
        $row = $st->fetch(PDO::FETCH_ASSOC);
        return $row === false ? null : self::record($row);
    }

    public function save(TokenRecord $r): void
    {
        $cols = 'public_id, hash, subject, scopes, name, created_at, expires_at, revoked_at';
        $sql = $this->driver === 'mysql'
            ? "INSERT INTO {$this->table} ({$cols}) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
               ON DUPLICATE KEY UPDATE hash = VALUES(hash), subject = VALUES(subject), scopes = VALUES(scopes),
               name = VALUES(name), created_at = VALUES(created_at), expires_at = VALUES(expires_at), revoked_at = VALUES(revoked_at)"
            : "INSERT INTO {$this->table} ({$cols}) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
               ON CONFLICT(public_id) DO UPDATE SET hash = excluded.hash, subject = excluded.subject, scopes = excluded.scopes,
               name = excluded.name, created_at = excluded.created_at, expires_at = excluded.expires_at, revoked_at = excluded.revoked_at";
        $this->pdo->prepare($sql)->execute([
            $r->publicId, $r->hash, $r->subject, implode(' ', $r->scopes), $r->name,
            $r->createdAt, $r->expiresAt, $r->revokedAt,
        ]);
    }

    public function forSubject(string $subject): array
    {
        $st = $this->pdo->prepare("SELECT * FROM {$this->table} WHERE subject = ? ORDER BY created_at DESC, public_id");
        $st->execute([$subject]);
        return array_map([self::class, 'record'], $st->fetchAll(PDO::FETCH_ASSOC));
    }

    public function all(): array
    {
        $st = $this->pdo->query("SELECT * FROM {$this->table} ORDER BY created_at DESC, public_id");
        return array_map([self::class, 'record'], $st->fetchAll(PDO::FETCH_ASSOC));
    }

    /** @param array<string, mixed> $row */
    private static function record(array $row): TokenRecord
    {
        $int = static fn ($v): ?int => $v === null ? null : (int) $v;
        return new TokenRecord(
            (string) $row['public_id'],
            (string) $row['hash'],
            (string) $row['subject'],
            $row['scopes'] === '' ? [] : explode(' ', (string) $row['scopes']),
            (string) $row['name'],
            (int) $row['created_at'],
            $int($row['expires_at']),
            $int($row['revoked_at']),
        );
    }
}
