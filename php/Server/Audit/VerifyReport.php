<?php

declare(strict_types=1);

namespace McpGuard\Server\Audit;

/**
 * The result of AuditVerifier::verify().
 */
final class VerifyReport
{
    public function __construct(
        /** The whole chain up to its head verified. */
        public readonly bool $ok,
        /** Rows verified (from seq 1 on, up to the first break). */
        public readonly int $verified,
        /** The first broken row's seq (for a head problem, see the reasons in docs/audit.md), or null. */
        public readonly ?int $brokenAt,
        /**
         * null when ok; else edited, edited_column, forged, missing,
         * reordered, malformed, tail_cut, forged_head, no_head.
         */
        public readonly ?string $reason,
        /**
         * Rows after the head that was read first: appended while the check
         * ran, or (without an audit key) by someone who did not update the
         * head. Not verified.
         */
        public readonly int $pending = 0,
    ) {
    }
}
