<?php

declare(strict_types=1);

namespace McpGuard\Statamic;

use McpGuard\Server\Mcp\ToolRegistry;

/**
 * The shop's tool handlers (config `mcp-guard.tools` names the class; the
 * container builds it). Only tools of the policy manifest can be bound, and
 * a handler runs only once the guard allowed the call.
 */
interface Tools
{
    public function bind(ToolRegistry $tools): ToolRegistry;
}
