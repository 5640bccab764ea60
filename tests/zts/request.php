<?php

declare(strict_types=1);

/*
 * One request of the threaded host (threads.c): $thread and $request are set
 * by the host. Prints one line the test script adds up:
 *
 *   request=R thread=T ns=NS allowed=N pid=P guard=ok|FAIL
 *
 * - 30 hits at a frozen clock on the key of this request number, in this
 *   thread's namespace: across all threads of a parity, exactly `limit` may be
 *   allowed per key, or the table is not one table shared by the threads;
 * - the compiled guard (per-thread cache) allows the editor's update and
 *   refuses a field outside the manifest, on every thread and request.
 */

require dirname(__DIR__, 2) . '/benches/php/lib/guard_sides.php';

const ZTS_LIMIT = 10;
const ZTS_NOW = 1_800_000_000_000_000;

$rl = new McpGuard\RateLimiter(['burst' => ['limit' => ZTS_LIMIT, 'period' => 60]]);
$allowed = 0;
for ($i = 0; $i < 30; $i++) {
    if ($rl->hit('zts:' . $request, 'burst', 1, ZTS_NOW)->allowed()) {
        $allowed++;
    }
}
$info = McpGuard\RateLimiter::tableInfo();

$issued = (new McpGuard\Tokens())->issue(3600);
$rows = [$issued->publicId() => ['hash' => $issued->hash(), 'expires_at' => $issued->expiresAt(), 'revoked_at' => null,
    'member' => 'alice', 'scopes' => ['discover', 'read', 'write']]];
$header = 'Bearer ' . $issued->plaintext();
$good = mcpg_bench_ours($header, $rows, ['alice' => 'editor'], mcpg_bench_arguments());
$bad = mcpg_bench_ours($header, $rows, ['alice' => 'editor'], mcpg_bench_arguments() + ['cost_price' => 1.0]);
$viewer = mcpg_bench_ours($header, $rows, ['alice' => 'viewer'], mcpg_bench_arguments());

printf("request=%d thread=%d ns=%s allowed=%d pid=%d shared_pid=%d guard=%s\n", $request, $thread, $info['namespace'],
    $allowed, getmypid(), $info['creatorPid'] ?? -1, $good && !$bad && !$viewer ? 'ok' : 'FAIL');
