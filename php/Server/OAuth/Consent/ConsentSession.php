<?php

declare(strict_types=1);

namespace McpGuard\Server\OAuth\Consent;

use McpGuard\Server\Http\Request;

/**
 * Where the consent form's anti-CSRF tokens live: a bag (an array) kept
 * server-side in the signed-in member's session, never in a cookie the
 * client can write (see CsrfTokens). NativeSession keeps it in $_SESSION;
 * an adapter keeps it in its framework's session.
 */
interface ConsentSession
{
    /** @return array<string, mixed> the bag of this request's session ([] when there is none yet) */
    public function load(Request $request): array;

    /** @param array<string, mixed> $bag */
    public function save(Request $request, array $bag): void;
}
