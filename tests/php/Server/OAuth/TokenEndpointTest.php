<?php

declare(strict_types=1);

namespace McpGuard\Tests\Server\OAuth;

require_once __DIR__ . '/OAuthEndpointTestCase.php';

use McpGuard\Exception\InvalidTokenException;
use McpGuard\Jwt\Signer;
use McpGuard\Server\OAuth\OAuthServer;
use McpGuard\Tests\Support\OAuth\FixtureFetcher;
use McpGuard\Tests\Support\OAuth\TestMembers;

/**
 * The token endpoint: code → tokens, the refusals of docs/oauth.md's error
 * table, client authentication, code replay, refresh rotation / replay /
 * benign race, scope and resource on refresh, a removed member, no-store,
 * rate limits.
 */
final class TokenEndpointTest extends OAuthEndpointTestCase
{
    /** @return array{string, string, string} client id, code, verifier */
    private function issueCode(OAuthServer $s, array $metadata = [], array $params = []): array
    {
        $id = (string) $this->register($s, $metadata)['client_id'];
        [$query, $verifier] = self::authorizeQuery($id, $params);
        return [$id, self::redirected($this->consent($s, $query))['code'], $verifier];
    }

    private function exchange(OAuthServer $s, string $id, string $code, string $verifier, array $extra = [], array $headers = []): \McpGuard\Server\Http\Response
    {
        return $this->token($s, $extra + ['grant_type' => 'authorization_code', 'code' => $code, 'redirect_uri' => self::CALLBACK,
            'code_verifier' => $verifier, 'client_id' => $id], $headers);
    }

    private function assertRefused(\McpGuard\Server\Http\Response $r, int $status, string $error): void
    {
        self::assertSame($status, $r->status, $r->body);
        self::assertSame($error, self::json($r)['error'], $r->body);
        self::assertSame('no-store', $r->header('Cache-Control'));
    }

    private function accessWorks(OAuthServer $s, string $token): bool
    {
        try {
            return $s->authenticator()->authenticate('Bearer ' . $token) !== null;
        } catch (InvalidTokenException) {
            return false;
        }
    }

    public function testACodeBecomesTokensInANoStoreJsonAnswer(): void
    {
        $s = $this->server();
        [$id, $code, $verifier] = $this->issueCode($s, [], ['scope' => 'discover read']);
        $r = $this->exchange($s, $id, $code, $verifier, ['resource' => self::RESOURCE]);
        self::assertSame(200, $r->status, $r->body);
        self::assertSame('no-store', $r->header('Cache-Control'));
        self::assertSame('no-cache', $r->header('Pragma'));
        $t = self::json($r);
        self::assertSame(['access_token', 'token_type', 'expires_in', 'refresh_token', 'scope'], array_keys($t));
        self::assertSame('Bearer', $t['token_type']);
        self::assertSame(3600, $t['expires_in']);
        self::assertSame('discover read', $t['scope']);
        self::assertStringStartsWith('mcpat_', $t['access_token']);
        self::assertStringStartsWith('mcprt_', $t['refresh_token'], 'a refresh token without offline_access being asked for');
        $stored = $this->storedBytes();
        self::assertStringNotContainsString($t['access_token'], $stored);
        self::assertStringNotContainsString($t['refresh_token'], $stored);
        $p = $s->authenticator()->authenticate('Bearer ' . $t['access_token']);
        self::assertSame(['alice', 'editor', ['discover', 'read']], [$p?->memberId, $p?->role, $p?->scopes]);
        $row = $this->stores->accessTokens->find((string) $p?->tokenId);
        self::assertSame([self::RESOURCE, self::NOW + 3600], [$row?->resource, $row?->expiresAt], 'bound to the MCP resource, 1 h');
    }

    public function testTheTokenAndRevocationEndpointsWriteAuditEventsWithoutSecrets(): void
    {
        $events = new class () implements \McpGuard\Server\Audit\AuditSink {
            /** @var list<\McpGuard\Audit\Event> */
            public array $events = [];

            public function append(\McpGuard\Audit\Event $event): void
            {
                $this->events[] = $event;
            }
        };
        $s = new OAuthServer($this->config(), $this->stores, new TestMembers($this->membersFile), $this->session,
            new FixtureFetcher($this->docsFile), null, fn (): int => $this->now, $events);
        [$id, $code, $verifier] = $this->issueCode($s);
        $t = self::json($this->exchange($s, $id, $code, $verifier));
        $this->now += 5;
        $this->exchange($s, $id, $code, $verifier); // replayed
        $this->token($s, ['grant_type' => 'refresh_token', 'refresh_token' => $t['refresh_token'], 'client_id' => $id]);
        $this->call($s, 'POST', '/oauth/revoke', '', http_build_query(['token' => $t['access_token'], 'client_id' => $id]),
            ['Content-Type' => 'application/x-www-form-urlencoded']);
        $seen = array_map(static fn ($e): array => [$e->type(), $e->outcome(), $e->principal(), $e->clientId(), $e->reason()], $events->events);
        self::assertSame([
            ['code_exchanged', 'allowed', 'alice', $id, null],
            ['token_failed', 'denied', null, $id, 'code_replayed'],
            ['token_failed', 'denied', null, $id, 'refresh_revoked'], // the family went with the replayed code
            ['token_revoked', 'allowed', null, $id, null],
        ], $seen);
        self::assertSame((new \McpGuard\Tokens('mcpat'))->publicId($t['access_token']), $events->events[0]->tokenId());
        $all = json_encode(array_map(static fn ($e): array => $e->toArray(), $events->events));
        self::assertStringNotContainsString($t['access_token'], (string) $all);
        self::assertStringNotContainsString($t['refresh_token'], (string) $all);
    }

    public function testAReplayedCodeIsRefusedAndRevokesEveryTokenIssuedFromIt(): void
    {
        $s = $this->server();
        [$id, $code, $verifier] = $this->issueCode($s);
        $first = self::json($this->exchange($s, $id, $code, $verifier));
        self::assertTrue($this->accessWorks($s, $first['access_token']));
        $this->now += 5;
        $this->assertRefused($this->exchange($s, $id, $code, $verifier), 400, 'invalid_grant');
        self::assertFalse($this->accessWorks($s, $first['access_token']), 'the access token issued from the code is revoked');
        $this->assertRefused($this->refreshWith($s, $id, $first['refresh_token']), 400, 'invalid_grant');
    }

    /** @return iterable<string, array{\Closure(array): array, int, string}> how to spoil the exchange → status, error */
    public static function codeRefusals(): iterable
    {
        yield 'wrong verifier' => [static fn (array $f): array => ['code_verifier' => str_repeat('x', 43)] + $f, 400, 'invalid_grant'];
        yield 'no verifier (downgrade)' => [static fn (array $f): array => array_diff_key($f, ['code_verifier' => 1]), 400, 'invalid_grant'];
        yield 'another redirect URI' => [static fn (array $f): array => ['redirect_uri' => 'http://127.0.0.1:53124/callback'] + $f, 400, 'invalid_grant'];
        yield 'another resource' => [static fn (array $f): array => $f + ['resource' => 'https://other.example/mcp'], 400, 'invalid_target'];
        yield 'a made-up code' => [static fn (array $f): array => ['code' => str_repeat('A', 43)] + $f, 400, 'invalid_grant'];
        yield 'not a code at all' => [static fn (array $f): array => ['code' => '../../etc'] + $f, 400, 'invalid_grant'];
        yield 'an unknown grant type' => [static fn (array $f): array => ['grant_type' => 'password'] + $f, 400, 'unsupported_grant_type'];
        yield 'no grant type' => [static fn (array $f): array => array_diff_key($f, ['grant_type' => 1]), 400, 'invalid_request'];
        yield 'an unknown client' => [static fn (array $f): array => ['client_id' => 'mcpc_nobody'] + $f, 401, 'invalid_client'];
        yield 'no client at all' => [static fn (array $f): array => array_diff_key($f, ['client_id' => 1]), 401, 'invalid_client'];
        yield 'a secret for a public client' => [static fn (array $f): array => $f + ['client_secret' => 'x'], 401, 'invalid_client'];
    }

    /** @dataProvider codeRefusals */
    public function testTheErrorTableForCodes(\Closure $spoil, int $status, string $error): void
    {
        $s = $this->server();
        [$id, $code, $verifier] = $this->issueCode($s);
        $form = $spoil(['grant_type' => 'authorization_code', 'code' => $code, 'redirect_uri' => self::CALLBACK, 'code_verifier' => $verifier, 'client_id' => $id]);
        $this->assertRefused($this->token($s, $form), $status, $error);
        self::assertNull($this->db->row('SELECT * FROM ' . $this->db->table('access_tokens')), 'nothing issued');
    }

    public function testADuplicateParameterIsInvalidRequest(): void
    {
        $s = $this->server();
        [$id, $code, $verifier] = $this->issueCode($s);
        $body = http_build_query(['grant_type' => 'authorization_code', 'code' => $code, 'redirect_uri' => self::CALLBACK,
            'code_verifier' => $verifier, 'client_id' => $id]) . '&code=' . $code;
        $this->assertRefused($this->call($s, 'POST', '/oauth/token', '', $body, member: null), 400, 'invalid_request');
    }

    public function testAnExpiredCodeAndAnotherClientsCodeAreInvalidGrant(): void
    {
        $s = $this->server();
        [$id, $code, $verifier] = $this->issueCode($s);
        $this->now += 61;
        $this->assertRefused($this->exchange($s, $id, $code, $verifier), 400, 'invalid_grant');
        $this->now = self::NOW;
        [, $code2, $verifier2] = $this->issueCode($s);
        $other = (string) $this->register($s)['client_id'];
        $this->assertRefused($this->exchange($s, $other, $code2, $verifier2), 400, 'invalid_grant');
    }

    public function testConfidentialClientsAuthenticateWithTheirAssignedMethodAndTheirSecret(): void
    {
        $s = $this->server();
        $reg = $this->register($s, ['token_endpoint_auth_method' => 'client_secret_basic']);
        [$id, $secret] = [$reg['client_id'], $reg['client_secret']];
        [$query, $verifier] = self::authorizeQuery($id);
        $basic = static fn (string $sec): array => ['Authorization' => 'Basic ' . base64_encode(rawurlencode($id) . ':' . rawurlencode($sec))];
        $form = static fn (string $c, string $v): array => ['grant_type' => 'authorization_code', 'code' => $c, 'redirect_uri' => self::CALLBACK, 'code_verifier' => $v];

        $c = self::redirected($this->consent($s, $query))['code'];
        $wrong = $this->token($s, $form($c, $verifier), $basic($secret . 'x'));
        $this->assertRefused($wrong, 401, 'invalid_client');
        self::assertStringStartsWith('Basic ', (string) $wrong->header('WWW-Authenticate'));
        $this->assertRefused($this->token($s, $form($c, $verifier) + ['client_id' => $id]), 401, 'invalid_client'); // no secret
        $this->assertRefused($this->token($s, $form($c, $verifier) + ['client_id' => $id, 'client_secret' => $secret]), 401, 'invalid_client'); // post, not basic
        $this->assertRefused($this->token($s, $form($c, $verifier) + ['client_secret' => $secret], $basic($secret)), 400, 'invalid_request'); // two methods

        [$q2, $v2] = self::authorizeQuery($id);
        $ok = $this->token($s, $form(self::redirected($this->consent($s, $q2))['code'], $v2), $basic($secret));
        self::assertSame(200, $ok->status, $ok->body);
        $refresh = $this->token($s, ['grant_type' => 'refresh_token', 'refresh_token' => self::json($ok)['refresh_token']], $basic($secret));
        self::assertSame(200, $refresh->status, $refresh->body);
    }

    public function testRefreshRotatesAndTheNewTokensWork(): void
    {
        $s = $this->server();
        $f = $this->fullFlow($s);
        $this->now += 100;
        $r = $this->refreshWith($s, $f['client'], $f['tokens']['refresh_token']);
        self::assertSame(200, $r->status, $r->body);
        self::assertSame('no-store', $r->header('Cache-Control'));
        $t = self::json($r);
        self::assertNotSame($f['tokens']['refresh_token'], $t['refresh_token']);
        self::assertTrue($this->accessWorks($s, $t['access_token']));
        self::assertTrue($this->accessWorks($s, $f['tokens']['access_token']), 'the earlier access token lives until it expires');
        $this->now += 100;
        self::assertSame(200, $this->refreshWith($s, $f['client'], $t['refresh_token'])->status);
    }

    public function testAReplayAfterTheSuccessorWasUsedRevokesTheWholeFamily(): void
    {
        $s = $this->server();
        $f = $this->fullFlow($s);
        $second = self::json($this->refreshWith($s, $f['client'], $f['tokens']['refresh_token']));
        $this->now += 1;
        $third = self::json($this->refreshWith($s, $f['client'], $second['refresh_token']));
        $this->now += 1;
        // The first token again, inside the grace window but after its successor was used: a theft.
        $this->assertRefused($this->refreshWith($s, $f['client'], $f['tokens']['refresh_token']), 400, 'invalid_grant');
        foreach ([$f['tokens'], $second, $third] as $t) {
            self::assertFalse($this->accessWorks($s, $t['access_token']), 'every access token of the family is revoked');
        }
        $this->assertRefused($this->refreshWith($s, $f['client'], $third['refresh_token']), 400, 'invalid_grant');
    }

    public function testAReplayAfterTheGraceWindowRevokesTheFamily(): void
    {
        $s = $this->server();
        $f = $this->fullFlow($s);
        $next = self::json($this->refreshWith($s, $f['client'], $f['tokens']['refresh_token']));
        $this->now += 31;
        $this->assertRefused($this->refreshWith($s, $f['client'], $f['tokens']['refresh_token']), 400, 'invalid_grant');
        $this->assertRefused($this->refreshWith($s, $f['client'], $next['refresh_token']), 400, 'invalid_grant');
    }

    public function testTheBenignRaceKeepsBothCallersWorkingWithinTheCoresLimit(): void
    {
        $s = $this->server();
        $f = $this->fullFlow($s);
        $a = self::json($this->refreshWith($s, $f['client'], $f['tokens']['refresh_token']));
        $this->now += 5;
        // Two tabs refreshed with the same token at once: the second gets a sibling successor.
        $b = $this->refreshWith($s, $f['client'], $f['tokens']['refresh_token']);
        self::assertSame(200, $b->status, $b->body);
        $b = self::json($b);
        $c = self::json($this->refreshWith($s, $f['client'], $f['tokens']['refresh_token']));
        self::assertTrue($this->accessWorks($s, $a['access_token']) && $this->accessWorks($s, $b['access_token']) && $this->accessWorks($s, $c['access_token']));
        // A fourth presentation: more than two extra successors is a replay (the core's rule).
        $this->assertRefused($this->refreshWith($s, $f['client'], $f['tokens']['refresh_token']), 400, 'invalid_grant');
        self::assertFalse($this->accessWorks($s, $a['access_token']));
    }

    /**
     * The core decided on a snapshot ("rotate again"), then a sibling request took the last
     * successor slot before this one's UPDATE: the store says `concurrent`, and that, like
     * `reused`, is the core's replay rule: the family goes.
     */
    public function testTheStoreSayingConcurrentRevokesTheFamily(): void
    {
        $inner = $this->stores->refreshTokens;
        $racing = new class ($inner) implements \McpGuard\Server\OAuth\Store\RefreshTokenStore {
            public bool $race = false;

            public function __construct(private readonly \McpGuard\Server\OAuth\Store\RefreshTokenStore $inner)
            {
            }

            public function save(\McpGuard\Server\OAuth\Store\RefreshTokenRecord $record): void
            {
                $this->inner->save($record);
            }

            public function find(string $publicId): ?\McpGuard\Server\OAuth\Store\RefreshTokenRecord
            {
                return $this->inner->find($publicId);
            }

            public function rotate(string $publicId, \McpGuard\Server\OAuth\Store\RefreshTokenRecord $successor, int $now, ?int $graceSince = null, int $maxSuccessors = 1): \McpGuard\Server\OAuth\Store\RefreshRotation
            {
                return $this->race
                    ? \McpGuard\Server\OAuth\Store\RefreshRotation::of(\McpGuard\Server\OAuth\Store\RefreshRotation::CONCURRENT, $this->inner->find($publicId))
                    : $this->inner->rotate($publicId, $successor, $now, $graceSince, $maxSuccessors);
            }
        };
        $this->stores = new \McpGuard\Server\OAuth\OAuthStores($this->stores->clients, $this->stores->codes, $this->stores->grants,
            $this->stores->families, $racing, $this->stores->accessTokens);
        $s = $this->server();
        $f = $this->fullFlow($s);
        $this->refreshWith($s, $f['client'], $f['tokens']['refresh_token']);
        $racing->race = true;
        $this->now += 2;
        $this->assertRefused($this->refreshWith($s, $f['client'], $f['tokens']['refresh_token']), 400, 'invalid_grant');
        self::assertFalse($this->accessWorks($s, $f['tokens']['access_token']));
    }

    public function testNoGraceMakesEveryReuseAReplay(): void
    {
        $s = $this->server(['refreshGrace' => 0]);
        $f = $this->fullFlow($s);
        $next = self::json($this->refreshWith($s, $f['client'], $f['tokens']['refresh_token']));
        $this->assertRefused($this->refreshWith($s, $f['client'], $f['tokens']['refresh_token']), 400, 'invalid_grant');
        self::assertFalse($this->accessWorks($s, $next['access_token']));
    }

    public function testScopesMayOnlyNarrowOnRefreshAndTheResourceIsCheckedAgain(): void
    {
        $s = $this->server();
        $f = $this->fullFlow($s);
        $narrow = self::json($this->refreshWith($s, $f['client'], $f['tokens']['refresh_token'], ['scope' => 'read']));
        self::assertSame('read', $narrow['scope']);
        $this->assertRefused($this->refreshWith($s, $f['client'], $narrow['refresh_token'], ['scope' => 'read admin']), 400, 'invalid_scope');
        $this->assertRefused($this->refreshWith($s, $f['client'], $narrow['refresh_token'], ['resource' => 'https://other.example/mcp']), 400, 'invalid_target');
        $full = self::json($this->refreshWith($s, $f['client'], $narrow['refresh_token'], ['resource' => self::RESOURCE]));
        self::assertSame('discover read write', $full['scope'], 'without scope: the whole grant again');
    }

    public function testAMemberRemovedFromTheListGetsInvalidGrantAndTheFamilyIsRevoked(): void
    {
        $s = $this->server();
        $f = $this->fullFlow($s);
        TestMembers::write($this->membersFile, ['victor' => ['role' => 'viewer']]);
        self::assertFalse($this->accessWorks($s, $f['tokens']['access_token']), 'the next MCP request already fails');
        $this->assertRefused($this->refreshWith($s, $f['client'], $f['tokens']['refresh_token']), 400, 'invalid_grant');
        TestMembers::write($this->membersFile, ['alice' => ['role' => 'editor']]);
        self::assertFalse($this->accessWorks($s, $f['tokens']['access_token']), 'back in the list, the old family stays revoked');
        $this->assertRefused($this->refreshWith($s, $f['client'], $f['tokens']['refresh_token']), 400, 'invalid_grant');

        [$id, $code, $verifier] = $this->issueCode($s);
        TestMembers::write($this->membersFile, []);
        $this->assertRefused($this->exchange($s, $id, $code, $verifier), 400, 'invalid_grant');
    }

    public function testAnotherClientsRefreshTokenIsRefusedAndLeftAlone(): void
    {
        $s = $this->server();
        $f = $this->fullFlow($s);
        $other = (string) $this->register($s)['client_id'];
        $this->assertRefused($this->refreshWith($s, $other, $f['tokens']['refresh_token']), 400, 'invalid_grant');
        self::assertSame(200, $this->refreshWith($s, $f['client'], $f['tokens']['refresh_token'])->status);
    }

    /** @return iterable<string, array{string}> */
    public static function badRefreshTokens(): iterable
    {
        yield 'empty' => [''];
        yield 'garbage' => ['not-a-token'];
        yield 'mistyped checksum' => ['mcprt_AAAAAAAAAAAAAAAA_' . str_repeat('A', 49)];
        yield 'an access token' => ['mcpat_AAAAAAAAAAAAAAAA_' . str_repeat('A', 49)];
    }

    /** @dataProvider badRefreshTokens */
    public function testABadRefreshTokenIsInvalidGrant(string $token): void
    {
        $s = $this->server();
        $id = (string) $this->register($s)['client_id'];
        $r = $this->refreshWith($s, $id, $token);
        self::assertSame(400, $r->status, $r->body);
        self::assertContains(self::json($r)['error'], ['invalid_grant', 'invalid_request']);
    }

    public function testAnExpiredRefreshTokenIsInvalidGrant(): void
    {
        $s = $this->server(['refreshTokenTtl' => 3600]);
        $f = $this->fullFlow($s);
        $this->now += 3601;
        $this->assertRefused($this->refreshWith($s, $f['client'], $f['tokens']['refresh_token']), 400, 'invalid_grant');
    }

    public function testAClientRegisteredWithoutTheRefreshGrantGetsNoRefreshToken(): void
    {
        $s = $this->server();
        [$id, $code, $verifier] = $this->issueCode($s, ['grant_types' => ['authorization_code']]);
        $t = self::json($this->exchange($s, $id, $code, $verifier));
        self::assertArrayNotHasKey('refresh_token', $t);
        self::assertTrue($this->accessWorks($s, $t['access_token']));
        $this->assertRefused($this->refreshWith($s, $id, 'mcprt_AAAAAAAAAAAAAAAA_' . str_repeat('A', 49)), 400, 'unauthorized_client');
    }

    public function testAPreregisteredConfidentialClientGetsItsSecretOnceAndNeverIdlesOut(): void
    {
        $s = $this->server(['clientIdleTtl' => 60]);
        $secret = $s->resolver()->preregister('shop-backoffice', json_encode(['client_name' => 'Back office', 'redirect_uris' => [self::CALLBACK],
            'token_endpoint_auth_method' => 'client_secret_post', 'grant_types' => ['authorization_code', 'refresh_token']]), $this->now);
        self::assertStringStartsWith('mcpcs_', (string) $secret);
        self::assertStringNotContainsString((string) $secret, $this->storedBytes());
        self::assertNull($s->resolver()->preregister('public-tool', json_encode(['redirect_uris' => [self::CALLBACK], 'token_endpoint_auth_method' => 'none']), $this->now));
        $this->now += 86400;
        self::assertSame(['unconsented' => 0, 'idle' => 0], array_diff_key($s->prune(), ['codes' => 1]), 'pre-registered clients are never pruned');
        [$query, $verifier] = self::authorizeQuery('shop-backoffice');
        $code = self::redirected($this->consent($s, $query))['code'];
        $r = $this->exchange($s, 'shop-backoffice', $code, $verifier, ['client_secret' => (string) $secret]);
        self::assertSame(200, $r->status, $r->body);
    }

    public function testAMetadataDocumentClientGetsTokens(): void
    {
        $s = $this->server();
        [$query, $verifier] = self::authorizeQuery(self::DOC_ID);
        $code = self::redirected($this->consent($s, $query))['code'];
        $r = $this->exchange($s, self::DOC_ID, $code, $verifier);
        self::assertSame(200, $r->status, $r->body);
        self::assertArrayHasKey('refresh_token', self::json($r));
    }

    public function testTheTokenEndpointIsRateLimitedPerAddressAndClientWithHeaders(): void
    {
        $s = $this->server(['rateLimits' => ['token' => ['limit' => 2, 'period' => 60]]], false);
        $f = $this->fullFlow($s); // one hit
        $ok = $this->refreshWith($s, $f['client'], $f['tokens']['refresh_token']);
        self::assertSame(200, $ok->status);
        self::assertSame('"oauth_token";q=2;w=60', $ok->header('RateLimit-Policy'));
        $limited = $this->refreshWith($s, $f['client'], self::json($ok)['refresh_token']);
        self::assertSame(429, $limited->status);
        self::assertSame('no-store', $limited->header('Cache-Control'));
        self::assertGreaterThan(0, (int) $limited->header('Retry-After'));
        // Another client from the same address (claude.ai's backend serves many users) is not held back.
        $other = (string) $this->register($s)['client_id'];
        self::assertSame(400, $this->refreshWith($s, $other, 'x')->status);
    }

    public function testALimiterThatFailsRefusesTheRequestItNeverLetsItThrough(): void
    {
        $broken = new class implements \McpGuard\Server\RateLimit\Limiter {
            public function hit(string $key, string $policy, int $cost = 1, ?int $now = null): \McpGuard\RateLimit\Result
            {
                throw new \McpGuard\Exception\ConfigurationException('no table');
            }

            public function policies(): array
            {
                return [];
            }
        };
        $s = $this->server([], $broken);
        $this->assertRefused($this->refreshWith($s, 'mcpc_x', 'x'), 503, 'temporarily_unavailable');
        $r = $this->call($s, 'POST', '/oauth/register', '', '{"redirect_uris":["https://a.example/cb"]}', member: null);
        self::assertSame(503, $r->status);
        self::assertNull($this->db->row('SELECT * FROM ' . $this->db->table('clients')), 'nothing registered');
    }

    public function testJwtAccessTokensAreSignedForTheResourceAndVerifiedByTheAuthenticator(): void
    {
        $signer = Signer::generate('ES256');
        $s = $this->server(['accessTokenFormat' => 'jwt', 'signer' => $signer]);
        $this->now = time();
        $f = $this->fullFlow($s);
        $jwt = $f['tokens']['access_token'];
        self::assertSame(2, substr_count($jwt, '.'));
        $p = $s->authenticator()->authenticate('Bearer ' . $jwt);
        self::assertSame(['alice', ['discover', 'read', 'write']], [$p?->memberId, $p?->scopes]);
        self::assertNull($this->db->row('SELECT * FROM ' . $this->db->table('access_tokens')), 'JWTs are not stored');
        $foreign = $signer->accessToken(self::ISSUER, 'https://other.example/mcp', 'alice', $f['client'], 60, 'read', null, $this->now);
        $this->expectException(InvalidTokenException::class);
        $s->authenticator()->authenticate('Bearer ' . $foreign);
    }

    public function testOnlyPostIsAccepted(): void
    {
        $r = $this->call($this->server(), 'GET', '/oauth/token', 'grant_type=authorization_code', member: null);
        $this->assertRefused($r, 405, 'invalid_request');
    }
}
