<?php

declare(strict_types=1);

namespace McpGuard\Server\OAuth\Endpoint;

use McpGuard\Exception\GuardException;
use McpGuard\Server\OAuth\OAuthErrorResponse;

/**
 * Carries an OAuthErrorResponse out of an endpoint's helpers to the
 * endpoint's own catch, which answers with it. Never leaves an endpoint.
 *
 * @internal
 */
final class Refusal extends GuardException
{
    public function __construct(public readonly OAuthErrorResponse $error)
    {
        parent::__construct('The OAuth request was refused.');
    }
}
