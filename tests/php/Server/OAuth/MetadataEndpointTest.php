<?php

declare(strict_types=1);

namespace McpGuard\Tests\Server\OAuth;

require_once __DIR__ . '/OAuthEndpointTestCase.php';

use McpGuard\Jwt\Signer;
use McpGuard\Server\Http\Request;

/** The well-known documents: the extension's bodies byte for byte, public caching and CORS for them only. */
final class MetadataEndpointTest extends OAuthEndpointTestCase
{
    public function testEveryWellKnownPathServesTheExtensionsDocumentByteForByte(): void
    {
        $s = $this->server();
        $core = $this->config()->server;
        foreach (['/.well-known/oauth-authorization-server', '/.well-known/openid-configuration'] as $path) {
            $r = $this->call($s, 'GET', $path, member: null);
            self::assertSame(200, $r->status, $path);
            self::assertSame($core->metadata(), $r->body, $path);
            self::assertSame('application/json', $r->header('Content-Type'));
        }
        foreach (['/.well-known/oauth-protected-resource/mcp', '/.well-known/oauth-protected-resource'] as $path) {
            $r = $this->call($s, 'GET', $path, member: null);
            self::assertSame($core->protectedResourceMetadata('Demo shop MCP'), $r->body, $path);
            // RFC 9728 §3.3: the resource is the MCP URL exactly, as the client compares it.
            self::assertStringContainsString('"resource":"https://shop.example/mcp"', $r->body);
            self::assertNotContains('offline_access', self::json($r)['scopes_supported']);
        }
        $as = json_decode($core->metadata(), true);
        self::assertSame('https://shop.example/oauth/token', $as['token_endpoint']);
        self::assertSame('https://shop.example/oauth/register', $as['registration_endpoint']);
        self::assertSame('https://shop.example/oauth/revoke', $as['revocation_endpoint']);
        self::assertArrayNotHasKey('jwks_uri', $as, 'no JWKS while access tokens are opaque');
        self::assertNull($s->handle(new Request('GET', '/oauth/jwks')), 'no JWKS path either');
        self::assertNull($s->handle(new Request('GET', '/.well-known/oauth-protected-resource/other')));
    }

    public function testTheDocumentsNameTheConfiguredIssuerWhateverTheHostHeaderSays(): void
    {
        $r = $this->call($this->server(), 'GET', '/.well-known/oauth-authorization-server', '', '',
            ['Host' => 'evil.example', 'X-Forwarded-Host' => 'evil.example'], null);
        self::assertStringNotContainsString('evil', $r->body);
        self::assertSame(self::ISSUER, self::json($r)['issuer']);
    }

    public function testPublicDocumentsAreCacheableAndOpenToEveryOriginAndNothingElseIs(): void
    {
        $s = $this->server(['metadataMaxAge' => 900]);
        $r = $this->call($s, 'GET', '/.well-known/oauth-protected-resource/mcp', '', '', ['Origin' => 'https://inspector.example'], null);
        self::assertSame('*', $r->header('Access-Control-Allow-Origin'));
        self::assertSame('public, max-age=900', $r->header('Cache-Control'));
        $pre = $this->call($s, 'OPTIONS', '/.well-known/oauth-authorization-server', '', '', ['Origin' => 'https://inspector.example',
            'Access-Control-Request-Method' => 'GET', 'Access-Control-Request-Headers' => 'mcp-protocol-version'], null);
        self::assertSame(204, $pre->status);
        self::assertSame('*', $pre->header('Access-Control-Allow-Origin'));
        self::assertStringContainsString('MCP-Protocol-Version', (string) $pre->header('Access-Control-Allow-Headers'));
        self::assertSame(405, $this->call($s, 'POST', '/.well-known/oauth-authorization-server', member: null)->status);

        $reg = $this->call($s, 'POST', '/oauth/register', '', '{}', ['Origin' => 'https://inspector.example'], null);
        $tok = $this->call($s, 'POST', '/oauth/token', '', 'grant_type=x', ['Origin' => 'https://inspector.example'], null);
        $auth = $this->call($s, 'GET', '/oauth/authorize', 'client_id=x', '', ['Origin' => 'https://inspector.example']);
        foreach ([$reg, $tok, $auth] as $private) {
            self::assertNull($private->header('Access-Control-Allow-Origin'), 'CORS is for the public documents only');
            self::assertSame('no-store', $private->header('Cache-Control'));
        }
    }

    public function testJwtAccessTokensPublishTheirKeySetAndSayWhere(): void
    {
        $signer = Signer::generate('ES256');
        $s = $this->server(['accessTokenFormat' => 'jwt', 'signer' => $signer]);
        $as = self::json($this->call($s, 'GET', '/.well-known/oauth-authorization-server', member: null));
        self::assertSame('https://shop.example/oauth/jwks', $as['jwks_uri']);
        $jwks = $this->call($s, 'GET', '/oauth/jwks', member: null);
        self::assertSame(200, $jwks->status);
        self::assertSame($signer->jwks(), $jwks->body);
        self::assertSame('*', $jwks->header('Access-Control-Allow-Origin'));
        self::assertStringNotContainsString('"d"', $jwks->body, 'no private key part');
    }

    public function testAnHmacSignerIsRefusedForJwtAccessTokensItsKeySetWouldBeTheSecret(): void
    {
        $this->expectException(\McpGuard\Exception\InvalidArgumentException::class);
        $this->config(['accessTokenFormat' => 'jwt', 'signer' => Signer::fromSecret(str_repeat('k', 32))]);
    }

    public function testEndpointPathsAndPublishedUrlsComeFromOneSetting(): void
    {
        $s = $this->server(['paths' => ['token' => '/shop/oauth2/token'], 'baseUrl' => 'https://shop.example/']);
        $as = self::json($this->call($s, 'GET', '/.well-known/oauth-authorization-server', member: null));
        self::assertSame('https://shop.example/shop/oauth2/token', $as['token_endpoint']);
        self::assertSame(400, $this->call($s, 'POST', '/shop/oauth2/token', '', 'grant_type=x', member: null)->status);
        self::assertNull($s->handle(new Request('POST', '/oauth/token')));
        $this->expectException(\McpGuard\Exception\InvalidArgumentException::class);
        $this->config(['paths' => ['token' => '//evil.example/token']]);
    }
}
