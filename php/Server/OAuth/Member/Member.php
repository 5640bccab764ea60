<?php

declare(strict_types=1);

namespace McpGuard\Server\OAuth\Member;

use McpGuard\Server\OAuth\Store\Field;

/** Someone signed in to the shop, as the host's MemberDirectory names them. */
final class Member
{
    /**
     * @param string $id          the host's stable member id (what grants and tokens are issued to)
     * @param string $displayName shown on the consent page ("Signed in as …"); '' for nothing
     * @throws \McpGuard\Exception\InvalidArgumentException an id that cannot be stored (empty, control characters, over 191 bytes)
     */
    public function __construct(public readonly string $id, public readonly string $displayName = '')
    {
        Field::text('member id', $id, Field::MEMBER_MAX);
    }
}
