<?php

declare(strict_types=1);

namespace McpGuard\Tests\Server\OAuth;

use McpGuard\Exception\InvalidArgumentException;
use McpGuard\Server\OAuth\Consent\ConsentPage;
use McpGuard\Server\OAuth\Consent\ConsentStyle;
use McpGuard\Server\OAuth\Consent\ConsentView;
use McpGuard\Server\OAuth\Consent\ScopeAccess;
use McpGuard\Server\OAuth\Consent\ToolAccess;
use PHPUnit\Framework\TestCase;

/** The consent page's HTML and headers (tests/oauth/browser.sh checks it in Chromium). */
final class ConsentPageTest extends TestCase
{
    private const HOSTILE = "<img src=x onerror=alert(1)>\"'&\u{202E}\u{200B}\xff";

    /** @param array<string, mixed> $over */
    private static function view(array $over = []): ConsentView
    {
        $args = array_merge([
            'shopName' => 'Demo Shop', 'clientName' => 'Claude', 'clientId' => 'https://claude.ai/c.json',
            'clientHost' => 'claude.ai', 'redirectUri' => 'https://claude.ai/cb', 'redirectHost' => 'claude.ai',
            'redirectOrigin' => 'https://claude.ai', 'loopbackOnly' => false,
            'scopes' => [new ScopeAccess('orders.read', [new ToolAccess('list_orders', ToolAccess::READ)])],
            'formAction' => '/oauth/authorize', 'csrfToken' => 'csrf_token_value',
            'hiddenFields' => ['state' => 'xyz', 'client_id' => 'https://claude.ai/c.json'], 'memberName' => 'Alice',
        ], $over);
        return new ConsentView(...$args);
    }

    public function testEverySecurityHeader(): void
    {
        $r = (new ConsentPage())->render(self::view());
        self::assertSame(200, $r->status);
        self::assertSame(
            "default-src 'none'; style-src '" . ConsentStyle::HASH . "'; form-action 'self' https://claude.ai; frame-ancestors 'none'; base-uri 'none'",
            $r->header('content-security-policy'),
        );
        self::assertSame('DENY', $r->header('X-Frame-Options'));
        self::assertSame('no-store', $r->header('Cache-Control'));
        self::assertSame('no-referrer', $r->header('Referrer-Policy'));
        self::assertSame('nosniff', $r->header('X-Content-Type-Options'));
        self::assertSame('text/html; charset=utf-8', $r->header('Content-Type'));
        $m = (new ConsentPage())->message(403, 'Demo Shop', 'Refused', 'No.');
        self::assertSame(403, $m->status);
        self::assertStringContainsString("form-action 'self'; frame-ancestors 'none'", (string) $m->header('Content-Security-Policy'));
    }

    public function testTheStyleHashAllowsExactlyTheInlineStylesheet(): void
    {
        self::assertSame('sha256-' . base64_encode(hash('sha256', ConsentStyle::CSS, true)), ConsentStyle::HASH);
        $body = (new ConsentPage())->render(self::view())->body;
        self::assertSame(1, substr_count($body, '<style>' . ConsentStyle::CSS . '</style>'));
        self::assertStringNotContainsString(' style=', $body, 'no style attribute (the hash does not allow them)');
        self::assertStringNotContainsString('<script', $body);
        self::assertDoesNotMatchRegularExpression('/(src|href)=/', $body, 'no external asset');
    }

    public function testEverythingFromTheClientIsEscaped(): void
    {
        $body = (new ConsentPage())->render(self::view([
            'clientName' => self::HOSTILE, 'clientId' => self::HOSTILE, 'clientHost' => self::HOSTILE,
            'redirectUri' => self::HOSTILE, 'redirectHost' => self::HOSTILE, 'memberName' => self::HOSTILE,
            'scopes' => [new ScopeAccess(self::HOSTILE, [new ToolAccess(self::HOSTILE, ToolAccess::DESTRUCTIVE)], self::HOSTILE)],
            'hiddenFields' => ['state' => self::HOSTILE], 'csrfToken' => self::HOSTILE,
        ]))->body;
        self::assertStringNotContainsString('<img', $body);
        self::assertSame(1, preg_match('//u', $body), 'valid UTF-8 (invalid bytes substituted)');
        self::assertStringContainsString('&lt;img src=x onerror=alert(1)&gt;&quot;&apos;&amp;', $body);
        // Attribute values are escaped for quotes but otherwise unchanged.
        self::assertStringContainsString('name="state" value="&lt;img src=x onerror=alert(1)&gt;&quot;&apos;&amp;' . "\u{202E}\u{200B}\u{FFFD}" . '"', $body);
        $doc = new \DOMDocument();
        self::assertTrue(@$doc->loadHTML('<?xml encoding="utf-8">' . $body));
        self::assertSame(0, $doc->getElementsByTagName('img')->length);
        $text = (string) $doc->getElementsByTagName('body')->item(0)?->textContent;
        self::assertStringContainsString('<img src=x onerror=alert(1)>"\'&', $text, 'shown as text');
        self::assertStringNotContainsString("\u{202E}", $text, 'no bidi override in the visible text');
        self::assertStringNotContainsString("\u{200B}", $text, 'no zero-width character in the visible text');
        $fields = [];
        foreach ($doc->getElementsByTagName('input') as $input) {
            $fields[$input->getAttribute('name')] = $input->getAttribute('value');
        }
        self::assertSame(['state', 'csrf_token'], array_keys($fields), 'no input injected');
    }

    public function testTheLoopbackWarningOnlyForLoopbackClients(): void
    {
        $page = new ConsentPage();
        self::assertStringNotContainsString('class="warning"', $page->render(self::view())->body);
        $body = $page->render(self::view(['loopbackOnly' => true, 'redirectOrigin' => 'http://127.0.0.1:53123']))->body;
        self::assertStringContainsString('class="warning" role="alert"', $body);
        self::assertStringContainsString('runs on a computer, not on a website', $body);
    }

    public function testScopesListTheirToolsWithTheirClass(): void
    {
        $body = (new ConsentPage())->render(self::view(['scopes' => [
            new ScopeAccess('orders.write', [new ToolAccess('update_order', ToolAccess::WRITE), new ToolAccess('delete_order', ToolAccess::DESTRUCTIVE)]),
            new ScopeAccess('profile'),
        ]]))->body;
        self::assertStringContainsString('<span class="class write">Write</span><bdi>update_order</bdi>', $body);
        self::assertStringContainsString('<span class="class destructive">Delete</span><bdi>delete_order</bdi>', $body);
        self::assertStringContainsString('No tool: this scope adds nothing', $body);
        self::assertStringContainsString('no tool of the shop is included', (new ConsentPage())->render(self::view(['scopes' => []]))->body);
    }

    public function testDenyIsTheDefaultButton(): void
    {
        $body = (new ConsentPage())->render(self::view())->body;
        self::assertLessThan(strpos($body, 'value="allow"'), strpos($body, 'value="deny"'));
        self::assertStringContainsString('<form method="post" action="/oauth/authorize">', $body);
    }

    public function testTheViewRefusesWhatWouldBreakThePolicyOrTheForm(): void
    {
        $bad = [
            ['formAction' => '//evil.example/x'], ['formAction' => 'https://evil.example/x'], ['formAction' => '/\\evil.example'],
            ['formAction' => 'relative'], ['formAction' => '/a"b'], ['formAction' => "/a\nb"],
            ['redirectOrigin' => "https://a.example; script-src *"], ['redirectOrigin' => 'https://a.example/path'],
            ['redirectOrigin' => '*'], ['redirectOrigin' => "'unsafe-inline'"], ['redirectOrigin' => 'https://a.example,b'],
            ['redirectOrigin' => ''], ['redirectOrigin' => 'javascript'],
            ['hiddenFields' => ['csrf_token' => 'x']], ['hiddenFields' => ['decision' => 'allow']],
            ['hiddenFields' => ['a"b' => 'x']], ['hiddenFields' => ['state' => ['x']]], ['hiddenFields' => ['x']],
            ['scopes' => ['orders.read']],
        ];
        foreach ($bad as $over) {
            try {
                self::view($over);
                self::fail('accepted ' . json_encode($over));
            } catch (InvalidArgumentException) {
                $this->addToAssertionCount(1);
            }
        }
        foreach (['http://127.0.0.1:53123', 'http://[::1]:8080', 'https://claude.ai', 'cursor:', 'http://localhost'] as $ok) {
            self::assertSame($ok, self::view(['redirectOrigin' => $ok])->redirectOrigin);
        }
        $this->expectException(InvalidArgumentException::class);
        new ToolAccess('x', 'admin');
    }
}
