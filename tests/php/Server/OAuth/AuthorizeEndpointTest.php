<?php

declare(strict_types=1);

namespace McpGuard\Tests\Server\OAuth;

require_once __DIR__ . '/OAuthEndpointTestCase.php';

use McpGuard\Server\Http\Response;
use McpGuard\Server\OAuth\Client\ClientResolver;
use McpGuard\Tests\Support\OAuth\FixtureFetcher;

/**
 * The authorization endpoint: errors shown or redirected (never to an
 * unverified URI), `iss` on every authorization response, login, role →
 * scopes, the consent page, the CSRF-protected decision, grants and codes.
 */
final class AuthorizeEndpointTest extends OAuthEndpointTestCase
{
    private static function assertConsentHeaders(Response $r): void
    {
        self::assertSame('DENY', $r->header('X-Frame-Options'));
        self::assertSame('no-store', $r->header('Cache-Control'));
        self::assertSame('no-referrer', $r->header('Referrer-Policy'));
        self::assertStringContainsString("frame-ancestors 'none'", (string) $r->header('Content-Security-Policy'));
    }

    private static function assertErrorPage(Response $r, int $status, string $text): void
    {
        self::assertSame($status, $r->status, $r->body);
        self::assertNull($r->header('Location'), 'shown, never redirected');
        self::assertStringStartsWith('text/html', (string) $r->header('Content-Type'));
        self::assertStringContainsString($text, $r->body);
        self::assertConsentHeaders($r);
    }

    public function testErrorsAboutTheClientOrItsRedirectUriAreShownNeverRedirected(): void
    {
        $s = $this->server();
        $id = $this->register($s)['client_id'];
        self::assertErrorPage($this->call($s, 'GET', '/oauth/authorize', self::authorizeQuery('mcpc_unknown')[0]), 400, 'not known');
        self::assertErrorPage($this->call($s, 'GET', '/oauth/authorize', self::authorizeQuery($id, ['redirect_uri' => 'https://evil.example/cb'])[0]), 400, 'not valid');
        self::assertErrorPage($this->call($s, 'GET', '/oauth/authorize', 'response_type=code'), 400, 'not valid');
        self::assertErrorPage($this->call($s, 'GET', '/oauth/authorize', self::authorizeQuery($id)[0] . '&client_id=' . $id), 400, 'not valid');
        self::assertErrorPage($this->call($s, 'GET', '/oauth/authorize', self::authorizeQuery('https://client.example/../x')[0]), 400, 'not valid');
        self::assertSame('[]', json_encode($this->db->row('SELECT * FROM ' . $this->db->table('codes')) ?? []));
    }

    /** @return iterable<string, array{array<string, string>, string}> */
    public static function redirectedErrors(): iterable
    {
        yield 'plain PKCE' => [['code_challenge_method' => 'plain'], 'invalid_request'];
        yield 'no PKCE' => [['code_challenge' => '', 'code_challenge_method' => ''], 'invalid_request'];
        yield 'implicit flow' => [['response_type' => 'token'], 'unsupported_response_type'];
        yield 'another resource' => [['resource' => 'https://other.example/mcp'], 'invalid_target'];
        yield 'a bad scope' => [['scope' => "read \"x\""], 'invalid_scope'];
    }

    /**
     * @dataProvider redirectedErrors
     * @param array<string, string> $params
     */
    public function testErrorsOnceTheRedirectUriIsKnownGoBackWithStateAndIss(array $params, string $error): void
    {
        $s = $this->server();
        $id = $this->register($s)['client_id'];
        $q = self::redirected($this->call($s, 'GET', '/oauth/authorize', self::authorizeQuery($id, $params + ['state' => 'abc'])[0]));
        self::assertSame(['error' => $error, 'state' => 'abc', 'iss' => self::ISSUER], array_intersect_key($q, ['error' => 1, 'state' => 1, 'iss' => 1]));
    }

    public function testSomeoneNotSignedInIsSentToTheHostsLoginAndComesBack(): void
    {
        $s = $this->server();
        [$query] = self::authorizeQuery($this->register($s)['client_id']);
        $r = $this->call($s, 'GET', '/oauth/authorize', $query, member: null);
        self::assertSame(302, $r->status);
        self::assertSame('/test/login?return=' . rawurlencode('/oauth/authorize?' . $query), $r->header('Location'));
        self::assertConsentHeaders($r);
        // A POST without a session changes nothing either.
        $post = $this->call($s, 'POST', '/oauth/authorize', '', 'decision=allow&query=' . rawurlencode($query), member: null);
        self::assertStringStartsWith('/test/login', (string) $post->header('Location'));
    }

    public function testTheConsentPageShowsTheClientTheRedirectAndWhatEachGrantableScopeUnlocks(): void
    {
        $s = $this->server(['scopeDescriptions' => ['write' => 'Change products and orders']]);
        $id = $this->register($s, ['client_name' => '<img src=x onerror=alert(1)>'])['client_id'];
        [$query] = self::authorizeQuery($id);
        $page = $this->call($s, 'GET', '/oauth/authorize', $query);
        self::assertSame(200, $page->status);
        self::assertConsentHeaders($page);
        self::assertStringContainsString("form-action 'self' http://127.0.0.1:53123;", (string) $page->header('Content-Security-Policy'));
        self::assertStringNotContainsString('<img', $page->body);
        self::assertStringContainsString('&lt;img src=x onerror=alert(1)&gt;', $page->body);
        self::assertStringContainsString('Signed in as Alice Martin', $page->body);
        self::assertStringContainsString('runs on a computer, not on a website', $page->body, 'a loopback-only client is warned about');
        self::assertStringContainsString('Change products and orders', $page->body);
        // What each scope adds: discover → shop.info; read → products.search; write → the write and destructive tools.
        preg_match_all('#<li class="scope"><div class="scope-name"><bdi>([^<]+)</bdi></div>(.*?)</li></ul></li>#s', $page->body, $m, PREG_SET_ORDER);
        $unlocks = [];
        foreach ($m as [, $scope, $html]) {
            preg_match_all('#<span class="class (\w+)">\w+</span><bdi>([^<]+)</bdi>#', $html, $t, PREG_SET_ORDER);
            $unlocks[$scope] = array_map(static fn (array $x): string => "{$x[2]}:{$x[1]}", $t);
        }
        self::assertSame(['discover' => ['shop.info:read'], 'read' => ['products.search:read'],
            'write' => ['orders.cancel:destructive', 'products.update:write']], $unlocks);
        self::assertSame(['query' => $query], array_diff_key(self::form($page), ['csrf_token' => 1]), 'the query travels as it came');
    }

    public function testTheRoleLimitsWhatCanBeGrantedAndNothingLeftIsAccessDenied(): void
    {
        $s = $this->server();
        $id = $this->register($s)['client_id'];
        [$query] = self::authorizeQuery($id);
        $viewer = $this->call($s, 'GET', '/oauth/authorize', $query, member: 'victor');
        self::assertStringNotContainsString('<bdi>write</bdi>', $viewer->body, 'a viewer cannot grant write, whatever the client asks');
        self::assertStringContainsString('<bdi>read</bdi>', $viewer->body);
        $q = self::redirected($this->consent($s, $query, 'allow', 'victor'));
        $grant = $this->stores->grants->find('victor', ClientResolver::key($id), self::CALLBACK);
        self::assertSame(['discover', 'read'], $grant?->scopes);
        self::assertArrayHasKey('code', $q);

        [$writeOnly] = self::authorizeQuery($id, ['scope' => 'write', 'state' => 'w1']);
        $denied = self::redirected($this->call($s, 'GET', '/oauth/authorize', $writeOnly, member: 'victor'));
        self::assertSame(['error' => 'access_denied', 'state' => 'w1', 'iss' => self::ISSUER], $denied);

        \McpGuard\Tests\Support\OAuth\TestMembers::write($this->membersFile, ['alice' => ['role' => 'editor'], 'victor' => ['role' => 'nobody-knows']]);
        self::assertSame('access_denied', self::redirected($this->call($s, 'GET', '/oauth/authorize', $query, member: 'victor'))['error']);
    }

    public function testAllowIssuesACodeWithStateAndIssAndSavesTheGrantAndTheCodeHashed(): void
    {
        $s = $this->server();
        $id = $this->register($s)['client_id'];
        [$query] = self::authorizeQuery($id, ['state' => 'keep-me']);
        $r = $this->consent($s, $query);
        self::assertConsentHeaders($r);
        $q = self::redirected($r);
        self::assertSame('keep-me', $q['state']);
        self::assertSame(self::ISSUER, $q['iss'], 'RFC 9207 iss on the code response');
        self::assertStringNotContainsString($q['code'], $this->storedBytes(), 'only the code hash is stored');
        $row = $this->db->row('SELECT * FROM ' . $this->db->table('codes'));
        self::assertSame('alice', $row['member_id']);
        self::assertMatchesRegularExpression('/^[0-9a-f]{32}$/', (string) $row['family_id']);
        self::assertSame(self::NOW + 60, (int) $row['expires_at']);
        self::assertSame(['discover', 'read', 'write'], $this->stores->grants->find('alice', ClientResolver::key($id), self::CALLBACK)?->scopes);
        self::assertSame(self::NOW, $this->stores->clients->find(ClientResolver::key($id))?->consentedAt);
    }

    public function testDenyGoesBackWithAccessDeniedStateAndIssAndIssuesNothing(): void
    {
        $s = $this->server();
        [$query] = self::authorizeQuery($this->register($s)['client_id'], ['state' => 'd1']);
        $q = self::redirected($this->consent($s, $query, 'deny'));
        self::assertSame(['error' => 'access_denied', 'state' => 'd1', 'iss' => self::ISSUER], $q);
        self::assertNull($this->db->row('SELECT * FROM ' . $this->db->table('codes')));
        self::assertNull($this->db->row('SELECT * FROM ' . $this->db->table('grants')));
    }

    public function testAForgedOrReplayedPostIsRefusedAndChangesNothing(): void
    {
        $s = $this->server();
        [$query] = self::authorizeQuery($this->register($s)['client_id']);
        $fields = self::form($this->call($s, 'GET', '/oauth/authorize', $query));
        $post = fn (array $f, string $session = 's1'): Response => $this->call($s, 'POST', '/oauth/authorize', '', http_build_query($f), sessionId: $session);
        foreach ([
            'no token' => [['query' => $query, 'decision' => 'allow'], 's1'],
            'a made-up token' => [['query' => $query, 'decision' => 'allow', 'csrf_token' => 'csrf_AAAAAAAAAAAAAAAA_' . str_repeat('A', 49)], 's1'],
            'another session' => [$fields + ['decision' => 'allow'], 'other-session'],
            'an array' => [['query' => $query, 'decision' => 'allow', 'csrf_token' => ['x']], 's1'],
        ] as $what => [$form, $session]) {
            self::assertErrorPage($post($form, $session), 403, 'This form has expired');
        }
        // The form's own fields only, each once: a second decision or a smuggled field voids the form.
        $raw = fn (string $body): Response => $this->call($s, 'POST', '/oauth/authorize', '', $body);
        self::assertErrorPage($raw(http_build_query($fields + ['decision' => 'deny']) . '&decision=allow'), 403, 'This form has expired');
        self::assertErrorPage($raw(http_build_query($fields + ['decision' => 'allow', 'scope' => 'write'])), 403, 'This form has expired');
        self::assertSame(302, $post($fields + ['decision' => 'allow'])->status, 'the real form once');
        self::assertErrorPage($post($fields + ['decision' => 'allow']), 403, 'This form has expired');
        self::assertSame(1, (int) $this->db->row('SELECT COUNT(*) AS n FROM ' . $this->db->table('codes'))['n']);
    }

    public function testThePostedQueryIsValidatedAgainNeverTrusted(): void
    {
        $s = $this->server();
        $id = $this->register($s)['client_id'];
        [$query] = self::authorizeQuery($id);
        $fields = self::form($this->call($s, 'GET', '/oauth/authorize', $query));
        [$evil] = self::authorizeQuery($id, ['redirect_uri' => 'https://evil.example/cb']);
        $r = $this->call($s, 'POST', '/oauth/authorize', '', http_build_query(['query' => $evil] + $fields + ['decision' => 'allow']));
        self::assertErrorPage($r, 400, 'not valid');
        $fields = self::form($this->call($s, 'GET', '/oauth/authorize', $query));
        $r = $this->call($s, 'POST', '/oauth/authorize', '', http_build_query($fields + ['decision' => 'maybe']));
        self::assertErrorPage($r, 400, 'incomplete');
        self::assertNull($this->db->row('SELECT * FROM ' . $this->db->table('codes')));
    }

    public function testGrantsAreKeyedByMemberClientAndRedirectUri(): void
    {
        $s = $this->server();
        $id = $this->register($s, ['redirect_uris' => [self::CALLBACK, 'https://app.example/cb']])['client_id'];
        $this->consent($s, self::authorizeQuery($id)[0]);
        $this->consent($s, self::authorizeQuery($id, ['redirect_uri' => 'https://app.example/cb', 'scope' => 'read'])[0]);
        $key = ClientResolver::key($id);
        self::assertSame(['discover', 'read', 'write'], $this->stores->grants->find('alice', $key, self::CALLBACK)?->scopes);
        self::assertSame(['read'], $this->stores->grants->find('alice', $key, 'https://app.example/cb')?->scopes, 'one device\'s consent leaves the other\'s alone');
    }

    public function testAMetadataDocumentClientIsFetchedOnceCachedAndFetchedAgainWhenStale(): void
    {
        $s = $this->server();
        [$query] = self::authorizeQuery(self::DOC_ID, ['redirect_uri' => 'http://127.0.0.1:40001/callback']);
        $page = $this->call($s, 'GET', '/oauth/authorize', $query);
        self::assertSame(200, $page->status, $page->body);
        self::assertStringContainsString('Example Agent', $page->body);
        self::assertStringContainsString('<strong>client.example</strong>', $page->body, "the document's host is shown");
        $this->call($s, 'GET', '/oauth/authorize', $query);
        self::assertSame([self::DOC_ID], FixtureFetcher::fetched($this->docsFile), 'cached for its max-age');
        $this->now += 601;
        $this->call($s, 'GET', '/oauth/authorize', $query);
        self::assertCount(2, FixtureFetcher::fetched($this->docsFile));
        $row = $this->stores->clients->find(ClientResolver::key(self::DOC_ID));
        self::assertSame('metadata_document', $row?->kind);
        self::assertSame($this->now + 600, $row->expiresAt);
    }

    public function testAFetchFailureIsItsOwnAnswerNeverUnknownClient(): void
    {
        FixtureFetcher::write($this->docsFile, [self::DOC_ID => ['fail' => 'timeout']]);
        $r = $this->call($this->server(), 'GET', '/oauth/authorize', self::authorizeQuery(self::DOC_ID)[0]);
        self::assertErrorPage($r, 503, 'could not be fetched just now');
        self::assertSame('17', $r->header('Retry-After'));
        self::assertStringNotContainsString('not known', $r->body);
        FixtureFetcher::write($this->docsFile, [self::DOC_ID => ['fail' => 'target_refused']]);
        self::assertErrorPage($this->call($this->server(), 'GET', '/oauth/authorize', self::authorizeQuery(self::DOC_ID)[0]), 400, 'cannot be read');
        FixtureFetcher::write($this->docsFile, [self::DOC_ID => ['body' => self::document(['client_id' => 'https://other.example/c.json'])]]);
        self::assertErrorPage($this->call($this->server(), 'GET', '/oauth/authorize', self::authorizeQuery(self::DOC_ID)[0]), 400, 'not valid');
    }

    public function testAPinnedDocumentIsUsedBeforeAnyFetch(): void
    {
        FixtureFetcher::write($this->docsFile, [self::DOC_ID => ['fail' => 'status']]);
        $s = $this->server(['pinnedDocuments' => [self::DOC_ID => self::document(['client_name' => 'Pinned Agent'])]]);
        $page = $this->call($s, 'GET', '/oauth/authorize', self::authorizeQuery(self::DOC_ID)[0]);
        self::assertSame(200, $page->status, $page->body);
        self::assertStringContainsString('Pinned Agent', $page->body);
        self::assertSame([], FixtureFetcher::fetched($this->docsFile));
    }

    public function testOtherMethodsAreRefused(): void
    {
        $r = $this->call($this->server(), 'PUT', '/oauth/authorize');
        self::assertErrorPage($r, 405, 'only answers GET and POST');
        self::assertSame('GET, POST', $r->header('Allow'));
    }
}
