<?php

declare(strict_types=1);

namespace McpGuard\Server\Audit;

use McpGuard\Audit\Chain;
use McpGuard\Audit\Event;
use McpGuard\Server\OAuth\Pdo\PdoDatabase;

/**
 * Appends audit events to `<prefix>audit_events` (SQLite or MariaDB), one
 * transaction each: lock the head (SQLite: BEGIN IMMEDIATE, writers queue on
 * the busy timeout; MariaDB: SELECT … FOR UPDATE on the head row), link the
 * event after it, insert the row, move the head, commit. Workers of any
 * number of processes therefore extend one chain: no duplicate seq, no fork.
 * A failure rolls everything back and throws AuditException.
 *
 * Give it a Chain with the audit key (from the host's configuration, never
 * from this database) to store a MAC over each head. It is also the reader
 * of what it wrote (AuditLog).
 */
final class PdoAuditSink implements AuditSink, AuditLog
{
    private readonly Chain $chain;
    private readonly PdoAuditLog $log;

    public function __construct(private readonly PdoDatabase $db, ?Chain $chain = null)
    {
        $this->chain = $chain ?? new Chain();
        $this->log = new PdoAuditLog($db);
    }

    public function append(Event $event): void
    {
        $events = $this->db->table('audit_events');
        $head = $this->db->table('audit_head');
        $lock = $this->db->driver() === 'mysql' ? ' FOR UPDATE' : '';
        try {
            $this->db->transaction(function () use ($event, $events, $head, $lock): void {
                $current = $this->db->row("SELECT seq, hash FROM {$head} WHERE id = 1{$lock}");
                if ($current === null) {
                    throw AuditException::unreadable('chain head');
                }
                $seq = (int) $current['seq'] + 1;
                $link = $this->chain->link($event, $seq, $seq === 1 ? null : (string) $current['hash']);
                $this->db->run(
                    "INSERT INTO {$events} (seq, at, type, outcome, principal, tool, record, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    [$seq, $event->at(), $event->type(), $event->outcome(), $event->principal(), $event->tool(), $link->record(), $link->hash()],
                );
                $moved = $this->db->run(
                    "UPDATE {$head} SET seq = ?, hash = ?, mac = ? WHERE id = 1 AND seq = ?",
                    [$seq, $link->hash(), $this->chain->headMac($seq, $link->hash()), $seq - 1],
                )->rowCount();
                if ($moved !== 1) {
                    throw AuditException::appendFailed();
                }
            });
        } catch (\Exception $e) {
            // Rolled back: neither the row nor the head moved.
            throw AuditException::appendFailed($e);
        }
    }

    public function count(): int
    {
        return $this->log->count();
    }

    public function head(): ?AuditHead
    {
        return $this->log->head();
    }

    public function tail(int $n): array
    {
        return $this->log->tail($n);
    }

    public function rows(int $fromSeq = 1): iterable
    {
        return $this->log->rows($fromSeq);
    }
}
