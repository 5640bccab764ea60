<?php

declare(strict_types=1);

namespace McpGuard\Server\Audit;

/**
 * One stored row: the chain's record and hash, and the columns kept beside
 * them for queries (the verifier checks that they match the record).
 */
final class AuditRow
{
    public function __construct(
        public readonly int $seq,
        /** Unix time in microseconds. */
        public readonly int $at,
        public readonly string $type,
        public readonly string $outcome,
        public readonly ?string $principal,
        public readonly ?string $tool,
        /** The canonical record (JSON text). */
        public readonly string $record,
        /** The row's chain hash (64 hex). */
        public readonly string $hash,
    ) {
    }
}
