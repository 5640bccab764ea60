<?php

declare(strict_types=1);

namespace McpGuard\Server\OAuth\Store;

/**
 * One known OAuth client: registered by RFC 7591, a cached Client ID Metadata
 * Document, or pre-registered by the admin. The metadata is kept as the JSON
 * text the extension accepted (a fetched document, or the registration as
 * assigned); the glue never reads it. A confidential client's secret is kept
 * only as the hash string the extension made of it.
 */
final class ClientRecord
{
    /** Registered through the registration endpoint (RFC 7591). */
    public const REGISTERED = 'registered';
    /** A Client ID Metadata Document fetched from `clientId`, cached until `expiresAt`. */
    public const METADATA_DOCUMENT = 'metadata_document';
    /** Configured by the admin (a pinned document or a pre-registered client): never pruned. */
    public const PREREGISTERED = 'preregistered';

    /**
     * @param string      $key         fixed-length row key the caller derives from the client id
     *                                 (e.g. the extension's digest string), 1–128 ASCII bytes
     * @param string      $clientId    the full client id (a metadata document's https URL: up to 2048 bytes)
     * @param string      $metadata    JSON text as accepted by the extension, up to 64 KiB
     * @param string|null $secretHash  hash string of a confidential client's secret; null for public clients
     * @param int|null    $expiresAt   when a cached metadata document must be fetched again; null otherwise
     * @param int|null    $lastUsedAt  last authorization or token grant (idle expiry counts from it)
     * @param int|null    $consentedAt first time a member consented (null: never; such registrations are capped)
     */
    public function __construct(
        public readonly string $key,
        public readonly string $clientId,
        public readonly string $kind,
        public readonly string $metadata,
        public readonly ?string $secretHash,
        public readonly int $createdAt,
        public readonly ?int $expiresAt = null,
        public readonly ?int $lastUsedAt = null,
        public readonly ?int $consentedAt = null,
    ) {
        Field::id('client key', $key, Field::KEY_MAX);
        Field::text('client id', $clientId, Field::URL_MAX);
        if (!in_array($kind, [self::REGISTERED, self::METADATA_DOCUMENT, self::PREREGISTERED], true)) {
            throw new \McpGuard\Exception\InvalidArgumentException('The client kind is not acceptable.');
        }
        Field::json('client metadata', $metadata);
        if ($secretHash !== null) {
            Field::id('client secret hash', $secretHash, Field::HASH_MAX);
        }
        Field::time('client creation time', $createdAt);
        Field::time('client expiry', $expiresAt);
        Field::time('client last use', $lastUsedAt);
        Field::time('client consent time', $consentedAt);
    }

    /** The same client with a freshly fetched document (consent and use are kept). */
    public function withMetadata(string $metadata, ?int $expiresAt): self
    {
        return new self($this->key, $this->clientId, $this->kind, $metadata, $this->secretHash, $this->createdAt, $expiresAt, $this->lastUsedAt, $this->consentedAt);
    }
}
