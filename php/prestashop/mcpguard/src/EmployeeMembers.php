<?php

declare(strict_types=1);

namespace McpGuard\PrestaShop;

use McpGuard\Server\Http\Request;
use McpGuard\Server\Member\PdoMemberStore;
use McpGuard\Server\OAuth\Member\Member;
use McpGuard\Server\OAuth\Member\MemberDirectory;

/**
 * Who approves an OAuth client on the consent page: the employee signed in
 * to this shop's back office (PrestaShop's `psAdmin` cookie, checked by
 * Cookie::isLoggedBack()), known by email; the members list says their role.
 */
final class EmployeeMembers implements MemberDirectory
{
    public function __construct(private readonly PdoMemberStore $members)
    {
    }

    public function current(Request $request): ?Member
    {
        // The back office's cookie, read (never rewritten) from the front office; Cookie::isLoggedBack()
        // checks it against the employee's row (Employee::isLoggedBack() would read the front cookie).
        $cookie = new \Cookie('psAdmin', '', (int) \Configuration::get('PS_COOKIE_LIFETIME_BO'));
        $cookie->disallowWriting();
        $employee = new \Employee((int) $cookie->id_employee);
        $signedIn = $cookie->isLoggedBack() ? (string) $employee->email : '';
        $row = $signedIn === '' ? null : $this->members->find($signedIn);
        return $row === null ? null : new Member($row->id, trim($employee->firstname . ' ' . $employee->lastname) ?: $row->id);
    }

    public function loginUrl(Request $request): string
    {
        // The back-office login page (recorded at install); after signing in, the client's authorization link is opened again.
        return (string) \Configuration::get('MCPGUARD_LOGIN_URL');
    }

    public function role(string $memberId): ?string
    {
        return $this->members->role($memberId);
    }
}
