<?php

declare(strict_types=1);

namespace McpGuard\Tests\Support;

/**
 * Runs a PHP snippet in a fresh `php` process with the same mcp_guard module and
 * extra INI settings: for what a running process cannot change (INI_SYSTEM
 * settings, crashes that must not happen).
 */
final class PhpProcess
{
    /** Path of the module under test (scripts/test.sh exports it). */
    public static function modulePath(): string
    {
        $so = getenv('MCP_GUARD_SO');
        if ($so === false || !is_file($so)) {
            $so = dirname(__DIR__, 3) . '/target/release/libmcp_guard.so';
        }
        return $so;
    }

    /**
     * @param array<string, string> $ini
     * @return array{exit: int, stdout: string, stderr: string}
     */
    public static function run(string $code, array $ini = []): array
    {
        $cmd = [PHP_BINARY, '-n', '-d', 'extension=' . self::modulePath()];
        foreach ($ini as $k => $v) {
            $cmd[] = '-d';
            $cmd[] = "{$k}={$v}";
        }
        $cmd[] = '-r';
        $cmd[] = $code;
        $proc = proc_open($cmd, [1 => ['pipe', 'w'], 2 => ['pipe', 'w']], $pipes);
        if (!is_resource($proc)) {
            throw new \RuntimeException('cannot start php');
        }
        $stdout = stream_get_contents($pipes[1]);
        $stderr = stream_get_contents($pipes[2]);
        fclose($pipes[1]);
        fclose($pipes[2]);
        $exit = proc_close($proc);
        return ['exit' => $exit, 'stdout' => (string) $stdout, 'stderr' => (string) $stderr];
    }
}
