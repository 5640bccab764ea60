<?php

declare(strict_types=1);

/*
 * The worker side of tests/oauth/concurrency.sh. Served by php-fpm (one
 * request per race party) or run by the CLI (setup, seed, check). The
 * database is named in $DIR/db.json. A party waits at a file barrier until
 * the driver has seen every party of its round arrive, so the parties'
 * store calls really start together, each in its own worker.
 */

require dirname(__DIR__, 2) . '/php/autoload.php';

use McpGuard\Server\OAuth\Pdo\Migrations;
use McpGuard\Server\OAuth\Pdo\PdoCodeStore;
use McpGuard\Server\OAuth\Pdo\PdoDatabase;
use McpGuard\Server\OAuth\Pdo\PdoFamilyStore;
use McpGuard\Server\OAuth\Pdo\PdoRefreshTokenStore;
use McpGuard\Server\OAuth\Pdo\Rows;
use McpGuard\Server\OAuth\StorageException;
use McpGuard\Server\OAuth\Store\CodeRedemption;
use McpGuard\Server\OAuth\Store\RefreshRotation;
use McpGuard\Server\OAuth\Store\CodeRecord;
use McpGuard\Server\OAuth\Store\FamilyRecord;
use McpGuard\Server\OAuth\Store\RefreshTokenRecord;

const NOW = 1_800_000_000;

set_exception_handler(static function (\Throwable $e): void {
    $prev = $e->getPrevious();
    echo 'EXCEPTION ', get_class($e), ': ', $e->getMessage(), $prev !== null ? ' (' . $prev->getMessage() . ')' : '', "\n";
});

if (PHP_SAPI === 'cli') {
    $dir = $argv[1];
    parse_str($argv[2] ?? '', $q);
} else {
    parse_str($_SERVER['QUERY_STRING'] ?? '', $q);
    $dir = dirname($_SERVER['SCRIPT_FILENAME']);
}
$cfg = json_decode((string) file_get_contents("{$dir}/db.json"), true, 4, JSON_THROW_ON_ERROR);
$pdo = $cfg['driver'] === 'sqlite'
    ? PdoDatabase::sqlite($cfg['path'], 5000)
    : new PDO($cfg['dsn'], $cfg['user'], $cfg['password']);
$db = new PdoDatabase($pdo, 'race_');

switch ($q['op'] ?? '') {
    case 'setup':
        $m = new Migrations($db);
        $m->down();
        $m->up();
        echo "ready\n";
        break;

    case 'seed': // codes race-<i> and refresh tokens rt-<i> (each in its own family), i = 1..rounds
        $codes = new PdoCodeStore($db);
        $families = new PdoFamilyStore($db);
        $refresh = new PdoRefreshTokenStore($db);
        for ($i = 1; $i <= (int) $q['rounds']; $i++) {
            $codes->save(new CodeRecord("sha256:race-{$i}", "code-fam-{$i}", 'client', 'https://app.example/cb', str_repeat('c', 43), ['mcp.read'], 'https://shop.example/mcp', 'member', NOW, NOW + 60));
            $families->open(new FamilyRecord("fam-{$i}", 'member', 'client-key', 'https://app.example/cb', ['mcp.read'], 'https://shop.example/mcp', NOW));
            $refresh->save(new RefreshTokenRecord("rt-{$i}", "sha256:rt-{$i}", "fam-{$i}", null, NOW, NOW + 86400));
        }
        echo "seeded\n";
        break;

    case 'consume':
    case 'rotate':
        $party = (string) $q['party'];
        // Everything but the store call itself happens before the barrier (autoloading included).
        $codes = new PdoCodeStore($db);
        $refresh = new PdoRefreshTokenStore($db);
        $successor = new RefreshTokenRecord("rt-{$q['round']}-{$party}", "sha256:rt-{$q['round']}-{$party}", "fam-{$q['round']}", "rt-{$q['round']}", NOW + 1, NOW + 86400);
        foreach ([Rows::class, CodeRedemption::class, RefreshRotation::class, StorageException::class] as $class) {
            class_exists($class);
        }
        $barrier = (string) $q['barrier'];
        touch("{$barrier}.ready.{$party}");
        $deadline = microtime(true) + 10;
        while (($go = @file_get_contents("{$barrier}.go")) === false || $go === '') {
            if (microtime(true) > $deadline) {
                echo "TIMEOUT\n";
                return;
            }
            usleep(200);
        }
        // The go file holds a release time a little ahead: every party spins to it.
        $release = (float) $go;
        while (microtime(true) < $release) {
        }
        $start = microtime(true);
        if ($q['op'] === 'consume' && ($q['naive'] ?? '') === '1') {
            // The control: read-then-write without the conditional UPDATE, as some servers do.
            $status = naiveConsume($pdo, "sha256:race-{$q['round']}");
        } elseif ($q['op'] === 'consume') {
            $status = $codes->consume("sha256:race-{$q['round']}", NOW + 1)->status();
        } else {
            $id = "rt-{$q['round']}";
            $grace = (int) $q['grace'];
            $status = $refresh->rotate($id, $successor, NOW + 1, $grace > 0 ? NOW + 1 - $grace : null, (int) $q['max'])->status();
        }
        printf("RESULT %s %d %.6f %.6f\n", $status, getmypid(), $start, microtime(true) - $start);
        break;

    case 'check': // the successors a rotation round left: their count, and that each is a live child of rt-<round>
        $refresh = new PdoRefreshTokenStore($db);
        $live = 0;
        foreach (explode(',', (string) $q['parties']) as $party) {
            $s = $refresh->find("rt-{$q['round']}-{$party}");
            $live += (int) ($s !== null && $s->parentId === "rt-{$q['round']}" && $s->revokedAt === null && $s->rotatedAt === null);
        }
        $parent = $refresh->find("rt-{$q['round']}");
        echo "CHECK {$live} ", $parent?->successorCount ?? -1, "\n";
        break;

    default:
        http_response_code(400);
        echo "unknown op\n";
}

/** The non-atomic redemption the conditional UPDATE replaces: only to show the race is real. */
function naiveConsume(PDO $pdo, string $hash): string
{
    $st = $pdo->prepare('SELECT consumed_at FROM race_codes WHERE code_hash = ?');
    $st->execute([$hash]);
    $consumed = $st->fetchColumn();
    $st->closeCursor(); // an open SQLite cursor would keep its read transaction
    if ($consumed !== null) {
        return 'replayed';
    }
    usleep(5000); // the work a server does between reading the row and writing it
    $pdo->prepare('UPDATE race_codes SET consumed_at = ? WHERE code_hash = ?')->execute([NOW + 1, $hash]);
    return 'ok';
}
