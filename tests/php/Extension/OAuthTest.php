<?php

declare(strict_types=1);

namespace McpGuard\Tests\Extension;

use McpGuard\Exception\ConfigurationException;
use McpGuard\Exception\GuardException;
use McpGuard\Exception\InvalidArgumentException;
use McpGuard\Exception\OAuthException;
use McpGuard\OAuth\AuthorizationServer;
use McpGuard\OAuth\ClientMetadata;
use McpGuard\OAuth\Pkce;
use McpGuard\OAuth\RevocationRequest;
use McpGuard\OAuth\TokenRequest;
use PHPUnit\Framework\TestCase;

/**
 * The OAuth decisions through the built module (issue 11, core layer): what
 * the glue's endpoints will ask. Each secure default has a test here that
 * fails if it is loosened.
 */
final class OAuthTest extends TestCase
{
    private const NOW = 1_800_000_000;
    private const VERIFIER = 'dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk';
    private const CHALLENGE = 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM';

    /** @return array{string, string, int} reason, errorCode, httpStatus */
    private static function refusal(callable $fn): array
    {
        try {
            $fn();
        } catch (OAuthException $e) {
            return [$e->reason(), $e->errorCode(), $e->httpStatus()];
        }
        self::fail('expected an OAuthException');
    }

    private static function server(array $extra = []): AuthorizationServer
    {
        return new AuthorizationServer($extra + [
            'issuer' => 'https://shop.example',
            'resource' => 'https://shop.example/mcp',
            'scopes' => ['read', 'write'],
        ]);
    }

    private static function client(): ClientMetadata
    {
        return ClientMetadata::fromRegistration(json_encode([
            'client_name' => 'Claude Code',
            'redirect_uris' => ['http://localhost/callback', 'https://client.example/cb'],
            'token_endpoint_auth_method' => 'none',
            'grant_types' => ['authorization_code', 'refresh_token'],
        ]));
    }

    private static function query(array $override = []): string
    {
        return http_build_query($override + [
            'response_type' => 'code',
            'client_id' => 'c1',
            'redirect_uri' => 'http://localhost:41234/callback',
            'code_challenge' => self::CHALLENGE,
            'code_challenge_method' => 'S256',
            'state' => 'st&1',
            'scope' => 'read write offline_access',
            'resource' => 'https://shop.example/mcp',
        ], '', '&', PHP_QUERY_RFC3986);
    }

    public function testPkceKnownAnswersFromTheVectorFile(): void
    {
        $lines = file(dirname(__DIR__, 2) . '/vectors/pkce.txt', FILE_IGNORE_NEW_LINES | FILE_SKIP_EMPTY_LINES);
        $count = 0;
        $verifier = null;
        foreach ($lines as $line) {
            if ($line[0] === '#') {
                continue;
            }
            [$k, $v] = explode(' = ', $line, 2);
            if ($k === 'Verifier') {
                $verifier = $v;
                continue;
            }
            self::assertSame($v, Pkce::challenge($verifier));
            Pkce::verify($v, $verifier);
            // Tampered: one flipped bit anywhere in the verifier is refused.
            for ($i = 0; $i < strlen($verifier); $i++) {
                $t = $verifier;
                $t[$i] = chr(ord($t[$i]) ^ 1);
                self::assertSame('invalid_grant', self::refusal(fn () => Pkce::verify($v, $t))[1]);
            }
            $count++;
        }
        self::assertSame(3, $count);
    }

    public function testPkceIsS256Only(): void
    {
        self::assertSame(self::CHALLENGE, Pkce::check(self::CHALLENGE, 'S256'));
        foreach ([null, 'plain', 's256', ''] as $method) {
            self::assertSame(['unsupported_challenge_method', 'invalid_request', 400], self::refusal(fn () => Pkce::check(self::CHALLENGE, $method)));
        }
        self::assertSame('invalid_code_challenge', self::refusal(fn () => Pkce::check(null, 'S256'))[0]);
        self::assertSame('invalid_code_challenge', self::refusal(fn () => Pkce::check(self::CHALLENGE . '=', 'S256'))[0]);
        // Downgrade: a code with a challenge, a token request without a verifier.
        self::assertSame(['invalid_code_verifier', 'invalid_grant', 400], self::refusal(fn () => Pkce::verify(self::CHALLENGE, null)));
        self::assertSame('invalid_code_verifier', self::refusal(fn () => Pkce::verify(self::CHALLENGE, str_repeat('a', 42)))[0]);
        self::assertSame('invalid_code_verifier', self::refusal(fn () => Pkce::verify(self::CHALLENGE, str_repeat('a', 129)))[0]);
    }

    public function testClientMetadataRules(): void
    {
        $c = self::client();
        self::assertSame('Claude Code', $c->name());
        self::assertSame('none', $c->authMethod());
        self::assertFalse($c->confidential());
        self::assertTrue($c->refresh());
        self::assertFalse($c->onlyLoopback());
        // Cursor registers a private-use scheme, https and loopback at once.
        $cursor = ClientMetadata::fromRegistration('{"redirect_uris":["cursor://anysphere.cursor-retrieval/oauth/callback","https://cursor.example/cb","http://127.0.0.1:6274/cb"]}');
        self::assertSame('client_secret_basic', $cursor->authMethod(), 'RFC 7591 default');
        self::assertCount(3, $cursor->redirectUris());
        self::assertEquals($cursor, ClientMetadata::fromRegistration($cursor->toJson()));
        foreach (['javascript:alert(1)', 'https://a.example/cb#x', 'http://a.example/cb', 'https://*.a.example/cb', 'data:text/html,x', 'https://u@a.example/cb'] as $bad) {
            self::assertSame(['invalid_redirect_uri', 'invalid_redirect_uri', 400], self::refusal(fn () => ClientMetadata::fromRegistration(json_encode(['redirect_uris' => ['https://ok.example/cb', $bad]]))), $bad);
        }
        self::assertSame('invalid_client_metadata', self::refusal(fn () => ClientMetadata::fromRegistration('{"redirect_uris":["https://a.example/cb"],"token_endpoint_auth_method":"private_key_jwt"}'))[1]);
        self::assertSame('invalid_client_metadata', self::refusal(fn () => ClientMetadata::fromRegistration('not json'))[1]);
        self::assertTrue(ClientMetadata::fromRegistration('{"redirect_uris":["http://127.0.0.1/cb"]}')->onlyLoopback());
    }

    public function testMetadataDocuments(): void
    {
        $id = 'https://client.example/oauth/metadata.json';
        $doc = json_encode(['client_id' => $id, 'client_name' => 'Example', 'redirect_uris' => ['https://client.example/cb'], 'token_endpoint_auth_method' => 'private_key_jwt']);
        $c = ClientMetadata::fromDocument($doc, $id);
        self::assertSame('none', $c->authMethod(), 'several methods offered: none is chosen');
        self::assertSame('invalid_client_metadata', self::refusal(fn () => ClientMetadata::fromDocument($doc, 'https://client.example/other.json'))[1]);
        self::assertSame('client.example', ClientMetadata::documentHost($id));
        self::assertNull(ClientMetadata::documentHost('registered-client-7'));
        self::assertSame(['invalid_client_id', 'invalid_client', 401], self::refusal(fn () => ClientMetadata::documentHost('https://client.example/a/../b')));
        foreach (['127.0.0.1', '10.0.0.1', '169.254.169.254', '::1', '::ffff:192.168.0.1', 'fd00::1', 'not an ip', ''] as $ip) {
            self::assertFalse(ClientMetadata::fetchTargetAllowed($ip), $ip);
        }
        self::assertTrue(ClientMetadata::fetchTargetAllowed('93.184.216.34'));
        self::assertSame(604800, ClientMetadata::cacheLifetime('max-age=99999999'));
        self::assertSame(0, ClientMetadata::cacheLifetime(null));
        self::assertSame(0, ClientMetadata::cacheLifetime('max-age=60, no-store'));
        self::assertSame(5120, ClientMetadata::maxDocumentBytes());
        self::assertSame(['host' => 'client.example', 'port' => 8443, 'authority' => 'Client.example:8443', 'path' => '/m.json'],
            ClientMetadata::documentTarget('https://Client.example:8443/m.json'));
        self::assertSame(443, ClientMetadata::documentTarget($id)['port']);
        self::assertSame('invalid_client_id', self::refusal(fn () => ClientMetadata::documentTarget('http://client.example/m'))[0]);
    }

    public function testConfigurationIsCheckedAndSecureByDefault(): void
    {
        $s = self::server();
        $meta = json_decode($s->metadata(), true, 8, JSON_THROW_ON_ERROR);
        self::assertSame(['S256'], $meta['code_challenge_methods_supported']);
        self::assertSame(['code'], $meta['response_types_supported']);
        self::assertSame(['none', 'client_secret_post', 'client_secret_basic'], $meta['token_endpoint_auth_methods_supported']);
        self::assertTrue($meta['client_id_metadata_document_supported']);
        self::assertTrue($meta['authorization_response_iss_parameter_supported']);
        self::assertContains('offline_access', $meta['scopes_supported']);
        $prm = json_decode($s->protectedResourceMetadata('Demo'), true, 8, JSON_THROW_ON_ERROR);
        self::assertSame('https://shop.example/mcp', $prm['resource']);
        self::assertNotContains('offline_access', $prm['scopes_supported']);
        self::assertSame('https://shop.example/.well-known/oauth-protected-resource/mcp', $s->protectedResourceMetadataUrl());
        self::assertSame('authorization_server', $s->route('/.well-known/oauth-authorization-server'));
        self::assertSame('authorization_server', $s->route('/.well-known/openid-configuration'));
        self::assertSame('protected_resource', $s->route('/.well-known/oauth-protected-resource/mcp'));
        self::assertNull($s->route('/mcp'));
        self::assertSame(3600, $s->accessTokenTtl());
        self::assertSame('Bearer resource_metadata="https://shop.example/.well-known/oauth-protected-resource/mcp"', $s->challenge());
        self::assertSame($s->challenge() . ', error="invalid_token"', $s->challenge(true));
        self::assertSame(['query' => 'a=b&c', 'decision' => 'allow'], AuthorizationServer::formFields('query=a%3Db%26c&decision=allow', ['query', 'decision', 'csrf_token']));
        foreach (['query=a&other=1', 'query=a&query=b', 'query=%ff', 'query=%0a', 'query=%'] as $bad) {
            self::assertNull(AuthorizationServer::formFields($bad, ['query']), $bad);
        }

        foreach ([['issuer' => 'http://shop.example'], ['scopes' => ['offline_access']], ['codeTtl' => 601], ['refreshGrace' => 301]] as $bad) {
            try {
                self::server($bad);
                self::fail('accepted ' . json_encode($bad));
            } catch (ConfigurationException $e) {
                self::assertSame('invalid_oauth_configuration', $e->reason());
            }
        }
        $this->expectException(InvalidArgumentException::class);
        self::server(['codeTTL' => 30]);
    }

    /**
     * `dangerousAllowHttpLoopback` lets http loopback issuer and resource URLs through
     * (local development, the endpoint tests' php -S servers) and nothing else: it was
     * read after the URLs had been refused, so it never took effect.
     */
    public function testHttpLoopbackIsAcceptedOnlyWhenDangerouslyAllowed(): void
    {
        $local = ['issuer' => 'http://127.0.0.1:8080', 'resource' => 'http://127.0.0.1:8080/mcp'];
        $s = self::server($local + ['dangerousAllowHttpLoopback' => true]);
        self::assertSame('http://127.0.0.1:8080/mcp', $s->resource());
        self::assertSame('http://127.0.0.1:8080/.well-known/oauth-protected-resource/mcp', $s->protectedResourceMetadataUrl());
        foreach ([$local, $local + ['dangerousAllowHttpLoopback' => false],
            ['issuer' => 'http://shop.example', 'dangerousAllowHttpLoopback' => true],
            ['resource' => 'http://127.0.0.1.evil.example/mcp', 'dangerousAllowHttpLoopback' => true]] as $bad) {
            try {
                self::server($bad);
                self::fail('accepted ' . json_encode($bad));
            } catch (ConfigurationException $e) {
                self::assertSame('invalid_oauth_configuration', $e->reason());
            }
        }
    }

    public function testAuthorizationRequestAndCodeRoundTrip(): void
    {
        $s = self::server();
        self::assertSame('c1', $s->authorizationClientId(self::query()));
        $r = $s->authorize(self::query(), self::client());
        self::assertTrue($r->ok(), (string) $r->reason());
        $req = $r->request();
        self::assertSame(['read', 'write'], $req->scopes());
        self::assertTrue($req->offlineAccess());
        self::assertSame('localhost:41234', $req->redirectHost());
        self::assertSame('http://localhost:41234', $req->redirectOrigin());
        self::assertTrue($req->redirectIsLoopback());
        // Claude asks for everything: a viewer gets only what the role allows.
        self::assertSame(['read'], $req->grantable(['discover', 'read']));
        self::assertNull($req->grantable(['discover']));

        $issued = $s->issueCode($req, 'member:7', ['read'], self::NOW);
        $url = parse_url($issued->redirectUri());
        parse_str($url['query'], $params);
        self::assertSame('st&1', $params['state']);
        self::assertSame('https://shop.example', $params['iss']);
        self::assertSame($issued->hash(), $s->codeHash($params['code']));
        self::assertSame(self::NOW + 60, $issued->expiresAt());

        $body = http_build_query(['grant_type' => 'authorization_code', 'code' => $params['code'], 'redirect_uri' => 'http://localhost:41234/callback', 'code_verifier' => self::VERIFIER, 'client_id' => 'c1', 'resource' => 'https://shop.example/mcp']);
        $tr = TokenRequest::parse($body, null);
        self::assertSame('authorization_code', $tr->grantType());
        $tr->checkAuthMethod(self::client());
        $s->checkResource($tr);
        $granted = $s->redeemCode($issued->binding(), $tr, self::NOW + 10);
        self::assertSame('member:7', $granted['member']);
        self::assertSame(['read'], $granted['scopes']);

        // Every binding: another port, another client, a wrong verifier, expired.
        $other = TokenRequest::parse(str_replace('41234', '41235', $body), null);
        self::assertSame(['code_redirect_mismatch', 'invalid_grant', 400], self::refusal(fn () => $s->redeemCode($issued->binding(), $other, self::NOW)));
        $wrongClient = TokenRequest::parse(str_replace('client_id=c1', 'client_id=c2', $body), null);
        self::assertSame('code_client_mismatch', self::refusal(fn () => $s->redeemCode($issued->binding(), $wrongClient, self::NOW))[0]);
        $noVerifier = TokenRequest::parse(preg_replace('/&code_verifier=[^&]+/', '', $body), null);
        self::assertSame('invalid_code_verifier', self::refusal(fn () => $s->redeemCode($issued->binding(), $noVerifier, self::NOW))[0]);
        self::assertSame('code_expired', self::refusal(fn () => $s->redeemCode($issued->binding(), $tr, self::NOW + 60))[0]);
        self::assertSame('invalid_code', self::refusal(fn () => $s->codeHash('short'))[0]);
    }

    public function testAuthorizationErrorsAreShownOrRedirected(): void
    {
        $s = self::server();
        $shown = $s->authorize(self::query(['redirect_uri' => 'https://evil.example/cb']), self::client());
        self::assertFalse($shown->ok());
        self::assertNull($shown->redirectUri(), 'never redirect to an unregistered URI');
        self::assertSame('redirect_uri_mismatch', $shown->reason());

        $plain = $s->authorize(self::query(['code_challenge_method' => 'plain']), self::client());
        self::assertSame('invalid_request', $plain->error());
        $url = parse_url($plain->redirectUri());
        parse_str($url['query'], $p);
        self::assertSame(['error' => 'invalid_request', 'state' => 'st&1', 'iss' => 'https://shop.example'], $p);

        $target = $s->authorize(self::query(['resource' => 'https://other.example/mcp']), self::client());
        self::assertSame('invalid_target', $target->error());
        $dup = $s->authorize(self::query() . '&client_id=c2', self::client());
        self::assertSame('duplicate_parameter', $dup->reason());
        self::assertNull($dup->redirectUri());
        $denied = $s->authorize(self::query(), self::client())->request()->deniedRedirectUri();
        self::assertStringContainsString('error=access_denied', $denied);
    }

    public function testRefreshRule(): void
    {
        $s = self::server();
        $state = ['expiresAt' => self::NOW + 100, 'rotatedAt' => null, 'graceSuccessors' => 0, 'successorUsed' => false, 'familyRevoked' => false];
        self::assertSame('rotate', $s->refreshDecision($state, self::NOW));
        $rotated = ['rotatedAt' => self::NOW] + $state;
        self::assertSame('rotate_again', $s->refreshDecision($rotated, self::NOW + 30), 'benign race within 30 s');
        self::assertSame('revoke_family', $s->refreshDecision($rotated, self::NOW + 31));
        self::assertSame('revoke_family', $s->refreshDecision(['successorUsed' => true] + $rotated, self::NOW + 1));
        self::assertSame('revoke_family', self::server(['refreshGrace' => 0])->refreshDecision($rotated, self::NOW));
        self::assertSame('refresh_expired', self::refusal(fn () => $s->refreshDecision($state, self::NOW + 100))[0]);
        self::assertSame('refresh_revoked', self::refusal(fn () => $s->refreshDecision(['familyRevoked' => true] + $state, self::NOW))[0]);
        self::assertSame(['read'], $s->narrowScopes(['read', 'write'], 'read'));
        self::assertSame('invalid_scope', self::refusal(fn () => $s->narrowScopes(['read'], 'read write'))[1]);
        $this->expectException(InvalidArgumentException::class);
        $s->refreshDecision(['expiresAt' => 'soon'], self::NOW);
    }

    public function testTokenAndRevocationRequests(): void
    {
        $basic = 'Basic ' . base64_encode(rawurlencode('c:1') . ':' . rawurlencode('s+cret'));
        $t = TokenRequest::parse('grant_type=refresh_token&refresh_token=rt&scope=read', $basic);
        self::assertSame(['c:1', 's+cret', 'rt', 'read'], [$t->clientId(), $t->clientSecret(), $t->refreshToken(), $t->scope()]);
        $confidential = ClientMetadata::fromRegistration('{"redirect_uris":["https://a.example/cb"]}');
        $t->checkAuthMethod($confidential);
        self::assertSame(['invalid_client', 'invalid_client', 401], self::refusal(fn () => $t->checkAuthMethod(self::client())));
        self::assertSame('unsupported_grant_type', self::refusal(fn () => TokenRequest::parse('grant_type=password&client_id=c', null))[1]);
        self::assertSame('multiple_client_auth', self::refusal(fn () => TokenRequest::parse('grant_type=refresh_token&refresh_token=r&client_secret=x', $basic))[0]);
        self::assertSame('duplicate_parameter', self::refusal(fn () => TokenRequest::parse('grant_type=refresh_token&refresh_token=a&refresh_token=b&client_id=c', null))[0]);
        $r = RevocationRequest::parse('token=abc&token_type_hint=refresh_token&client_id=c1', null);
        self::assertSame(['abc', 'refresh_token', 'c1', null], [$r->token(), $r->hint(), $r->clientId(), $r->clientSecret()]);
    }

    public function testOAuthExceptionsBelongToTheTree(): void
    {
        try {
            Pkce::check(null, 'plain');
            self::fail('no exception');
        } catch (GuardException $e) {
            self::assertInstanceOf(OAuthException::class, $e);
            self::assertSame('Only the S256 code challenge method is supported.', $e->getMessage());
        }
        // Constructed by PHP code: no reason, the generic code and status.
        $own = new OAuthException('x');
        self::assertSame('unspecified', $own->reason());
        self::assertSame('invalid_request', $own->errorCode());
        self::assertSame(400, $own->httpStatus());
    }
}
