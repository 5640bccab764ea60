<?php

// Generated from the built mcp_guard module by tools/stubs.php. Do not edit.

namespace McpGuard\Mcp;

/**
 * What one MCP POST body holds, or why it is refused: the outcome of
 * `Envelope::read()` (or `Envelope::refused()` for what the endpoint
 * refuses before decoding: a GET, an oversized body, malformed JSON).
 *
 * Built with read(), refused(); `new` is refused.
 */
final class Envelope
{
    /**
     * Reads a decoded POST body (`json_decode($body, true)`) with its MCP
     * headers (null when absent). Never throws for anything a client can
     * send: every problem is a refusal (`ok()` false).
     *
     * @param mixed $decoded the decoded body.
     * @param int|null $maxBatch most messages in a batch (2025-03-26 only), 1 to 100; default 10.
     * @throws \McpGuard\Exception\InvalidArgumentException for a `$maxBatch` outside 1 to 100.
     */
    public static function read(mixed $decoded, ?string $protocolHeader = null, ?string $methodHeader = null, ?string $nameHeader = null, ?int $maxBatch = null): \McpGuard\Mcp\Envelope {}

    /**
     * The refusal named `$reason` (`method_not_allowed`, `body_too_large`,
     * `parse_error`, …: the reasons of docs/mcp.md), for what the endpoint
     * refuses itself, so its status, code and message come from the one
     * table.
     *
     * @throws \McpGuard\Exception\InvalidArgumentException for an unknown reason.
     */
    public static function refused(string $reason): \McpGuard\Mcp\Envelope {}

    /**
     * True when the body is to be served.
     */
    public function ok(): bool {}

    /**
     * The protocol version the answer speaks (`2026-07-28`, the version
     * `initialize` negotiated, `2025-03-26` without a header); null when
     * refused.
     */
    public function protocolVersion(): ?string {}

    /**
     * Whether the version is 2026-07-28 (stateless; `resultType` on results).
     */
    public function isModern(): bool {}

    /**
     * Whether the body was a batch (answer with a list).
     */
    public function isBatch(): bool {}

    /**
     * The messages, in body order: each `[method, id, tool]` (id int|string,
     * null for a notification; tool the `tools/call` name, else null).
     * Empty when refused.
     */
    public function messages(): array {}

    /**
     * The HTTP status of the refusal (400, 404, 405, 413); 200 when ok.
     */
    public function httpStatus(): int {}

    /**
     * The JSON-RPC error code of the refusal; null when ok.
     */
    public function jsonRpcCode(): ?int {}

    /**
     * The generic error message of the refusal (never the input); null when ok.
     */
    public function errorMessage(): ?string {}

    /**
     * The refusal's reason for the audit log (`method_header_mismatch`, …);
     * null when ok.
     */
    public function reason(): ?string {}

    /**
     * The id the error answers (int|string), or null (unreadable, or a batch).
     */
    public function errorId(): mixed {}

    /**
     * The error's `data`: for -32022 `['supported' => [...], 'requested' => '...']`;
     * null otherwise.
     */
    public function errorData(): ?array {}
}
