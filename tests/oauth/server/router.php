<?php

declare(strict_types=1);

/*
 * The shop side of the OAuth HTTP tests (OAuthHttpTest, tests/oauth/mcp_sdk.sh):
 * a `php -S` router serving the real OAuthServer endpoints, the real guarded
 * MCP endpoint at /mcp (McpGuard\Server\Guard\Pipeline with three small
 * tools), and a test-only sign-in at /test/login that sets the cookie the
 * test MemberDirectory reads. Everything comes from the JSON file
 * named by MCPG_OAUTH_CONFIG:
 *   origin, db {driver: sqlite, path | driver: mysql, dsn, user, password}, prefix,
 *   members, documents, events (files), accessTokenTtl, refreshGrace, rateLimits.
 * Every token-endpoint answer is logged to the events file as "token <grant> <status>".
 */

$root = dirname(__DIR__, 3);
require $root . '/php/autoload.php';
require $root . '/tests/php/Support/OAuth/TestMembers.php';
require $root . '/tests/php/Support/OAuth/FixtureFetcher.php';

use McpGuard\Policy;
use McpGuard\Server\Guard\Auth\OAuthTokenSource;
use McpGuard\Server\Guard\Pipeline;
use McpGuard\Server\Guard\PipelineConfig;
use McpGuard\Server\Mcp\Endpoint;
use McpGuard\Server\Mcp\ToolRegistry;
use McpGuard\Server\Http\Request;
use McpGuard\Server\Http\Response;
use McpGuard\Server\OAuth\Consent\NativeSession;
use McpGuard\Server\OAuth\OAuthConfig;
use McpGuard\Server\OAuth\OAuthServer;
use McpGuard\Server\OAuth\OAuthStores;
use McpGuard\Server\OAuth\Pdo\PdoDatabase;
use McpGuard\Tests\Support\OAuth\FixtureFetcher;
use McpGuard\Tests\Support\OAuth\TestMembers;

$c = json_decode((string) file_get_contents((string) getenv('MCPG_OAUTH_CONFIG')), true, 16, JSON_THROW_ON_ERROR);
$pdo = $c['db']['driver'] === 'sqlite'
    ? PdoDatabase::sqlite($c['db']['path'])
    : new PDO($c['db']['dsn'], $c['db']['user'] ?: null, $c['db']['password'] ?: null);
$manifest = ['version' => 1, 'writes_enabled' => true, 'tools' => [
    'shop.info' => ['class' => 'read', 'scopes' => ['discover']],
    'products.search' => ['class' => 'read', 'scopes' => ['read'], 'fields' => ['query' => ['type' => 'string', 'max_length' => 100]]],
    'products.update' => ['class' => 'write', 'scopes' => ['write'], 'fields' => ['id' => ['type' => 'integer']]],
]];
$policy = new Policy($manifest);
$config = new OAuthConfig(
    issuer: $c['origin'],
    resource: $c['origin'] . '/mcp',
    scopes: ['discover', 'read', 'write'],
    shopName: 'Demo Shop',
    resourceName: 'Demo Shop MCP',
    policy: $policy,
    accessTokenTtl: (int) ($c['accessTokenTtl'] ?? 3600),
    refreshGrace: (int) ($c['refreshGrace'] ?? 30),
    rateLimits: $c['rateLimits'] ?? [],
    dangerousAllowHttpLoopback: true, // php -S on 127.0.0.1: local testing only
);
$members = new TestMembers($c['members']);
$server = new OAuthServer($config, OAuthStores::pdo(new PdoDatabase($pdo, $c['prefix'] ?? PdoDatabase::DEFAULT_PREFIX)),
    $members, new NativeSession(), new FixtureFetcher($c['documents']));
$request = Request::fromGlobals();
$events = (string) $c['events'];

if ($request->path === '/test/login') {
    parse_str($request->query, $q);
    $return = is_string($q['return'] ?? null) && str_starts_with($q['return'], '/') && !str_starts_with($q['return'], '//') ? $q['return'] : '/';
    $member = is_string($q['member'] ?? null) ? $q['member'] : '';
    (new Response(302, ['Location' => $return, 'Set-Cookie' => TestMembers::COOKIE . '=' . rawurlencode($member) . '; Path=/; HttpOnly; SameSite=Lax']))->send();
    return true;
}
if ($request->path === '/mcp') {
    $stores = OAuthStores::pdo(new PdoDatabase($pdo, $c['prefix'] ?? PdoDatabase::DEFAULT_PREFIX));
    $guard = new PipelineConfig(
        resource: $c['origin'] . '/mcp',
        resourceMetadata: $c['origin'] . '/.well-known/oauth-protected-resource/mcp',
        guardName: 'oauth-tests@' . hash('sha256', json_encode($manifest)),
        guard: static fn (): array => ['manifest' => $manifest],
        dangerousAllowHttpLoopback: true, // php -S on 127.0.0.1: local testing only
    );
    $tools = (new ToolRegistry($policy))
        ->bind('shop.info', static fn (): array => ['name' => 'Demo Shop'], 'The shop.')
        ->bind('products.search', static fn (array $a): array => ['products' => [['id' => 1, 'name' => 'Mug']], 'query' => $a['query'] ?? ''],
            'Finds products.', ['type' => 'object', 'properties' => ['query' => ['type' => 'string', 'maxLength' => 100]]])
        ->bind('products.update', static fn (array $a): array => ['updated' => $a['id'] ?? null], 'Changes a product.',
            ['type' => 'object', 'properties' => ['id' => ['type' => 'integer']]]);
    $response = (new Pipeline($guard, new Endpoint($tools, serverName: 'demo-shop'), $members, [new OAuthTokenSource($stores->accessTokens)]))
        ->handle($request);
    file_put_contents($events, "mcp {$response->status}\n", FILE_APPEND | LOCK_EX);
    $response->send();
    return true;
}
$response = $server->handle($request);
if ($response === null) {
    (new Response(404, ['Content-Type' => 'text/plain'], "not found\n"))->send();
    return true;
}
if ($request->path === $config->paths['token']) {
    parse_str($request->body, $form);
    file_put_contents($events, 'token ' . (is_string($form['grant_type'] ?? null) ? $form['grant_type'] : '-') . " {$response->status}\n", FILE_APPEND | LOCK_EX);
}
$response->send();
return true;
