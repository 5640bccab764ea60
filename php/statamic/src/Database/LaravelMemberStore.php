<?php

declare(strict_types=1);

namespace McpGuard\Statamic\Database;

use Illuminate\Database\ConnectionInterface;
use McpGuard\Server\Member\MemberRoles;

/**
 * The members list on Laravel's query builder: the `<prefix>members` table
 * that `mcp-guard:member:add|remove` edits (schema of Migrations step 2).
 * A member id is a Statamic user id.
 */
final class LaravelMemberStore implements MemberRoles
{
    public function __construct(private readonly ConnectionInterface $db, private readonly string $table = 'mcp_guard_members')
    {
    }

    public function role(string $memberId): ?string
    {
        $role = $this->db->table($this->table)->where('member_id', $memberId)->value('role');
        return $role === null ? null : (string) $role;
    }

    /** @return list<\McpGuard\Server\Member\MemberRecord> every member, by id */
    public function all(): array
    {
        return array_values(array_map(static fn ($r): \McpGuard\Server\Member\MemberRecord => new \McpGuard\Server\Member\MemberRecord(
            (string) $r->member_id, (string) $r->role, (string) $r->name, (int) $r->created_at),
            $this->db->table($this->table)->orderBy('member_id')->get()->all()));
    }

    /** The member's display name ('' when none), or null when not a member. */
    public function name(string $memberId): ?string
    {
        $name = $this->db->table($this->table)->where('member_id', $memberId)->value('name');
        return $name === null ? null : (string) $name;
    }
}
