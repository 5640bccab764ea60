<?php

declare(strict_types=1);

namespace McpGuard\Server\Token;

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
        foreach ($scopes as $scope) {
            if (!is_string($scope) || preg_match('/^[\x21\x23-\x5B\x5D-\x7E]+$/', $scope) !== 1) {
                // RFC 6749 §3.3 scope-token characters.
                throw new \InvalidArgumentException('A scope must be a non-empty RFC 6749 scope token.');
            }
        }
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
