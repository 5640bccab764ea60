<?php
/**
 * 1.1.0 adds the confirmations table of destructive tools (schema step 4):
 * the steps after the installed one are applied through Db.
 */
if (!defined('_PS_VERSION_')) {
    exit;
}

function upgrade_module_1_1_0($module)
{
    return $module->upgradeSchema();
}
