<?php

declare(strict_types=1);

/*
 * The other origin of tests/oauth/browser.sh (a `php -S` router on another
 * port): the client's redirect target, a page that frames the consent page,
 * and forged cross-origin posts to the consent form.
 */

$shop = (string) getenv('MCPG_SHOP_ORIGIN');
$path = parse_url($_SERVER['REQUEST_URI'] ?? '/', PHP_URL_PATH);
parse_str($_SERVER['QUERY_STRING'] ?? '', $q);
$e = static fn (string $s): string => htmlspecialchars($s, ENT_QUOTES | ENT_SUBSTITUTE | ENT_HTML5, 'UTF-8');
header('Content-Type: text/html; charset=utf-8');

if ($path === '/callback') {
    echo '<!DOCTYPE html><title>callback</title><h1 id="callback">callback</h1><pre id="query">', $e($_SERVER['QUERY_STRING'] ?? ''), '</pre>';
} elseif ($path === '/frame') {
    echo '<!DOCTYPE html><title>framing</title><h1>a page that frames the consent page</h1>',
        '<iframe id="consent" width="600" height="600" src="', $e("{$shop}/authorize?scenario=claude&state=framed"), '"></iframe>';
} elseif ($path === '/forge') {
    // A cross-origin form posting an "allow" with no token, or with the token given in ?token=.
    $token = is_string($q['token'] ?? null) ? '<input type="hidden" name="csrf_token" value="' . $e($q['token']) . '">' : '';
    echo '<!DOCTYPE html><title>forged</title><form id="forged" method="post" action="', $e("{$shop}/authorize"), '">',
        '<input type="hidden" name="state" value="forged"><input type="hidden" name="decision" value="allow">', $token,
        '<button id="go" type="submit">go</button></form>';
} else {
    http_response_code(404);
    echo 'not found';
}
