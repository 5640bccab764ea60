<?php

declare(strict_types=1);

namespace McpGuard\Server\Member;

/**
 * The one question every authenticated request asks about its member: what
 * role do they have now? Null means they are not in the members list (any
 * more): refuse the request, whatever token it carries.
 */
interface MemberRoles
{
    /**
     * The member's role now (`viewer`, `editor`, or a role of the policy
     * manifest), or null when they are not in the members list any more.
     */
    public function role(string $memberId): ?string;
}
