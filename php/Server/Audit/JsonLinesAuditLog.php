<?php

declare(strict_types=1);

namespace McpGuard\Server\Audit;

use McpGuard\Audit\Event;
use McpGuard\Exception\InvalidArgumentException;

/**
 * Reads the chain Psr3AuditSink wrote through a Monolog JSON-lines handler
 * (one JSON object per line, `message` and `context` as JsonFormatter writes
 * them), with the head from its head file. Lines of other messages are
 * skipped; a line that mentions the audit message but cannot be read gives
 * a row the verifier refuses (`malformed`) at its place. Streamed: one line
 * in memory at a time.
 */
final class JsonLinesAuditLog implements AuditLog
{
    private readonly HeadFile $head;

    public function __construct(private readonly string $logPath, string $headPath)
    {
        $this->head = new HeadFile($headPath);
    }

    public function count(): int
    {
        $n = 0;
        foreach ($this->rows() as $_) {
            $n++;
        }
        return $n;
    }

    public function head(): ?AuditHead
    {
        return $this->head->read();
    }

    public function tail(int $n): array
    {
        $out = [];
        if ($n <= 0) {
            return $out;
        }
        foreach ($this->rows() as $row) {
            $out[] = $row;
            if (count($out) > $n) {
                array_shift($out);
            }
        }
        return $out;
    }

    public function rows(int $fromSeq = 1): iterable
    {
        $f = @fopen($this->logPath, 'r');
        if ($f === false) {
            if (!file_exists($this->logPath)) {
                return;
            }
            throw AuditException::unreadable('log');
        }
        try {
            $last = 0;
            while (($line = fgets($f)) !== false) {
                if (!str_contains($line, Psr3AuditSink::MESSAGE)) {
                    continue;
                }
                $row = self::parse($line, $last + 1);
                if ($row === null) {
                    continue;
                }
                $last = $row->seq;
                if ($row->seq >= $fromSeq) {
                    yield $row;
                }
            }
        } finally {
            fclose($f);
        }
    }

    /** The row of one line; null for a line of another message. */
    private static function parse(string $line, int $next): ?AuditRow
    {
        $doc = json_decode($line, true, 8);
        if (is_array($doc) && ($doc['message'] ?? null) !== Psr3AuditSink::MESSAGE) {
            return null;
        }
        $ctx = is_array($doc) && is_array($doc['context'] ?? null) ? $doc['context'] : [];
        $seq = $ctx['seq'] ?? null;
        $record = $ctx['record'] ?? null;
        $hash = $ctx['hash'] ?? null;
        if (!is_int($seq) || !is_string($record) || !is_string($hash)) {
            // Unreadable: a row at its place that no verifier accepts.
            return new AuditRow($next, 0, '', '', null, null, '', '');
        }
        try {
            $event = Event::fromRecord($record);
        } catch (InvalidArgumentException) {
            return new AuditRow($seq, 0, '', '', null, null, $record, $hash);
        }
        return new AuditRow($seq, $event->at(), $event->type(), $event->outcome(), $event->principal(), $event->tool(), $record, $hash);
    }
}
