<?php

// Generated from the built mcp_guard module by tools/stubs.php. Do not edit.

namespace McpGuard\Audit;

/**
 * Links events into the hash chain: row `seq` gets
 * `SHA-256(label ‖ seq ‖ previous hash ‖ record)`. With an audit key (≥ 32
 * bytes, from the host's configuration: never store it in the database),
 * `headMac()` authenticates the chain head.
 */
final class Chain
{
    /**
     * Whether an audit key is configured.
     */
    public function hasKey(): bool {}

    /**
     * Links `$event` as row `$seq` after the row whose hash is
     * `$previousHash` (64 hex; null exactly for the first row, seq 1).
     *
     * @throws \McpGuard\Exception\InvalidArgumentException reason out_of_range, invalid_digest.
     */
    public function link(\McpGuard\Audit\Event $event, int $seq, ?string $previousHash = null): \McpGuard\Audit\Link {}

    /**
     * The MAC of the head (seq, hash) under the audit key (64 hex), or null
     * without a key.
     *
     * @throws \McpGuard\Exception\InvalidArgumentException reason out_of_range, invalid_digest.
     */
    public function headMac(int $seq, string $hash): ?string {}

    /**
     * @param string|null $key the audit key (at least 32 bytes); null = no head MAC.
     * @throws \McpGuard\Exception\ConfigurationException reason weak_audit_key.
     */
    public function __construct(?string $key = null) {}
}
