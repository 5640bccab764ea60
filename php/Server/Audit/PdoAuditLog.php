<?php

declare(strict_types=1);

namespace McpGuard\Server\Audit;

use McpGuard\Server\OAuth\Pdo\PdoDatabase;
use McpGuard\Server\OAuth\StorageException;
use PDO;

/**
 * Reads the audit chain from `<prefix>audit_events` and `<prefix>audit_head`
 * (schema step CreateAuditTables). Rows are streamed in batches.
 */
final class PdoAuditLog implements AuditLog
{
    /** Rows fetched per query by rows(). */
    public const BATCH = 1000;

    private const COLUMNS = 'seq, at, type, outcome, principal, tool, record, hash';

    public function __construct(private readonly PdoDatabase $db)
    {
    }

    public function count(): int
    {
        return (int) ($this->read(fn () => $this->db->row('SELECT COUNT(*) AS n FROM ' . $this->db->table('audit_events')))['n'] ?? 0);
    }

    public function head(): ?AuditHead
    {
        $row = $this->read(fn () => $this->db->row('SELECT seq, hash, mac FROM ' . $this->db->table('audit_head') . ' WHERE id = 1'));
        if ($row === null || (int) $row['seq'] === 0) {
            return null;
        }
        return new AuditHead((int) $row['seq'], (string) $row['hash'], $row['mac'] === null ? null : (string) $row['mac']);
    }

    public function tail(int $n): array
    {
        if ($n <= 0) {
            return [];
        }
        $rows = $this->read(fn () => $this->db->run('SELECT ' . self::COLUMNS . ' FROM ' . $this->db->table('audit_events')
            . ' ORDER BY seq DESC LIMIT ' . min($n, 1_000_000))->fetchAll(PDO::FETCH_ASSOC));
        return array_map(self::row(...), array_reverse($rows));
    }

    public function rows(int $fromSeq = 1): iterable
    {
        $sql = 'SELECT ' . self::COLUMNS . ' FROM ' . $this->db->table('audit_events')
            . ' WHERE seq >= ? ORDER BY seq LIMIT ' . self::BATCH;
        $from = $fromSeq;
        do {
            $batch = $this->read(fn () => $this->db->run($sql, [$from])->fetchAll(PDO::FETCH_ASSOC));
            foreach ($batch as $r) {
                $row = self::row($r);
                $from = $row->seq + 1;
                yield $row;
            }
        } while (count($batch) === self::BATCH);
    }

    /** @param array<string, mixed> $r */
    private static function row(array $r): AuditRow
    {
        return new AuditRow(
            (int) $r['seq'],
            (int) $r['at'],
            (string) $r['type'],
            (string) $r['outcome'],
            $r['principal'] === null ? null : (string) $r['principal'],
            $r['tool'] === null ? null : (string) $r['tool'],
            (string) $r['record'],
            (string) $r['hash'],
        );
    }

    /**
     * @template T
     * @param \Closure(): T $query
     * @return T
     */
    private function read(\Closure $query): mixed
    {
        try {
            return $query();
        } catch (StorageException $e) {
            throw AuditException::unreadable('log', $e);
        }
    }
}
