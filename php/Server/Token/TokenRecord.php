<?php

declare(strict_types=1);

namespace McpGuard\Server\Token;

use McpGuard\Scopes;

/**
 * One stored API token: never the token itself, only its hash and what it grants.
 */
final class TokenRecord
{
    /**
     * @param list<string> $scopes
     */
    public function __construct(
        public readonly string $publicId,
        public readonly string $hash,
        public readonly string $subject,
        public readonly array $scopes,
        public readonly string $name,
        public readonly int $createdAt,
        public readonly ?int $expiresAt,
        public readonly ?int $revokedAt = null,
    ) {
        // The extension decides the grammar (RFC 6749 §3.3 scope-tokens of at
        // most 128 bytes, at most 256 of them): McpGuard\Exception\InvalidArgumentException.
        Scopes::check($scopes);
    }

    public function withHash(string $hash): self
    {
        return new self($this->publicId, $hash, $this->subject, $this->scopes, $this->name, $this->createdAt, $this->expiresAt, $this->revokedAt);
    }

    public function withExpiresAt(?int $expiresAt): self
    {
        return new self($this->publicId, $this->hash, $this->subject, $this->scopes, $this->name, $this->createdAt, $expiresAt, $this->revokedAt);
    }

    public function withRevokedAt(int $revokedAt): self
    {
        return new self($this->publicId, $this->hash, $this->subject, $this->scopes, $this->name, $this->createdAt, $this->expiresAt, $revokedAt);
    }
}
