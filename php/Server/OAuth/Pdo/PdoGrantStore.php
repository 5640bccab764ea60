<?php

declare(strict_types=1);

namespace McpGuard\Server\OAuth\Pdo;

use McpGuard\Server\OAuth\Store\Field;
use McpGuard\Server\OAuth\Store\GrantRecord;
use McpGuard\Server\OAuth\Store\GrantStore;

/** GrantStore on PDO (table `<prefix>grants`, keyed by member, client key and redirect URI). */
final class PdoGrantStore implements GrantStore
{
    private readonly string $t;

    public function __construct(private readonly PdoDatabase $db)
    {
        $this->t = $db->table('grants');
    }

    public function find(string $memberId, string $clientKey, string $redirectUri): ?GrantRecord
    {
        $row = $this->db->row(
            "SELECT * FROM {$this->t} WHERE member_id = ? AND client_key = ? AND redirect_uri = ?",
            [$memberId, $clientKey, $redirectUri],
        );
        return $row === null ? null : self::record($row);
    }

    public function forClient(string $clientKey): array
    {
        $rows = $this->db->run("SELECT * FROM {$this->t} WHERE client_key = ? ORDER BY member_id, redirect_uri", [$clientKey])
            ->fetchAll(\PDO::FETCH_ASSOC);
        return array_map([self::class, 'record'], $rows);
    }

    /** @param array<string, mixed> $row */
    private static function record(array $row): GrantRecord
    {
        return new GrantRecord(
            (string) $row['member_id'],
            (string) $row['client_key'],
            (string) $row['redirect_uri'],
            Field::splitScopes((string) $row['scope']),
            (int) $row['created_at'],
            (int) $row['updated_at'],
        );
    }

    public function save(GrantRecord $r): void
    {
        $this->db->run(
            Rows::upsert($this->db, $this->t, 'member_id, client_key, redirect_uri, scope, created_at, updated_at', 'member_id, client_key, redirect_uri', 'scope, updated_at'),
            [$r->memberId, $r->clientKey, $r->redirectUri, implode(' ', $r->scopes), $r->createdAt, $r->updatedAt],
        );
    }

    public function revoke(string $memberId, ?string $clientKey = null): int
    {
        return $clientKey === null
            ? $this->db->run("DELETE FROM {$this->t} WHERE member_id = ?", [$memberId])->rowCount()
            : $this->db->run("DELETE FROM {$this->t} WHERE member_id = ? AND client_key = ?", [$memberId, $clientKey])->rowCount();
    }
}
