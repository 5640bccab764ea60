<?php

declare(strict_types=1);

namespace McpGuard\Tests\Server\OAuth;

require_once __DIR__ . '/OAuthEndpointTestCase.php';

use McpGuard\Exception\InvalidRequestException;
use McpGuard\Exception\InvalidTokenException;
use McpGuard\Server\OAuth\Resource\AccessTokenRefused;
use McpGuard\Server\OAuth\Store\AccessTokenRecord;
use McpGuard\Tests\Support\OAuth\TestMembers;
use McpGuard\Tokens;

/** The resource side: a bearer token → a principal, checked on every request; the 401 challenge. */
final class AccessTokenAuthenticatorTest extends OAuthEndpointTestCase
{
    private function refusal(\Closure $call): string
    {
        try {
            $call();
        } catch (AccessTokenRefused $e) {
            return 'refused:' . $e->why();
        } catch (InvalidTokenException $e) {
            self::assertSame('invalid_token', $e->errorCode());
            return $e->reason();
        }
        self::fail('accepted');
    }

    public function testNoBearerTokenIsNullAndABadOneIsInvalidToken(): void
    {
        $auth = $this->server()->authenticator();
        self::assertNull($auth->authenticate(null));
        self::assertNull($auth->authenticate('Basic ' . base64_encode('a:b')), 'not a bearer token: ask for one');
        self::assertSame('malformed', $this->refusal(fn () => $auth->authenticate('Bearer nope')));
        self::assertSame('bad_checksum', $this->refusal(fn () => $auth->authenticate('Bearer mcpat_AAAAAAAAAAAAAAAA_' . str_repeat('A', 49))));
        $unknown = (new Tokens('mcpat'))->issue(60, self::NOW)->plaintext();
        self::assertSame('unknown_token', $this->refusal(fn () => $auth->authenticate('Bearer ' . $unknown)));
        $this->expectException(InvalidRequestException::class);
        $auth->authenticate('Bearer a b');
    }

    public function testExpiredAndRevokedTokensAreRefused(): void
    {
        $s = $this->server();
        $f = $this->fullFlow($s);
        $header = 'Bearer ' . $f['tokens']['access_token'];
        self::assertNotNull($s->authenticator()->authenticate($header));
        $this->now += 3600;
        self::assertSame('expired', $this->refusal(fn () => $s->authenticator()->authenticate($header)));
        $this->now = self::NOW;
        $this->stores->families->revokeFor('alice', null, self::NOW);
        self::assertSame('revoked', $this->refusal(fn () => $s->authenticator()->authenticate($header)));
    }

    public function testATokenForAnotherResourceIsRefused(): void
    {
        $s = $this->server();
        $f = $this->fullFlow($s);
        $issued = (new Tokens('mcpat'))->issue(3600, self::NOW);
        $family = $this->db->row('SELECT family_id, client_key FROM ' . $this->db->table('access_tokens'));
        $this->stores->accessTokens->save(new AccessTokenRecord($issued->publicId(), $issued->hash(), (string) $family['family_id'], 'alice',
            (string) $family['client_key'], ['read'], 'https://other.example/mcp', self::NOW, self::NOW + 3600));
        self::assertSame('refused:wrong_audience', $this->refusal(fn () => $s->authenticator()->authenticate('Bearer ' . $issued->plaintext())));
        self::assertNotNull($s->authenticator()->authenticate('Bearer ' . $f['tokens']['access_token']));
    }

    public function testARemovedMemberLosesAccessOnTheNextRequestWhateverTokenTheyHold(): void
    {
        $s = $this->server();
        $f = $this->fullFlow($s);
        TestMembers::write($this->membersFile, ['victor' => ['role' => 'viewer']]);
        $refused = null;
        try {
            $s->authenticator()->authenticate('Bearer ' . $f['tokens']['access_token']);
        } catch (AccessTokenRefused $e) {
            $refused = $e;
        }
        self::assertSame('member_removed', $refused?->why());
        self::assertSame('invalid_token', $refused->errorCode(), 'answered like any invalid token');
    }

    public function testTheChallengeNamesTheProtectedResourceMetadata(): void
    {
        $auth = $this->server()->authenticator();
        self::assertSame('Bearer resource_metadata="https://shop.example/.well-known/oauth-protected-resource/mcp"', $auth->challenge());
        self::assertSame('Bearer resource_metadata="https://shop.example/.well-known/oauth-protected-resource/mcp", error="invalid_token"', $auth->challenge('invalid_token'));
    }
}
