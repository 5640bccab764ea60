<?php

declare(strict_types=1);

namespace McpGuard\Server\Member;

use McpGuard\Server\OAuth\Store\Field;

/** One row of the members list that PdoMemberStore keeps. */
final class MemberRecord
{
    /** Bytes of a display name. */
    public const NAME_MAX = 191;

    /**
     * @param string $id   the member id tokens and grants are issued to (1–191 bytes of UTF-8, no control characters)
     * @param string $role a role name: which names are valid is the policy's (Policy::roles())
     * @param string $name a display name ('' for none)
     * @throws \McpGuard\Exception\InvalidArgumentException a field that cannot be stored
     */
    public function __construct(
        public readonly string $id,
        public readonly string $role,
        public readonly string $name,
        public readonly int $createdAt,
    ) {
        Field::text('member id', $id, Field::MEMBER_MAX);
        Field::id('member role', $role, 64);
        if ($name !== '') {
            Field::text('member name', $name, self::NAME_MAX);
        }
        Field::time('member creation time', $createdAt);
    }
}
