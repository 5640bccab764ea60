<?php

// Generated from the built mcp_guard module by tools/stubs.php. Do not edit.

namespace McpGuard;

/**
 * The guard of an MCP endpoint: policy, token settings, rates and the
 * protected-resource metadata URL, compiled once per worker.
 *
 * Configuration keys: `manifest` (the policy manifest, array or JSON text),
 * `resourceMetadata` (the RFC 9728 metadata URL the challenges name),
 * `resource` (the MCP URL OAuth access tokens must be bound to),
 * `tokenPrefixes` (default `['mcp', 'mcpat']`: API and OAuth access tokens),
 * `allowedOrigins` (cross origins CORS allows; default none), `trustedProxies`
 * (IPs/CIDRs whose forwarded headers count; default none),
 * `dangerousAllowHttpLoopback` (default false), `tokenPepper` (default: the INI pepper,
 * read when the guard is compiled), `rates` (`request`, `read`, `write`,
 * `destructive`, `failed` => `['limit' => int, 'period' => seconds]`, or
 * `false` to turn one off; defaults 120, 60, 20, 5 and 10 per minute),
 * `legacySha256Tokens` (default false: `checkLegacy()` refuses every token;
 * true accepts rows that stored the bare hex SHA-256 of a token of the tool
 * the shop replaced).
 */
final class Guard
{
    /**
     * The guard this worker compiled under `$name`; `$config` (a callable
     * returning the configuration array) is only called when there is none,
     * so a request pays one lookup by name. The name must change when the
     * configuration does (put the manifest file's modification time or a
     * version in it): a worker never looks at the configuration again.
     * At most 16 names are kept per worker.
     *
     * @param string $name 1 to 256 bytes.
     * @param callable(): array $config
     * @throws \McpGuard\Exception\ConfigurationException as the constructor, or
     *   when `$config` does not return an array.
     * @throws \McpGuard\Exception\InvalidArgumentException an empty or too long name.
     */
    public static function named(string $name, mixed $config): \McpGuard\Guard {}

    /**
     * Step 1's checks, compiled with the guard (`allowedOrigins`; same-origin
     * is the `resource`'s origin): `check()` and `preflight()` of a request.
     */
    public function origins(): \McpGuard\Resource\Origins {}

    /**
     * Step 2's checks, compiled with the guard (`trustedProxies`,
     * `dangerousAllowHttpLoopback`): `inspect()` of a request.
     */
    public function transport(): \McpGuard\Resource\Transport {}

    /**
     * The guard's compiled policy (shared, not copied).
     */
    public function policy(): \McpGuard\Policy {}

    /**
     * The public id of a well-formed token of this guard's prefix (format
     * and checksum checked, nothing hashed), to find its row by; null when
     * the string is not one (`check()` then refuses it as malformed).
     */
    public function publicId(string $token): ?string {}

    /**
     * The prefix of a well-formed token (`mcp`, `mcpat`…), to pick the store
     * its row is in; null when the string is not a token of this guard.
     */
    public function tokenPrefix(string $token): ?string {}

    /**
     * One request with an opaque token, in the fixed order: the token
     * against its stored row (format, checksum, hash in constant time,
     * revocation, expiry; a failure costs `$ip` one `failed` unit), the
     * member's role (null = removed), the scopes (the token's AND the
     * role's), the rates (`request`, then the tool's class), the policy
     * (tool, scopes, writes, enabled, typed fields; arguments in place).
     *
     * @param string $token the bearer token as presented.
     * @param string|null $storedHash the row's hash; null = no row.
     * @param string[] $scopes the token's scopes (aliases accepted).
     * @param string|null $role the member's role now; null = not a member any more.
     * @param string|null $tool the tool called; null for a request that calls none.
     * @param array|null $arguments the call's arguments.
     * @param string|null $ip the client address (for the failed-attempt rate).
     * @param int|null $now Unix time for the token's expiry; null = the clock.
     * @param int|null $rateNow Unix µs for the rates: only with mcp_guard.rate_limit_test_clock=1.
     * @param string|null $audience the resource the row binds the token to
     *   (OAuth access tokens: must be the guard's `resource` exactly); null = none.
     * @throws \McpGuard\Exception\InvalidArgumentException a scope that is not a string.
     */
    public function check(string $token, ?string $storedHash, ?int $expiresAt, ?int $revokedAt, array $scopes, ?string $role = null, ?string $tool = null, ?array $arguments = null, ?string $ip = null, ?int $now = null, ?int $rateNow = null, ?string $audience = null): \McpGuard\Guard\Verdict {}

    /**
     * The lower-case hex SHA-256 of a token the host looks a legacy row up
     * by (`hash('sha256', $token)` of the tool it replaced); null when the
     * guard does not accept legacy rows (`legacySha256Tokens`), or the token
     * is empty, longer than 4 KiB or starts like one of this guard's
     * (`<prefix>_`: those are only ever checked by `check()`).
     */
    public function legacyDigest(string $token): ?string {}

    /**
     * `check()` for a token of the tool the shop replaced, against the row
     * found by `legacyDigest()`: the stored digest in constant time, then
     * revocation and expiry as for our tokens, then member, scopes, rates
     * (keyed by `token:sha256-<16 hex of the digest>`, the verdict's
     * `publicId()`) and policy exactly as `check()`. Refused as `malformed`
     * when the guard was not configured with `legacySha256Tokens => true`
     * or the token starts like one of ours; every refusal costs `$ip` one
     * `failed` unit.
     *
     * @param string $token the bearer token as presented.
     * @param string|null $storedDigest the row's bare 64-hex SHA-256; null = no row.
     * @param string[] $scopes the row's scopes (aliases accepted).
     * @param int|null $rateNow as for `check()`.
     * @throws \McpGuard\Exception\InvalidArgumentException a scope that is not a string.
     */
    public function checkLegacy(string $token, ?string $storedDigest, ?int $expiresAt, ?int $revokedAt, array $scopes, ?string $role = null, ?string $tool = null, ?array $arguments = null, ?string $ip = null, ?int $now = null, ?int $rateNow = null): \McpGuard\Guard\Verdict {}

    /**
     * `check()` for a member the host authenticated itself (a verified
     * JWT's subject, Basic credentials it checked): the same order from the
     * member's role on, the rates keyed by `user:<id>`.
     *
     * @param string $member the member id (1 to 256 printable ASCII bytes).
     * @param string[] $scopes what the credential grants (a JWT's scope claim;
     *   for Basic, the role's scopes).
     * @param int|null $rateNow as for `check()`.
     */
    public function checkMember(string $member, array $scopes, ?string $role = null, ?string $tool = null, ?array $arguments = null, ?int $rateNow = null): \McpGuard\Guard\Verdict {}

    /**
     * For a credential refused outside `check()` (a JWT that did not
     * verify, Basic credentials the host rejected): a 401 verdict
     * (`credential_refused`), or 429 once `$ip` has used up the `failed`
     * rate that failed opaque tokens also count against.
     *
     * @param int|null $rateNow as for `check()`.
     */
    public function refuseCredential(?string $ip = null, ?int $rateNow = null): \McpGuard\Guard\Verdict {}

    /**
     * The 401 challenge for a request without credentials:
     * `Bearer resource_metadata="…"`.
     */
    public function challenge(): string {}

    /**
     * The protected-resource metadata URL the challenges name.
     */
    public function resourceMetadata(): string {}

    /**
     * Compiles a guard (the manifest is cached per worker by its digest,
     * as for `new Policy()`). Prefer `Guard::named()` on the request path.
     *
     * @param array $config see the class documentation.
     * @throws \McpGuard\Exception\ConfigurationException an unknown key, a
     *   missing manifest or URL, a bad rate, prefix or pepper; manifest_* for the manifest.
     */
    public function __construct(array $config) {}
}
