<?php
/**
 * The MCP endpoint: index.php?fc=module&module=mcpguard&controller=mcp, or
 * /module/mcpguard/mcp with friendly URLs. Every request goes through the
 * guarded pipeline; the answer is its response, sent as is.
 */
if (!defined('_PS_VERSION_')) {
    exit;
}

use McpGuard\PrestaShop\BasicToken;
use McpGuard\PrestaShop\Services;
use McpGuard\PrestaShop\Settings;
use McpGuard\Server\Http\Request;
use McpGuard\Server\Http\Response;

class McpguardMcpModuleFrontController extends ModuleFrontController
{
    public $ssl = true;
    public $auth = false;

    /** An API endpoint: no page, no theme. Controller::__construct() resets $ajax from the request, so it is set after it. */
    public function __construct()
    {
        parent::__construct();
        $this->ajax = true;         // Controller::run() calls displayAjax() instead of display()
        $this->content_only = true; // no header/footer/media work for a page that is never rendered
    }

    public function displayAjax()
    {
        $request = Request::fromGlobals();
        // The member's token as the Basic password (PrestaShop's MCP Server accepts both): off with MCPGUARD_BASIC=0.
        $request = Settings::flag('MCPGUARD_BASIC') ? BasicToken::asBearer($request) : $request;
        Services::answer(static fn (): Response => Services::get()->pipeline()->handle($request))->send();
    }
}
