<?php
/**
 * mcp_guard for PrestaShop 8.x and 9.x: a guarded MCP endpoint for the shop.
 * The decisions (tokens, JWTs, scopes, rates, policy, confirmations) are the
 * mcp_guard extension's; this module wires them to PrestaShop: its tables,
 * its configuration, its front and back office.
 */
if (!defined('_PS_VERSION_')) {
    exit;
}

require_once __DIR__ . '/autoload.php';

use McpGuard\PrestaShop\Schema;
use McpGuard\PrestaShop\Settings;

class Mcpguard extends Module
{
    /** Hook a module implements to bind handlers of its tools (see README). */
    public const TOOLS_HOOK = 'actionMcpGuardTools';

    public function __construct()
    {
        $this->name = 'mcpguard';
        $this->tab = 'administration';
        $this->version = '1.1.0';
        $this->author = 'mcp_guard';
        $this->need_instance = 0;
        $this->ps_versions_compliancy = ['min' => '8.0.0', 'max' => '9.99.99'];
        $this->bootstrap = true;
        parent::__construct();
        $this->displayName = $this->trans('MCP Guard', [], 'Modules.Mcpguard.Admin');
        $this->description = $this->trans('A guarded MCP endpoint: member tokens, PrestaShop Accounts sign-in, OAuth, rate limits and an audit trail.', [], 'Modules.Mcpguard.Admin');
        $this->confirmUninstall = $this->trans('Uninstalling removes the members, tokens, OAuth clients and the audit trail of MCP Guard.', [], 'Modules.Mcpguard.Admin');
        // The back-office pages: a tab under Configure, one Symfony route each (config/routes.yml).
        $this->tabs = [
            ['class_name' => 'AdminMcpGuard', 'route_name' => 'mcpguard_members', 'parent_class_name' => 'CONFIGURE',
                'name' => 'MCP Guard', 'visible' => true, 'icon' => 'security'],
            ['class_name' => 'AdminMcpGuardMembers', 'route_name' => 'mcpguard_members', 'parent_class_name' => 'AdminMcpGuard', 'name' => 'Members', 'visible' => true],
            ['class_name' => 'AdminMcpGuardTokens', 'route_name' => 'mcpguard_tokens', 'parent_class_name' => 'AdminMcpGuard', 'name' => 'Tokens', 'visible' => true],
            ['class_name' => 'AdminMcpGuardClients', 'route_name' => 'mcpguard_clients', 'parent_class_name' => 'AdminMcpGuard', 'name' => 'OAuth clients', 'visible' => true],
            ['class_name' => 'AdminMcpGuardActivity', 'route_name' => 'mcpguard_activity', 'parent_class_name' => 'AdminMcpGuard', 'name' => 'Activity', 'visible' => true],
            ['class_name' => 'AdminMcpGuardSettings', 'route_name' => 'mcpguard_settings', 'parent_class_name' => 'AdminMcpGuard', 'name' => 'Settings', 'visible' => true],
        ];
    }

    public function install()
    {
        return parent::install()
            && Schema::install(Db::getInstance(), _DB_PREFIX_)
            && Settings::install()
            && $this->registerHook('moduleRoutes');
    }

    public function uninstall()
    {
        return Schema::uninstall(Db::getInstance(), _DB_PREFIX_)
            && Settings::uninstall()
            && parent::uninstall();
    }

    /** Schema steps of newer releases (the upgrade/ scripts call this). */
    public function upgradeSchema(): bool
    {
        return Schema::upgrade(Db::getInstance(), _DB_PREFIX_);
    }

    /** Friendly URLs of the front controllers (with URL rewriting on; the fc=module URLs work without). */
    public function hookModuleRoutes(array $params): array
    {
        $route = fn (string $rule, string $controller, array $keywords = []): array => ['controller' => $controller, 'rule' => $rule,
            'keywords' => $keywords, 'params' => ['fc' => 'module', 'module' => $this->name, 'controller' => $controller]];
        return [
            'module-mcpguard-mcp' => $route('module/mcpguard/mcp', 'mcp'),
            'module-mcpguard-oauth' => $route('module/mcpguard/oauth/{endpoint}', 'oauth',
                ['endpoint' => ['regexp' => '[a-z]+', 'param' => 'endpoint']]),
            'module-mcpguard-wellknown' => $route('.well-known/{document}', 'oauth',
                ['document' => ['regexp' => '[a-z-]+(/[A-Za-z0-9._/-]*)?', 'param' => 'document']]),
        ];
    }

    /** Opens the members page: the module's configuration is its back office. */
    public function getContent()
    {
        Tools::redirectAdmin(Context::getContext()->link->getAdminLink('AdminMcpGuardMembers'));
    }
}
