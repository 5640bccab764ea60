<?php

declare(strict_types=1);

namespace McpGuard\Server\OAuth\Consent;

use McpGuard\Server\Http\Request;

/**
 * ConsentSession on PHP's own sessions ($_SESSION), for hosts without a
 * framework session. Starts the session when none is active; configure it
 * as for a login (session.use_strict_mode=1, cookie_secure, cookie_httponly,
 * cookie_samesite=Lax: the consent form posts to this same site).
 */
final class NativeSession implements ConsentSession
{
    public function __construct(private readonly string $key = 'mcp_guard_csrf')
    {
    }

    public function load(Request $request): array
    {
        $this->start();
        $bag = $_SESSION[$this->key] ?? [];
        return is_array($bag) ? $bag : [];
    }

    public function save(Request $request, array $bag): void
    {
        $this->start();
        $_SESSION[$this->key] = $bag;
    }

    private function start(): void
    {
        if (session_status() !== PHP_SESSION_ACTIVE) {
            session_start();
        }
    }
}
