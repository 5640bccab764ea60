<?php

declare(strict_types=1);

namespace McpGuard\Server\Guard\Auth;

/**
 * A token source whose rows can be upgraded in place: when a token verified
 * against a hash of an older scheme (no pepper, or another one), the pipeline
 * hands the source the hash the extension says to store instead.
 */
interface RehashingTokenSource extends TokenSource
{
    /** Stores `$hash` as the row's hash (the token itself is unchanged). */
    public function rehash(string $publicId, string $hash): void;
}
