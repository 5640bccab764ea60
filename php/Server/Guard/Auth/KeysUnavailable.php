<?php

declare(strict_types=1);

namespace McpGuard\Server\Guard\Auth;

/**
 * The identity provider's keys cannot be had now: the host's JWKS fetch
 * failed, or what it returned is not a key set the extension accepts. Not the
 * client's fault, so it is never counted as a failed credential; the
 * pipeline answers 503 with `Retry-After`, and the next request tries again
 * (nothing is kept from a failed fetch).
 */
final class KeysUnavailable extends \RuntimeException
{
}
