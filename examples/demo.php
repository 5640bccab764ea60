<?php
/**
 * mcp_guard demo: issue an API token, show it once, store only its hash in
 * SQLite, then authenticate requests with it through the installed extension.
 *
 *   php examples/demo.php            # the demo
 *   php examples/demo.php --check    # the same, silent, exit 1 on any surprise (used by the tests)
 */

declare(strict_types=1);

require dirname(__DIR__) . '/php/autoload.php';

use McpGuard\Exception\GuardException;
use McpGuard\Server\Token\PdoTokenStore;
use McpGuard\Server\Token\TokenService;

$check = in_array('--check', $argv, true);
$say = static function (string $line) use ($check): void {
    if (!$check) {
        echo $line, "\n";
    }
};
$fail = static function (string $why): never {
    fwrite(STDERR, "demo: $why\n");
    exit(1);
};

if (!extension_loaded('mcp_guard')) {
    $fail('the mcp_guard extension is not loaded (run scripts/install.sh first)');
}

$db = sys_get_temp_dir() . '/mcp_guard_demo_' . getmypid() . '.sqlite';
register_shutdown_function(static fn () => @unlink($db));
$store = new PdoTokenStore(new PDO('sqlite:' . $db));
$store->createTable();
$service = new TokenService($store);

$say('mcp_guard ' . phpversion('mcp_guard') . ' — API token demo');
$say('');
$issued = $service->issue('customer:42', ['mcp.read'], 'Claude desktop', 30 * 86400);
$say('1. Issued a token for customer:42 (scope mcp.read, 30 days). Shown once, never stored:');
$say('     ' . $issued->plaintext());
$say('');
$say("2. Stored in SQLite ($db):");
foreach ($store->forSubject('customer:42') as $row) {
    $say("     public_id={$row->publicId}  hash={$row->hash}");
    $say('     expires ' . gmdate('Y-m-d H:i:s', (int) $row->expiresAt) . ' UTC');
}
$say('');
$say('3. Requests:');

$attempt = static function (string $label, ?string $header, ?string $expected) use ($service, $say, $fail): void {
    try {
        $who = $service->authenticate($header);
        $result = $who === null ? '401 (no bearer token)' : "200 {$who->subject} [" . implode(' ', $who->scopes) . ']';
        $outcome = $who === null ? 'none' : 'ok';
    } catch (GuardException $e) {
        $result = "401 {$e->errorCode()} ({$e->reason()})";
        $outcome = $e->reason();
    }
    $say(sprintf('     %-34s -> %s', $label, $result));
    if ($expected !== null && $outcome !== $expected) {
        $fail("$label: expected $expected, got $outcome");
    }
};

$token = $issued->plaintext();
$typo = $token;
$typo[30] = $typo[30] === 'x' ? 'y' : 'x';
$attempt('the token', "Bearer $token", 'ok');
$attempt('one character mistyped', "Bearer $typo", 'bad_checksum');
$attempt('no Authorization header', null, 'none');
$attempt('two credentials in one header', "Bearer $token, Bearer $token", 'multiple_credentials');
$service->revoke($issued->publicId());
$attempt('the token after revocation', "Bearer $token", 'revoked');
$say('');
$say('The exception messages never contain the token; reason() goes to your audit log.');
exit(0);
