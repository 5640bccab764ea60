<?php

declare(strict_types=1);

/*
 * The demo shop's front controller, served by `php -S 127.0.0.1:8080
 * public/router.php` with PHP_CLI_SERVER_WORKERS (scripts/demo.sh). Routes:
 *
 *   /mcp                 the MCP endpoint, guarded by McpGuard\Server\Guard\Pipeline
 *   /.well-known/…, /oauth/…  mcp_guard's OAuth server (metadata, registration,
 *                        authorization + consent page, token, revocation)
 *   /login               the shop's sign-in (LoginPage), where the consent page sends a member
 *   /admin, /admin/login the back office (BackOffice): members, tokens, OAuth clients, activity
 *   /                    a short text page saying what is here
 *
 * Everything is read from the data directory (MCP_GUARD_SHOP_DATA, see
 * Shop): the same mcp-guard.php that `bin/mcp-guard --config` reads, and the
 * live policy.json. The public origin is MCP_GUARD_SHOP_ORIGIN.
 */

require dirname(__DIR__) . '/bootstrap.php';

use McpGuard\Confirmations;
use McpGuard\Examples\Shop\BackOffice;
use McpGuard\Examples\Shop\Catalog;
use McpGuard\Examples\Shop\LoginPage;
use McpGuard\Examples\Shop\Shop;
use McpGuard\Examples\Shop\ShopMembers;
use McpGuard\Policy;
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

// Sessions (sign-in and consent pages only): files in the data directory,
// strict ids, a cookie no script can read that is not sent cross-site.
$shop = Shop::fromEnvironment();
ini_set('session.save_path', $shop->dir . '/sessions');
ini_set('session.use_strict_mode', '1');
ini_set('session.use_only_cookies', '1');
ini_set('session.cookie_httponly', '1');
ini_set('session.cookie_samesite', 'Lax');
session_name('shop_session');

$origin = rtrim((string) (getenv('MCP_GUARD_SHOP_ORIGIN') ?: 'http://127.0.0.1:8080'), '/');
$resource = $origin . '/mcp';
$metadata = $origin . '/.well-known/oauth-protected-resource/mcp';
$services = $shop->services();
$db = $services->database();
$manifest = $shop->manifest();
$tokenPrefix = $services->config->tokenPrefix ?? 'mcp';
$config = new PipelineConfig(
    resource: $resource,
    resourceMetadata: $metadata,
    // The compiled guard is cached per worker under this name: a new manifest (writes on, a tool enabled) gets a new one.
    guardName: 'demo-shop@' . hash('sha256', $shop->manifestText() . "\n" . $origin . "\n" . $tokenPrefix),
    guard: static fn (): array => [
        'manifest' => $manifest,
        'rates' => $services->config->rateLimits ?? [], // none configured: the secure defaults
        'tokenPrefixes' => [$tokenPrefix, 'mcpat'], // the shop's API tokens (shop_…) and OAuth access tokens (mcpat_…)
    ],
    // Plain HTTP is refused except on a loopback address: the demo listens on 127.0.0.1 only.
    dangerousAllowHttpLoopback: true,
);
$members = new ShopMembers($services->members());
$audit = new PdoAuditSink($db, $services->auditChain());

$request = Request::fromGlobals();
if ($request->path === '/mcp') {
    $pipeline = new Pipeline(
        $config,
        new Endpoint((new Catalog($db))->tools($config->compiled()->policy()), serverName: 'demo-shop', serverVersion: '1.0.0'),
        $members,
        [new ApiTokenSource($services->tokenStore(), $tokenPrefix), new OAuthTokenSource($services->oauth()->accessTokens)],
        confirmer: new Confirmer(new Confirmations($shop->confirmationKey(), 300), new PdoConfirmationStore($db)),
        audit: $audit,
    );
    $pipeline->handle($request)->send();
    return true;
}
if ($request->path === '/login') {
    (new LoginPage($db, new McpGuard\RateLimiter([LoginPage::RATE => ['limit' => 10, 'period' => 60]])))->handle($request)->send();
    return true;
}
if ($request->path === '/admin/login') {
    (new LoginPage($db, new McpGuard\RateLimiter([LoginPage::RATE => ['limit' => 10, 'period' => 60]]), '/admin/login',
        ShopMembers::ADMINS, BackOffice::SESSION_KEY, 'Back office sign-in'))->handle($request)->send();
    return true;
}
if ($request->path === '/admin') {
    require_once '/usr/share/php/Symfony/Component/Console/autoload.php'; // the admin commands run in-process (Debian's php-symfony-console)
    (new BackOffice($services))->handle($request)->send();
    return true;
}
if ($request->path === '/') {
    (new Response(200, ['Content-Type' => 'text/plain; charset=utf-8'], Shop::NAME . ", an mcp_guard demo.\n"
        . "MCP endpoint: {$resource} (API token or OAuth)\n"))->send();
    return true;
}
$oauth = new OAuthServer(new OAuthConfig(
    issuer: $origin,
    resource: $resource,
    scopes: ['discover', 'read', 'write'],
    shopName: Shop::NAME,
    resourceName: Shop::NAME . ' MCP',
    policy: new Policy($manifest),
    dangerousAllowHttpLoopback: true, // the demo is served on 127.0.0.1 over plain HTTP
), $services->oauth(), $members, new NativeSession(), audit: $audit);
($oauth->handle($request) ?? new Response(404, ['Content-Type' => 'text/plain'], "not found\n"))->send();
return true;
