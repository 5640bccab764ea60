<?php

declare(strict_types=1);

namespace McpGuard\Server\Token;

/** Who a request's bearer token belongs to and what it grants. */
final class AuthenticatedToken
{
    /** @param list<string> $scopes */
    public function __construct(
        public readonly string $publicId,
        public readonly string $subject,
        public readonly array $scopes,
    ) {
    }
}
