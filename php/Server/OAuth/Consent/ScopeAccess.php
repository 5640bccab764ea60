<?php

declare(strict_types=1);

namespace McpGuard\Server\OAuth\Consent;

use McpGuard\Exception\InvalidArgumentException;

/** A requested scope and the tools it unlocks, as the consent page lists them. */
final class ScopeAccess
{
    /**
     * @param string           $scope       the scope as requested (shown escaped)
     * @param list<ToolAccess> $tools       what it unlocks; empty: nothing beyond signing in
     * @param string           $description the host's words for it, '' for none
     * @throws InvalidArgumentException a tool that is not a ToolAccess
     */
    public function __construct(public readonly string $scope, public readonly array $tools = [], public readonly string $description = '')
    {
        foreach ($tools as $tool) {
            if (!$tool instanceof ToolAccess) {
                throw new InvalidArgumentException('The tools of a scope must be ToolAccess values.');
            }
        }
    }
}
