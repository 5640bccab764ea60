<?php

declare(strict_types=1);

namespace McpGuard\Tests\Mcp;

use McpGuard\Server\Http\Request;
use McpGuard\Server\Member\PdoMemberStore;
use McpGuard\Server\OAuth\Member\Member;
use McpGuard\Server\OAuth\Member\MemberDirectory;

/**
 * The test shop's members: roles from the members table (what
 * `bin/mcp-guard member:add|remove` edits), the signed-in member from the
 * `test_member` cookie the test's own login step sets — a stand-in for the
 * host's session, not a way to sign in anywhere real.
 */
final class ShopMembers implements MemberDirectory
{
    public const COOKIE = 'test_member';

    public function __construct(private readonly PdoMemberStore $store)
    {
    }

    public function current(Request $request): ?Member
    {
        $id = $request->cookie(self::COOKIE);
        $row = $id === null ? null : $this->store->find($id);
        return $row === null ? null : new Member($row->id, $row->name !== '' ? $row->name : $row->id);
    }

    public function loginUrl(Request $request): string
    {
        return '/test/login?return=' . rawurlencode($request->path . ($request->query !== '' ? '?' . $request->query : ''));
    }

    public function role(string $memberId): ?string
    {
        return $this->store->role($memberId);
    }
}
