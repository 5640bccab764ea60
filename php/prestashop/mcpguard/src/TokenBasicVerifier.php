<?php

declare(strict_types=1);

namespace McpGuard\PrestaShop;

use McpGuard\Exception\GuardException;
use McpGuard\Server\Guard\Auth\BasicVerifier;
use McpGuard\Server\Token\TokenService;

/**
 * Basic authentication as PrestaShop's MCP Server documents it: the
 * member's token is the password (the user name is not read). The token is
 * verified by TokenService (the extension); this only says whose it is.
 */
final class TokenBasicVerifier implements BasicVerifier
{
    public function __construct(private readonly TokenService $tokens)
    {
    }

    public function verify(string $username, string $password): ?string
    {
        try {
            return $this->tokens->authenticate('Bearer ' . $password)?->subject;
        } catch (GuardException) {
            return null;
        }
    }
}
