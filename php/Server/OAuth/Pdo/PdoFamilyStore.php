<?php

declare(strict_types=1);

namespace McpGuard\Server\OAuth\Pdo;

use McpGuard\Server\OAuth\StorageException;
use McpGuard\Server\OAuth\Store\Field;
use McpGuard\Server\OAuth\Store\FamilyRecord;
use McpGuard\Server\OAuth\Store\FamilyStore;

/**
 * FamilyStore on PDO (table `<prefix>families`; revocation also writes
 * `<prefix>refresh_tokens` and `<prefix>access_tokens`). Revocations write the
 * token tables before the family row, the order rotate() locks them in, so
 * MySQL does not deadlock the two against each other.
 */
final class PdoFamilyStore implements FamilyStore
{
    private readonly string $t;

    public function __construct(private readonly PdoDatabase $db)
    {
        $this->t = $db->table('families');
    }

    public function open(FamilyRecord $r): bool
    {
        try {
            Rows::insert($this->db, $this->t, 'family_id, member_id, client_key, redirect_uri, scope, resource, created_at, revoked_at', [
                $r->familyId, $r->memberId, $r->clientKey, $r->redirectUri, implode(' ', $r->scopes), $r->resource, $r->createdAt, $r->revokedAt,
            ]);
        } catch (StorageException $e) {
            if ($e->isConflict()) {
                return false;
            }
            throw $e;
        }
        return true;
    }

    public function find(string $familyId): ?FamilyRecord
    {
        // member_id '' marks a placeholder written by revoke(): not a family.
        $row = $this->db->row("SELECT * FROM {$this->t} WHERE family_id = ? AND member_id <> ''", [$familyId]);
        return $row === null ? null : new FamilyRecord(
            (string) $row['family_id'],
            (string) $row['member_id'],
            (string) $row['client_key'],
            (string) $row['redirect_uri'],
            Field::splitScopes((string) $row['scope']),
            (string) $row['resource'],
            (int) $row['created_at'],
            Rows::int($row['revoked_at']),
        );
    }

    public function revoke(string $familyId, int $now): void
    {
        Field::id('family id', $familyId, Field::KEY_MAX);
        $this->db->transaction(function () use ($familyId, $now): void {
            $this->revokeTokens('family_id = ?', [$familyId], $now);
            // A placeholder when the family was never opened: its open() must then fail.
            $insert = "INSERT INTO {$this->t} (family_id, member_id, client_key, redirect_uri, scope, resource, created_at, revoked_at)"
                . " VALUES (?, '', '', '', '', '', ?, ?) ";
            $this->db->run($insert . ($this->db->driver() === 'mysql'
                ? 'ON DUPLICATE KEY UPDATE revoked_at = COALESCE(revoked_at, VALUES(revoked_at))'
                : 'ON CONFLICT (family_id) DO UPDATE SET revoked_at = excluded.revoked_at WHERE revoked_at IS NULL'), [$familyId, $now, $now]);
        });
    }

    public function revokeFor(string $memberId, ?string $clientKey, int $now): int
    {
        [$where, $params] = $clientKey === null
            ? ['member_id = ?', [$memberId]]
            : ['member_id = ? AND client_key = ?', [$memberId, $clientKey]];
        return $this->revokeWhere($where, $params, $now);
    }

    public function revokeClient(string $clientKey, int $now): int
    {
        // member_id '' marks a placeholder (never opened): nothing of this client's.
        return $this->revokeWhere("client_key = ? AND member_id <> ''", [$clientKey], $now);
    }

    /** @param list<string> $params */
    private function revokeWhere(string $where, array $params, int $now): int
    {
        return $this->db->transaction(function () use ($where, $params, $now): int {
            $this->revokeTokens("family_id IN (SELECT family_id FROM {$this->t} WHERE {$where})", $params, $now);
            return $this->db->run("UPDATE {$this->t} SET revoked_at = ? WHERE {$where} AND revoked_at IS NULL", [$now, ...$params])->rowCount();
        });
    }

    /** @param list<string|int> $params */
    private function revokeTokens(string $where, array $params, int $now): void
    {
        foreach (['refresh_tokens', 'access_tokens'] as $name) {
            $this->db->run('UPDATE ' . $this->db->table($name) . " SET revoked_at = ? WHERE {$where} AND revoked_at IS NULL", [$now, ...$params]);
        }
    }
}
