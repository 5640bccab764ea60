<?php

declare(strict_types=1);

namespace McpGuard\Statamic\Http;

use McpGuard\Statamic\Addon;

/**
 * The control panel's MCP Guard page (Tools → MCP Guard, permission `view
 * mcp guard`): the members and the tokens, read only; never a hash.
 */
final class CpController
{
    public function __invoke(Addon $addon): \Illuminate\Contracts\View\View
    {
        return view('mcp-guard::index', [
            'endpoint' => $addon->resource(),
            'members' => $addon->members()->all(),
            'tokens' => $addon->tokens()->all(),
        ]);
    }
}
