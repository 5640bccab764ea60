<?php

declare(strict_types=1);

namespace McpGuard\Server\Member;

use McpGuard\Server\OAuth\Pdo\PdoDatabase;
use McpGuard\Server\OAuth\Pdo\Rows;

/**
 * A members list of its own (table `<prefix>members`, schema step 2), for a
 * host without one: the demo and the admin CLI. A host with its own members
 * page implements MemberRoles over it instead. The store checks the shape of
 * a row only; whether a role exists is the policy's decision (the caller
 * asks Policy::roles() first).
 */
final class PdoMemberStore implements MemberRoles
{
    private readonly string $t;

    public function __construct(private readonly PdoDatabase $db)
    {
        $this->t = $db->table('members');
    }

    public function role(string $memberId): ?string
    {
        $row = $this->db->row("SELECT role FROM {$this->t} WHERE member_id = ?", [$memberId]);
        return $row === null ? null : (string) $row['role'];
    }

    /** The member's row, or null. */
    public function find(string $memberId): ?MemberRecord
    {
        $row = $this->db->row("SELECT * FROM {$this->t} WHERE member_id = ?", [$memberId]);
        return $row === null ? null : self::record($row);
    }

    /**
     * Adds a member, or changes the role and name of the member with that id
     * (keeping when it was first added).
     *
     * @throws \McpGuard\Exception\InvalidArgumentException an id, role or name that cannot be stored
     * @throws \McpGuard\Server\OAuth\StorageException
     */
    public function add(string $id, string $role, ?string $name = null, ?int $now = null): MemberRecord
    {
        $record = new MemberRecord($id, $role, $name ?? '', $now ?? time());
        $this->db->run(
            Rows::upsert($this->db, $this->t, 'member_id, role, name, created_at', 'member_id', 'role, name'),
            [$record->id, $record->role, $record->name, $record->createdAt],
        );
        return $this->find($id) ?? $record;
    }

    /** Removes the member. Returns false when there was none. */
    public function remove(string $id): bool
    {
        return $this->db->run("DELETE FROM {$this->t} WHERE member_id = ?", [$id])->rowCount() > 0;
    }

    /** @return list<MemberRecord> every member, by id */
    public function list(): array
    {
        $rows = $this->db->run("SELECT * FROM {$this->t} ORDER BY member_id")->fetchAll(\PDO::FETCH_ASSOC);
        return array_map([self::class, 'record'], $rows);
    }

    /** @param array<string, mixed> $row */
    private static function record(array $row): MemberRecord
    {
        return new MemberRecord((string) $row['member_id'], (string) $row['role'], (string) $row['name'], (int) $row['created_at']);
    }
}
