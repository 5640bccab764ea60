<?php

declare(strict_types=1);

namespace McpGuard\Server\Token;

/**
 * Where the host keeps token rows. The host owns the storage; mcp_guard only
 * ever hands it hashes.
 */
interface TokenStore
{
    /** The row stored under a public id, or null. */
    public function find(string $publicId): ?TokenRecord;

    /** Inserts the row, or replaces the row with the same public id. */
    public function save(TokenRecord $record): void;

    /** Lists a subject's rows, newest first (for the host's members page). @return list<TokenRecord> */
    public function forSubject(string $subject): array;

    /** Lists every row, newest first (for the admin CLI's token:list). @return list<TokenRecord> */
    public function all(): array;
}
