<?php

declare(strict_types=1);

namespace McpGuard\Server\Audit;

use McpGuard\Audit\Chain;
use McpGuard\Audit\Event;
use Psr\Log\LoggerInterface;

/**
 * Writes each chained record to a PSR-3 logger (message `mcp_guard.audit`,
 * context: seq, prev, hash, record), keeping the chain head in a small file
 * (HeadFile) under an exclusive lock, so the workers of a server extend one
 * chain. The record is logged while the lock is held, so a handler that
 * writes at once (Monolog's StreamHandler) writes the lines in seq order; a
 * buffering handler may not, and its file then reads as reordered.
 *
 * Order of an append: log, then move the head. A logger that throws leaves
 * the head where it was (AuditException). A head that cannot be written
 * after the line was logged is reported too; the next append then reuses
 * the seq and the verifier names it (`reordered`).
 *
 * A Monolog JSON-lines file (JsonFormatter) is read back by JsonLinesAuditLog.
 */
final class Psr3AuditSink implements AuditSink
{
    public const MESSAGE = 'mcp_guard.audit';

    private readonly Chain $chain;
    private readonly HeadFile $head;

    /** @param string $headPath the head file (writable by every worker; not web-readable) */
    public function __construct(private readonly LoggerInterface $logger, string $headPath, ?Chain $chain = null, private readonly string $level = 'info')
    {
        $this->chain = $chain ?? new Chain();
        $this->head = new HeadFile($headPath);
    }

    public function append(Event $event): void
    {
        try {
            $this->head->locked(function () use ($event): void {
                $head = $this->head->read();
                $seq = ($head?->seq ?? 0) + 1;
                $link = $this->chain->link($event, $seq, $head?->hash);
                $this->logger->log($this->level, self::MESSAGE, [
                    'seq' => $seq,
                    'prev' => $link->previousHash(),
                    'hash' => $link->hash(),
                    'record' => $link->record(),
                ]);
                $this->head->write($seq, $link->hash(), $this->chain->headMac($seq, $link->hash()));
            });
        } catch (\Exception $e) {
            throw AuditException::appendFailed($e);
        }
    }
}
