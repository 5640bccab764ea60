<?php

// Generated from the built mcp_guard module by tools/stubs.php. Do not edit.

namespace McpGuard\Jwt;

/**
 * Verifies JWTs against one key set: algorithm from the key, `iss` exact,
 * `aud` one of the configured audiences, `exp` required, `typ` per profile.
 */
final class Verifier
{
    /**
     * Verifies a compact JWS and returns its claims.
     *
     * @param int|null $now Unix time; null = the system clock.
     * @throws \McpGuard\Exception\InvalidTokenException errorCode invalid_token, reason one of
     *   malformed, too_large, alg_not_allowed, crit_unsupported, unknown_kid, bad_signature,
     *   wrong_type, expired, not_yet_valid, too_old, wrong_issuer, wrong_audience, missing_claim.
     */
    public function verify(string $jwt, ?int $now = null): array {}

    /**
     * Splits the `scope` claim of verified claims into scope tokens (RFC
     * 6749 §3.3); no `scope` claim → `[]`.
     */
    public static function scopes(array $claims): array {}

    /**
     * @param string|string[] $audience the resource(s) this server is (exact strings).
     * @param string $profile `access_token` (RFC 9068, default) or `jwt`.
     * @param int $leewaySeconds clock leeway, 0–300 (default 30).
     * @param int|null $maxAgeSeconds refuse tokens with an older `iat`; null = no limit.
     * @param int $maxTokenBytes size cap before decoding, 1–65536 (default 8192).
     */
    public function __construct(\McpGuard\Jwt\KeySet $keys, string $issuer, mixed $audience, ?string $profile = null, ?int $leewaySeconds = null, ?int $maxAgeSeconds = null, ?int $maxTokenBytes = null) {}
}
