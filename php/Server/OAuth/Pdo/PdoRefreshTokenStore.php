<?php

declare(strict_types=1);

namespace McpGuard\Server\OAuth\Pdo;

use McpGuard\Exception\InvalidArgumentException;
use McpGuard\Server\OAuth\Store\RefreshRotation;
use McpGuard\Server\OAuth\Store\RefreshTokenRecord;
use McpGuard\Server\OAuth\Store\RefreshTokenStore;

/** RefreshTokenStore on PDO (table `<prefix>refresh_tokens`, joined with `<prefix>families`). */
final class PdoRefreshTokenStore implements RefreshTokenStore
{
    private const COLUMNS = 'public_id, hash, family_id, parent_id, created_at, expires_at, rotated_at, successor_count, successor_used_at, revoked_at';

    private readonly string $t;
    private readonly string $families;

    public function __construct(private readonly PdoDatabase $db)
    {
        $this->t = $db->table('refresh_tokens');
        $this->families = $db->table('families');
    }

    public function save(RefreshTokenRecord $r): void
    {
        Rows::insert($this->db, $this->t, self::COLUMNS, self::values($r));
    }

    public function find(string $publicId): ?RefreshTokenRecord
    {
        $row = $this->db->row(
            'SELECT t.*, ' . Rows::REVOKED_AT . " AS effective_revoked_at
             FROM {$this->t} t JOIN {$this->families} f ON f.family_id = t.family_id WHERE t.public_id = ?",
            [$publicId],
        );
        return $row === null ? null : new RefreshTokenRecord(
            (string) $row['public_id'],
            (string) $row['hash'],
            (string) $row['family_id'],
            Rows::str($row['parent_id']),
            (int) $row['created_at'],
            (int) $row['expires_at'],
            Rows::int($row['rotated_at']),
            (int) $row['successor_count'],
            Rows::int($row['successor_used_at']),
            Rows::int($row['effective_revoked_at']),
        );
    }

    public function rotate(string $publicId, RefreshTokenRecord $successor, int $now, ?int $graceSince = null, int $maxSuccessors = 1): RefreshRotation
    {
        if ($maxSuccessors < 1 || $successor->parentId !== $publicId || $successor->rotatedAt !== null
            || $successor->successorCount !== 0 || $successor->successorUsedAt !== null || $successor->revokedAt !== null) {
            throw new InvalidArgumentException('The successor must be a fresh token naming the rotated one as its parent.');
        }
        $rotated = $this->db->transaction(function () use ($publicId, $successor, $now, $graceSince, $maxSuccessors): bool {
            $grace = $graceSince === null ? '' : ' OR (rotated_at >= ? AND successor_used_at IS NULL AND successor_count < ?)';
            $won = $this->db->run(
                "UPDATE {$this->t} SET rotated_at = COALESCE(rotated_at, ?), successor_count = successor_count + 1
                 WHERE public_id = ? AND family_id = ? AND revoked_at IS NULL AND expires_at > ?
                 AND (rotated_at IS NULL{$grace})
                 AND EXISTS (SELECT 1 FROM {$this->families} f WHERE f.family_id = ? AND f.revoked_at IS NULL)",
                array_merge([$now, $publicId, $successor->familyId, $now], $graceSince === null ? [] : [$graceSince, $maxSuccessors], [$successor->familyId]),
            )->rowCount() === 1;
            if (!$won) {
                return false;
            }
            Rows::insert($this->db, $this->t, self::COLUMNS, self::values($successor));
            // This token's use proves its parent's successor is in use: the parent's grace is over.
            $parent = $this->db->row("SELECT parent_id FROM {$this->t} WHERE public_id = ?", [$publicId])['parent_id'] ?? null;
            if ($parent !== null) {
                $this->db->run(
                    "UPDATE {$this->t} SET successor_used_at = ? WHERE public_id = ? AND successor_used_at IS NULL",
                    [$now, (string) $parent],
                );
            }
            return true;
        });
        $record = $this->find($publicId);
        if ($rotated) {
            /** @var RefreshTokenRecord $record the row was just updated in a committed transaction */
            return RefreshRotation::of(RefreshRotation::ROTATED, $record);
        }
        return RefreshRotation::of(self::refusal($record, $successor->familyId, $now, $graceSince, $maxSuccessors), $record);
    }

    /** Why the conditional UPDATE matched nothing, from the row as it is now. */
    private static function refusal(?RefreshTokenRecord $r, string $familyId, int $now, ?int $graceSince, int $max): string
    {
        if ($r === null) {
            return RefreshRotation::UNKNOWN;
        }
        if ($r->familyId !== $familyId) {
            throw new InvalidArgumentException('The successor must belong to the rotated token\'s family.');
        }
        if ($r->revokedAt !== null) {
            return RefreshRotation::REVOKED;
        }
        if ($r->rotatedAt !== null) {
            if ($graceSince === null || $r->rotatedAt < $graceSince || $r->successorUsedAt !== null) {
                return RefreshRotation::REUSED;
            }
            if ($r->successorCount >= $max) {
                return RefreshRotation::CONCURRENT;
            }
        }
        return RefreshRotation::EXPIRED;
    }

    /** @return list<string|int|null> */
    private static function values(RefreshTokenRecord $r): array
    {
        return [$r->publicId, $r->hash, $r->familyId, $r->parentId, $r->createdAt, $r->expiresAt, $r->rotatedAt, $r->successorCount, $r->successorUsedAt, $r->revokedAt];
    }
}
