<?php
/**
 * A test module that registers tools the way a shop's module would: it
 * hooks actionMcpGuardTools and binds handlers (the test catalogue of
 * tests/mcp/server/Catalogue.php) to the tools of the policy manifest.
 */
if (!defined('_PS_VERSION_')) {
    exit;
}

require_once dirname(__DIR__, 3) . '/mcp/server/Catalogue.php';

class Mcpdemo extends Module
{
    public function __construct()
    {
        $this->name = 'mcpdemo';
        $this->version = '1.0.0';
        $this->ps_versions_compliancy = ['min' => '8.0.0', 'max' => '9.99.99'];
        parent::__construct();
    }

    public function install()
    {
        return parent::install() && $this->registerHook('actionMcpGuardTools');
    }

    public function hookActionMcpGuardTools(array $params): void
    {
        /** @var McpGuard\Server\Mcp\ToolRegistry $registry */
        $registry = $params['registry'];
        // The catalogue builds a registry of its own: its handlers are bound here, with their descriptions and schemas.
        $own = (new McpGuard\Tests\Mcp\Catalogue(McpGuard\PrestaShop\Services::get()->cli()->database()))->tools($params['policy']);
        foreach ($own->entries(array_keys(McpGuard\Tests\Mcp\Catalogue::manifest(true)['tools'])) as $e) {
            $registry->bind($e['name'], static fn (array $a, McpGuard\Server\Mcp\Caller $c) => $own->call($e['name'], $a, $c),
                $e['description'], $e['inputSchema']);
        }
    }
}
