<?php

declare(strict_types=1);

namespace McpGuard\Tests\Server\OAuth;

require_once __DIR__ . '/OAuthEndpointTestCase.php';

use McpGuard\OAuth\ClientMetadata;
use McpGuard\Server\OAuth\Client\ClientResolver;
use McpGuard\Tokens;

/** RFC 7591 registration: JSON in and out, the 201 body, secrets shown once, housekeeping, rate limits. */
final class RegisterEndpointTest extends OAuthEndpointTestCase
{
    public function testTheCreatedBodyNamesTheClientEchoesItsUrisAndTheAssignedMethod(): void
    {
        $uris = ['cursor://anysphere.cursor-retrieval/oauth/callback', 'https://cursor.example/cb', 'http://127.0.0.1:6274/callback'];
        $body = $this->register($this->server(), ['client_name' => 'Cursor', 'redirect_uris' => $uris]);
        self::assertMatchesRegularExpression('/^mcpc_[0-9a-f]{32}$/', $body['client_id']);
        self::assertSame($uris, $body['redirect_uris'], 'every URI echoed back, in order (an empty list broke Claude Desktop)');
        self::assertSame('none', $body['token_endpoint_auth_method']);
        self::assertSame(self::NOW, $body['client_id_issued_at']);
        self::assertSame(['authorization_code', 'refresh_token'], $body['grant_types']);
        self::assertArrayNotHasKey('client_secret', $body, 'a public client gets no secret');
        $row = $this->stores->clients->find(ClientResolver::key($body['client_id']));
        self::assertNotNull($row);
        self::assertSame('registered', $row->kind);
        self::assertNull($row->secretHash);
        self::assertNull($row->consentedAt);
    }

    public function testWithoutAMethodTheClientIsConfidentialAndItsSecretIsShownOnceAndStoredHashed(): void
    {
        $s = $this->server();
        $body = $this->register($s, ['token_endpoint_auth_method' => null]);
        self::assertSame('client_secret_basic', $body['token_endpoint_auth_method'], "RFC 7591's default, as assigned");
        self::assertStringStartsWith('mcpcs_', $body['client_secret']);
        self::assertSame(0, $body['client_secret_expires_at']);
        $stored = $this->storedBytes();
        self::assertStringNotContainsString($body['client_secret'], $stored, 'the secret itself is never stored');
        $row = $this->stores->clients->find(ClientResolver::key($body['client_id']));
        self::assertNotNull($row?->secretHash);
        // The stored hash is the extension's hash of exactly that secret.
        (new Tokens('mcpcs'))->verify($body['client_secret'], $row->secretHash);
        $again = $this->register($s, ['token_endpoint_auth_method' => 'client_secret_post']);
        self::assertNotSame($body['client_secret'], $again['client_secret']);
        self::assertNotSame($body['client_id'], $again['client_id']);
        self::assertSame('client_secret_post', $again['token_endpoint_auth_method']);
    }

    /** @return iterable<string, array{string, string}> */
    public static function refusals(): iterable
    {
        $uris = static fn (string ...$u): string => json_encode(['client_name' => 'x', 'redirect_uris' => $u]);
        yield 'javascript: redirect' => [$uris('javascript:alert(1)'), 'invalid_redirect_uri'];
        yield 'http off loopback' => [$uris('http://evil.example/cb'), 'invalid_redirect_uri'];
        yield 'a fragment' => [$uris('https://app.example/cb#x'), 'invalid_redirect_uri'];
        yield 'a wildcard' => [$uris('https://*.example/cb'), 'invalid_redirect_uri'];
        yield 'one bad URI among good ones' => [$uris('https://app.example/cb', 'data:text/html,x'), 'invalid_redirect_uri'];
        yield 'no redirect URIs' => ['{"client_name":"x"}', 'invalid_redirect_uri'];
        yield 'not JSON' => ['client_name=x', 'invalid_client_metadata'];
        yield 'a JSON list' => ['[1,2]', 'invalid_client_metadata'];
        yield 'an empty body' => ['', 'invalid_client_metadata'];
        yield 'an unsupported auth method' => [json_encode(['redirect_uris' => ['https://a.example/cb'], 'token_endpoint_auth_method' => 'private_key_jwt']), 'invalid_client_metadata'];
        yield 'a duplicate key' => ['{"redirect_uris":["https://a.example/cb"],"redirect_uris":["https://evil.example/cb"]}', 'invalid_client_metadata'];
        yield 'over 5 KiB' => [json_encode(['client_name' => str_repeat('a', 6000), 'redirect_uris' => ['https://a.example/cb']]), 'invalid_client_metadata'];
        yield 'not UTF-8' => ["{\"client_name\":\"\xff\",\"redirect_uris\":[\"https://a.example/cb\"]}", 'invalid_client_metadata'];
    }

    /** @dataProvider refusals */
    public function testRefusalsAreJsonErrorsNeverHtmlNeverARedirect(string $body, string $error): void
    {
        $r = $this->call($this->server(), 'POST', '/oauth/register', '', $body, ['Content-Type' => 'application/json'], null);
        self::assertSame(400, $r->status, $r->body);
        self::assertNull($r->header('Location'));
        self::assertSame($error, self::json($r)['error']);
        self::assertSame('no-store', $r->header('Cache-Control'));
        self::assertSame('[]', json_encode(array_filter(json_decode($this->storedBytes(), true))), 'nothing stored');
    }

    public function testOnlyPostIsAccepted(): void
    {
        $r = $this->call($this->server(), 'GET', '/oauth/register', member: null);
        self::assertSame(405, $r->status);
        self::assertSame('POST', $r->header('Allow'));
        self::assertSame('invalid_request', self::json($r)['error']);
    }

    public function testRegistrationsThatNeverReachConsentAreCappedAndExpire(): void
    {
        $s = $this->server(['maxUnconsentedClients' => 2, 'unconsentedClientTtl' => 600]);
        $first = $this->register($s)['client_id'];
        $this->register($s);
        $full = $this->call($s, 'POST', '/oauth/register', '', json_encode(['redirect_uris' => [self::CALLBACK], 'token_endpoint_auth_method' => 'none']), member: null);
        self::assertSame(503, $full->status);
        self::assertSame('temporarily_unavailable', self::json($full)['error']);
        self::assertSame('3600', $full->header('Retry-After'));
        self::assertSame(2, $this->stores->clients->countUnconsented());

        // A consented client no longer counts, and never expires for want of consent.
        $this->consent($s, self::authorizeQuery($first)[0]);
        self::assertSame(1, $this->stores->clients->countUnconsented());
        $this->register($s);

        $this->now += 601;
        $this->register($s); // prunes the two unconsented ones first
        self::assertSame(1, $this->stores->clients->countUnconsented());
        self::assertNotNull($this->stores->clients->find(ClientResolver::key($first)), 'the consented one stays');
    }

    public function testAnUnconsentedRegistrationPastItsLifetimeIsUnknownEvenBeforeItIsPruned(): void
    {
        $s = $this->server(['unconsentedClientTtl' => 600]);
        $id = $this->register($s)['client_id'];
        $this->now += 601;
        $r = $this->call($s, 'GET', '/oauth/authorize', self::authorizeQuery($id)[0]);
        self::assertSame(400, $r->status);
        self::assertStringContainsString('not known', $r->body);
    }

    public function testClientsExpireAfterTheConfiguredIdleTime(): void
    {
        $s = $this->server(['clientIdleTtl' => 3600]);
        $flow = $this->fullFlow($s);
        $this->now += 3000;
        $this->refreshWith($s, $flow['client'], $flow['tokens']['refresh_token']); // a use: the idle time starts again
        $this->now += 3000;
        self::assertNotNull($this->server(['clientIdleTtl' => 3600])->resolver()->resolve($flow['client'], $this->now));
        $this->now += 3601;
        self::assertNull($this->server(['clientIdleTtl' => 3600])->resolver()->resolve($flow['client'], $this->now), 'idle too long: gone');
        self::assertNull($this->stores->clients->find(ClientResolver::key($flow['client'])));
    }

    public function testRegistrationIsRateLimitedPerAddressAndRegistrationWithHeaders(): void
    {
        $s = $this->server(['rateLimits' => ['register' => ['limit' => 2, 'period' => 3600]]], false);
        $body = json_encode(['client_name' => 'Claude', 'redirect_uris' => ['https://claude.ai/api/mcp/auth_callback'], 'token_endpoint_auth_method' => 'none']);
        $ok = $this->call($s, 'POST', '/oauth/register', '', $body, member: null);
        self::assertSame(201, $ok->status);
        self::assertSame('"oauth_register";q=2;w=3600', $ok->header('RateLimit-Policy'));
        self::assertMatchesRegularExpression('/^"oauth_register";r=1;t=\d+$/', (string) $ok->header('RateLimit'));
        // The same registration with other whitespace and key order is the same key (the extension's normal form).
        $same = json_encode(['token_endpoint_auth_method' => 'none', 'redirect_uris' => ['https://claude.ai/api/mcp/auth_callback'], 'client_name' => 'Claude'], JSON_PRETTY_PRINT);
        self::assertSame(201, $this->call($s, 'POST', '/oauth/register', '', $same, member: null)->status);
        $limited = $this->call($s, 'POST', '/oauth/register', '', $body, member: null);
        self::assertSame(429, $limited->status);
        self::assertSame('temporarily_unavailable', self::json($limited)['error']);
        self::assertGreaterThan(0, (int) $limited->header('Retry-After'));
        self::assertNotNull($limited->header('RateLimit'));

        // More than the IP: another registration from the same address, and the same one from another address, pass.
        $other = json_encode(['client_name' => 'Cursor', 'redirect_uris' => [self::CALLBACK], 'token_endpoint_auth_method' => 'none']);
        self::assertSame(201, $this->call($s, 'POST', '/oauth/register', '', $other, member: null)->status);
        self::assertSame(201, $this->call($s, 'POST', '/oauth/register', '', $body, member: null, ip: '2001:db8:ffff:1::9')->status);
        // …but an IPv6 address in the same /64 is the same address.
        self::assertSame(429, $this->call($s, 'POST', '/oauth/register', '', $body, member: null, ip: preg_replace('/::7$/', '::8', $this->ip))->status);
    }

    public function testTheStoredMetadataIsTheExtensionsNormalFormAndReadsBack(): void
    {
        $id = $this->register($this->server(), ['client_name' => 'Tool <b>', 'scope' => 'read'])['client_id'];
        $row = $this->stores->clients->find(ClientResolver::key($id));
        self::assertNotNull($row);
        $meta = ClientMetadata::fromRegistration($row->metadata);
        self::assertSame('Tool <b>', $meta->name());
        self::assertSame($meta->toJson(), $row->metadata);
    }
}
