<?php

declare(strict_types=1);

namespace McpGuard\Server\Console;

use McpGuard\Server\OAuth\Pdo\PdoDatabase;

/**
 * The admin CLI's configuration: a PHP file that returns an array (the same
 * file the host's MCP endpoint can load, so both use one database and one
 * pepper). docs/cli.md shows a sample. Unknown keys and wrong types are
 * refused, naming the key, never a value: a typo never falls back to a
 * default silently.
 *
 * What the values mean is checked where they are used (the table prefix by
 * PdoDatabase, the token prefix and pepper by McpGuard\Tokens, the manifest
 * by McpGuard\Policy, the rate limits by McpGuard\RateLimiter), when a
 * command first needs them.
 */
final class CliConfig
{
    /** The environment variable naming the file when --config is not given. */
    public const ENV = 'MCP_GUARD_CONFIG';

    /** The token table PdoTokenStore uses by default. */
    public const DEFAULT_TOKENS_TABLE = 'mcp_guard_tokens';

    /**
     * @param array{sqlite: string}|array{dsn: string, user: ?string, password: ?string} $database
     * @param array<string, mixed>|null $rateLimits policy name => ['limit' => int, 'period' => int]; null = the extension's defaults
     */
    private function __construct(
        public readonly array $database,
        public readonly string $prefix,
        public readonly string $tokensTable,
        public readonly ?string $tokenPrefix,
        public readonly ?string $pepper,
        public readonly bool $audit,
        public readonly ?string $auditKey,
        public readonly ?string $policyPath,
        public readonly ?array $rateLimits,
    ) {
    }

    /**
     * The file `--config` names, else the one MCP_GUARD_CONFIG names.
     *
     * @throws ConsoleError neither is set
     */
    public static function locate(?string $option): string
    {
        $path = $option ?? (getenv(self::ENV) === false ? null : (string) getenv(self::ENV));
        if ($path === null || $path === '') {
            throw ConsoleError::config('No configuration: pass --config FILE or set ' . self::ENV . ' (see docs/cli.md).');
        }
        return $path;
    }

    /**
     * Loads the file: PHP returning an array. Its warnings and output are
     * refused as errors, not shown; a syntax error is reported by line only
     * (PHP's own message may quote a string of the file, a password say).
     *
     * @throws ConsoleError
     */
    public static function load(string $path): self
    {
        $shown = Text::plain($path);
        if (!is_file($path) || !is_readable($path)) {
            throw ConsoleError::config("The configuration file {$shown} does not exist or cannot be read.");
        }
        $level = ob_get_level();
        ob_start();
        set_error_handler(static function (int $no, string $message, string $file, int $line): bool {
            throw new \ErrorException('a PHP warning', 0, $no, $file, $line);
        });
        try {
            $config = (static fn (string $file): mixed => require $file)($path);
            $printed = ob_get_contents();
        } catch (\ParseError $e) {
            throw ConsoleError::config("The configuration file {$shown} has a PHP syntax error on line {$e->getLine()}.");
        } catch (\Throwable $e) {
            throw ConsoleError::config("The configuration file {$shown} failed while loading (" . self::kind($e) . ' on line ' . $e->getLine() . ').');
        } finally {
            restore_error_handler();
            while (ob_get_level() > $level) {
                ob_end_clean();
            }
        }
        if ($printed !== '' && $printed !== false) {
            throw ConsoleError::config("The configuration file {$shown} printed output (text outside <?php … ?>?).");
        }
        if (!is_array($config)) {
            throw ConsoleError::config("The configuration file {$shown} must return an array.");
        }
        $dir = dirname((string) realpath($path));
        return self::fromArray($config, $dir);
    }

    /**
     * @param array<mixed> $c
     * @param string       $baseDir relative paths (SQLite file, policy manifest) are read from here
     * @throws ConsoleError
     */
    public static function fromArray(array $c, string $baseDir): self
    {
        self::keys($c, '', ['database', 'prefix', 'tokens', 'audit', 'policy', 'rate_limits']);
        $db = $c['database'] ?? null;
        if (!is_array($db)) {
            throw ConsoleError::config("The configuration needs 'database': ['sqlite' => FILE] or ['dsn' => …, 'user' => …, 'password' => …].");
        }
        if (array_key_exists('sqlite', $db)) {
            self::keys($db, 'database.', ['sqlite']);
            $database = ['sqlite' => self::path(self::string($db, 'sqlite', 'database.'), $baseDir)];
        } else {
            self::keys($db, 'database.', ['dsn', 'user', 'password']);
            $dsn = self::string($db, 'dsn', 'database.');
            if (preg_match('/^(mysql|sqlite):/', $dsn) !== 1) {
                throw ConsoleError::config("'database.dsn' must be a mysql: or sqlite: PDO DSN.");
            }
            $database = ['dsn' => $dsn, 'user' => self::optString($db, 'user', 'database.'), 'password' => self::optString($db, 'password', 'database.')];
        }
        $tokens = self::optArray($c, 'tokens', '') ?? [];
        self::keys($tokens, 'tokens.', ['prefix', 'pepper', 'table']);
        $audit = self::optArray($c, 'audit', '');
        if ($audit !== null) {
            self::keys($audit, 'audit.', ['key']);
        }
        $policy = self::optString($c, 'policy', '');
        return new self(
            $database,
            self::optString($c, 'prefix', '') ?? PdoDatabase::DEFAULT_PREFIX,
            self::optString($tokens, 'table', 'tokens.') ?? self::DEFAULT_TOKENS_TABLE,
            self::optString($tokens, 'prefix', 'tokens.'),
            self::optString($tokens, 'pepper', 'tokens.'),
            $audit !== null,
            $audit === null ? null : self::optString($audit, 'key', 'audit.'),
            $policy === null ? null : self::path($policy, $baseDir),
            self::optArray($c, 'rate_limits', ''),
        );
    }

    /**
     * @param array<mixed> $a
     * @param list<string> $allowed
     */
    private static function keys(array $a, string $at, array $allowed): void
    {
        foreach (array_keys($a) as $key) {
            if (!in_array($key, $allowed, true)) {
                $name = is_string($key) && preg_match('/^[A-Za-z0-9_.-]{1,64}$/D', $key) === 1 ? "'{$at}{$key}'" : 'a key';
                throw ConsoleError::config("The configuration has an unknown key {$name} (allowed under '" . ($at === '' ? '(top)' : rtrim($at, '.')) . "': " . implode(', ', $allowed) . ').');
            }
        }
    }

    /** @param array<mixed> $a */
    private static function string(array $a, string $key, string $at): string
    {
        $v = self::optString($a, $key, $at);
        if ($v === null || $v === '') {
            throw ConsoleError::config("'{$at}{$key}' must be a non-empty string.");
        }
        return $v;
    }

    /** @param array<mixed> $a */
    private static function optString(array $a, string $key, string $at): ?string
    {
        $v = $a[$key] ?? null;
        if ($v !== null && !is_string($v)) {
            throw ConsoleError::config("'{$at}{$key}' must be a string.");
        }
        return $v;
    }

    /**
     * @param array<mixed> $a
     * @return array<mixed>|null
     */
    private static function optArray(array $a, string $key, string $at): ?array
    {
        $v = $a[$key] ?? null;
        if ($v !== null && !is_array($v)) {
            throw ConsoleError::config("'{$at}{$key}' must be an array.");
        }
        return $v;
    }

    private static function path(string $path, string $baseDir): string
    {
        if (str_contains($path, "\0")) {
            throw ConsoleError::config('A path in the configuration contains a NUL byte.');
        }
        return $path[0] === '/' || $path === ':memory:' ? $path : $baseDir . '/' . $path;
    }

    private static function kind(\Throwable $e): string
    {
        return $e instanceof \ErrorException ? 'a PHP warning' : 'an uncaught ' . (new \ReflectionClass($e))->getShortName();
    }
}
