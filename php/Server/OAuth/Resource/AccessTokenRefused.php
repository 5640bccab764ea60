<?php

declare(strict_types=1);

namespace McpGuard\Server\OAuth\Resource;

use McpGuard\Exception\InvalidTokenException;

/**
 * An access token that verified but may not be used here: issued for
 * another resource (`wrong_audience`), or its member is no longer in the
 * members list (`member_removed`). Answer it like any invalid token: 401
 * with `error="invalid_token"`. `why()` is for the audit log.
 */
final class AccessTokenRefused extends InvalidTokenException
{
    private string $why = 'refused';

    public static function because(string $why): self
    {
        $e = new self('The access token is not valid here.');
        $e->why = $why;
        return $e;
    }

    public function why(): string
    {
        return $this->why;
    }
}
