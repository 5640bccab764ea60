<?php

// Generated from the built mcp_guard module by tools/stubs.php. Do not edit.

namespace McpGuard\Audit;

/**
 * Verifies a chain fed row by row in sequence order from row 1, then its
 * head; names the first broken row. Constant memory, no allocation per row:
 * a million rows are one loop of `feed()` calls. Once broken, it stays
 * broken.
 */
final class ChainVerifier
{
    /**
     * Feeds the next row; false when the chain is broken (here or before).
     */
    public function feed(int $seq, string $record, string $hash): bool {}

    /**
     * `feed()`, also checking the columns a store keeps beside the record
     * (at, type, outcome, principal, tool) against it (`edited_column`).
     */
    public function feedRow(int $seq, string $record, string $hash, int $at, string $type, string $outcome, ?string $principal = null, ?string $tool = null): bool {}

    /**
     * Checks the head against the rows fed (`$headSeq` null: the store has
     * no head). True when the whole chain verified.
     */
    public function finish(?int $headSeq = null, ?string $headHash = null, ?string $headMac = null): bool {}

    /**
     * The first broken row's seq (for a head problem, see `reason()`), or null.
     */
    public function brokenAt(): ?int {}

    /**
     * Why: edited, edited_column, forged, missing, reordered, malformed,
     * tail_cut, forged_head, no_head, beyond_head; null while intact.
     */
    public function reason(): ?string {}

    /**
     * Rows verified so far.
     */
    public function verified(): int {}

    /**
     * @param \McpGuard\Audit\Chain|null $chain with a key, `finish()` requires
     *   and checks the head MAC.
     */
    public function __construct(?\McpGuard\Audit\Chain $chain = null) {}
}
