<?php

// Generated from the built mcp_guard module by tools/stubs.php. Do not edit.

namespace McpGuard\Audit;

/**
 * One audit event: a closed type, an outcome, and bounded identifiers. It
 * cannot hold a secret: a value shaped like a credential (a full API token,
 * a JWT, an `Authorization` header value) is refused, and a tool call's
 * arguments are kept only as their SHA-256 digest, computed in place.
 */
final class Event
{
    /**
     * The event a canonical record holds (as written by `Chain::link()`).
     *
     * @throws \McpGuard\Exception\InvalidArgumentException reason malformed_record.
     */
    public static function fromRecord(string $record): \McpGuard\Audit\Event {}

    /**
     * The type.
     */
    public function type(): string {}

    /**
     * allowed, denied or error.
     */
    public function outcome(): string {}

    /**
     * Unix time in microseconds.
     */
    public function at(): int {}

    /**
     * The member id, if set.
     */
    public function principal(): ?string {}

    /**
     * The token's public id (or JWT jti), if set.
     */
    public function tokenId(): ?string {}

    /**
     * The OAuth client id, if set.
     */
    public function clientId(): ?string {}

    /**
     * The tool, if set.
     */
    public function tool(): ?string {}

    /**
     * The SHA-256 digest of the arguments (64 hex), if set.
     */
    public function argumentsDigest(): ?string {}

    /**
     * The reason code, if set.
     */
    public function reason(): ?string {}

    /**
     * The latency in microseconds, if set.
     */
    public function latencyUs(): ?int {}

    /**
     * The IP address in canonical form, if set.
     */
    public function ip(): ?string {}

    /**
     * The MCP protocol version, if set.
     */
    public function protocol(): ?string {}

    /**
     * Every field, absent ones as null: type, outcome, at, principal, tokenId,
     * clientId, tool, argumentsDigest, reason, latencyUs, ip, protocol.
     */
    public function toArray(): array {}

    /**
     * @param string $type one of token_issued, token_used, token_failed, token_revoked,
     *   token_rotated, token_refreshed, code_exchanged, client_revoked, member_added,
     *   member_removed, tool_listed, tool_allowed, tool_denied, request_refused, rate_limited,
     *   confirmation_asked, confirmation_used.
     * @param array $fields any of: principal, tokenId (a token's public id or a JWT jti),
     *   clientId, tool, protocol (strings); arguments (an array: only its digest is kept) or
     *   argumentsDigest (64 hex); outcome (allowed, denied, error; default: denied for
     *   token_failed, tool_denied, request_refused and rate_limited, else allowed); reason
     *   (`[a-z0-9_.]{1,64}`); latencyUs, at (Unix µs; default now) (ints); ip. A null value
     *   is an absent field.
     * @throws \McpGuard\Exception\InvalidArgumentException reason unknown_event_type,
     *   unknown_audit_field, invalid_audit_field_type, invalid_audit_field, secret_shaped_value,
     *   invalid_outcome, invalid_reason, invalid_ip, invalid_digest, invalid_arguments, out_of_range.
     */
    public function __construct(string $type, ?array $fields = null) {}
}
