<?php

declare(strict_types=1);

/*
 * The shop side of tests/oauth/browser.sh, a `php -S` router: GET /authorize
 * renders the consent page for a scenario, POST /authorize checks the
 * anti-CSRF token and the decision, records it in $MCPG_EVENTS, and redirects
 * to the client's callback like an authorization endpoint would. It is a test
 * double of the endpoint (the real one validates the request through the
 * extension first); the page, the headers and the CSRF check are the real glue.
 */

require dirname(__DIR__, 3) . '/php/autoload.php';

use McpGuard\Server\Http\Request;
use McpGuard\Server\Http\Response;
use McpGuard\Server\OAuth\Consent\ConsentPage;
use McpGuard\Server\OAuth\Consent\ConsentView;
use McpGuard\Server\OAuth\Consent\CsrfRefused;
use McpGuard\Server\OAuth\Consent\CsrfTokens;
use McpGuard\Server\OAuth\Consent\ScopeAccess;
use McpGuard\Server\OAuth\Consent\ToolAccess;

$client = (string) getenv('MCPG_CLIENT_ORIGIN'); // http://127.0.0.1:<port> of client.php
$events = (string) getenv('MCPG_EVENTS');
$request = Request::fromGlobals();
$page = new ConsentPage();
$csrf = new CsrfTokens();
const SHOP = 'Demo Shop';

if ($request->path !== '/authorize') {
    (new Response(404, ['Content-Type' => 'text/plain'], "not found\n"))->send();
    return true;
}
session_start();
$_SESSION['mcp_guard_csrf'] ??= [];

if ($request->method === 'GET') {
    parse_str($request->query, $q);
    $scenario = is_string($q['scenario'] ?? null) ? $q['scenario'] : 'claude';
    $params = ['response_type' => 'code', 'client_id' => 'https://claude.ai/oauth/mcp-client.json',
        'redirect_uri' => "{$client}/callback", 'state' => is_string($q['state'] ?? null) ? $q['state'] : 'state-1',
        'code_challenge' => 'E9Melhoa2OwvFrEMTJguCQaoWlYLUg7JKHZiUOjf7Gw', 'code_challenge_method' => 'S256',
        'scope' => 'catalog.read orders.read orders.write', 'resource' => 'https://shop.example/mcp'];
    $scopes = [
        new ScopeAccess('catalog.read', [new ToolAccess('search_products', ToolAccess::READ), new ToolAccess('get_product', ToolAccess::READ)], 'See the catalogue'),
        new ScopeAccess('orders.read', [new ToolAccess('list_orders', ToolAccess::READ)], 'See orders and their customers'),
        new ScopeAccess('orders.write', [new ToolAccess('update_order_status', ToolAccess::WRITE), new ToolAccess('cancel_order', ToolAccess::DESTRUCTIVE)], 'Change orders'),
    ];
    [$name, $clientId, $clientHost, $loopback, $member] = ['Claude', $params['client_id'], 'claude.ai', false, 'Alice Martin'];
    if ($scenario === 'hostile') {
        $name = "<img src=x onerror=alert(1)>\u{202E}gnp.exe";
        $clientId = 'https://evil.example/"><script>alert(2)</script>';
        $clientHost = 'evil.example';
        $loopback = true;
        $params['client_id'] = $clientId;
        $scopes[] = new ScopeAccess('<b>admin</b>', [new ToolAccess('<script>alert(3)</script>', ToolAccess::DESTRUCTIVE)]);
    } elseif ($scenario === 'claude-code') {
        // The screenshot (docs/images/consent.png): fixed values, so the picture does not change from run to run.
        [$name, $clientId, $clientHost, $loopback] = ['Claude Code', 'https://claude.ai/oauth/claude-code-client-metadata', 'claude.ai', true];
        $params['client_id'] = $clientId;
        $params['redirect_uri'] = 'http://127.0.0.1:33418/callback';
    }
    $view = new ConsentView(SHOP, $name, $clientId, $clientHost, $params['redirect_uri'], '127.0.0.1', $client, $loopback,
        $scopes, '/authorize', $csrf->issue($_SESSION['mcp_guard_csrf']), $params, $member);
    $page->render($view)->send();
    return true;
}

if ($request->method === 'POST') {
    parse_str($request->body, $form);
    try {
        $csrf->verify($_SESSION['mcp_guard_csrf'], $form[CsrfTokens::FIELD] ?? null);
    } catch (CsrfRefused $e) {
        file_put_contents($events, 'refused ' . $e->getPrevious()?->reason() . "\n", FILE_APPEND);
        $page->message(403, SHOP, 'This form has expired', 'Nothing was changed. Go back to the application and connect again.')->send();
        return true;
    }
    $state = is_string($form['state'] ?? null) ? $form['state'] : '';
    $allow = ($form[ConsentPage::DECISION] ?? '') === ConsentPage::ALLOW;
    file_put_contents($events, ($allow ? 'approved ' : 'denied ') . $state . "\n", FILE_APPEND);
    $query = $allow ? ['code' => 'test-code', 'state' => $state] : ['error' => 'access_denied', 'state' => $state];
    $query['iss'] = 'https://shop.example';
    (new Response(302, ConsentPage::headers($client) + ['Location' => "{$client}/callback?" . http_build_query($query)]))->send();
    return true;
}

$page->message(405, SHOP, 'Not allowed', 'This page only answers GET and POST.')->send();
return true;
