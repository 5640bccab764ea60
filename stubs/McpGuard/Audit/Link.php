<?php

// Generated from the built mcp_guard module by tools/stubs.php. Do not edit.

namespace McpGuard\Audit;

/**
 * One row to store: made by `Chain::link()`.
 *
 * Made by the extension only: PHP code cannot construct it (`new` is refused).
 */
final class Link
{
    /**
     * The sequence number.
     */
    public function seq(): int {}

    /**
     * This row's hash (64 hex).
     */
    public function hash(): string {}

    /**
     * The previous row's hash (64 hex; 64 zeros for the first row).
     */
    public function previousHash(): string {}

    /**
     * The canonical record (JSON text) to store beside the hash.
     */
    public function record(): string {}
}
