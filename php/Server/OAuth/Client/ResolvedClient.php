<?php

declare(strict_types=1);

namespace McpGuard\Server\OAuth\Client;

use McpGuard\OAuth\ClientMetadata;
use McpGuard\Server\OAuth\Store\ClientRecord;

/** A client the resolver found: its id, row key, kind, validated metadata, and secret hash (confidential clients). */
final class ResolvedClient
{
    /**
     * @param string      $kind       ClientRecord::REGISTERED, METADATA_DOCUMENT or PREREGISTERED (a pinned document too)
     * @param string|null $host       the host of a metadata-document client id (shown on the consent page); null otherwise
     */
    public function __construct(
        public readonly string $clientId,
        public readonly string $key,
        public readonly string $kind,
        public readonly ClientMetadata $metadata,
        public readonly ?string $secretHash = null,
        public readonly ?string $host = null,
    ) {
    }

    public function isDocument(): bool
    {
        return $this->kind === ClientRecord::METADATA_DOCUMENT;
    }
}
