<?php

declare(strict_types=1);

namespace McpGuard\Server\OAuth\Pdo;

use McpGuard\Server\OAuth\Store\ClientHousekeeping;
use McpGuard\Server\OAuth\Store\ClientRecord;
use McpGuard\Server\OAuth\Store\ClientStore;

/** ClientStore and ClientHousekeeping on PDO (table `<prefix>clients`). */
final class PdoClientStore implements ClientStore, ClientHousekeeping
{
    private const COLUMNS = 'client_key, client_id, kind, metadata, secret_hash, created_at, expires_at, last_used_at, consented_at';

    private readonly string $t;

    public function __construct(private readonly PdoDatabase $db)
    {
        $this->t = $db->table('clients');
    }

    public function find(string $key): ?ClientRecord
    {
        $row = $this->db->row("SELECT * FROM {$this->t} WHERE client_key = ?", [$key]);
        return $row === null ? null : self::record($row);
    }

    public function all(): array
    {
        $rows = $this->db->run("SELECT * FROM {$this->t} ORDER BY client_id, client_key")->fetchAll(\PDO::FETCH_ASSOC);
        return array_map([self::class, 'record'], $rows);
    }

    /** @param array<string, mixed> $row */
    private static function record(array $row): ClientRecord
    {
        return new ClientRecord(
            (string) $row['client_key'],
            (string) $row['client_id'],
            (string) $row['kind'],
            (string) $row['metadata'],
            Rows::str($row['secret_hash']),
            (int) $row['created_at'],
            Rows::int($row['expires_at']),
            Rows::int($row['last_used_at']),
            Rows::int($row['consented_at']),
        );
    }

    public function save(ClientRecord $r): void
    {
        $replace = 'client_id, kind, metadata, secret_hash, created_at, expires_at, last_used_at, consented_at';
        $this->db->run(
            Rows::upsert($this->db, $this->t, self::COLUMNS, 'client_key', $replace),
            [$r->key, $r->clientId, $r->kind, $r->metadata, $r->secretHash, $r->createdAt, $r->expiresAt, $r->lastUsedAt, $r->consentedAt],
        );
    }

    public function touch(string $key, int $now, bool $consented = false): bool
    {
        $changed = $this->db->run(
            "UPDATE {$this->t} SET last_used_at = CASE WHEN last_used_at IS NULL OR last_used_at < ? THEN ? ELSE last_used_at END"
            . ($consented ? ', consented_at = COALESCE(consented_at, ?)' : '') . ' WHERE client_key = ?',
            $consented ? [$now, $now, $now, $key] : [$now, $now, $key],
        )->rowCount();
        // MySQL counts changed rows, not matched ones: 0 also when the values were current.
        return $changed > 0 || $this->db->row("SELECT 1 FROM {$this->t} WHERE client_key = ?", [$key]) !== null;
    }

    public function delete(string $key): bool
    {
        return $this->db->run("DELETE FROM {$this->t} WHERE client_key = ?", [$key])->rowCount() > 0;
    }

    public function countUnconsented(): int
    {
        $row = $this->db->row("SELECT COUNT(*) AS n FROM {$this->t} WHERE kind = ? AND consented_at IS NULL", [ClientRecord::REGISTERED]);
        return (int) ($row['n'] ?? 0);
    }

    public function pruneUnconsented(int $createdBefore): int
    {
        return $this->db->run(
            "DELETE FROM {$this->t} WHERE kind = ? AND consented_at IS NULL AND created_at < ?",
            [ClientRecord::REGISTERED, $createdBefore],
        )->rowCount();
    }

    public function pruneIdle(int $idleBefore): int
    {
        return $this->db->run(
            "DELETE FROM {$this->t} WHERE kind IN (?, ?) AND COALESCE(last_used_at, consented_at, created_at) < ?",
            [ClientRecord::REGISTERED, ClientRecord::METADATA_DOCUMENT, $idleBefore],
        )->rowCount();
    }
}
