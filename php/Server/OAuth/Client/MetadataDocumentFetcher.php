<?php

declare(strict_types=1);

namespace McpGuard\Server\OAuth\Client;

/**
 * Fetches a Client ID Metadata Document. StreamMetadataFetcher is the
 * default; a host may bring its own (its HTTP client, an egress proxy), and
 * the tests inject one, as long as it keeps the rules: connect only to
 * addresses ClientMetadata::fetchTargetAllowed() accepts (every address the
 * host resolves to), follow no redirect, stay within
 * ClientMetadata::fetchTimeoutSeconds() and ClientMetadata::maxDocumentBytes().
 * Whether the document itself is acceptable is the extension's decision
 * (ClientMetadata::fromDocument), not the fetcher's.
 */
interface MetadataDocumentFetcher
{
    /**
     * @param string $clientId the client id: an https URL the extension has accepted as one
     * @param string $host     its host, as ClientMetadata::documentHost() gave it
     * @throws MetadataFetchFailed no document (refused address, DNS, TLS, timeout, a status other than 200, too large)
     */
    public function fetch(string $clientId, string $host): FetchedDocument;
}
