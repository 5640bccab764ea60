<?php

declare(strict_types=1);

namespace McpGuard\Server\OAuth\Store;

/**
 * One refresh token of a family: its public id and the hash string the
 * extension made of it, never the token. `parentId` is the token it was
 * rotated from (null for the first of a family).
 *
 * As read back from a store, `revokedAt` is the token's own revocation or its
 * family's, whichever is set (the earlier when both are).
 */
final class RefreshTokenRecord
{
    /**
     * @param int|null $rotatedAt       first time it was exchanged for a successor
     * @param int      $successorCount  successors issued from it (more than one only in a grace window)
     * @param int|null $successorUsedAt first time one of its successors was itself rotated
     */
    public function __construct(
        public readonly string $publicId,
        public readonly string $hash,
        public readonly string $familyId,
        public readonly ?string $parentId,
        public readonly int $createdAt,
        public readonly int $expiresAt,
        public readonly ?int $rotatedAt = null,
        public readonly int $successorCount = 0,
        public readonly ?int $successorUsedAt = null,
        public readonly ?int $revokedAt = null,
    ) {
        Field::id('refresh token id', $publicId, Field::PUBLIC_ID_MAX);
        Field::id('refresh token hash', $hash, Field::HASH_MAX);
        Field::id('family id', $familyId, Field::KEY_MAX);
        if ($parentId !== null) {
            Field::id('parent token id', $parentId, Field::PUBLIC_ID_MAX);
        }
        Field::time('refresh token creation time', $createdAt);
        Field::time('refresh token expiry', $expiresAt);
        Field::time('refresh token rotation time', $rotatedAt);
        if ($successorCount < 0) {
            throw new \McpGuard\Exception\InvalidArgumentException('The successor count is not acceptable.');
        }
        Field::time('successor use time', $successorUsedAt);
        Field::time('refresh token revocation time', $revokedAt);
    }

    /**
     * What AuthorizationServer::refreshDecision() reads of this row (read
     * back from a store, so `revokedAt` includes the family's revocation).
     *
     * @return array{expiresAt: int, rotatedAt: ?int, graceSuccessors: int, successorUsed: bool, familyRevoked: bool}
     */
    public function state(): array
    {
        return ['expiresAt' => $this->expiresAt, 'rotatedAt' => $this->rotatedAt,
            'graceSuccessors' => max(0, $this->successorCount - 1), 'successorUsed' => $this->successorUsedAt !== null,
            'familyRevoked' => $this->revokedAt !== null];
    }
}
