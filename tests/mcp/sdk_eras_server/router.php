<?php

declare(strict_types=1);

/*
 * The MCP endpoint of tests/mcp/sdk_eras.sh: php -S routes every request
 * here. McpGuard\Server\Mcp\Endpoint with three policy tools (one per
 * class) and one that always throws; no authentication: every request is the
 * fixed caller below, who may call what the policy shows for its scopes.
 */

require dirname(__DIR__, 3) . '/php/autoload.php';

use McpGuard\Server\Http\Request;
use McpGuard\Server\Mcp\Caller;
use McpGuard\Server\Mcp\Endpoint;
use McpGuard\Server\Mcp\ToolRegistry;

$policy = new McpGuard\Policy([
    'version' => 1,
    'writes_enabled' => true,
    'tools' => [
        'products.search' => ['class' => 'read', 'scopes' => ['read'], 'fields' => ['query' => ['type' => 'string', 'max_length' => 100]]],
        'products.update' => ['class' => 'write', 'scopes' => ['products:write'], 'fields' => ['id' => ['type' => 'integer'], 'name' => ['type' => 'string']]],
        'orders.cancel' => ['class' => 'destructive', 'scopes' => ['products:write'], 'enabled' => true, 'fields' => ['id' => ['type' => 'integer']]],
        'reports.broken' => ['class' => 'read', 'scopes' => ['read'], 'fields' => []],
        'admin.secret' => ['class' => 'write', 'scopes' => ['write'], 'fields' => ['id' => ['type' => 'integer']]],
    ],
]);
$tools = (new ToolRegistry($policy))
    ->bind('products.search', static fn (array $a): array => ['products' => [['id' => 7, 'name' => 'Mug', 'query' => $a['query'] ?? '']]],
        'Search the catalogue.', ['type' => 'object', 'properties' => ['query' => ['type' => 'string']]], 'Search products')
    ->bind('products.update', static fn (array $a): string => 'updated ' . ($a['id'] ?? 0), 'Update a product.')
    ->bind('orders.cancel', static fn (array $a): string => 'cancelled', 'Cancel an order.')
    ->bind('reports.broken', static function (): array {
        throw new RuntimeException('SECRET-DSN mysql://root:hunter2@db');
    }, 'Always fails.')
    ->bind('admin.secret', static fn (): string => 'nope', 'Not visible to the caller.');
$scopes = ['discover', 'read', 'products:write'];
$caller = new Caller('alice', 'editor', $scopes, $policy->visibleTools($scopes), 'tok1', 'sdk-test');

$endpoint = new Endpoint($tools, serverName: 'mcp_guard test', serverVersion: '0.0.1', ttlMs: 5000);
$in = $endpoint->read(Request::fromGlobals());
if ($in instanceof McpGuard\Server\Http\Response) {
    $in->send();
    return true;
}
$answers = [];
foreach ($in->messages as $m) {
    // The pipeline's place (issue 12 folds it in): here only the policy's tool check.
    $refused = $m->method === 'tools/call' && !$policy->authorize($scopes, (string) $m->toolName, $m->arguments)->allowed();
    $answers[] = $refused ? $endpoint->error($m, -32602, 'Unknown tool.') : $endpoint->answer($m, $caller);
}
$endpoint->respond($in, $answers)->send();
return true;
