<?php

declare(strict_types=1);

/*
 * statamic.sh's set-up: the test app in DIR for ORIGIN (plain HTTP on
 * loopback: require_https off), its members and tokens made with the
 * addon's artisan commands, and a token of the Statamic MCP addon in its own
 * table. Prints the tokens as JSON.
 *
 *   prepare.php DIR ORIGIN
 */
require '/usr/share/php/PHPUnit/Autoload.php';
require dirname(__DIR__) . '/bootstrap.php';

use McpGuard\Tests\Statamic\Support\AdapterCase;
use McpGuard\Tests\Statamic\Support\EntryTools;
use McpGuard\Tests\Statamic\Support\OldAddon;
use McpGuard\Tests\Statamic\Support\TestApp;

[, $dir, $origin] = $argv;
$settings = ['web' => ['require_https' => false], 'policy' => EntryTools::manifest(true), 'legacy_tokens' => ['enabled' => true],
    'rate_limit' => ['rates' => ['destructive' => ['limit' => 20, 'period' => 60]]]];
@mkdir($dir, 0777, true);
file_put_contents($dir . '/settings.json', json_encode(['settings' => $settings, 'url' => $origin], JSON_UNESCAPED_SLASHES));
$t = new TestApp($dir, $settings, AdapterCase::USERS, $origin);
$t->app['db']->connection()->table('entries')->insert([['id' => 'home', 'title' => 'Home'], ['id' => 'about', 'title' => 'About'], ['id' => 'blog', 'title' => 'Blog'], ['id' => 'contact', 'title' => 'Contact']]);
$tokens = [];
foreach (['viewer' => ['u-vic', 'discover,entries:read'], 'editor' => ['u-ed', 'discover,entries:read,entries:write']] as $role => [$member, $scopes]) {
    $t->artisan('mcp-guard:member:add', ['id' => $member, '--role' => $role]);
    [$code, $out] = $t->artisan('mcp-guard:token:create', ['member' => $member, '--scopes' => $scopes]);
    if ($code !== 0 || preg_match('/\b(mcp_[A-Za-z0-9_]+)/', $out, $m) !== 1) {
        fwrite(STDERR, "token:create failed: {$out}\n");
        exit(1);
    }
    $tokens[$role] = $m[1];
}
$t->artisan('mcp-guard:member:add', ['id' => 'u-ada', '--role' => 'viewer']);
// A token of the Statamic MCP addon the site used before: its table, its row for a viewer.
OldAddon::createTable($t->app['db']->connection());
$t->artisan('mcp-guard:member:add', ['id' => 'u-old', '--role' => 'viewer']);
$tokens['legacy'] = OldAddon::issue($t->app['db']->connection(), 'u-old', ['entries:read']);
echo json_encode($tokens), "\n";
