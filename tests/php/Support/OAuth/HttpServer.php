<?php

declare(strict_types=1);

namespace McpGuard\Tests\Support\OAuth;

use McpGuard\Tests\Support\PhpProcess;

/**
 * A `php -S` server started by a test, with the built module and the
 * extensions of this process (PDO drivers…), in a session of its own
 * (setsid), so stop() ends it with every child it has. stop() also runs at
 * shutdown and on SIGINT/SIGTERM/SIGHUP of the test process (the server is
 * in another session: the terminal's Ctrl-C never reaches it), so a failed
 * or interrupted test run leaves nothing behind.
 */
final class HttpServer
{
    /** @var resource|null */
    private $process = null;
    private int $pid = 0;
    /** @var list<self> servers not stopped yet, for the signal handler */
    private static array $running = [];
    public readonly int $port;
    public readonly string $origin;

    /**
     * @param array<string, string> $env
     * @param array<string, string> $ini
     */
    public function __construct(string $router, array $env, array $ini = [], private readonly string $log = '/dev/null')
    {
        $this->port = self::freePort();
        $this->origin = "http://127.0.0.1:{$this->port}";
        $cmd = ['setsid', PHP_BINARY, '-n'];
        foreach (self::extensions() as $ext) {
            array_push($cmd, '-d', "extension={$ext}");
        }
        array_push($cmd, '-d', 'extension=' . PhpProcess::modulePath());
        foreach ($ini as $k => $v) {
            array_push($cmd, '-d', "{$k}={$v}");
        }
        array_push($cmd, '-S', "127.0.0.1:{$this->port}", $router);
        $this->process = proc_open($cmd, [0 => ['file', '/dev/null', 'r'], 1 => ['file', $log, 'a'], 2 => ['file', $log, 'a']],
            $pipes, null, $env + ['PATH' => (string) getenv('PATH')]);
        if (!is_resource($this->process)) {
            throw new \RuntimeException('cannot start php -S');
        }
        $this->pid = (int) proc_get_status($this->process)['pid'];
        register_shutdown_function([$this, 'stop']);
        self::$running[] = $this;
        if (function_exists('pcntl_signal')) {
            pcntl_async_signals(true);
            foreach ([SIGINT, SIGTERM, SIGHUP] as $signal) {
                pcntl_signal($signal, static function (int $signal): void {
                    foreach (self::$running as $server) {
                        $server->stop();
                    }
                    exit(128 + $signal);
                });
            }
        }
        for ($i = 0; $i < 200; $i++) {
            $s = @stream_socket_client("tcp://127.0.0.1:{$this->port}", $errno, $errstr, 0.1);
            if (is_resource($s)) {
                fclose($s);
                return;
            }
            usleep(25_000);
        }
        $this->stop();
        throw new \RuntimeException("php -S did not start:\n" . @file_get_contents($log));
    }

    public function stop(): void
    {
        if ($this->process === null) {
            return;
        }
        // The whole session: php -S and anything it forked.
        posix_kill(-$this->pid, SIGTERM);
        for ($i = 0; $i < 50 && proc_get_status($this->process)['running']; $i++) {
            usleep(20_000);
        }
        posix_kill(-$this->pid, SIGKILL);
        proc_close($this->process);
        $this->process = null;
        self::$running = array_values(array_filter(self::$running, fn (self $s): bool => $s !== $this));
    }

    public function log(): string
    {
        return (string) @file_get_contents($this->log);
    }

    private static function freePort(): int
    {
        $s = stream_socket_server('tcp://127.0.0.1:0');
        $name = (string) stream_socket_get_name($s, false);
        fclose($s);
        return (int) substr($name, (int) strrpos($name, ':') + 1);
    }

    /** @return list<string> loaded extensions `php -n` lacks (as DocsTest loads them) */
    private static function extensions(): array
    {
        $base = shell_exec(escapeshellarg(PHP_BINARY) . ' -n -r ' . escapeshellarg('echo implode("\n", get_loaded_extensions());'));
        $builtIn = array_map('strtolower', explode("\n", (string) $base));
        $dir = (string) ini_get('extension_dir');
        $list = [];
        foreach (get_loaded_extensions() as $name) {
            $name = strtolower($name);
            if ($name !== 'mcp_guard' && !in_array($name, $builtIn, true) && is_file("{$dir}/{$name}.so")) {
                $list[] = $name;
            }
        }
        // PDO before its drivers.
        usort($list, static fn (string $a, string $b): int => ($b === 'pdo') <=> ($a === 'pdo'));
        return $list;
    }
}
