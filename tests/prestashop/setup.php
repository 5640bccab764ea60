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
file_put_contents($argv[1] . '/cli.php', McpGuard\PrestaShop\Services::get()->cliConfigFile());
