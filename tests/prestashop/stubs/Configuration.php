<?php

/** PrestaShop's Configuration (classes/Configuration.php), one shop, kept in ps_configuration. */
class Configuration
{
    public static function get($key, $idLang = null, $idShopGroup = null, $idShop = null, $default = false)
    {
        $v = Db::getInstance()->getValue('SELECT value FROM ' . _DB_PREFIX_ . "configuration WHERE name = '" . pSQL($key) . "'");
        return $v === false ? $default : $v;
    }

    public static function updateValue($key, $values, $html = false, $idShopGroup = null, $idShop = null)
    {
        return Db::getInstance()->execute('REPLACE INTO ' . _DB_PREFIX_ . "configuration (name, value) VALUES ('" . pSQL($key) . "', '" . pSQL((string) $values) . "')");
    }

    public static function deleteByName($key)
    {
        return Db::getInstance()->execute('DELETE FROM ' . _DB_PREFIX_ . "configuration WHERE name = '" . pSQL($key) . "'");
    }
}
