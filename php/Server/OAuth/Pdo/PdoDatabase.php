<?php

declare(strict_types=1);

namespace McpGuard\Server\OAuth\Pdo;

use McpGuard\Exception\InvalidArgumentException;
use McpGuard\Server\OAuth\StorageException;
use PDO;

/**
 * The connection and table names every PDO store of the OAuth glue shares:
 * SQLite (the default) or MySQL/MariaDB, tables named `<prefix><name>`.
 * Statements are prepared with typed parameters; every driver error leaves as
 * a StorageException. Transactions are the stores' own: do not call a store
 * inside a transaction the host opened on the same connection. The
 * connection is switched to PDO::ERRMODE_EXCEPTION (as PdoTokenStore does).
 */
final class PdoDatabase
{
    public const DEFAULT_PREFIX = 'mcp_guard_oauth_';

    /** Attempts of a transaction that hit a deadlock (SQLSTATE 40001). */
    private const ATTEMPTS = 3;

    private readonly string $driver;

    /**
     * @param string $prefix table-name prefix: a plain SQL identifier of at most 32 characters
     * @throws InvalidArgumentException another driver, or a prefix that is not a plain identifier
     */
    public function __construct(private readonly PDO $pdo, private readonly string $prefix = self::DEFAULT_PREFIX)
    {
        if (preg_match('/^[A-Za-z_][A-Za-z0-9_]{0,31}$/D', $prefix) !== 1) {
            throw new InvalidArgumentException('The table prefix must be a plain SQL identifier of at most 32 characters.');
        }
        $driver = (string) $pdo->getAttribute(PDO::ATTR_DRIVER_NAME);
        if ($driver !== 'sqlite' && $driver !== 'mysql') {
            throw new InvalidArgumentException('The OAuth stores support the sqlite and mysql PDO drivers only.');
        }
        $pdo->setAttribute(PDO::ATTR_ERRMODE, PDO::ERRMODE_EXCEPTION);
        $this->driver = $driver;
    }

    /**
     * Opens a SQLite file the way concurrent workers need it: WAL journal (readers
     * never block the writer) and a busy timeout (writers queue instead of failing).
     */
    public static function sqlite(string $path, int $busyTimeoutMs = 5000): PDO
    {
        try {
            $pdo = new PDO('sqlite:' . $path, null, null, [PDO::ATTR_ERRMODE => PDO::ERRMODE_EXCEPTION]);
            $pdo->exec('PRAGMA busy_timeout = ' . max(0, $busyTimeoutMs));
            $pdo->exec('PRAGMA journal_mode = WAL');
        } catch (\PDOException $e) {
            throw StorageException::from($e);
        }
        return $pdo;
    }

    /** 'sqlite' or 'mysql'. */
    public function driver(): string
    {
        return $this->driver;
    }

    /** The full name of one of the glue's tables (`clients`, `codes`, …). */
    public function table(string $name): string
    {
        return $this->prefix . $name;
    }

    /**
     * Prepares and runs one statement with positional parameters bound by type.
     *
     * @param list<string|int|null> $params
     * @throws StorageException
     */
    public function run(string $sql, array $params = []): \PDOStatement
    {
        try {
            $st = $this->pdo->prepare($sql);
            foreach ($params as $i => $value) {
                $st->bindValue($i + 1, $value, match (true) {
                    is_int($value) => PDO::PARAM_INT,
                    $value === null => PDO::PARAM_NULL,
                    default => PDO::PARAM_STR,
                });
            }
            $st->execute();
            return $st;
        } catch (\PDOException $e) {
            throw StorageException::from($e);
        }
    }

    /**
     * The first row of a query as an associative array, or null.
     *
     * @param list<string|int|null> $params
     * @return array<string, mixed>|null
     */
    public function row(string $sql, array $params = []): ?array
    {
        $row = $this->run($sql, $params)->fetch(PDO::FETCH_ASSOC);
        return $row === false ? null : $row;
    }

    /**
     * Runs `$body` in a transaction and commits, or rolls back and rethrows.
     * SQLite takes the write lock up front (BEGIN IMMEDIATE), so concurrent
     * writers queue on the busy timeout instead of failing half-way; a MySQL
     * deadlock is retried (the body must only touch the database).
     *
     * @template T
     * @param \Closure(): T $body
     * @return T
     * @throws StorageException
     */
    public function transaction(\Closure $body): mixed
    {
        for ($attempt = 1; ; $attempt++) {
            $this->begin();
            try {
                $result = $body();
                $this->finish('COMMIT');
                return $result;
            } catch (\Throwable $e) {
                $this->rollBackQuietly();
                if (!($e instanceof StorageException && $e->isRetryable() && $attempt < self::ATTEMPTS)) {
                    throw $e;
                }
            }
        }
    }

    private function begin(): void
    {
        try {
            if ($this->driver === 'sqlite') {
                $this->pdo->exec('BEGIN IMMEDIATE');
            } else {
                $this->pdo->beginTransaction();
            }
        } catch (\PDOException $e) {
            throw StorageException::from($e);
        }
    }

    private function finish(string $how): void
    {
        try {
            if ($this->driver === 'sqlite') {
                $this->pdo->exec($how);
            } elseif ($how === 'COMMIT') {
                $this->pdo->commit();
            } else {
                $this->pdo->rollBack();
            }
        } catch (\PDOException $e) {
            throw StorageException::from($e);
        }
    }

    private function rollBackQuietly(): void
    {
        try {
            $this->finish('ROLLBACK');
        } catch (StorageException) {
            // The transaction is gone already (the server rolled it back, or the connection died).
        }
    }
}
