<?php

// Generated from the built mcp_guard module by tools/stubs.php. Do not edit.

namespace McpGuard;

/**
 * A compiled tool policy. Build it on every request from the same manifest:
 * the compile happens once per worker, later constructions cost a hash.
 */
final class Policy
{
    /**
     * Decides one tool call. All or nothing: one bad field refuses the call.
     *
     * The order: the tool (`unknown_tool`), the scopes (`insufficient_scope`,
     * with the tool's scopes for the 403 challenge), writes enabled, the
     * tool enabled, then the arguments: their limits (`too_large`), then
     * the fields. No argument is looked at before the tool may be called,
     * and the arguments are checked in place, never copied. A caller
     * without a `discover` scope is told nothing about tools it cannot call:
     * each is `unknown_tool` without scopes, as `visibleTools()` lists none.
     *
     * @param string[] $scopes the caller's scopes (aliases accepted).
     * @param array $arguments the call's arguments (null = none).
     */
    public function authorize(array $scopes, string $tool, ?array $arguments = null): \McpGuard\Policy\Decision {}

    /**
     * The tools the caller may call, sorted (for `tools/list`); empty without
     * a `discover` scope (and `authorize()` then refuses every tool the
     * caller cannot call as `unknown_tool`).
     */
    public function visibleTools(array $scopes): array {}

    /**
     * The scopes a tool requires (for the 403 `insufficient_scope` challenge).
     *
     * @throws \McpGuard\Exception\InvalidArgumentException reason unknown_tool.
     */
    public function requiredScopes(string $tool): array {}

    /**
     * `read`, `write` or `destructive`.
     *
     * @throws \McpGuard\Exception\InvalidArgumentException reason unknown_tool.
     */
    public function toolClass(string $tool): string {}

    /**
     * Every tool the manifest defines, sorted.
     */
    public function tools(): array {}

    /**
     * The canonical scopes a role grants (`viewer`, `editor`, or a manifest role).
     *
     * @throws \McpGuard\Exception\InvalidArgumentException reason unknown_role.
     */
    public function scopesForRole(string $role): array {}

    /**
     * Every role name (built-in and manifest), sorted.
     */
    public function roles(): array {}

    /**
     * The canonical form of presented scopes: aliases resolved (`mcp.read` →
     * `read`), anything not canonical dropped, sorted and unique.
     */
    public function canonicalScopes(array $scopes): array {}

    /**
     * Whether the manifest enables write tools.
     */
    public function writesEnabled(): bool {}

    /**
     * Whether a field name is never writable under this policy (built-in list
     * plus the manifest's `forbidden_fields`).
     */
    public function isForbiddenField(string $name): bool {}

    /**
     * SHA-256 (hex) identifying the manifest source, for audit logs.
     */
    public function hash(): string {}

    /**
     * @param array|string $manifest the manifest as a PHP array or JSON text.
     * @throws \McpGuard\Exception\ConfigurationException reason manifest_*, the message names the offending key's path.
     */
    public function __construct(mixed $manifest) {}
}
