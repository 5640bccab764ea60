<?php
/**
 * The audit chain, in one run: mcp_guard against the pure-PHP way of doing
 * the same work. Run: scripts/bench.sh (or scripts/php.sh benches/php/audit.php).
 *
 * 1. Build one chained event (no I/O): new Event + Chain::link against a PHP
 *    array with a fixed key order, json_encode, hash('sha256') over the
 *    arguments' json_encode and over the same labelled, length-prefixed
 *    chain input. The extension also validates every field (secret shapes,
 *    grammars) and digests the arguments in place.
 * 2. Append one chained event to a SQLite file (WAL, synchronous=FULL, as
 *    PdoDatabase::sqlite opens it): PdoAuditSink::append against the same
 *    transaction in plain PDO (BEGIN IMMEDIATE, read the head, insert the
 *    row, move the head, commit).
 * 3. Verify N rows already in memory: ChainVerifier::feed against a PHP loop
 *    that checks the seq, the record's seq/prev prefix and the labelled
 *    SHA-256 with hash_equals (the extension also reads and validates every
 *    record field). Then AuditVerifier over the SQLite log (rows/s of
 *    `audit:verify`, database reads included).
 */

declare(strict_types=1);

require dirname(__DIR__, 2) . '/php/autoload.php';

use McpGuard\Audit\Chain;
use McpGuard\Audit\ChainVerifier;
use McpGuard\Audit\Event;
use McpGuard\Server\Audit\AuditVerifier;
use McpGuard\Server\Audit\PdoAuditLog;
use McpGuard\Server\Audit\PdoAuditSink;
use McpGuard\Server\OAuth\Pdo\Migrations;
use McpGuard\Server\OAuth\Pdo\PdoDatabase;

const ROWS = 100_000;

function best(string $label, int $iter, callable $fn, string $unit = 'op'): float
{
    for ($i = 0; $i < min(2_000, $iter); $i++) {
        $fn(); // warm-up
    }
    $best = INF;
    for ($round = 0; $round < 5; $round++) {
        $t0 = hrtime(true);
        for ($i = 0; $i < $iter; $i++) {
            $fn();
        }
        $best = min($best, (hrtime(true) - $t0) / $iter);
    }
    printf("  %-58s %10.1f ns/%s\n", $label, $best, $unit);
    return $best;
}

function ratio(float $ext, float $php): void
{
    printf("  ratio pure-PHP / mcp_guard: %.2fx %s\n\n", $php / $ext, $php > $ext ? '(mcp_guard faster)' : '(pure PHP faster)');
}

const LABEL = 'mcp_guard audit chain v1';
const GENESIS = '0000000000000000000000000000000000000000000000000000000000000000';

/** The chain hash in PHP: the labelled, length-prefixed encoding of src/core/digest.rs. */
function php_link_hash(int $seq, string $prevHex, string $record): string
{
    return hash('sha256', "mcp_guard digest v1\0" . pack('J', strlen(LABEL)) . LABEL
        . pack('J', 8) . pack('J', $seq) . pack('J', 32) . hex2bin($prevHex) . pack('J', strlen($record)) . $record);
}

/** @param array<string, mixed> $args */
function php_record(int $seq, string $prev, array $args, int $at): string
{
    return json_encode([
        'seq' => $seq, 'prev' => $prev, 'type' => 'tool_allowed', 'outcome' => 'allowed', 'at' => $at,
        'principal' => 'customer:42', 'token_id' => '0123456789abcdef', 'tool' => 'product_update',
        'arguments_digest' => hash('sha256', json_encode($args, JSON_THROW_ON_ERROR)),
        'latency_us' => 1234, 'ip' => '203.0.113.9',
    ], JSON_THROW_ON_ERROR | JSON_UNESCAPED_SLASHES);
}

$args = ['id' => 5, 'name' => 'Mug', 'price' => 12.5, 'tags' => ['kitchen', 'gift'], 'active' => true];
$fields = ['principal' => 'customer:42', 'tokenId' => '0123456789abcdef', 'tool' => 'product_update',
    'arguments' => $args, 'latencyUs' => 1234, 'ip' => '203.0.113.9', 'at' => 1_800_000_000_000_000];
$chain = new Chain();
$prevHash = str_repeat('a', 64);

printf("mcp_guard %s, PHP %s, best of 5 rounds\n\n", phpversion('mcp_guard'), PHP_VERSION);

echo "build one chained event (record + hash), no I/O\n";
$e = best('mcp_guard: new Event + Chain::link', 100_000, static function () use ($chain, $fields, $prevHash) {
    $l = $chain->link(new Event('tool_allowed', $fields), 2, $prevHash);
    return [$l->record(), $l->hash()];
});
$p = best('pure PHP: json_encode + hash(sha256) x2', 100_000, static function () use ($args, $prevHash) {
    $r = php_record(2, $prevHash, $args, 1_800_000_000_000_000);
    return [$r, php_link_hash(2, $prevHash, $r)];
});
ratio($e, $p);

// ---------------------------------------------------------------- append
$dir = sys_get_temp_dir() . '/mcpg-audit-bench-' . getmypid();
@mkdir($dir);
register_shutdown_function(static function () use ($dir): void {
    foreach (glob("{$dir}/*") ?: [] as $f) {
        @unlink($f);
    }
    @rmdir($dir);
});

function database(string $file): PdoDatabase
{
    $db = new PdoDatabase(PdoDatabase::sqlite($file), 'bench_');
    (new Migrations($db))->up();
    return $db;
}

/** Both sides of one append benchmark on fresh files, `PRAGMA synchronous = $sync`. */
function append_pair(string $dir, string $sync, int $iter, array $fields, array $args): void
{
    $db = database("{$dir}/ext-{$sync}.sqlite");
    $db->run("PRAGMA synchronous = {$sync}");
    $sink = new PdoAuditSink($db);
    $plain = PdoDatabase::sqlite("{$dir}/php-{$sync}.sqlite");
    $plain->exec("PRAGMA synchronous = {$sync}");
    $plain->exec('CREATE TABLE events (seq INTEGER NOT NULL PRIMARY KEY, at INTEGER NOT NULL, type TEXT NOT NULL, outcome TEXT NOT NULL,
        principal TEXT NULL, tool TEXT NULL, record TEXT NOT NULL, hash TEXT NOT NULL)');
    // The same indexes as schema step 2 (CreateAuditTables).
    $plain->exec('CREATE INDEX events_at ON events (at)');
    $plain->exec('CREATE INDEX events_principal ON events (principal, at)');
    $plain->exec('CREATE TABLE head (id INTEGER NOT NULL PRIMARY KEY, seq INTEGER NOT NULL, hash TEXT NOT NULL, mac TEXT NULL)');
    $plain->exec("INSERT INTO head VALUES (1, 0, '" . GENESIS . "', NULL)");
    $readHead = $plain->prepare('SELECT seq, hash FROM head WHERE id = 1');
    $insert = $plain->prepare('INSERT INTO events (seq, at, type, outcome, principal, tool, record, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?)');
    $moveHead = $plain->prepare('UPDATE head SET seq = ?, hash = ? WHERE id = 1 AND seq = ?');

    echo "append one chained event: SQLite file, WAL, synchronous={$sync} (one transaction each)\n";
    $e = best('mcp_guard: PdoAuditSink::append(new Event)', $iter, static fn () => $sink->append(new Event('tool_allowed', $fields)));
    $p = best('pure PHP: same transaction, json_encode + hash(sha256)', $iter, static function () use ($plain, $readHead, $insert, $moveHead, $args) {
        $plain->exec('BEGIN IMMEDIATE');
        $readHead->execute();
        $h = $readHead->fetch(PDO::FETCH_ASSOC);
        $readHead->closeCursor();
        $seq = (int) $h['seq'] + 1;
        $at = 1_800_000_000_000_000;
        $r = php_record($seq, $h['hash'], $args, $at);
        $hash = php_link_hash($seq, $h['hash'], $r);
        $insert->execute([$seq, $at, 'tool_allowed', 'allowed', 'customer:42', 'product_update', $r, $hash]);
        $moveHead->execute([$seq, $hash, $seq - 1]);
        $plain->exec('COMMIT');
    });
    ratio($e, $p);
}

// FULL: what PdoDatabase::sqlite() opens (an fsync per commit, which
// dominates); NORMAL: the usual WAL setting (durable at checkpoints), where
// the work per append shows.
append_pair($dir, 'NORMAL', 2_000, $fields, $args);
append_pair($dir, 'FULL', 300, $fields, $args);

// ---------------------------------------------------------------- verify
$rows = [];
$prev = null;
for ($seq = 1; $seq <= ROWS; $seq++) {
    $fields['at'] = 1_800_000_000_000_000 + $seq;
    $fields['arguments'] = ['id' => $seq];
    $l = $chain->link(new Event('tool_allowed', $fields), $seq, $prev);
    $rows[] = [$seq, $l->record(), $l->hash()];
    $prev = $l->hash();
}

echo 'verify ' . ROWS . " chained rows held in memory\n";
$e = best('mcp_guard: ChainVerifier::feed loop', 1, static function () use ($rows) {
    $v = new ChainVerifier();
    foreach ($rows as [$seq, $record, $hash]) {
        if (!$v->feed($seq, $record, $hash)) {
            throw new LogicException('broken');
        }
    }
}, (string) ROWS . ' rows');
$p = best('pure PHP: seq, prefix and hash_equals(sha256) loop', 1, static function () use ($rows) {
    $prev = GENESIS;
    $next = 1;
    foreach ($rows as [$seq, $record, $hash]) {
        if ($seq !== $next || !str_starts_with($record, '{"seq":' . $seq . ',"prev":"' . $prev . '"')
            || !hash_equals(php_link_hash($seq, $prev, $record), $hash)) {
            throw new LogicException('broken');
        }
        $prev = $hash;
        $next++;
    }
}, (string) ROWS . ' rows');
printf("  mcp_guard %.0f rows/s, pure PHP %.0f rows/s\n", ROWS / ($e / 1e9), ROWS / ($p / 1e9));
ratio($e, $p);

$big = database("{$dir}/verify.sqlite");
$big->transaction(function () use ($big, $rows): void {
    foreach ($rows as [$seq, $record, $hash]) {
        $ev = Event::fromRecord($record);
        $big->run('INSERT INTO ' . $big->table('audit_events') . ' (seq, at, type, outcome, principal, tool, record, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
            [$seq, $ev->at(), $ev->type(), $ev->outcome(), $ev->principal(), $ev->tool(), $record, $hash]);
    }
    $big->run('UPDATE ' . $big->table('audit_head') . ' SET seq = ?, hash = ? WHERE id = 1', [ROWS, $rows[ROWS - 1][2]]);
});
echo 'audit:verify over a SQLite log of ' . ROWS . " rows (AuditVerifier + PdoAuditLog, columns checked)\n";
$t = best('AuditVerifier::verify(new PdoAuditLog)', 1, static function () use ($big) {
    if (!AuditVerifier::verify(new PdoAuditLog($big))->ok) {
        throw new LogicException('broken');
    }
}, (string) ROWS . ' rows');
printf("  %.0f rows/s (a million rows: %.1f s)\n", ROWS / ($t / 1e9), 1e6 * $t / ROWS / 1e9);
