<?php

declare(strict_types=1);

namespace McpGuard\Server\Audit;

/**
 * The chain head of a log-file chain, in a small file of its own:
 * `<seq> <hash>[ <mac>]\n`. Writers serialise on an exclusive flock of
 * `<path>.lock` and replace the head file atomically (write a temporary
 * file, rename it over), so a crash never leaves half a head.
 */
final class HeadFile
{
    public function __construct(private readonly string $path)
    {
    }

    public function path(): string
    {
        return $this->path;
    }

    /**
     * Runs `$body` holding the exclusive lock.
     *
     * @template T
     * @param \Closure(): T $body
     * @return T
     */
    public function locked(\Closure $body): mixed
    {
        $lock = @fopen($this->path . '.lock', 'c');
        if ($lock === false || !flock($lock, LOCK_EX)) {
            throw AuditException::appendFailed();
        }
        try {
            return $body();
        } finally {
            flock($lock, LOCK_UN);
            fclose($lock);
        }
    }

    /** The head, or null when the file does not exist yet. */
    public function read(): ?AuditHead
    {
        clearstatcache(true, $this->path);
        if (!is_file($this->path)) {
            return null;
        }
        $text = @file_get_contents($this->path);
        if ($text === false || preg_match('/^([1-9][0-9]{0,18}) ([0-9a-f]{64})(?: ([0-9a-f]{64}))?\n$/D', $text, $m) !== 1) {
            throw AuditException::unreadable('chain head');
        }
        return new AuditHead((int) $m[1], $m[2], ($m[3] ?? '') === '' ? null : $m[3]);
    }

    /** Replaces the head (call inside locked()). */
    public function write(int $seq, string $hash, ?string $mac): void
    {
        $tmp = $this->path . '.' . bin2hex(random_bytes(6)) . '.tmp';
        $line = $seq . ' ' . $hash . ($mac === null ? '' : ' ' . $mac) . "\n";
        if (@file_put_contents($tmp, $line, LOCK_EX) !== strlen($line) || !@rename($tmp, $this->path)) {
            @unlink($tmp);
            throw AuditException::appendFailed();
        }
    }
}
