<?php

declare(strict_types=1);

namespace McpGuard\Server\OAuth\Client;

use McpGuard\OAuth\ClientMetadata;
use McpGuard\Server\OAuth\Store\ClientHousekeeping;
use McpGuard\Server\OAuth\Store\ClientRecord;
use McpGuard\Server\OAuth\Store\ClientStore;
use McpGuard\Tokens;

/**
 * Who a `client_id` is, in this order:
 *
 *  1. a document the admin pinned for that id in the configuration (consulted
 *     before any fetch: some vendors' documents sit behind bot challenges);
 *  2. a client in the ClientStore: registered (RFC 7591), pre-registered by
 *     the admin, or a metadata document cached there until its expiry;
 *  3. a Client ID Metadata Document: when ClientMetadata::documentHost() says
 *     the id is a document URL, fetched through the MetadataDocumentFetcher,
 *     judged by ClientMetadata::fromDocument(), and cached in the store for
 *     ClientMetadata::cacheLifetime() of its Cache-Control.
 *
 * A registered client that never reached consent is gone after
 * `$unconsentedTtl`, and any registered or document client after
 * `$idleTtl` without use (the same rules ClientHousekeeping prunes by).
 * Every judgement of the metadata is the extension's.
 */
final class ClientResolver
{
    /**
     * @param ClientStore&ClientHousekeeping $store
     * @param array<string, string>          $pinned client id => metadata document JSON
     */
    public function __construct(
        private readonly ClientStore&ClientHousekeeping $store,
        private readonly MetadataDocumentFetcher $fetcher,
        private readonly array $pinned = [],
        private readonly int $unconsentedTtl = 86400,
        private readonly int $idleTtl = 90 * 86400,
    ) {
    }

    /**
     * The row key of a client id: fixed length whatever the id (a document
     * URL may be 2048 bytes). A lookup key, not a check: the row also keeps
     * the full id.
     */
    public static function key(string $clientId): string
    {
        return 'cid:' . hash('sha256', $clientId);
    }

    /**
     * The client, or null when nobody knows it (answer "unknown client").
     *
     * @throws \McpGuard\Exception\OAuthException the id or the document breaks the rules (invalid_client, invalid_client_metadata, …)
     * @throws MetadataFetchFailed the document could not be fetched now (temporarily_unavailable)
     * @throws \McpGuard\Server\OAuth\StorageException
     */
    public function resolve(string $clientId, int $now): ?ResolvedClient
    {
        $key = self::key($clientId);
        $host = ClientMetadata::documentHost($clientId);
        if (isset($this->pinned[$clientId])) {
            return new ResolvedClient($clientId, $key, ClientRecord::PREREGISTERED,
                ClientMetadata::fromDocument($this->pinned[$clientId], $clientId), null, $host);
        }
        $record = $this->store->find($key);
        if ($record !== null && $record->clientId !== $clientId) {
            $record = null; // not this id's row (the key is a digest): treat as absent
        }
        if ($record !== null && $record->kind !== ClientRecord::PREREGISTERED && $this->expired($record, $now)) {
            $this->store->delete($key);
            $record = null;
        }
        if ($record !== null && $record->kind !== ClientRecord::METADATA_DOCUMENT) {
            return new ResolvedClient($clientId, $key, $record->kind, ClientMetadata::fromRegistration($record->metadata), $record->secretHash, $host);
        }
        if ($host === null) {
            return null;
        }
        if ($record !== null && $record->expiresAt !== null && $record->expiresAt > $now) {
            return new ResolvedClient($clientId, $key, ClientRecord::METADATA_DOCUMENT, ClientMetadata::fromDocument($record->metadata, $clientId), null, $host);
        }
        $fetched = $this->fetcher->fetch($clientId, $host);
        $metadata = ClientMetadata::fromDocument($fetched->body, $clientId);
        $expiresAt = $now + ClientMetadata::cacheLifetime($fetched->cacheControl);
        $this->store->save($record !== null
            ? $record->withMetadata($fetched->body, $expiresAt)
            : new ClientRecord($key, $clientId, ClientRecord::METADATA_DOCUMENT, $fetched->body, null, $now, $expiresAt));
        return new ResolvedClient($clientId, $key, ClientRecord::METADATA_DOCUMENT, $metadata, null, $host);
    }

    /**
     * Stores a client the admin configures (kind PREREGISTERED, never pruned):
     * `$registration` is RFC 7591 registration JSON, judged by the extension.
     * Returns the client secret to hand over once when the metadata assigns a
     * secret-based method, else null; only its hash is stored.
     *
     * @throws \McpGuard\Exception\OAuthException metadata the extension refuses
     */
    public function preregister(string $clientId, string $registration, int $now, ?Tokens $secrets = null): ?string
    {
        $metadata = ClientMetadata::fromRegistration($registration);
        $secret = $metadata->confidential() ? ($secrets ?? new Tokens('mcpcs'))->issue(null, $now) : null;
        $this->store->save(new ClientRecord(self::key($clientId), $clientId, ClientRecord::PREREGISTERED, $metadata->toJson(), $secret?->hash(), $now));
        return $secret?->plaintext();
    }

    private function expired(ClientRecord $r, int $now): bool
    {
        if ($r->kind === ClientRecord::REGISTERED && $r->consentedAt === null && $r->createdAt < $now - $this->unconsentedTtl) {
            return true;
        }
        return ($r->lastUsedAt ?? $r->consentedAt ?? $r->createdAt) < $now - $this->idleTtl;
    }
}
