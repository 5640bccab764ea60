<?php

declare(strict_types=1);

// One writer of tests/audit/concurrency.sh: waits at the barrier file, then
// appends N events to the sink named by db.json (sqlite, mysql or psr3).
//   php append.php DIR WORKER N

[, $dir, $worker, $n] = $argv;
require dirname(__DIR__, 2) . '/php/autoload.php';

use McpGuard\Audit\Chain;
use McpGuard\Audit\Event;
use McpGuard\Server\Audit\PdoAuditSink;
use McpGuard\Server\Audit\Psr3AuditSink;
use McpGuard\Server\OAuth\Pdo\PdoDatabase;

$cfg = json_decode((string) file_get_contents("{$dir}/db.json"), true, 8, JSON_THROW_ON_ERROR);
$chain = new Chain(str_repeat('k', 32));
if ($cfg['driver'] === 'psr3') {
    require_once '/usr/share/php/Psr/Log/autoload.php';
    require_once '/usr/share/php/Monolog/autoload.php';
    $handler = new Monolog\Handler\StreamHandler("{$dir}/audit.log");
    $handler->setFormatter(new Monolog\Formatter\JsonFormatter());
    $sink = new Psr3AuditSink(new Monolog\Logger('audit', [$handler]), "{$dir}/audit.head", $chain);
} else {
    $pdo = $cfg['driver'] === 'sqlite'
        ? PdoDatabase::sqlite($cfg['path'], 30000)
        : new PDO($cfg['dsn'], $cfg['user'], $cfg['password']);
    $sink = new PdoAuditSink(new PdoDatabase($pdo, 'mcpg_audit_race_'), $chain);
}
touch("{$dir}/ready.{$worker}");
while (!file_exists("{$dir}/go")) {
    usleep(1000);
}
for ($i = 1; $i <= (int) $n; $i++) {
    $sink->append(new Event('tool_allowed', ['principal' => "worker:{$worker}", 'tool' => 'product_list', 'latencyUs' => $i]));
}
