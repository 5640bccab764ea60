<?php

// Generated from the built mcp_guard module by tools/stubs.php. Do not edit.

namespace McpGuard;

final class Policy
{
    public function authorize(array $scopes, string $tool, ?array $arguments = null): \McpGuard\Policy\Decision {}
    public function visibleTools(array $scopes): array {}
    public function requiredScopes(string $tool): array {}
    public function toolClass(string $tool): string {}
    public function tools(): array {}
    public function scopesForRole(string $role): array {}
    public function roles(): array {}
    public function canonicalScopes(array $scopes): array {}
    public function writesEnabled(): bool {}
    public function isForbiddenField(string $name): bool {}
    public function hash(): string {}
    public function __construct(mixed $manifest) {}
}
