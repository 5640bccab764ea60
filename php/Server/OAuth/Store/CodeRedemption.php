<?php

declare(strict_types=1);

namespace McpGuard\Server\OAuth\Store;

/**
 * What CodeStore::consume() found. Exactly one caller ever gets `ok` for a
 * code; every other one gets `replayed` (with the record, so it can revoke the
 * family the code opened), `expired` or `unknown`.
 */
final class CodeRedemption
{
    /** This call consumed the code: go on with the extension's checks (client, redirect URI, PKCE). */
    public const OK = 'ok';
    /** The code was consumed before: refuse, and revoke the family `record()->familyId`. */
    public const REPLAYED = 'replayed';
    /** The code was never consumed and its expiry has passed: refuse. */
    public const EXPIRED = 'expired';
    /** No such code: refuse. */
    public const UNKNOWN = 'unknown';

    private function __construct(private readonly string $status, private readonly ?CodeRecord $record)
    {
    }

    public static function ok(CodeRecord $record): self
    {
        return new self(self::OK, $record);
    }

    public static function replayed(CodeRecord $record): self
    {
        return new self(self::REPLAYED, $record);
    }

    public static function expired(CodeRecord $record): self
    {
        return new self(self::EXPIRED, $record);
    }

    public static function unknown(): self
    {
        return new self(self::UNKNOWN, null);
    }

    /** One of the constants: 'ok', 'replayed', 'expired' or 'unknown'. */
    public function status(): string
    {
        return $this->status;
    }

    public function isOk(): bool
    {
        return $this->status === self::OK;
    }

    /** The code's row as it is now (`consumedAt` set for ok and replayed); null when unknown. */
    public function record(): ?CodeRecord
    {
        return $this->record;
    }
}
