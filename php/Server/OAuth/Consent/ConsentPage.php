<?php

declare(strict_types=1);

namespace McpGuard\Server\OAuth\Consent;

use McpGuard\Server\Http\Response;

/**
 * The consent page: plain server-rendered HTML, no script, no external asset,
 * one hashed inline stylesheet. It names the shop, the client (name, host,
 * id), where the code goes (host and URI), warns when the client can only
 * receive codes on the member's own computer, lists the tools each requested
 * scope unlocks with what they do, and posts Allow or Deny with the anti-CSRF
 * token and the request's parameters.
 *
 * Everything the client chose is escaped (htmlspecialchars, ENT_QUOTES |
 * ENT_SUBSTITUTE | ENT_HTML5) and, where shown as text, control and
 * invisible format characters (bidi overrides, zero-width) are replaced with
 * U+FFFD inside <bdi>, so a name cannot disguise itself or its neighbours.
 * Every response carries headers() (no framing, no other origin's script or
 * style, no caching, no referrer).
 */
final class ConsentPage
{
    /** The form field of the member's choice: DENY or ALLOW. */
    public const DECISION = 'decision';
    public const ALLOW = 'allow';
    public const DENY = 'deny';

    private const CLASS_LABEL = [ToolAccess::READ => 'Read', ToolAccess::WRITE => 'Write', ToolAccess::DESTRUCTIVE => 'Delete'];

    /** The consent page for a validated authorization request. */
    public function render(ConsentView $v): Response
    {
        $client = self::text($v->clientName);
        $hidden = '';
        foreach ($v->hiddenFields as $name => $value) {
            $hidden .= '<input type="hidden" name="' . self::attr($name) . '" value="' . self::attr($value) . "\">\n";
        }
        $hidden .= '<input type="hidden" name="' . CsrfTokens::FIELD . '" value="' . self::attr($v->csrfToken) . "\">\n";

        $body = '<header><h1><bdi class="untrusted">' . $client . '</bdi> wants to use your account at '
            . self::text($v->shopName) . '</h1>'
            . ($v->memberName !== '' ? '<p class="who">Signed in as ' . self::text($v->memberName) . '</p>' : '')
            . '</header>'
            . '<dl><dt>Application</dt><dd><bdi class="untrusted">' . $client . '</bdi>'
            . ($v->clientHost !== '' ? ' from <strong>' . self::text($v->clientHost) . '</strong>' : '') . '</dd>'
            . '<dt>Client ID</dt><dd><code>' . self::text($v->clientId) . '</code></dd>'
            . '<dt>Sends you back to</dt><dd><strong>' . self::text($v->redirectHost) . '</strong><br><code>'
            . self::text($v->redirectUri) . '</code></dd></dl>'
            . ($v->loopbackOnly ? self::loopbackWarning($v) : '')
            . '<h2>If you allow it, it can</h2>' . self::scopes($v->scopes);

        $page = '<main><div class="card"><p class="shop">' . self::text($v->shopName) . '</p>'
            . '<form method="post" action="' . self::attr($v->formAction) . "\">\n" . $hidden
            . '<div class="body">' . $body . '</div>'
            // Deny first: it is the form's default button (Enter), shown on the left.
            . '<div class="actions"><button type="submit" name="' . self::DECISION . '" value="' . self::DENY . '" class="deny">Deny</button>'
            . '<button type="submit" name="' . self::DECISION . '" value="' . self::ALLOW . '" class="allow">Allow</button></div>'
            . '</form></div><p class="fine">Only allow applications you trust. You can revoke access at any time.</p></main>';

        return new Response(200, self::headers($v->redirectOrigin), self::document('Allow ' . $v->clientName . '? – ' . $v->shopName, $page));
    }

    /** A plain message page (a refused or expired form, an error) with the same protections. */
    public function message(int $status, string $shopName, string $title, string $text): Response
    {
        $page = '<main><div class="card"><p class="shop">' . self::text($shopName) . '</p><div class="body"><h1>'
            . self::text($title) . '</h1><p>' . self::text($text) . '</p></div></div></main>';
        return new Response($status, self::headers(null), self::document($title . ' – ' . $shopName, $page));
    }

    /**
     * The response headers of every page here. `form-action` allows this
     * server and the redirect origin: browsers apply it to the redirect that
     * answers the post as well (Chromium refuses the redirect otherwise).
     *
     * @return array<string, string>
     */
    public static function headers(?string $redirectOrigin): array
    {
        return [
            'Content-Type' => 'text/html; charset=utf-8',
            'Content-Security-Policy' => "default-src 'none'; style-src '" . ConsentStyle::HASH . "'; form-action 'self'"
                . ($redirectOrigin !== null ? ' ' . $redirectOrigin : '') . "; frame-ancestors 'none'; base-uri 'none'",
            'X-Frame-Options' => 'DENY',
            'Cache-Control' => 'no-store',
            'Pragma' => 'no-cache',
            'Referrer-Policy' => 'no-referrer',
            'X-Content-Type-Options' => 'nosniff',
        ];
    }

    private static function loopbackWarning(ConsentView $v): string
    {
        return '<div class="warning" role="alert"><strong>This application runs on a computer, not on a website.</strong>'
            . 'Access goes to a program on the computer that opened this page (' . self::text($v->redirectHost) . '). '
            . 'Allow it only if you started this connection yourself, just now, from an application you installed.</div>';
    }

    /** @param list<ScopeAccess> $scopes */
    private static function scopes(array $scopes): string
    {
        if ($scopes === []) {
            return '<p class="none">Sign-in only: no tool of the shop is included.</p>';
        }
        $html = '<ul>';
        foreach ($scopes as $s) {
            $html .= '<li class="scope"><div class="scope-name"><bdi>' . self::text($s->scope) . '</bdi></div>'
                . ($s->description !== '' ? '<p>' . self::text($s->description) . '</p>' : '');
            if ($s->tools === []) {
                $html .= '<p>No tool: this scope adds nothing the application can do here.</p>';
            } else {
                $html .= '<ul class="tools">';
                foreach ($s->tools as $t) {
                    $html .= '<li><span class="class ' . $t->class . '">' . self::CLASS_LABEL[$t->class] . '</span><bdi>'
                        . self::text($t->name) . '</bdi></li>';
                }
                $html .= '</ul>';
            }
            $html .= '</li>';
        }
        return $html . '</ul>';
    }

    private static function document(string $title, string $main): string
    {
        return "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
            . '<meta name="viewport" content="width=device-width, initial-scale=1">'
            . '<meta name="referrer" content="no-referrer"><meta name="robots" content="noindex, nofollow">'
            . '<title>' . self::text($title) . '</title><style>' . ConsentStyle::CSS . "</style></head>\n<body>"
            . $main . "</body></html>\n";
    }

    /** Escaped for an attribute value, exactly (the value must post back unchanged). */
    private static function attr(string $s): string
    {
        return htmlspecialchars($s, ENT_QUOTES | ENT_SUBSTITUTE | ENT_HTML5, 'UTF-8');
    }

    /** Escaped for text, with control and invisible format characters made visible as U+FFFD. */
    private static function text(string $s): string
    {
        $escaped = htmlspecialchars($s, ENT_QUOTES | ENT_SUBSTITUTE | ENT_HTML5, 'UTF-8');
        return preg_replace('/[\p{Cc}\p{Cf}]/u', "\u{FFFD}", $escaped) ?? $escaped;
    }
}
