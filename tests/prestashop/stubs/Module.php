<?php

/**
 * PrestaShop's Module (classes/module/Module.php): install() checks
 * ps_versions_compliancy against _PS_VERSION_ and records the module and its
 * version; registerHook(); getInstanceByName() loads modules/<name>/<name>.php;
 * upgrades run upgrade/upgrade-<version>.php for every version after the
 * recorded one, calling upgrade_module_<x_y_z>($module), as PrestaShop does.
 */
abstract class Module
{
    public $name;
    public $tab;
    public $version;
    public $author;
    public $need_instance;
    public $ps_versions_compliancy = [];
    public $bootstrap;
    public $displayName;
    public $description;
    public $confirmUninstall;
    public $tabs = [];
    public $active = true;
    public $context;
    /** @var array<string, Module> */
    private static array $instances = [];

    public function __construct($name = null, ?Context $context = null)
    {
        $this->context = $context ?? Context::getContext();
    }

    public function install()
    {
        $c = $this->ps_versions_compliancy;
        if (version_compare(_PS_VERSION_, $c['min'], '<') || version_compare(_PS_VERSION_, $c['max'], '>')) {
            return false;
        }
        return Db::getInstance()->execute('REPLACE INTO ' . _DB_PREFIX_ . "module (name, active, version) VALUES ('" . pSQL($this->name) . "', 1, '" . pSQL($this->version) . "')");
    }

    public function uninstall()
    {
        return Db::getInstance()->execute('DELETE FROM ' . _DB_PREFIX_ . "hook_module WHERE module = '" . pSQL($this->name) . "'")
            && Db::getInstance()->execute('DELETE FROM ' . _DB_PREFIX_ . "module WHERE name = '" . pSQL($this->name) . "'");
    }

    public function registerHook($hook_name, $shop_list = null)
    {
        return Db::getInstance()->execute('REPLACE INTO ' . _DB_PREFIX_ . "hook_module (hook, module) VALUES ('" . pSQL($hook_name) . "', '" . pSQL($this->name) . "')");
    }

    public function trans($id, array $parameters = [], $domain = null, $locale = null)
    {
        return strtr($id, $parameters);
    }

    public function l($string, $specific = false, $locale = null)
    {
        return $string;
    }

    public static function getInstanceByName($module_name)
    {
        if (!isset(self::$instances[$module_name])) {
            $file = _PS_MODULE_DIR_ . $module_name . '/' . $module_name . '.php';
            if (preg_match('/^[a-z0-9_]+$/D', (string) $module_name) !== 1 || !is_file($file)) {
                return false;
            }
            require_once $file;
            self::$instances[$module_name] = new $module_name();
        }
        return self::$instances[$module_name];
    }

    public static function isInstalled($module_name)
    {
        return (bool) Db::getInstance()->getValue('SELECT 1 FROM ' . _DB_PREFIX_ . "module WHERE name = '" . pSQL($module_name) . "'");
    }

    /** The upgrade scripts after the recorded version (Module::initUpgradeModule + runUpgradeModule in PrestaShop). */
    public static function upgradeModule(string $name): bool
    {
        $module = self::getInstanceByName($name);
        $registered = (string) Db::getInstance()->getValue('SELECT version FROM ' . _DB_PREFIX_ . "module WHERE name = '" . pSQL($name) . "'");
        $files = glob(_PS_MODULE_DIR_ . $name . '/upgrade/upgrade-*.php') ?: [];
        usort($files, static fn (string $a, string $b): int => version_compare(basename($a, '.php'), basename($b, '.php')));
        foreach ($files as $file) {
            $version = substr(basename($file, '.php'), strlen('upgrade-'));
            if (version_compare($version, $registered, '>') && version_compare($version, $module->version, '<=')) {
                include_once $file;
                if (!call_user_func('upgrade_module_' . str_replace('.', '_', $version), $module)) {
                    return false;
                }
                Db::getInstance()->execute('UPDATE ' . _DB_PREFIX_ . "module SET version = '" . pSQL($version) . "' WHERE name = '" . pSQL($name) . "'");
            }
        }
        return true;
    }
}
