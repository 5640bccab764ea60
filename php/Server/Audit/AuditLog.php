<?php

declare(strict_types=1);

namespace McpGuard\Server\Audit;

/**
 * A stored audit chain, read (by AuditVerifier and the admin CLI).
 */
interface AuditLog
{
    /** Rows stored. */
    public function count(): int;

    /** The chain head, or null when nothing was appended yet. */
    public function head(): ?AuditHead;

    /**
     * The newest `$n` rows, oldest first (newest last).
     *
     * @return list<AuditRow>
     */
    public function tail(int $n): array;

    /**
     * Every row from `$fromSeq` on, in sequence order, streamed (never all
     * rows in memory at once).
     *
     * @return iterable<AuditRow>
     */
    public function rows(int $fromSeq = 1): iterable;
}
