<?php

declare(strict_types=1);

namespace McpGuard\Tests\Extension;

use McpGuard\Tests\Support\PhpProcess;
use PHPUnit\Framework\TestCase;

/**
 * The shared-memory rate-limit table is unmapped at module shutdown (issue 6).
 * valgrind does not see mmap'd memory, so this watches the system calls of a
 * fresh php process with strace: the table's mmap (its size is unique:
 * 77 777 slots and the 4096-entry namespace directory, 16 bytes each) must be
 * matched by a munmap of the same address and length before the process exits.
 */
final class RateLimitShutdownTest extends TestCase
{
    private const SLOTS = 77777;

    /** Words of the namespace directory at the head of the mapping. */
    private const DIRECTORY = 4096;

    public function testTheTableIsUnmappedAtModuleShutdown(): void
    {
        $strace = trim((string) shell_exec('command -v strace'));
        if ($strace === '') {
            self::markTestSkipped('strace is not installed (scripts/setup.sh installs it)');
        }
        $log = tempnam(sys_get_temp_dir(), 'mcpg-strace');
        $cmd = [$strace, '-f', '-e', 'trace=mmap,munmap', '-o', $log,
            PHP_BINARY, '-n', '-d', 'extension=' . PhpProcess::modulePath(),
            '-d', 'mcp_guard.rate_limit_slots=' . self::SLOTS,
            '-r', '$r = (new McpGuard\RateLimiter())->hit("k", "write"); echo $r->allowed() ? "allowed" : "refused";'];
        $proc = proc_open($cmd, [1 => ['pipe', 'w'], 2 => ['pipe', 'w']], $pipes);
        self::assertIsResource($proc);
        $out = stream_get_contents($pipes[1]);
        $err = stream_get_contents($pipes[2]);
        fclose($pipes[1]);
        fclose($pipes[2]);
        $exit = proc_close($proc);
        $trace = (string) file_get_contents($log);
        unlink($log);
        if ($exit !== 0 && str_contains($err, 'ptrace')) {
            self::markTestSkipped('ptrace is not permitted here: ' . trim($err));
        }
        self::assertSame(0, $exit, $err);
        self::assertSame('allowed', $out);

        $bytes = (self::SLOTS + self::DIRECTORY) * 16;
        self::assertSame(1, preg_match('/mmap\(NULL, ' . $bytes . ', [^)]*MAP_SHARED[^)]*\) = (0x[0-9a-f]+)/', $trace, $m), $trace);
        $addr = $m[1];
        self::assertMatchesRegularExpression(
            '/munmap\(' . $addr . ', ' . $bytes . '\)\s+= 0/',
            $trace,
            'the table mapped at start-up is unmapped at shutdown'
        );
    }
}
