<?php

declare(strict_types=1);

// tests/prestashop/sdk.sh's shop: php setup.php DIR ORIGIN → the modules installed on the test
// database (friendly URLs off), a viewer and an editor, their tokens on stdout (two lines).
require __DIR__ . '/bootstrap.php';

$shop = new McpGuard\Tests\PrestaShop\PsShop($argv[1]);
$shop->install(friendlyUrls: false);
Configuration::updateValue('PS_SHOP_DOMAIN_SSL', substr($argv[2], strlen('http://')));
$members = McpGuard\PrestaShop\Services::get()->cli()->members();
$members->add('victor@shop.example', 'viewer');
$members->add('alice@shop.example', 'editor');
echo $shop->token('victor@shop.example', 'viewer'), "\n", $shop->token('alice@shop.example', 'editor'), "\n";
// The admin CLI on the same tables (sdk.sh verifies the audit chain with it).
// (the file of README.md's "The admin CLI on the same tables": the module's database, prefix, audit key, policy)
[$host, $socket] = explode(':', _DB_SERVER_, 2);
file_put_contents($argv[1] . '/cli.php', '<?php return ' . var_export(['database' => ['dsn' => "mysql:unix_socket={$socket};dbname=" . _DB_NAME_ . ';charset=utf8mb4',
    'user' => _DB_USER_, 'password' => _DB_PASSWD_], 'prefix' => 'ps_mcpguard_', 'tokens' => ['table' => 'ps_mcpguard_tokens'],
    'audit' => ['key' => Configuration::get('MCPGUARD_AUDIT_KEY')], 'policy' => McpGuard\PrestaShop\Settings::policyPath()], true) . ';');
