<?php

declare(strict_types=1);

namespace McpGuard\Server\Guard\Confirmation;

/**
 * What Confirmer::accept() decided for one destructive call: accepted (run
 * the tool), missing (answer with Confirmer::ask()), refused (a reason from
 * the extension: malformed, bad_mac, expired, not_bound, conflict), or
 * replayed (a confirmation used before). Every reason is one of
 * ConfirmationError's in the extension (`confirmation_…`); never a token.
 */
final class ConfirmationOutcome
{
    public const ACCEPTED = 'accepted';
    public const MISSING = 'missing';
    public const REFUSED = 'refused';
    public const REPLAYED = 'replayed';

    private function __construct(
        private readonly string $status,
        private readonly ?string $reason,
        private readonly ?string $id,
        private readonly ?int $expiresAt,
        private readonly bool $firstUse,
    ) {
    }

    public static function accepted(string $id, int $expiresAt, bool $firstUse = true): self
    {
        return new self(self::ACCEPTED, null, $id, $expiresAt, $firstUse);
    }

    public static function missing(): self
    {
        return new self(self::MISSING, 'confirmation_required', null, null, false);
    }

    public static function refused(string $reason): self
    {
        return new self(self::REFUSED, $reason, null, null, false);
    }

    public static function replayed(string $id, int $expiresAt): self
    {
        return new self(self::REPLAYED, 'confirmation_replayed', $id, $expiresAt, false);
    }

    /** accepted, missing, refused or replayed. */
    public function status(): string
    {
        return $this->status;
    }

    /** Whether the tool may run. */
    public function isAccepted(): bool
    {
        return $this->status === self::ACCEPTED;
    }

    /** `confirmation_required`, `confirmation_replayed`, or the check's refusal; null when accepted. */
    public function reason(): ?string
    {
        return $this->reason;
    }

    /** The confirmation's id (safe to log) when it was genuine and bound: accepted or replayed. */
    public function id(): ?string
    {
        return $this->id;
    }

    public function expiresAt(): ?int
    {
        return $this->expiresAt;
    }

    /**
     * For an accepted confirmation: whether this was its first use (always,
     * unless the Confirmer replays within the lifetime).
     */
    public function isFirstUse(): bool
    {
        return $this->firstUse;
    }
}
