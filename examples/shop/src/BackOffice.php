<?php

declare(strict_types=1);

namespace McpGuard\Examples\Shop;

use McpGuard\Server\Console\CliServices;
use McpGuard\Server\Console\ConsoleApplication;
use McpGuard\Server\Http\Request;
use McpGuard\Server\Http\Response;
use McpGuard\Server\OAuth\Consent\ConsentPage;
use McpGuard\Server\OAuth\Consent\ConsentStyle;
use McpGuard\Server\OAuth\Consent\CsrfRefused;
use McpGuard\Server\OAuth\Consent\CsrfTokens;
use Symfony\Component\Console\Input\ArrayInput;

/**
 * The demo's back office at /admin: a stand-in for the shop's own admin
 * pages, behind the back-office sign-in (LoginPage on the `admins` table).
 * It shows the members and their roles, the API tokens (create: the token
 * is shown once on the answer page; revoke), the OAuth clients with their
 * grants (revoke), and the newest audit events with the chain's status.
 *
 * Every read and every change is a `bin/mcp-guard` command run in-process on
 * the same CliServices (ConsoleApplication), so the page does exactly what
 * the CLI does, audit events included, and holds no logic of its own. Plain
 * server-rendered HTML: every value escaped, each form with a single-use
 * CSRF token, the consent page's headers (CSP `default-src 'none'` with the
 * one hashed style, `frame-ancestors 'none'`, no-store).
 */
final class BackOffice
{
    public const SESSION_KEY = 'shop_admin';
    private const BAG = 'shop_admin_csrf';

    public function __construct(private readonly CliServices $services)
    {
    }

    public function handle(Request $request): Response
    {
        ShopMembers::startSession();
        if (!is_string($_SESSION[self::SESSION_KEY] ?? null)) {
            return new Response(303, ['Location' => '/admin/login?return=%2Fadmin', 'Cache-Control' => 'no-store']);
        }
        if ($request->method === 'GET') {
            return $this->page(200, '', null);
        }
        if ($request->method !== 'POST') {
            return new Response(405, ['Allow' => 'GET, POST', 'Content-Type' => 'text/plain'], "method not allowed\n");
        }
        parse_str($request->body, $in);
        $bag = is_array($_SESSION[self::BAG] ?? null) ? $_SESSION[self::BAG] : [];
        try {
            (new CsrfTokens())->verify($bag, $in[CsrfTokens::FIELD] ?? null);
        } catch (CsrfRefused) {
            $_SESSION[self::BAG] = $bag;
            return $this->page(400, 'The form expired; nothing was changed.', null);
        }
        $_SESSION[self::BAG] = $bag;
        $arg = static fn (string $k): string => is_string($in[$k] ?? null) ? $in[$k] : '';
        [$code, $out, $err] = match ($arg('action')) {
            'token_create' => $this->run(['command' => 'token:create', 'member' => $arg('member'), '--name' => 'back office']),
            'token_revoke' => $this->run(['command' => 'token:revoke', 'publicId' => $arg('id')]),
            'client_revoke' => $this->run(['command' => 'client:revoke', 'client' => $arg('client')]),
            default => [2, '', 'Unknown action.'],
        };
        if ($code !== 0) {
            return $this->page(400, trim($err) !== '' ? trim($err) : 'Refused.', null);
        }
        return $arg('action') === 'token_create'
            ? $this->page(200, trim($err), trim($out))
            : $this->page(200, trim($err), null);
    }

    /**
     * Runs one admin command in-process.
     *
     * @param array<string, string> $input
     * @return array{int, string, string} exit code, stdout, stderr
     */
    private function run(array $input): array
    {
        $app = new ConsoleApplication($this->services);
        $app->setAutoExit(false);
        $app->setCatchExceptions(true);
        $output = new CapturedOutput();
        $code = $app->run(new ArrayInput($input + ['--no-interaction' => true]), $output);
        return [$code, $output->fetch(), $output->getErrorOutput()->fetch()];
    }

    /** @return list<array<string, mixed>> */
    private function json(string $command, array $options = []): array
    {
        [$code, $out] = $this->run(['command' => $command, '--format' => 'json'] + $options);
        $rows = $code === 0 ? json_decode($out, true) : null;
        return is_array($rows) ? $rows : [];
    }

    private function page(int $status, string $notice, ?string $newToken): Response
    {
        $e = static fn (mixed $s): string => htmlspecialchars((string) $s, ENT_QUOTES | ENT_SUBSTITUTE | ENT_HTML5, 'UTF-8');
        $time = static fn (mixed $t): string => is_int($t) ? gmdate('Y-m-d H:i:s', $t) . 'Z' : '-';
        // One CSRF token for every form of this page: the first post spends it, and its answer page brings a new one.
        $bag = is_array($_SESSION[self::BAG] ?? null) ? $_SESSION[self::BAG] : [];
        $csrf = (new CsrfTokens())->issue($bag);
        $_SESSION[self::BAG] = $bag;
        $form = static function (string $action, array $fields, string $label, string $class = '') use ($csrf, $e): string {
            $h = '<form method="post" action="/admin"><input type="hidden" name="action" value="' . $e($action) . '">';
            foreach ($fields as $k => $v) {
                $h .= '<input type="hidden" name="' . $e($k) . '" value="' . $e($v) . '">';
            }
            $h .= '<input type="hidden" name="' . CsrfTokens::FIELD . '" value="' . $e($csrf) . '">';
            return $h . '<button type="submit"' . ($class !== '' ? ' class="' . $e($class) . '"' : '') . '>' . $e($label) . '</button></form>';
        };
        $members = $this->json('member:list');
        $tokens = $this->json('token:list');
        $clients = $this->json('client:list');
        $events = array_reverse($this->json('audit:tail', ['--lines' => '50']));
        [$verified, $verifyOut, $verifyErr] = $this->run(['command' => 'audit:verify']);
        $chain = trim($verifyOut . ' ' . $verifyErr);

        $h = '<h2>Members and roles</h2><dl id="members">';
        foreach ($members as $m) {
            $h .= '<dt>' . $e($m['id'] ?? '') . '</dt><dd>' . $e($m['role'] ?? '') . ' · ' . $e($m['name'] ?? '')
                . $form('token_create', ['member' => (string) ($m['id'] ?? '')], 'Create a token for ' . ($m['id'] ?? '')) . '</dd>';
        }
        $h .= '</dl><h2>API tokens</h2><ul id="tokens">';
        foreach ($tokens as $t) {
            $revoked = ($t['revoked_at'] ?? null) !== null;
            $h .= '<li class="scope" data-token="' . $e($t['public_id'] ?? '') . '"><span class="scope-name"><code>' . $e($t['public_id'] ?? '') . '</code> '
                . $e($t['member'] ?? '') . '</span><p>' . $e(implode(' ', (array) ($t['scopes'] ?? []))) . ' · ' . $e($t['name'] ?? '')
                . ' · created ' . $e($time($t['created_at'] ?? null)) . ($revoked ? ' · <strong>revoked</strong> ' . $e($time($t['revoked_at'])) : '') . '</p>'
                . ($revoked ? '' : $form('token_revoke', ['id' => (string) ($t['public_id'] ?? '')], 'Revoke')) . '</li>';
        }
        $h .= '</ul><h2>OAuth clients and grants</h2><ul id="clients">';
        if ($clients === []) {
            $h .= '<li class="none">No client has connected by OAuth yet.</li>';
        }
        foreach ($clients as $c) {
            $grants = (array) ($c['grants'] ?? []);
            $h .= '<li class="scope" data-client="' . $e($c['client_id'] ?? '') . '"><span class="scope-name untrusted">' . $e($c['client_id'] ?? '') . '</span><p>'
                . $e($c['kind'] ?? '') . ' · last used ' . $e($time($c['last_used_at'] ?? null)) . '</p><ul class="tools">';
            foreach ($grants as $g) {
                $h .= '<li>' . $e(is_array($g) ? ($g['member'] ?? '') . ': ' . implode(' ', (array) ($g['scopes'] ?? [])) : $g) . '</li>';
            }
            $h .= ($grants === [] ? '<li class="none">no grant</li>' : '') . '</ul>'
                . ($grants === [] ? '' : $form('client_revoke', ['client' => (string) ($c['client_id'] ?? '')], 'Revoke')) . '</li>';
        }
        $h .= '</ul><h2>Activity</h2><p id="chain" class="' . ($verified === 0 ? 'who' : 'warning') . '">Audit chain: ' . $e($chain) . '</p>'
            . '<dl id="activity">';
        foreach ($events as $ev) {
            $h .= '<dt>' . $e($time($ev['at'] ?? null)) . '</dt><dd class="' . $e(($ev['outcome'] ?? '') === 'denied' ? 'denied' : 'allowed') . '">'
                . $e($ev['type'] ?? '') . ' · ' . $e($ev['outcome'] ?? '') . ' · ' . $e($ev['principal'] ?? '-') . ' · ' . $e($ev['tool'] ?? '-') . '</dd>';
        }
        $h .= '</dl>';

        $top = ($notice !== '' ? '<div class="warning" role="status" id="notice">' . $e($notice) . '</div>' : '')
            . ($newToken !== null && $newToken !== '' ? '<div class="warning" id="new-token"><strong>The new token, shown once:</strong><code>' . $e($newToken) . '</code></div>' : '');
        $body = '<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">'
            . '<title>Back office · ' . $e(Shop::NAME) . '</title><style>' . ConsentStyle::CSS . '</style></head><body><main><div class="card">'
            . '<p class="shop">' . $e(Shop::NAME) . ' · back office</p><div class="body"><h1>MCP access</h1>' . $top . $h . '</div></div></main></body></html>';
        return new Response($status, ConsentPage::headers(null), $body);
    }
}
