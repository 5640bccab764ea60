<?php

declare(strict_types=1);

namespace McpGuard\Tests\Lib;

/**
 * A php-fpm master started by a test or a benchmark: static workers on a
 * unix socket in a temp dir, the given PHP settings (the built module loaded
 * in the master, as docs/install.md says, so every worker inherits the shared
 * rate-limit table), in a session of its own so stop() ends it with all its
 * workers. stop() also runs at shutdown, so a failed run leaves nothing.
 */
final class FpmServer
{
    /** @var resource|null */
    private $process = null;
    private int $pid = 0;
    public readonly string $dir;
    public readonly string $socket;

    /**
     * @param list<string> $iniLines lines of the php.ini the master reads (`extension=…`, `opcache.enable=1`…)
     * @param array<string, string> $env environment of the workers (clear_env = no)
     */
    public function __construct(array $iniLines, int $workers = 4, array $env = [])
    {
        $fpm = getenv('PHP_FPM') ?: '/usr/sbin/php-fpm8.2';
        if (!is_executable($fpm)) {
            throw new \RuntimeException("php-fpm missing ({$fpm}): apt-get install php8.2-fpm");
        }
        $this->dir = sys_get_temp_dir() . '/mcpg-fpm-' . bin2hex(random_bytes(4));
        mkdir($this->dir);
        $this->socket = "{$this->dir}/fpm.sock";
        file_put_contents("{$this->dir}/php.ini", "[PHP]\n" . implode("\n", $iniLines) . "\n");
        $root = function_exists('posix_getuid') && posix_getuid() === 0;
        file_put_contents("{$this->dir}/fpm.conf", "[global]\nerror_log = {$this->dir}/fpm.log\ndaemonize = no\n[test]\n"
            . ($root ? "user = root\ngroup = root\n" : '') . "listen = {$this->socket}\npm = static\npm.max_children = {$workers}\n"
            . "clear_env = no\ncatch_workers_output = yes\n");
        $this->process = proc_open(['setsid', $fpm, '-n', '-c', "{$this->dir}/php.ini", '-y', "{$this->dir}/fpm.conf", '-F', ...($root ? ['-R'] : [])],
            [0 => ['file', '/dev/null', 'r'], 1 => ['file', "{$this->dir}/fpm.out", 'a'], 2 => ['file', "{$this->dir}/fpm.out", 'a']],
            $pipes, null, $env + ['PATH' => (string) getenv('PATH')]);
        if (!is_resource($this->process)) {
            throw new \RuntimeException('cannot start php-fpm');
        }
        $this->pid = (int) proc_get_status($this->process)['pid'];
        register_shutdown_function([$this, 'stop']);
        for ($i = 0; $i < 200 && !file_exists($this->socket); $i++) {
            usleep(25_000);
        }
        if (!file_exists($this->socket)) {
            $log = $this->log();
            $this->stop();
            throw new \RuntimeException("php-fpm did not start:\n{$log}");
        }
    }

    public function client(): FastCgiClient
    {
        return new FastCgiClient("unix://{$this->socket}");
    }

    public function log(): string
    {
        return @file_get_contents("{$this->dir}/fpm.out") . @file_get_contents("{$this->dir}/fpm.log");
    }

    public function stop(): void
    {
        if ($this->process === null) {
            return;
        }
        @posix_kill(-$this->pid, SIGTERM);
        for ($i = 0; $i < 100 && proc_get_status($this->process)['running']; $i++) {
            usleep(20_000);
        }
        @posix_kill(-$this->pid, SIGKILL);
        proc_close($this->process);
        $this->process = null;
        array_map('unlink', glob("{$this->dir}/*") ?: []);
        @rmdir($this->dir);
    }
}
