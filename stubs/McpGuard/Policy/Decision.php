<?php

// Generated from the built mcp_guard module by tools/stubs.php. Do not edit.

namespace McpGuard\Policy;

/**
 * The outcome of `Policy::authorize()`.
 *
 * Made by the extension only: PHP code cannot construct it (`new` is refused).
 */
final class Decision
{
    /**
     * True when the call may proceed.
     */
    public function allowed(): bool {}

    /**
     * The refusal reason (`unknown_tool`, `insufficient_scope`,
     * `writes_disabled`, `tool_disabled`, `unknown_field`, `forbidden_field`,
     * `type_mismatch`, `missing_field`, `too_large`); null when allowed.
     */
    public function reason(): ?string {}

    /**
     * JSON Pointer of the offending argument (`/seo/title`, `/tags/3`; `""`
     * for the arguments as a whole); null for tool-level reasons.
     */
    public function path(): ?string {}

    /**
     * For `type_mismatch`: what the manifest expects (`integer(min=1)`); never
     * the value sent.
     */
    public function expected(): ?string {}

    /**
     * For `insufficient_scope`: every scope the tool requires; otherwise empty.
     */
    public function requiredScopes(): array {}
}
