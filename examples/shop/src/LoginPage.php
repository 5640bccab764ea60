<?php

declare(strict_types=1);

namespace McpGuard\Examples\Shop;

use McpGuard\RateLimiter;
use McpGuard\Server\Http\Request;
use McpGuard\Server\Http\Response;
use McpGuard\Server\OAuth\Consent\ConsentPage;
use McpGuard\Server\OAuth\Consent\ConsentStyle;
use McpGuard\Server\OAuth\Consent\CsrfRefused;
use McpGuard\Server\OAuth\Consent\CsrfTokens;
use McpGuard\Server\OAuth\Pdo\PdoDatabase;

/**
 * The shop's sign-in page, where the consent page sends a member who is not
 * signed in: a stand-in for the platform's own back-office login. The form
 * carries a single-use CSRF token (mcp_guard's CsrfTokens, hash kept in the
 * session); attempts count against the client address (the `login` rate
 * policy: 10 a minute, set in the router); a successful sign-in gets a new
 * session id. Same headers and style as the consent page (strict CSP, no
 * framing).
 */
final class LoginPage
{
    private const BAG = 'shop_login_csrf';

    /** The rate-limit policy of sign-in attempts per client address (the router sets 10 a minute). */
    public const RATE = 'login';

    /**
     * @param string $action     the form's path (this page's own)
     * @param string $table      the password table (ShopMembers::LOGINS for members, ShopMembers::ADMINS for the back office)
     * @param string $sessionKey where the signed-in id goes in $_SESSION
     */
    public function __construct(
        private readonly PdoDatabase $db,
        private readonly RateLimiter $limiter,
        private readonly string $action = '/login',
        private readonly string $table = ShopMembers::LOGINS,
        private readonly string $sessionKey = ShopMembers::SESSION_KEY,
        private readonly string $title = 'Sign in',
    ) {
    }

    public function handle(Request $request): Response
    {
        ShopMembers::startSession();
        parse_str($request->method === 'POST' ? $request->body : $request->query, $in);
        $return = self::safeReturn($in['return'] ?? null);
        if ($request->method === 'GET') {
            return $this->form($return, 200, '');
        }
        if ($request->method !== 'POST') {
            return new Response(405, ['Allow' => 'GET, POST', 'Content-Type' => 'text/plain'], "method not allowed\n");
        }
        $bag = is_array($_SESSION[self::BAG] ?? null) ? $_SESSION[self::BAG] : [];
        try {
            (new CsrfTokens())->verify($bag, $in[CsrfTokens::FIELD] ?? null);
        } catch (CsrfRefused) {
            $_SESSION[self::BAG] = $bag;
            return $this->form($return, 400, 'The form expired. Please sign in again.');
        }
        $_SESSION[self::BAG] = $bag;
        $rate = $this->limiter->hit('login:' . $this->table . ':' . $request->remoteAddress, self::RATE);
        if (!$rate->allowed()) {
            return $this->form($return, 429, 'Too many attempts. Wait a minute and try again.')->withHeader('Retry-After', (string) $rate->retryAfter());
        }
        $member = is_string($in['member'] ?? null) ? $in['member'] : '';
        $password = is_string($in['password'] ?? null) ? $in['password'] : '';
        if ($member === '' || strlen($member) > 64 || strlen($password) > 256 || !ShopMembers::checkPassword($this->db, $this->table, $member, $password)) {
            return $this->form($return, 401, 'Wrong member or password.');
        }
        session_regenerate_id(true);
        $_SESSION[$this->sessionKey] = $member;
        return new Response(303, ['Location' => $return, 'Cache-Control' => 'no-store']);
    }

    private function form(string $return, int $status, string $error): Response
    {
        $bag = is_array($_SESSION[self::BAG] ?? null) ? $_SESSION[self::BAG] : [];
        $csrf = (new CsrfTokens())->issue($bag);
        $_SESSION[self::BAG] = $bag;
        $e = static fn (string $s): string => htmlspecialchars($s, ENT_QUOTES | ENT_SUBSTITUTE | ENT_HTML5, 'UTF-8');
        $body = '<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">'
            . '<title>' . $e($this->title) . ' · ' . $e(Shop::NAME) . '</title><style>' . ConsentStyle::CSS . '</style></head><body><main><div class="card">'
            . '<p class="shop">' . $e(Shop::NAME) . '</p><form method="post" action="' . $e($this->action) . '"><div class="body">'
            . '<h1>' . $e($this->title) . '</h1><p class="who">Sign in with your shop account to continue.</p>'
            . ($error !== '' ? '<div class="warning" role="alert">' . $e($error) . '</div>' : '')
            . '<dl><dt><label for="member">Member</label></dt><dd><input id="member" name="member" autocomplete="username" required maxlength="64"></dd>'
            . '<dt><label for="password">Password</label></dt><dd><input id="password" name="password" type="password" autocomplete="current-password" required maxlength="256"></dd></dl>'
            . '<input type="hidden" name="return" value="' . $e($return) . '">'
            . '<input type="hidden" name="' . CsrfTokens::FIELD . '" value="' . $e($csrf) . '">'
            . '</div><div class="actions"><button class="allow" type="submit">Sign in</button></div></form></div></main></body></html>';
        return new Response($status, ConsentPage::headers(null), $body);
    }

    /** Only a path on this site (never `//host` or a scheme): no open redirect. */
    private static function safeReturn(mixed $r): string
    {
        return is_string($r) && str_starts_with($r, '/') && !str_starts_with($r, '//') && !str_contains($r, '\\')
            && preg_match('/[\x00-\x20\x7f]/', $r) !== 1 ? $r : '/';
    }
}
