<?php

declare(strict_types=1);

/*
 * The shop side of the guarded-endpoint HTTP tests (PipelineHttpTest, the
 * php-fpm and Python SDK scripts): a small catalogue in SQLite behind the
 * real pipeline at /mcp, the real OAuth server around it, and a test-only
 * sign-in at /test/login (a cookie the test members directory reads).
 * Served by `php -S` (with workers) or php-fpm; everything comes from the
 * JSON file named by MCPG_SHOP_CONFIG, read on every request:
 *   origin, cli (the `bin/mcp-guard` configuration file: database, prefix,
 *   audit key), writesEnabled, rates, allowedOrigins,
 *   dangerousAllowHttpLoopback, confirmationKey, replayConfirmations.
 * The guard is named after a digest of that file, so a test that rewrites it
 * gets a freshly compiled guard in every worker.
 */

$root = dirname(__DIR__, 3);
require $root . '/php/autoload.php';
require __DIR__ . '/ShopMembers.php';
require __DIR__ . '/Catalogue.php';

use McpGuard\Confirmations;
use McpGuard\Server\Audit\PdoAuditSink;
use McpGuard\Server\Guard\Auth\ApiTokenSource;
use McpGuard\Server\Guard\Auth\OAuthTokenSource;
use McpGuard\Server\Guard\Confirmation\Confirmer;
use McpGuard\Server\Guard\Confirmation\PdoConfirmationStore;
use McpGuard\Server\Guard\Pipeline;
use McpGuard\Server\Guard\PipelineConfig;
use McpGuard\Server\Http\Request;
use McpGuard\Server\Http\Response;
use McpGuard\Server\Mcp\Endpoint;
use McpGuard\Server\OAuth\Consent\NativeSession;
use McpGuard\Server\OAuth\OAuthConfig;
use McpGuard\Server\OAuth\OAuthServer;
use McpGuard\Server\Console\CliConfig;
use McpGuard\Server\Console\CliServices;
use McpGuard\Tests\Mcp\Catalogue;
use McpGuard\Tests\Mcp\ShopMembers;

$configFile = (string) getenv('MCPG_SHOP_CONFIG');
$text = (string) file_get_contents($configFile);
$c = json_decode($text, true, 16, JSON_THROW_ON_ERROR);
// The stores come from the same configuration file as `bin/mcp-guard --config`.
$services = new CliServices(CliConfig::load($c['cli']));
$db = $services->database();
$origin = $c['origin'];
$resource = $origin . '/mcp';
$metadata = $origin . '/.well-known/oauth-protected-resource/mcp';
$manifest = Catalogue::manifest((bool) $c['writesEnabled']);
$pipelineConfig = new PipelineConfig(
    resource: $resource,
    resourceMetadata: $metadata,
    guardName: 'test-shop@' . hash('sha256', $text),
    guard: static fn (): array => [
        'manifest' => $manifest,
        'rates' => $c['rates'] ?? [],
    ],
    allowedOrigins: $c['allowedOrigins'] ?? [],
    dangerousAllowHttpLoopback: (bool) ($c['dangerousAllowHttpLoopback'] ?? false),
);
$members = new ShopMembers($services->members());
$oauth = new OAuthServer(new OAuthConfig(
    issuer: $origin,
    resource: $resource,
    scopes: ['discover', 'read', 'write'],
    shopName: 'Test Shop',
    resourceName: 'Test Shop MCP',
    policy: new McpGuard\Policy($manifest),
    dangerousAllowHttpLoopback: true, // php -S / php-fpm on 127.0.0.1: local testing only
), $services->oauth(), $members, new NativeSession(), audit: new PdoAuditSink($db, $services->auditChain()));

$request = Request::fromGlobals();
if ($request->path === '/test/pid') { // which worker answered (the php-fpm tests)
    (new Response(204, ['X-Worker' => (string) getmypid()]))->send();
    return true;
}
if ($request->path === '/test/login') {
    parse_str($request->query, $q);
    $return = is_string($q['return'] ?? null) && str_starts_with($q['return'], '/') && !str_starts_with($q['return'], '//') ? $q['return'] : '/';
    (new Response(302, ['Location' => $return, 'Set-Cookie' => ShopMembers::COOKIE . '=' . rawurlencode((string) ($q['member'] ?? ''))
        . '; Path=/; HttpOnly; SameSite=Lax']))->send();
    return true;
}
if ($request->path === '/mcp') {
    $catalogue = new Catalogue($db);
    $pipeline = new Pipeline(
        $pipelineConfig,
        new Endpoint($catalogue->tools($pipelineConfig->compiled()->policy()), serverName: 'test-shop', serverVersion: '1.0.0'),
        $members,
        [new ApiTokenSource($services->tokenStore()), new OAuthTokenSource($services->oauth()->accessTokens)],
        confirmer: new Confirmer(new Confirmations($c['confirmationKey'], 300), new PdoConfirmationStore($db),
            (bool) ($c['replayConfirmations'] ?? false)),
        audit: new PdoAuditSink($db, $services->auditChain()),
    );
    $pipeline->handle($request)->send();
    return true;
}
$response = $oauth->handle($request) ?? new Response(404, ['Content-Type' => 'text/plain'], "not found\n");
$response->send();
return true;
