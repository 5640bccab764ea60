<?php

declare(strict_types=1);

namespace McpGuard\Statamic\Auth;

use Illuminate\Contracts\Auth\Factory as Auth;
use McpGuard\Server\Http\Request;
use McpGuard\Server\OAuth\Member\Member;
use McpGuard\Server\OAuth\Member\MemberDirectory;
use McpGuard\Statamic\Database\LaravelMemberStore;

/**
 * The members as the OAuth consent page asks: the user signed in to the
 * control panel (the auth guard of `statamic.users.guards.cp`, which
 * Statamic's user provider backs; null = Laravel's default guard),
 * Statamic's login page otherwise, and the role from the members list.
 */
final class StatamicMembers implements MemberDirectory
{
    public function __construct(private readonly LaravelMemberStore $store, private readonly Auth $auth, private readonly string $loginUrl,
        private readonly ?string $guard = null)
    {
    }

    public function current(Request $request): ?Member
    {
        $id = $this->auth->guard($this->guard)->id();
        $name = $id === null ? null : $this->store->name((string) $id);
        return $name === null ? null : new Member((string) $id, $name !== '' ? $name : (string) $id);
    }

    public function loginUrl(Request $request): string
    {
        return $this->loginUrl;
    }

    public function role(string $memberId): ?string
    {
        return $this->store->role($memberId);
    }
}
