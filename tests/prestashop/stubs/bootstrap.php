<?php

declare(strict_types=1);

/*
 * Stand-ins for the PrestaShop classes the module touches, with the
 * signatures of PrestaShop 8.1 (classes/module/Module.php,
 * classes/controller/ModuleFrontController.php, classes/db/Db.php,
 * classes/Configuration.php, classes/Tools.php, classes/Hook.php,
 * FrameworkBundleAdminController), unchanged in 9.0 for what is used here.
 * Only what the module calls, and real where it matters: Db runs real SQL
 * on the MariaDB of tests/prestashop/prestashop.sh; Configuration, module
 * and hook registrations live in that database, as PrestaShop keeps them.
 * Settings from the environment: MCPG_PS_DB_SERVER/NAME/USER/PASSWORD,
 * MCPG_PS_VERSION (default 8.1.7).
 */
define('_PS_VERSION_', getenv('MCPG_PS_VERSION') ?: '8.1.7');
define('_PS_ROOT_DIR_', dirname(__DIR__));
define('_PS_MODULE_DIR_', dirname(__DIR__) . '/modules/');
define('_DB_SERVER_', (string) getenv('MCPG_PS_DB_SERVER'));
define('_DB_NAME_', (string) getenv('MCPG_PS_DB_NAME'));
define('_DB_USER_', (string) getenv('MCPG_PS_DB_USER'));
define('_DB_PASSWD_', (string) getenv('MCPG_PS_DB_PASSWORD'));
define('_DB_PREFIX_', 'ps_');

$root = dirname(__DIR__, 3);
require $root . '/php/autoload.php';
foreach (['Db', 'Configuration', 'Tools', 'Context', 'Hook', 'Module', 'ModuleFrontController', 'FrameworkBundleAdminController', 'Attributes', 'Employee'] as $f) {
    require __DIR__ . "/{$f}.php";
}
Db::getInstance()->execute('CREATE TABLE IF NOT EXISTS ' . _DB_PREFIX_ . 'configuration (name VARCHAR(254) NOT NULL PRIMARY KEY, value TEXT NULL)');
Db::getInstance()->execute('CREATE TABLE IF NOT EXISTS ' . _DB_PREFIX_ . 'module (name VARCHAR(64) NOT NULL PRIMARY KEY, active TINYINT NOT NULL, version VARCHAR(8) NOT NULL)');
Db::getInstance()->execute('CREATE TABLE IF NOT EXISTS ' . _DB_PREFIX_ . 'hook_module (hook VARCHAR(191) NOT NULL, module VARCHAR(64) NOT NULL, PRIMARY KEY (hook, module))');
