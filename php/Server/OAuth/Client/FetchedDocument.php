<?php

declare(strict_types=1);

namespace McpGuard\Server\OAuth\Client;

/** A metadata document as fetched: the body, and its Cache-Control (for ClientMetadata::cacheLifetime()). */
final class FetchedDocument
{
    public function __construct(public readonly string $body, public readonly ?string $cacheControl = null)
    {
    }
}
