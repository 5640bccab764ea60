<?php

declare(strict_types=1);

namespace McpGuard\PrestaShop;

use McpGuard\Server\OAuth\Pdo\Migrations;

/**
 * Creates, upgrades and drops the module's tables through PrestaShop's Db
 * (install, upgrade/, uninstall), with the statements of sql/. The version
 * row of each step is written with it, so the shared stores' own migration
 * check at run time finds the schema current and does nothing.
 */
final class Schema
{
    /** Every step of this release (or up to `$to`: tests install an older release's schema). */
    public static function install(\Db $db, string $prefix, ?int $to = null): bool
    {
        return self::run($db, self::statements($prefix, 0, $to ?? count(Migrations::steps())));
    }

    /** The steps after the installed one. */
    public static function upgrade(\Db $db, string $prefix): bool
    {
        $from = (int) $db->getValue('SELECT MAX(version) FROM ' . Settings::tablePrefix($prefix) . 'schema_versions', false);
        return self::run($db, self::statements($prefix, $from, count(Migrations::steps())));
    }

    public static function uninstall(\Db $db, string $prefix): bool
    {
        $sql = require dirname(__DIR__) . '/sql/uninstall.php';
        return self::run($db, $sql(Services::names(), Settings::tokensTable($prefix)));
    }

    /** @return list<string> */
    private static function statements(string $prefix, int $from, int $to): array
    {
        $sql = require dirname(__DIR__) . '/sql/install.php';
        return $sql(Services::names(), Settings::tokensTable($prefix), $from, $to, time());
    }

    /** @param list<string> $statements */
    private static function run(\Db $db, array $statements): bool
    {
        foreach ($statements as $statement) {
            if (!$db->execute($statement, false)) {
                return false;
            }
        }
        return true;
    }
}
