<?php
/**
 * Drops every table of the module: the schema steps' own down() statements,
 * newest first, then the token and version tables.
 *
 * Returns: fn (PdoDatabase $names, string $tokensTable): list<string>
 */
if (!defined('_PS_VERSION_')) {
    exit;
}

use McpGuard\Server\OAuth\Pdo\Migrations;
use McpGuard\Server\OAuth\Pdo\PdoDatabase;

return static function (PdoDatabase $names, string $tokensTable): array {
    $sql = [];
    foreach (array_reverse(Migrations::steps()) as $step) {
        array_push($sql, ...$step->down($names));
    }
    $sql[] = "DROP TABLE IF EXISTS {$tokensTable}";
    $sql[] = 'DROP TABLE IF EXISTS ' . $names->table('schema_versions');
    return $sql;
};
