<?php

declare(strict_types=1);

namespace McpGuard\Server\Guard\Auth;

/**
 * The optional Basic fallback: the HOST checks a user and password its own
 * way (Statamic users with control-panel access, PrestaShop member tokens)
 * and says which member that is. Off unless the host passes one to the
 * pipeline; only ever over HTTPS (the transport step comes first).
 */
interface BasicVerifier
{
    /** The member id for these credentials, or null when they are wrong. */
    public function verify(string $username, string $password): ?string;
}
