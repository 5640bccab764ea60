<?php

declare(strict_types=1);

/*
 * The whole guarded endpoint in process: McpGuard\Server\Guard\Pipeline::handle()
 * for one MCP `tools/call` of products.update with 10 typed fields, from the
 * Request value to the Response (origin, transport, credential and its row,
 * the JSON-RPC envelope, the one native decision, the handler — a no-op — and
 * the JSON answer), with an in-memory token source and no audit sink (an
 * audit append is a database write: benches/php/audit.php). Beside it, the
 * guard alone (benches/php/guard.php's mcp_guard side) and the pure-PHP guard
 * of the same work, same run.
 */

if (!extension_loaded('mcp_guard')) {
    fwrite(STDERR, "run through scripts/php.sh (mcp_guard not loaded)\n");
    exit(2);
}
require dirname(__DIR__, 2) . '/php/autoload.php';
require __DIR__ . '/lib/guard_sides.php';

use McpGuard\Server\Guard\Auth\TokenRow;
use McpGuard\Server\Guard\Auth\TokenSource;
use McpGuard\Server\Guard\Pipeline;
use McpGuard\Server\Guard\PipelineConfig;
use McpGuard\Server\Http\Request;
use McpGuard\Server\Mcp\Endpoint;
use McpGuard\Server\Mcp\ToolRegistry;
use McpGuard\Server\Member\MemberRoles;

$issued = (new McpGuard\Tokens())->issue(3600);
$row = new TokenRow($issued->publicId(), $issued->hash(), 'alice', ['discover', 'read', 'write'], $issued->expiresAt(), null, null, '', 'api_token');
$source = new class ($row) implements TokenSource {
    public function __construct(private readonly TokenRow $row)
    {
    }

    public function prefix(): string
    {
        return 'mcp';
    }

    public function find(string $publicId): ?TokenRow
    {
        return $publicId === $this->row->publicId ? $this->row : null;
    }
};
$members = new class () implements MemberRoles {
    public function role(string $memberId): ?string
    {
        return $memberId === 'alice' ? 'editor' : null;
    }
};
$config = new PipelineConfig('https://shop.example/mcp', 'https://shop.example/.well-known/oauth-protected-resource/mcp', 'bench',
    mcpg_bench_guard_config(...));
$body = json_encode(['jsonrpc' => '2.0', 'id' => 1, 'method' => 'tools/call',
    'params' => ['name' => 'products.update', 'arguments' => mcpg_bench_arguments()]]);
$request = new Request('POST', '/mcp', '', ['host' => 'shop.example', 'content-type' => 'application/json',
    'authorization' => 'Bearer ' . $issued->plaintext()], $body, [], '192.0.2.1', true);
$handle = static function () use ($config, $source, $members, $request): int {
    // As a request builds it: the registry, the endpoint and the pipeline.
    $tools = (new ToolRegistry($config->compiled()->policy()))->bind('products.update', static fn (array $a): array => ['ok' => true], 'Update.');
    return (new Pipeline($config, new Endpoint($tools), $members, [$source]))->handle($request)->status;
};
if ($handle() !== 200) {
    fwrite(STDERR, "the pipeline refused the benchmark request\n");
    exit(1);
}
$header = 'Bearer ' . $issued->plaintext();
$rows = [$issued->publicId() => ['hash' => $issued->hash(), 'expires_at' => $issued->expiresAt(), 'revoked_at' => null,
    'member' => 'alice', 'scopes' => ['discover', 'read', 'write']]];
$args = mcpg_bench_arguments();


mcpg_bench_time('Pipeline::handle(): one tools/call, Request to Response', 20_000, $handle);
mcpg_bench_time('the guard alone (Guard::named + publicId + check)', 100_000, static fn () => mcpg_bench_ours($header, $rows, ['alice' => 'editor'], $args));
if (extension_loaded('apcu') && ini_get('apc.enable_cli')) {
    require '/usr/share/php/Symfony/Component/RateLimiter/autoload.php';
    require '/usr/share/php/Symfony/Component/Cache/autoload.php';
    $factory = mcpg_bench_symfony_factory();
    mcpg_bench_time('pure-PHP guard of the same checks (Symfony RateLimiter/APCu)', 20_000,
        static fn () => mcpg_bench_php($header, $rows, ['alice' => 'editor'], ['editor' => ['discover', 'read', 'write']], $args, $factory));
}
