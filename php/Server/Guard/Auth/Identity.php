<?php

declare(strict_types=1);

namespace McpGuard\Server\Guard\Auth;

/**
 * A caller the host (or a JWT verifier) has already authenticated: a verified
 * JWT's subject and scopes, or Basic credentials the host checked. The guard
 * still asks the members list for the role and applies rates and policy.
 */
final class Identity
{
    /**
     * @param list<string> $scopes  what the credential grants (a JWT's scope claim; for Basic, the role's scopes)
     * @param string       $tokenId a JWT's `jti` (for the audit log), or ''
     * @param string       $kind    `jwt` or `basic`
     */
    public function __construct(
        public readonly string $memberId,
        public readonly array $scopes,
        public readonly string $tokenId,
        public readonly string $clientId,
        public readonly string $kind,
    ) {
    }
}
