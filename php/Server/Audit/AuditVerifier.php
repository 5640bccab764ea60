<?php

declare(strict_types=1);

namespace McpGuard\Server\Audit;

use McpGuard\Audit\Chain;
use McpGuard\Audit\ChainVerifier;

/**
 * Verifies a stored chain (any AuditLog) with the extension's ChainVerifier:
 * every row in order, the columns against the record, then the head (and
 * its MAC when `$chain` has the audit key). Memory stays constant: the rows
 * are streamed.
 */
final class AuditVerifier
{
    /** Rows between two progress calls. */
    public const PROGRESS_EVERY = 10000;

    /**
     * @param callable(int, int): void|null $progress called every PROGRESS_EVERY
     *   rows and at the end with (rows done, rows to do)
     */
    public static function verify(AuditLog $log, ?Chain $chain = null, ?callable $progress = null): VerifyReport
    {
        // The head first: rows appended while we read are after it.
        $head = $log->head();
        $total = $head?->seq ?? $log->count();
        $verifier = new ChainVerifier($chain);
        $done = 0;
        $pending = 0;
        foreach ($log->rows(1) as $row) {
            if ($head !== null && $row->seq > $head->seq) {
                $pending++;
                continue;
            }
            if (!$verifier->feedRow($row->seq, $row->record, $row->hash, $row->at, $row->type, $row->outcome, $row->principal, $row->tool)) {
                break;
            }
            if (++$done % self::PROGRESS_EVERY === 0 && $progress !== null) {
                $progress($done, $total);
            }
        }
        $ok = $verifier->finish($head?->seq, $head?->hash, $head?->mac);
        if ($progress !== null) {
            $progress($done, $total);
        }
        return new VerifyReport($ok, $verifier->verified(), $verifier->brokenAt(), $verifier->reason(), $pending);
    }
}
