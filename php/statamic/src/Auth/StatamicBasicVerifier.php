<?php

declare(strict_types=1);

namespace McpGuard\Statamic\Auth;

use Illuminate\Contracts\Hashing\Hasher;
use McpGuard\Server\Guard\Auth\BasicVerifier;
use Statamic\Facades\User;

/**
 * The Basic fallback as the Statamic MCP addon documents it: a Statamic
 * user's email and password, and only a user with the `access cp`
 * permission. Statamic and Laravel's hasher decide; the member id is the
 * user's id (its role comes from the members list, like a token's).
 */
final class StatamicBasicVerifier implements BasicVerifier
{
    public function __construct(private readonly Hasher $hasher)
    {
    }

    public function verify(string $username, string $password): ?string
    {
        $user = User::findByEmail($username);
        // The hasher runs for an unknown email too (against a hash of nothing), so the
        // answer takes as long whether or not the account exists.
        $matches = $this->hasher->check($password, $user?->password() ?? $this->hasher->make(''));
        return $user !== null && $matches && $user->hasPermission('access cp') ? (string) $user->getAuthIdentifier() : null;
    }
}
