<?php

declare(strict_types=1);

namespace McpGuard\Tests\Support\OAuth;

use McpGuard\Server\Http\Request;
use McpGuard\Server\OAuth\Member\Member;
use McpGuard\Server\OAuth\Member\MemberDirectory;

/**
 * The members list of the endpoint tests: a JSON file (`{"alice": {"role":
 * "editor", "name": "Alice"}}`) read on every call, so a test (or another
 * process) removes a member by rewriting it. Who is signed in is the
 * `test_member` cookie, set by the test's own login step: a stand-in for
 * the host's session, not a way to sign in anywhere real.
 */
final class TestMembers implements MemberDirectory
{
    public const COOKIE = 'test_member';

    public function __construct(private readonly string $file)
    {
    }

    /** @param array<string, array{role: string, name?: string}> $members */
    public static function write(string $file, array $members): void
    {
        file_put_contents($file, json_encode($members, JSON_THROW_ON_ERROR), LOCK_EX);
    }

    public function current(Request $request): ?Member
    {
        $id = $request->cookie(self::COOKIE);
        $members = $this->members();
        return $id !== null && isset($members[$id]) ? new Member($id, (string) ($members[$id]['name'] ?? $id)) : null;
    }

    public function loginUrl(Request $request): string
    {
        return '/test/login?return=' . rawurlencode($request->path . ($request->query !== '' ? '?' . $request->query : ''));
    }

    public function role(string $memberId): ?string
    {
        $role = $this->members()[$memberId]['role'] ?? null;
        return is_string($role) ? $role : null;
    }

    /** @return array<string, array<string, string>> */
    private function members(): array
    {
        $json = @file_get_contents($this->file);
        $members = is_string($json) ? json_decode($json, true) : null;
        return is_array($members) ? $members : [];
    }
}
