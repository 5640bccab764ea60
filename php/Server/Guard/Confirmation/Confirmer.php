<?php

declare(strict_types=1);

namespace McpGuard\Server\Guard\Confirmation;

use McpGuard\Confirmations;
use McpGuard\Exception\InvalidArgumentException;

/**
 * The pipeline's confirmation step for destructive tools: a call without a
 * confirmation is answered with ask(); a call with one goes through
 * accept(), which lets it run when the extension finds the confirmation
 * genuine, unexpired and bound to this principal, tool and these exact
 * arguments, and the store records its first use. The protocol is in
 * docs/confirmations.md.
 */
final class Confirmer
{
    /**
     * @param bool $replayWithinLifetime let a confirmation be used again until it
     *   expires (Statamic's addon); default false: single use
     */
    public function __construct(
        private readonly Confirmations $confirmations,
        private readonly ConfirmationStore $store,
        private readonly bool $replayWithinLifetime = false,
    ) {
    }

    /**
     * The `tools/call` result for a destructive call that came without a
     * confirmation: `isError: true`, a text for the agent (ask the user, then
     * call again with the same arguments and the token), the confirmation in
     * `structuredContent` and `_meta`.
     *
     * @param array<array-key, mixed> $arguments without `_confirmation`
     * @return array<string, mixed>
     */
    public function ask(string $principal, string $tool, array $arguments, ?int $now = null): array
    {
        $issued = $this->confirmations->issue($principal, $tool, $arguments, $now);
        $confirmation = ['token' => $issued->token(), 'expiresAt' => $issued->expiresAt(), 'tool' => $tool];
        $until = gmdate('Y-m-d H:i:s', $issued->expiresAt());
        $text = "The tool {$tool} changes or deletes data and needs the user's confirmation. "
            . 'Tell the user exactly what this call will do and ask whether to go ahead. '
            . "Only if the user agrees, call {$tool} again with exactly the same arguments plus the argument "
            . PresentedConfirmation::ARGUMENT . "=\"{$issued->token()}\" (valid once, until {$until} UTC). "
            . 'If the user does not agree, do not call it again.';
        return [
            'content' => [['type' => 'text', 'text' => $text]],
            'structuredContent' => ['confirmation' => $confirmation],
            'isError' => true,
            '_meta' => [PresentedConfirmation::META_KEY => $confirmation],
        ];
    }

    /**
     * Decides one destructive call from what it presented (null: nothing).
     * Pass the arguments WITHOUT `_confirmation` (PresentedConfirmation::split()).
     *
     * @param array<array-key, mixed> $arguments
     * @throws \McpGuard\Server\OAuth\StorageException the store failed: refuse the call (fail closed)
     */
    public function accept(?string $presented, string $principal, string $tool, array $arguments, ?int $now = null): ConfirmationOutcome
    {
        if ($presented === null) {
            return ConfirmationOutcome::missing();
        }
        $now ??= time();
        try {
            $check = $this->confirmations->check($presented, $principal, $tool, $arguments, $now);
        } catch (InvalidArgumentException) {
            return ConfirmationOutcome::refused('confirmation_arguments_unreadable');
        }
        $id = $check->id();
        $expiresAt = $check->expiresAt();
        if (!$check->ok() || $id === null || $expiresAt === null) {
            return ConfirmationOutcome::refused((string) $check->reason());
        }
        $first = $this->store->claim($id, $expiresAt, $now);
        if ($first || $this->replayWithinLifetime) {
            return ConfirmationOutcome::accepted($id, $expiresAt, $first);
        }
        return ConfirmationOutcome::replayed($id, $expiresAt);
    }

    /**
     * accept() for what PresentedConfirmation::split() took apart: its
     * refusal (conflict, malformed) first, then its token and arguments.
     *
     * @throws \McpGuard\Server\OAuth\StorageException
     */
    public function acceptPresented(PresentedConfirmation $presented, string $principal, string $tool, ?int $now = null): ConfirmationOutcome
    {
        $refusal = $presented->refusal();
        if ($refusal !== null) {
            return ConfirmationOutcome::refused($refusal);
        }
        return $this->accept($presented->token(), $principal, $tool, $presented->arguments(), $now);
    }

    /**
     * The `tools/call` result for a refused or replayed confirmation:
     * isError, a text that names the reason, and a fresh confirmation to ask
     * the user with (so the agent can start over honestly). Null for an
     * accepted one.
     *
     * @param array<array-key, mixed> $arguments without `_confirmation`
     * @return array<string, mixed>|null
     */
    public function answer(ConfirmationOutcome $outcome, string $principal, string $tool, array $arguments, ?int $now = null): ?array
    {
        if ($outcome->isAccepted()) {
            return null;
        }
        $result = $this->ask($principal, $tool, $arguments, $now);
        if ($outcome->status() !== ConfirmationOutcome::MISSING) {
            $why = match ($outcome->reason()) {
                'confirmation_replayed' => 'The confirmation was used already.',
                'confirmation_expired' => 'The confirmation has expired.',
                'confirmation_not_bound' => 'The confirmation was given for a different call (other arguments, tool or user).',
                default => 'The confirmation is not valid.',
            };
            $result['content'][0]['text'] = $why . ' ' . $result['content'][0]['text'];
            $result['structuredContent']['refused'] = $outcome->reason();
        }
        return $result;
    }
}
