<?php

declare(strict_types=1);

namespace McpGuard\Server\OAuth\Store;

/**
 * What RefreshTokenStore::rotate() found. `record()` is the presented token's
 * row as it is after the call (null when unknown), so the caller can also
 * decide from the raw facts (`rotatedAt`, `successorCount`, `successorUsedAt`).
 */
final class RefreshRotation
{
    /** This call rotated the token: the successor is stored; answer with it. */
    public const ROTATED = 'rotated';
    /**
     * The token was rotated before and this use is not a tolerated race: the
     * grace window is off or over, or one of its successors has been used.
     * Refuse, and revoke the whole family.
     */
    public const REUSED = 'reused';
    /**
     * A tolerated race that found no room left: inside the grace window, no
     * successor used yet, but `maxSuccessors` already issued. Refuse this
     * request only (the client holds a working successor from its sibling).
     */
    public const CONCURRENT = 'concurrent';
    /** The token or its family is revoked: refuse. */
    public const REVOKED = 'revoked';
    /** Never rotated and past its expiry: refuse. */
    public const EXPIRED = 'expired';
    /** No such token (or no family row for it): refuse. */
    public const UNKNOWN = 'unknown';

    private function __construct(private readonly string $status, private readonly ?RefreshTokenRecord $record)
    {
    }

    public static function of(string $status, ?RefreshTokenRecord $record): self
    {
        if (!in_array($status, [self::ROTATED, self::REUSED, self::CONCURRENT, self::REVOKED, self::EXPIRED, self::UNKNOWN], true)
            || ($record === null) !== ($status === self::UNKNOWN)) {
            throw new \McpGuard\Exception\InvalidArgumentException('The rotation status is not acceptable.');
        }
        return new self($status, $record);
    }

    /** One of the constants. */
    public function status(): string
    {
        return $this->status;
    }

    public function isRotated(): bool
    {
        return $this->status === self::ROTATED;
    }

    public function record(): ?RefreshTokenRecord
    {
        return $this->record;
    }
}
