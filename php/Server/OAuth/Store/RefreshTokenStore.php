<?php

declare(strict_types=1);

namespace McpGuard\Server\OAuth\Store;

/**
 * Refresh-token rows, keyed by public id. The caller verifies a presented
 * token against `find()->hash` through the extension first; the store only
 * moves rows, and decides nothing the database cannot decide atomically.
 */
interface RefreshTokenStore
{
    /**
     * Inserts the first refresh token of a family (`parentId` null). Never
     * replaces a row: an existing public id throws a conflict StorageException.
     *
     * @throws \McpGuard\Server\OAuth\StorageException
     */
    public function save(RefreshTokenRecord $record): void;

    /**
     * The row, or null (also when its family row is missing). `revokedAt`
     * folds in the family's revocation.
     */
    public function find(string $publicId): ?RefreshTokenRecord;

    /**
     * Exchanges the token `$publicId` for `$successor`, atomically. One
     * conditional UPDATE on the row decides, its row count checked, inside a
     * transaction; it succeeds iff:
     *   1. the row exists, is not revoked, and its family exists and is not revoked;
     *   2. `expiresAt` > `$now`;
     *   3. it was never rotated (`rotatedAt` null), OR it is a tolerated race:
     *      `$graceSince` is not null, `rotatedAt` >= `$graceSince`, none of its
     *      successors has been rotated yet (`successorUsedAt` null), and
     *      `successorCount` < `$maxSuccessors`.
     * On success, in the same transaction: `rotatedAt` = its old value or
     * `$now`, `successorCount` + 1; the successor is inserted; the token's own
     * parent (if any) gets `successorUsedAt` = its old value or `$now`, which
     * closes the parent's grace window. Status `rotated`.
     * Otherwise nothing is written and the status is, first match: `unknown`
     * (no row or no family row), `revoked` (token or family), `reused` (rotated
     * before and rule 3 fails for a reason other than the count), `concurrent`
     * (rule 3 fails only because `successorCount` reached `$maxSuccessors`),
     * `expired`. The caller revokes the family on `reused`.
     *
     * `$successor` must have `parentId` = `$publicId` and the token's family id.
     *
     * @param int|null $graceSince   earliest first-rotation time that still admits a sibling
     *                               successor (the core's window, e.g. now − 30 s); null: none
     * @param int      $maxSuccessors successors one token may have (>= 1; 1 means no sibling)
     * @throws \McpGuard\Exception\InvalidArgumentException successor not of this token, or $maxSuccessors < 1
     */
    public function rotate(string $publicId, RefreshTokenRecord $successor, int $now, ?int $graceSince = null, int $maxSuccessors = 1): RefreshRotation;
}
