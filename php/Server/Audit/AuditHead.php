<?php

declare(strict_types=1);

namespace McpGuard\Server\Audit;

/**
 * The chain head: the newest row's sequence number and hash, and the MAC
 * over both when an audit key is configured. Stored apart from the rows and
 * updated with each append, so rows cut from the end are detected.
 */
final class AuditHead
{
    public function __construct(
        public readonly int $seq,
        /** 64 hex. */
        public readonly string $hash,
        /** HMAC-SHA-256 under the audit key (64 hex), null without a key. */
        public readonly ?string $mac,
    ) {
    }
}
