<?php

declare(strict_types=1);

namespace McpGuard\Statamic\Database;

use Illuminate\Database\ConnectionInterface;
use McpGuard\Server\Token\TokenRecord;
use McpGuard\Server\Token\TokenStore;

/**
 * TokenStore on Laravel's query builder: the table and columns of
 * PdoTokenStore (what `mcp-guard:token:*` writes), on the connection the
 * addon is configured with. Only hashes are stored; the extension compares.
 */
final class LaravelTokenStore implements TokenStore
{
    private const COLUMNS = ['hash', 'subject', 'scopes', 'name', 'created_at', 'expires_at', 'revoked_at'];

    public function __construct(private readonly ConnectionInterface $db, private readonly string $table = 'mcp_guard_tokens')
    {
    }

    public function find(string $publicId): ?TokenRecord
    {
        $row = $this->db->table($this->table)->where('public_id', $publicId)->first();
        return $row === null ? null : self::record((array) $row);
    }

    public function save(TokenRecord $r): void
    {
        $this->db->table($this->table)->upsert([[
            'public_id' => $r->publicId, 'hash' => $r->hash, 'subject' => $r->subject, 'scopes' => implode(' ', $r->scopes),
            'name' => $r->name, 'created_at' => $r->createdAt, 'expires_at' => $r->expiresAt, 'revoked_at' => $r->revokedAt,
        ]], ['public_id'], self::COLUMNS);
    }

    public function forSubject(string $subject): array
    {
        return $this->list($this->db->table($this->table)->where('subject', $subject));
    }

    public function all(): array
    {
        return $this->list($this->db->table($this->table));
    }

    /** @return list<TokenRecord> */
    private function list(\Illuminate\Database\Query\Builder $q): array
    {
        return array_values(array_map(static fn ($row): TokenRecord => self::record((array) $row),
            $q->orderByDesc('created_at')->orderBy('public_id')->get()->all()));
    }

    /** @param array<string, mixed> $row */
    private static function record(array $row): TokenRecord
    {
        $int = static fn ($v): ?int => $v === null ? null : (int) $v;
        return new TokenRecord((string) $row['public_id'], (string) $row['hash'], (string) $row['subject'],
            $row['scopes'] === '' ? [] : explode(' ', (string) $row['scopes']), (string) $row['name'],
            (int) $row['created_at'], $int($row['expires_at']), $int($row['revoked_at']));
    }
}
