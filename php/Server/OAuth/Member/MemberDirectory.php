<?php

declare(strict_types=1);

namespace McpGuard\Server\OAuth\Member;

use McpGuard\Server\Http\Request;
use McpGuard\Server\Member\MemberRoles;

/**
 * The host's members list, as the OAuth endpoints ask it: who is signed in,
 * where to send someone who is not, and what role a member has now. The
 * host (a PrestaShop module, a Statamic addon, the demo) implements it over
 * its own session and its own members page.
 *
 * `role()` (declared by MemberRoles: the member's role now, `viewer`,
 * `editor` or a role of the policy manifest, or null when they are not in the
 * members list any more) is asked again on every token grant and every
 * authenticated MCP request: a member removed from the list (null) loses
 * access on the next request, whatever token they hold.
 */
interface MemberDirectory extends MemberRoles
{
    /** The member signed in for this request (the host's own session), or null. */
    public function current(Request $request): ?Member;

    /**
     * Where to send someone who is not signed in (the host's login page; it
     * may carry a return address of the host's choosing). The authorization
     * endpoint answers 302 there.
     */
    public function loginUrl(Request $request): string;
}
