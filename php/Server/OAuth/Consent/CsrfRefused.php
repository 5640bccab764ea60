<?php

declare(strict_types=1);

namespace McpGuard\Server\OAuth\Consent;

use McpGuard\Exception\InvalidRequestException;

/**
 * A consent form was posted without a valid anti-CSRF token (missing, made
 * up, from another session, used before, or expired). Answer 403 and do
 * nothing else; the extension's reason is in `getPrevious()`.
 */
final class CsrfRefused extends InvalidRequestException
{
}
