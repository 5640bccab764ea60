<?php
/**
 * The module's tables, in PrestaShop's database (MySQL/MariaDB), named
 * `<_DB_PREFIX_>mcpguard_<name>`. The schema steps are mcp_guard's own
 * migrations (php/Server/OAuth/Pdo/Migrations: the same columns the shared
 * PDO stores read), rendered for MySQL; the token table is PdoTokenStore's
 * (tests/prestashop/SchemaTest checks the two definitions stay the same).
 *
 * Returns: fn (PdoDatabase $names, string $tokensTable, int $from, int $to, int $now): list<string>
 */
if (!defined('_PS_VERSION_')) {
    exit;
}

use McpGuard\Server\OAuth\Pdo\Migrations;
use McpGuard\Server\OAuth\Pdo\PdoDatabase;
use McpGuard\Server\Token\PdoTokenStore;

return static function (PdoDatabase $names, string $tokensTable, int $from, int $to, int $now): array {
    $versions = $names->table('schema_versions');
    $sql = [];
    if ($from === 0) {
        $sql[] = "CREATE TABLE IF NOT EXISTS {$versions} (version INTEGER NOT NULL PRIMARY KEY, applied_at BIGINT NOT NULL)";
        array_push($sql, ...PdoTokenStore::schema($tokensTable, 'mysql')); // the API tokens' table, as PdoTokenStore makes it
    }
    foreach (Migrations::steps() as $step) {
        if ($step->version() > $from && $step->version() <= $to) {
            array_push($sql, ...$step->up($names));
            $sql[] = "INSERT INTO {$versions} (version, applied_at) VALUES ({$step->version()}, {$now})";
        }
    }
    return $sql;
};
