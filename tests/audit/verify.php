<?php

declare(strict_types=1);

// Sets up (`setup`) or verifies (`verify EXPECTED`) the chain of
// tests/audit/concurrency.sh; prints the report and exits 1 on a mismatch.
//   php verify.php DIR setup|verify [EXPECTED]

$dir = $argv[1];
$mode = $argv[2];
require dirname(__DIR__, 2) . '/php/autoload.php';

use McpGuard\Audit\Chain;
use McpGuard\Server\Audit\AuditVerifier;
use McpGuard\Server\Audit\JsonLinesAuditLog;
use McpGuard\Server\Audit\PdoAuditLog;
use McpGuard\Server\OAuth\Pdo\Migrations;
use McpGuard\Server\OAuth\Pdo\PdoDatabase;

$cfg = json_decode((string) file_get_contents("{$dir}/db.json"), true, 8, JSON_THROW_ON_ERROR);
if ($cfg['driver'] === 'psr3') {
    $log = new JsonLinesAuditLog("{$dir}/audit.log", "{$dir}/audit.head");
} else {
    $pdo = $cfg['driver'] === 'sqlite' ? PdoDatabase::sqlite($cfg['path']) : new PDO($cfg['dsn'], $cfg['user'], $cfg['password']);
    $db = new PdoDatabase($pdo, 'mcpg_audit_race_');
    $migrations = new Migrations($db);
    if ($mode === 'setup') {
        $migrations->down();
        $migrations->up();
        exit(0);
    }
    if ($mode === 'drop') {
        $migrations->down();
        $pdo->exec('DROP TABLE IF EXISTS ' . $db->table('schema_versions'));
        exit(0);
    }
    $log = new PdoAuditLog($db);
}
if ($mode !== 'verify') {
    exit(0);
}
$expected = (int) $argv[3];
$r = AuditVerifier::verify($log, new Chain(str_repeat('k', 32)));
$seqs = [];
$ok = $r->ok && $r->verified === $expected && $log->count() === $expected && $log->head()?->seq === $expected;
printf("%s: ok=%s verified=%d rows=%d head=%s broken=%s reason=%s\n", $cfg['driver'], $r->ok ? 'yes' : 'no',
    $r->verified, $log->count(), (string) $log->head()?->seq, (string) $r->brokenAt, (string) $r->reason);
exit($ok ? 0 : 1);
