<?php

declare(strict_types=1);

namespace McpGuard\Examples\Shop;

use McpGuard\Server\Http\Request;
use McpGuard\Server\Member\PdoMemberStore;
use McpGuard\Server\OAuth\Member\Member;
use McpGuard\Server\OAuth\Member\MemberDirectory;
use McpGuard\Server\OAuth\Pdo\PdoDatabase;

/**
 * The shop's members as mcp_guard sees them: roles from the members table
 * (`bin/mcp-guard member:add|remove|list`), the signed-in member from the
 * shop's own session (LoginPage). In a real module this is the platform's
 * employee or user account and its back-office login.
 */
final class ShopMembers implements MemberDirectory
{
    /** The $_SESSION key of the signed-in member's id. */
    public const SESSION_KEY = 'shop_member';

    /** The password tables: members (the consent page's sign-in) and back-office admins. */
    public const LOGINS = 'logins';
    public const ADMINS = 'admins';

    public function __construct(private readonly PdoMemberStore $store)
    {
    }

    public function current(Request $request): ?Member
    {
        if ($request->cookie(session_name()) === null) {
            return null; // no session cookie: nobody is signed in, and no session is started for nothing
        }
        self::startSession();
        $id = $_SESSION[self::SESSION_KEY] ?? null;
        $row = is_string($id) ? $this->store->find($id) : null;
        return $row === null ? null : new Member($row->id, $row->name !== '' ? $row->name : $row->id);
    }

    public function loginUrl(Request $request): string
    {
        return '/login?return=' . rawurlencode($request->path . ($request->query !== '' ? '?' . $request->query : ''));
    }

    public function role(string $memberId): ?string
    {
        return $this->store->role($memberId);
    }

    public static function startSession(): void
    {
        if (session_status() !== PHP_SESSION_ACTIVE) {
            session_start();
        }
    }

    /** The sign-in passwords, beside the members table (a real shop has its own accounts). */
    public static function createLogins(PdoDatabase $db): void
    {
        foreach ([self::LOGINS, self::ADMINS] as $t) {
            $db->run('CREATE TABLE IF NOT EXISTS ' . $db->table($t) . ' (member_id VARCHAR(64) PRIMARY KEY, password_hash VARCHAR(255) NOT NULL)');
        }
    }

    /** Sets a member's password (stored as PHP's password_hash, bcrypt). */
    public static function setPassword(PdoDatabase $db, string $table, string $memberId, string $password): void
    {
        $t = $db->table($table);
        $db->run("DELETE FROM {$t} WHERE member_id = ?", [$memberId])->closeCursor();
        $db->run("INSERT INTO {$t} (member_id, password_hash) VALUES (?, ?)", [$memberId, password_hash($password, PASSWORD_DEFAULT)])->closeCursor();
    }

    /** Whether the password is the member's; the hash is checked even for an unknown member, so both take as long. */
    public static function checkPassword(PdoDatabase $db, string $table, string $memberId, string $password): bool
    {
        static $dummy = null;
        $row = $db->row('SELECT password_hash FROM ' . $db->table($table) . ' WHERE member_id = ?', [$memberId]);
        $dummy ??= password_hash('not a password', PASSWORD_DEFAULT);
        $ok = password_verify($password, is_string($row['password_hash'] ?? null) ? $row['password_hash'] : $dummy);
        return $ok && $row !== null;
    }
}
