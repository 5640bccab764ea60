<?php

declare(strict_types=1);

namespace McpGuard\Server\Guard\Confirmation;

/**
 * The confirmation a `tools/call` presents, taken apart from its arguments.
 * A client presents it in `params._meta["io.github.mcp-guard/confirmation"]`
 * (programmatic clients) or as the reserved argument `_confirmation` (what
 * an LLM-driven client can send). The reserved argument is removed from the
 * arguments before anything else looks at them (the policy's field check,
 * the arguments digest, the tool).
 */
final class PresentedConfirmation
{
    /** The `_meta` key (MCP 2025-11-25 `_meta` naming: reverse-DNS prefix, second label not `mcp`/`modelcontextprotocol`). */
    public const META_KEY = 'io.github.mcp-guard/confirmation';

    /** The reserved argument name. */
    public const ARGUMENT = '_confirmation';

    /** @param array<array-key, mixed> $arguments */
    private function __construct(
        private readonly array $arguments,
        private readonly ?string $token,
        private readonly ?string $refusal,
    ) {
    }

    /**
     * Splits a call's `arguments` and `_meta` (both as decoded from the
     * JSON-RPC request, null when absent). Both places filled with different
     * values, or a value that is not a string, is a refusal
     * (`confirmation_conflict`, `confirmation_malformed`); the same value in
     * both is one confirmation.
     *
     * @param array<array-key, mixed>      $arguments
     * @param array<array-key, mixed>|null $meta
     */
    public static function split(array $arguments, ?array $meta = null): self
    {
        $fromArgs = null;
        $hasArg = array_key_exists(self::ARGUMENT, $arguments);
        if ($hasArg) {
            $fromArgs = $arguments[self::ARGUMENT];
            unset($arguments[self::ARGUMENT]);
        }
        $hasMeta = $meta !== null && array_key_exists(self::META_KEY, $meta);
        $fromMeta = $hasMeta ? $meta[self::META_KEY] : null;
        if (($hasArg && !is_string($fromArgs)) || ($hasMeta && !is_string($fromMeta))) {
            return new self($arguments, null, 'confirmation_malformed');
        }
        if ($hasArg && $hasMeta && !hash_equals($fromMeta, $fromArgs)) {
            return new self($arguments, null, 'confirmation_conflict');
        }
        return new self($arguments, $hasArg ? $fromArgs : $fromMeta, null);
    }

    /** @return array<array-key, mixed> the arguments without `_confirmation` */
    public function arguments(): array
    {
        return $this->arguments;
    }

    /** The presented confirmation, or null (none, or refused). */
    public function token(): ?string
    {
        return $this->token;
    }

    /** Why the presentation itself is refused, or null. */
    public function refusal(): ?string
    {
        return $this->refusal;
    }

    /**
     * A destructive tool's inputSchema with the optional `_confirmation`
     * string declared (so that a client which validates arguments against
     * the schema lets the model send it).
     *
     * @param array<string, mixed> $inputSchema
     * @return array<string, mixed>
     */
    public static function declareIn(array $inputSchema): array
    {
        $inputSchema['type'] ??= 'object';
        $props = $inputSchema['properties'] ?? [];
        $props = is_array($props) ? $props : [];
        $props[self::ARGUMENT] = [
            'type' => 'string',
            'description' => 'Only when a previous call was refused for confirmation: the confirmation token it returned, after the user agreed.',
        ];
        $inputSchema['properties'] = $props;
        return $inputSchema;
    }
}
