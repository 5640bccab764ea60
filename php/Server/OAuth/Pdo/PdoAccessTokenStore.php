<?php

declare(strict_types=1);

namespace McpGuard\Server\OAuth\Pdo;

use McpGuard\Server\OAuth\Store\AccessTokenRecord;
use McpGuard\Server\OAuth\Store\AccessTokenStore;
use McpGuard\Server\OAuth\Store\Field;

/** AccessTokenStore on PDO (table `<prefix>access_tokens`, joined with `<prefix>families`). */
final class PdoAccessTokenStore implements AccessTokenStore
{
    private readonly string $t;
    private readonly string $families;

    public function __construct(private readonly PdoDatabase $db)
    {
        $this->t = $db->table('access_tokens');
        $this->families = $db->table('families');
    }

    public function save(AccessTokenRecord $r): void
    {
        Rows::insert($this->db, $this->t, 'public_id, hash, family_id, member_id, client_key, scope, resource, created_at, expires_at, revoked_at', [
            $r->publicId, $r->hash, $r->familyId, $r->memberId, $r->clientKey, implode(' ', $r->scopes),
            $r->resource, $r->createdAt, $r->expiresAt, $r->revokedAt,
        ]);
    }

    public function find(string $publicId): ?AccessTokenRecord
    {
        $row = $this->db->row(
            'SELECT t.*, ' . Rows::REVOKED_AT . " AS effective_revoked_at
             FROM {$this->t} t JOIN {$this->families} f ON f.family_id = t.family_id WHERE t.public_id = ?",
            [$publicId],
        );
        return $row === null ? null : new AccessTokenRecord(
            (string) $row['public_id'],
            (string) $row['hash'],
            (string) $row['family_id'],
            (string) $row['member_id'],
            (string) $row['client_key'],
            Field::splitScopes((string) $row['scope']),
            (string) $row['resource'],
            (int) $row['created_at'],
            (int) $row['expires_at'],
            Rows::int($row['effective_revoked_at']),
        );
    }

    public function revoke(string $publicId, int $now): bool
    {
        $this->db->run("UPDATE {$this->t} SET revoked_at = ? WHERE public_id = ? AND revoked_at IS NULL", [$now, $publicId]);
        return $this->db->row("SELECT 1 FROM {$this->t} WHERE public_id = ?", [$publicId]) !== null;
    }
}
