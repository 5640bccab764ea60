<?php

// Generated from the built mcp_guard module by tools/stubs.php. Do not edit.

namespace McpGuard\Guard;

/**
 * The guard's decision on one request.
 *
 * Made by the extension only: PHP code cannot construct it (`new` is refused).
 */
final class Verdict
{
    /**
     * True when the request may proceed.
     */
    public function allowed(): bool {}

    /**
     * The HTTP status to answer: 200 when allowed; 401 (token, member),
     * 403 (insufficient_scope), 429 (rate), 503 (no rate table), 200 for
     * the other policy refusals (a JSON-RPC error).
     */
    public function status(): int {}

    /**
     * The refusal reason (token reasons such as `expired`, `member_removed`,
     * `unknown_role`, `rate_limited`, the policy's reasons); null when allowed.
     */
    public function reason(): ?string {}

    /**
     * The JSON-RPC error code of a refusal answered in the protocol
     * (-32602 unknown tool or bad arguments, -32001 a tool this caller may
     * not use, -32000 otherwise); 0 when allowed.
     */
    public function jsonRpcCode(): int {}

    /**
     * The token's public id once its format and checksum were right, or
     * `sha256-<16 hex>` once a legacy row verified (`checkLegacy()`) (for
     * the audit log, even when refused); null otherwise.
     */
    public function publicId(): ?string {}

    /**
     * When the stored hash uses an older scheme: the hash to store instead.
     */
    public function rehash(): ?string {}

    /**
     * `read`, `write` or `destructive` when the tool is in the manifest.
     */
    public function toolClass(): ?string {}

    /**
     * For `insufficient_scope`: the scopes the operation needs.
     */
    public function requiredScopes(): array {}

    /**
     * For an argument refusal: the JSON Pointer of the offending argument.
     */
    public function path(): ?string {}

    /**
     * For `type_mismatch`: what the manifest expects (never the value sent).
     */
    public function expected(): ?string {}

    /**
     * Seconds until a rate-limited request may be retried (0 otherwise).
     */
    public function retryAfter(): int {}

    /**
     * The response headers the decision calls for: `WWW-Authenticate` on a
     * 401 (`error="invalid_token"`) or a 403 (`error="insufficient_scope"`
     * with exactly the scopes the operation needs), and the
     * `RateLimit-Policy` / `RateLimit` (+ `Retry-After` when refused) of the
     * tightest rate hit.
     */
    public function headers(): array {}

    /**
     * The tools the caller may call, sorted (for `tools/list`): empty unless
     * allowed and the scopes in force include `discover`.
     */
    public function visibleTools(): array {}
}
