<?php

/** PrestaShop's Hook::exec (classes/Hook.php): calls hook<Name>() of every module registered on the hook. */
class Hook
{
    public static function exec($hook_name, $hook_args = [], $id_module = null, $array_return = false, $check_exceptions = true,
        $use_push = false, $id_shop = null, $chain = false)
    {
        $rows = Db::getInstance()->executeS('SELECT module FROM ' . _DB_PREFIX_ . "hook_module WHERE hook = '" . pSQL($hook_name) . "' ORDER BY module");
        $out = [];
        foreach ($rows ?: [] as $row) {
            $module = Module::getInstanceByName($row['module']);
            $method = 'hook' . ucfirst($hook_name);
            if ($module && $module->active && method_exists($module, $method)) {
                $out[$row['module']] = $module->$method($hook_args);
            }
        }
        return $array_return ? $out : implode('', array_filter($out, 'is_string'));
    }
}
