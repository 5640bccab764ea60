<?php
/**
 * The module's authorization server and the well-known documents:
 * /module/mcpguard/oauth/{authorize,token,register,revoke} and
 * /.well-known/… (friendly URLs, hookModuleRoutes). The OAuth server routes
 * by path; a path that is none of its own is 404.
 */
if (!defined('_PS_VERSION_')) {
    exit;
}

use McpGuard\PrestaShop\Services;
use McpGuard\Server\Http\Request;
use McpGuard\Server\Http\Response;

class McpguardOauthModuleFrontController extends ModuleFrontController
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
        Services::answer(static fn (): Response => Services::get()->oauth()?->handle(Request::fromGlobals())
            ?? new Response(404, ['Content-Type' => 'text/plain'], "not found\n"))->send();
    }
}
