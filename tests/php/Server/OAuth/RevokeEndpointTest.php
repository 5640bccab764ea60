<?php

declare(strict_types=1);

namespace McpGuard\Tests\Server\OAuth;

require_once __DIR__ . '/OAuthEndpointTestCase.php';

use McpGuard\Exception\InvalidTokenException;
use McpGuard\Server\Http\Response;
use McpGuard\Server\OAuth\OAuthServer;

/** RFC 7009 revocation: client authentication, 200 for everything else, what a revocation reaches and what it does not. */
final class RevokeEndpointTest extends OAuthEndpointTestCase
{
    private function revoke(OAuthServer $s, array $form, array $headers = []): Response
    {
        return $this->call($s, 'POST', '/oauth/revoke', '', http_build_query($form), $headers, null);
    }

    private function works(OAuthServer $s, string $access): bool
    {
        try {
            return $s->authenticator()->authenticate('Bearer ' . $access) !== null;
        } catch (InvalidTokenException) {
            return false;
        }
    }

    public function testRevokingARefreshTokenRevokesItsFamilyAndItsAccessTokens(): void
    {
        $s = $this->server();
        $f = $this->fullFlow($s);
        $next = self::json($this->refreshWith($s, $f['client'], $f['tokens']['refresh_token']));
        $other = $this->fullFlow($s, 'alice', $f['client']); // another family of the same member and client
        $r = $this->revoke($s, ['token' => $next['refresh_token'], 'token_type_hint' => 'refresh_token', 'client_id' => $f['client']]);
        self::assertSame(200, $r->status, $r->body);
        self::assertSame('no-store', $r->header('Cache-Control'));
        self::assertFalse($this->works($s, $f['tokens']['access_token']));
        self::assertFalse($this->works($s, $next['access_token']));
        self::assertSame(400, $this->refreshWith($s, $f['client'], $next['refresh_token'])->status);
        self::assertTrue($this->works($s, $other['tokens']['access_token']), 'another family is untouched');
    }

    public function testRevokingAnAccessTokenRevokesThatTokenOnly(): void
    {
        $s = $this->server();
        $f = $this->fullFlow($s);
        // No hint: the refresh kind is tried first and does not match the access token's prefix.
        self::assertSame(200, $this->revoke($s, ['token' => $f['tokens']['access_token'], 'client_id' => $f['client']])->status);
        self::assertFalse($this->works($s, $f['tokens']['access_token']));
        $fresh = self::json($this->refreshWith($s, $f['client'], $f['tokens']['refresh_token']));
        self::assertTrue($this->works($s, $fresh['access_token']), 'the refresh token still works');
    }

    public function testAnUnknownTokenAndGarbageGet200(): void
    {
        $s = $this->server();
        $id = (string) $this->register($s)['client_id'];
        foreach (['mcprt_AAAAAAAAAAAAAAAA_' . str_repeat('A', 49), 'mcpat_x', 'eyJhbGciOiJub25lIn0.e30.', str_repeat('z', 3000)] as $token) {
            self::assertSame(200, $this->revoke($s, ['token' => $token, 'client_id' => $id])->status);
        }
    }

    public function testAnotherClientsTokenIsNotRevokedAndTheAnswerIsTheSame(): void
    {
        $s = $this->server();
        $f = $this->fullFlow($s);
        $thief = (string) $this->register($s)['client_id'];
        self::assertSame(200, $this->revoke($s, ['token' => $f['tokens']['refresh_token'], 'client_id' => $thief])->status);
        self::assertSame(200, $this->revoke($s, ['token' => $f['tokens']['access_token'], 'client_id' => $thief])->status);
        self::assertTrue($this->works($s, $f['tokens']['access_token']));
        self::assertSame(200, $this->refreshWith($s, $f['client'], $f['tokens']['refresh_token'])->status);
    }

    public function testTheClientAuthenticatesAsAtTheTokenEndpoint(): void
    {
        $s = $this->server();
        $reg = $this->register($s, ['token_endpoint_auth_method' => 'client_secret_post']);
        $f = $this->fullFlowConfidential($s, $reg['client_id'], $reg['client_secret']);
        $bad = $this->revoke($s, ['token' => $f['refresh_token'], 'client_id' => $reg['client_id'], 'client_secret' => 'mcpcs_wrong']);
        self::assertSame(401, $bad->status);
        self::assertSame('invalid_client', self::json($bad)['error']);
        self::assertSame(401, $this->revoke($s, ['token' => $f['refresh_token'], 'client_id' => $reg['client_id']])->status);
        self::assertTrue($this->works($s, $f['access_token']), 'a refused revocation revokes nothing');
        self::assertSame(200, $this->revoke($s, ['token' => $f['refresh_token'], 'client_id' => $reg['client_id'], 'client_secret' => $reg['client_secret']])->status);
        self::assertFalse($this->works($s, $f['access_token']));
        self::assertSame(401, $this->revoke($s, ['token' => 'x', 'client_id' => 'mcpc_nobody'])->status);
    }

    public function testMalformedRequestsAreJsonErrors(): void
    {
        $s = $this->server();
        $r = $this->revoke($s, ['client_id' => 'x']);
        self::assertSame(400, $r->status);
        self::assertSame('invalid_request', self::json($r)['error']);
        self::assertSame(405, $this->call($s, 'GET', '/oauth/revoke', member: null)->status);
    }

    /** @return array<string, mixed> the token response */
    private function fullFlowConfidential(OAuthServer $s, string $id, string $secret): array
    {
        [$query, $verifier] = self::authorizeQuery($id);
        $code = self::redirected($this->consent($s, $query))['code'];
        $r = $this->token($s, ['grant_type' => 'authorization_code', 'code' => $code, 'redirect_uri' => self::CALLBACK,
            'code_verifier' => $verifier, 'client_id' => $id, 'client_secret' => $secret]);
        self::assertSame(200, $r->status, $r->body);
        return self::json($r);
    }
}
