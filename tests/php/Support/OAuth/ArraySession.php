<?php

declare(strict_types=1);

namespace McpGuard\Tests\Support\OAuth;

use McpGuard\Server\Http\Request;
use McpGuard\Server\OAuth\Consent\ConsentSession;

/** In-process sessions for the endpoint tests, keyed by the `test_session` cookie. */
final class ArraySession implements ConsentSession
{
    public const COOKIE = 'test_session';

    /** @var array<string, array<string, mixed>> */
    public array $bags = [];

    public function load(Request $request): array
    {
        return $this->bags[(string) $request->cookie(self::COOKIE)] ?? [];
    }

    public function save(Request $request, array $bag): void
    {
        $this->bags[(string) $request->cookie(self::COOKIE)] = $bag;
    }
}
