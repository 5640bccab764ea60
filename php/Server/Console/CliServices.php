<?php

declare(strict_types=1);

namespace McpGuard\Server\Console;

use McpGuard\Exception\GuardException;
use McpGuard\Policy;
use McpGuard\RateLimiter;
use McpGuard\Audit\Chain;
use McpGuard\Audit\Event;
use McpGuard\Server\Audit\AuditException;
use McpGuard\Server\Audit\AuditLog;
use McpGuard\Server\Audit\AuditSink;
use McpGuard\Server\Audit\PdoAuditSink;
use McpGuard\Server\Audit\PdoAuditLog;
use McpGuard\Server\Member\PdoMemberStore;
use McpGuard\Server\OAuth\OAuthStores;
use McpGuard\Server\OAuth\Pdo\Migrations;
use McpGuard\Server\OAuth\Pdo\PdoDatabase;
use McpGuard\Server\OAuth\StorageException;
use McpGuard\Server\Token\PdoTokenStore;
use McpGuard\Server\Token\TokenService;
use McpGuard\Server\Token\TokenStore;
use McpGuard\Tokens;
use PDO;

/**
 * The stores and services a configuration names, built on first use: one PDO
 * connection (migrations applied, the token table created), the token
 * service, the members list, the OAuth stores, the policy. The admin CLI and
 * the host's endpoint can both build theirs from one CliConfig.
 */
final class CliServices
{
    /** A manifest without tools: the built-in roles (viewer, editor) when no policy is configured. */
    private const NO_TOOLS = ['version' => 1, 'tools' => []];

    private ?PdoDatabase $db = null;
    private ?PDO $pdo = null;
    private ?TokenStore $tokenStore = null;
    private ?TokenService $tokenService = null;
    private ?Policy $policy = null;
    private ?AuditSink $auditSink = null;

    /** @var \Closure(): int */
    private readonly \Closure $clock;

    /**
     * @param (\Closure(): int)|null $clock    Unix seconds; null = time()
     * @param AuditLog|null         $auditLog null = PdoAuditLog on the configured database
     */
    public function __construct(public readonly CliConfig $config, ?\Closure $clock = null, private ?AuditLog $auditLog = null)
    {
        $this->clock = $clock ?? static fn (): int => time();
    }

    public function now(): int
    {
        return ($this->clock)();
    }

    /**
     * The database, schema up to date.
     *
     * @throws ConsoleError CONFIG (bad prefix or DSN) or STORAGE (cannot connect, migration failed)
     */
    public function database(): PdoDatabase
    {
        if ($this->db !== null) {
            return $this->db;
        }
        $c = $this->config->database;
        try {
            if (isset($c['sqlite'])) {
                $pdo = PdoDatabase::sqlite($c['sqlite']);
            } else {
                $pdo = new PDO($c['dsn'], $c['user'], $c['password'], [PDO::ATTR_ERRMODE => PDO::ERRMODE_EXCEPTION]);
            }
        } catch (StorageException $e) {
            throw ConsoleError::storage('Cannot open the database (SQLSTATE ' . ($e->sqlState() ?: '?') . ').', $e->getPrevious() ?? $e);
        } catch (\PDOException $e) {
            throw ConsoleError::storage('Cannot open the database (SQLSTATE ' . ((string) ($e->errorInfo[0] ?? $e->getCode()) ?: '?') . ').', $e);
        }
        try {
            $db = new PdoDatabase($pdo, $this->config->prefix);
        } catch (GuardException $e) {
            throw ConsoleError::config("'prefix': " . self::why($e), $e);
        }
        try {
            (new Migrations($db))->up(now: $this->now());
        } catch (StorageException $e) {
            throw ConsoleError::storage('The schema migration failed (SQLSTATE ' . ($e->sqlState() ?: '?') . ').', $e->getPrevious() ?? $e);
        }
        $this->pdo = $pdo;
        return $this->db = $db;
    }

    /** The connection under database(), for stores that take a PDO. */
    public function pdo(): PDO
    {
        $this->database();
        /** @var PDO */
        return $this->pdo;
    }

    public function tokenStore(): TokenStore
    {
        if ($this->tokenStore === null) {
            try {
                $store = new PdoTokenStore($this->pdo(), $this->config->tokensTable);
            } catch (GuardException $e) {
                throw ConsoleError::config("'tokens.table': " . self::why($e), $e);
            }
            self::storage(static fn () => $store->createTable());
            $this->tokenStore = $store;
        }
        return $this->tokenStore;
    }

    /**
     * Tokens with the configured prefix and pepper (else the INI settings):
     * the same as the server's, or its tokens would not verify.
     */
    public function tokens(): TokenService
    {
        if ($this->tokenService === null) {
            try {
                $tokens = new Tokens($this->config->tokenPrefix, $this->config->pepper);
            } catch (GuardException $e) {
                throw ConsoleError::config("'tokens': " . self::why($e), $e);
            }
            $this->tokenService = new TokenService($this->tokenStore(), $tokens);
        }
        return $this->tokenService;
    }

    public function members(): PdoMemberStore
    {
        return new PdoMemberStore($this->database());
    }

    public function oauth(): OAuthStores
    {
        return OAuthStores::pdo($this->database());
    }

    /**
     * The configured policy manifest (a .php file returning the array, or JSON
     * text), or one without tools, whose roles are the built-in viewer and editor.
     *
     * @throws ConsoleError CONFIG
     */
    public function policy(): Policy
    {
        if ($this->policy !== null) {
            return $this->policy;
        }
        $path = $this->config->policyPath;
        $manifest = self::NO_TOOLS;
        if ($path !== null) {
            $shown = Text::plain($path);
            if (!is_file($path) || !is_readable($path)) {
                throw ConsoleError::config("The policy manifest {$shown} does not exist or cannot be read.");
            }
            if (str_ends_with($path, '.php')) {
                $manifest = self::requireQuietly($path, $shown);
            } else {
                $manifest = (string) file_get_contents($path);
            }
        }
        try {
            return $this->policy = new Policy($manifest);
        } catch (GuardException $e) {
            throw ConsoleError::config('The policy manifest is refused: ' . self::why($e), $e);
        }
    }

    /** The roles a member may have (the policy's: built-in and manifest). @return list<string> */
    public function roles(): array
    {
        return array_values($this->policy()->roles());
    }

    /** The rate limiter with the configured policies (the extension's shared table of this process). */
    public function rateLimiter(): RateLimiter
    {
        try {
            return new RateLimiter($this->config->rateLimits);
        } catch (GuardException $e) {
            throw ConsoleError::config("'rate_limits': " . self::why($e), $e);
        }
    }

    /**
     * The audit log the server writes (PdoAuditLog on the configured database).
     *
     * @throws ConsoleError UNSUPPORTED when this build has no audit log
     */
    public function auditLog(): AuditLog
    {
        if ($this->auditLog === null) {
            self::requireAudit();
            $this->auditLog = new PdoAuditLog($this->database());
        }
        return $this->auditLog;
    }

    /**
     * The chain the audit trail is linked with: with `audit.key`, its head
     * carries a MAC that audit:verify checks.
     *
     * @throws ConsoleError CONFIG a key the extension refuses (weak_audit_key)
     */
    public function auditChain(): ?Chain
    {
        if ($this->config->auditKey === null) {
            return null;
        }
        self::requireAudit();
        try {
            return new Chain($this->config->auditKey);
        } catch (GuardException $e) {
            throw ConsoleError::config("'audit.key': " . self::why($e), $e);
        }
    }

    /**
     * Writes the audit event of a command that changed state (member_added,
     * member_removed, token_issued, token_revoked, token_rotated,
     * client_revoked) when `audit` is configured; nothing otherwise. Its
     * fields are McpGuard\Audit\Event's (principal, tokenId, clientId: ids
     * only, never a secret).
     *
     * @param array<string, string|null> $facts
     * @throws ConsoleError STORAGE the event could not be written (the change itself is made)
     */
    public function recordAdminEvent(string $type, array $facts): void
    {
        if (!$this->config->audit) {
            return;
        }
        if ($this->auditSink === null) {
            self::requireAudit();
            $this->auditSink = new PdoAuditSink($this->database(), $this->auditChain());
        }
        try {
            $this->auditSink->append(new Event($type, $facts));
        } catch (AuditException | StorageException $e) {
            throw ConsoleError::storage("Done, but its audit event ({$type}) could not be written.", $e->getPrevious() ?? $e);
        }
    }

    private static function requireAudit(): void
    {
        if (!class_exists(PdoAuditLog::class) || !class_exists(Chain::class)) {
            throw ConsoleError::unsupported('This build has no audit log (McpGuard\\Server\\Audit\\PdoAuditLog).');
        }
    }

    /**
     * Runs a store call; a StorageException becomes the STORAGE exit code.
     *
     * @template T
     * @param \Closure(): T $call
     * @return T
     */
    public static function storage(\Closure $call): mixed
    {
        try {
            return $call();
        } catch (StorageException $e) {
            throw ConsoleError::storage('The database refused the operation (SQLSTATE ' . ($e->sqlState() ?: '?') . ').', $e->getPrevious() ?? $e);
        } catch (\PDOException $e) {
            throw ConsoleError::storage('The database refused the operation (SQLSTATE ' . ((string) ($e->errorInfo[0] ?? $e->getCode()) ?: '?') . ').', $e);
        }
    }

    /** The extension's message (generic: never the input) and its reason. */
    private static function why(GuardException $e): string
    {
        return $e->getMessage() . ' (' . $e->reason() . ')';
    }

    /** @return array<mixed> */
    private static function requireQuietly(string $path, string $shown): array
    {
        $level = ob_get_level();
        ob_start();
        set_error_handler(static function (): bool {
            throw new \ErrorException('a PHP warning');
        });
        try {
            $value = (static fn (string $file): mixed => require $file)($path);
        } catch (\Throwable $e) {
            throw ConsoleError::config("The policy manifest {$shown} failed while loading (line {$e->getLine()}).");
        } finally {
            restore_error_handler();
            while (ob_get_level() > $level) {
                ob_end_clean();
            }
        }
        if (!is_array($value)) {
            throw ConsoleError::config("The policy manifest {$shown} must return an array.");
        }
        return $value;
    }
}
