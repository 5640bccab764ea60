<?php

// Generated from the built mcp_guard module by tools/stubs.php. Do not edit.

namespace McpGuard\RateLimit;

final class Result
{
    public function allowed(): bool {}
    public function reason(): ?string {}
    public function policy(): string {}
    public function limit(): int {}
    public function period(): int {}
    public function remaining(): int {}
    public function retryAfter(): int {}
    public function resetAfter(): int {}
    public function retryAfterMicros(): int {}
    public function resetAfterMicros(): int {}
    public function headers(): array {}
    public function __construct(string $policy, int $limit, int $periodSeconds, int $remaining, int $retryAfterMicros, int $resetAfterMicros, ?string $reason = null) {}
}
