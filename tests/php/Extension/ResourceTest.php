<?php

declare(strict_types=1);

namespace McpGuard\Tests\Extension;

use McpGuard\Exception\ConfigurationException;
use McpGuard\Exception\InvalidArgumentException;
use McpGuard\OAuth\AuthorizationServer;
use McpGuard\Resource\Challenge;
use McpGuard\Resource\Origins;
use McpGuard\Resource\Transport;
use PHPUnit\Framework\TestCase;

/**
 * McpGuard\Resource through the built extension: the known answers of
 * tests/vectors/resource_cases.json (the file src/core/resource/vectors.rs
 * reads too) and the secure defaults.
 */
final class ResourceTest extends TestCase
{
    private const OWN = 'https://shop.example/mcp';
    private const PRM = 'https://shop.example/.well-known/oauth-protected-resource/mcp';

    /** @return array<string, list<array<string, mixed>>> */
    private static function vectors(): array
    {
        $text = file_get_contents(dirname(__DIR__, 2) . '/vectors/resource_cases.json');
        self::assertIsString($text);
        $doc = json_decode($text, true, 16, JSON_THROW_ON_ERROR);
        self::assertSame(['about', 'origin', 'preflight', 'transport', 'challenge', 'configuration'], array_keys($doc));
        return $doc;
    }

    /**
     * @param array<string, mixed> $case
     * @param list<string> $keys every key the case may have
     */
    private static function keys(array $case, array $keys): void
    {
        self::assertSame([], array_diff(array_keys($case), $keys), $case['source']);
    }

    public function testOriginVectors(): void
    {
        $n = 0;
        foreach (self::vectors()['origin'] as $c) {
            self::keys($c, ['source', 'allowed', 'origin', 'expect', 'status', 'headers']);
            $r = (new Origins(self::OWN, $c['allowed']))->check($c['origin']);
            $refused = !in_array($c['expect'], ['no_origin', 'same_origin', 'cross'], true);
            self::assertSame(!$refused, $r->allowed(), $c['source']);
            self::assertSame($refused ? $c['expect'] : null, $r->reason(), $c['source']);
            self::assertSame($c['status'] ?? null, $r->status(), $c['source']);
            self::assertSame($c['expect'] === 'cross', $r->crossOrigin(), $c['source']);
            self::assertFalse($r->isPreflight());
            self::assertSame($c['headers'], $r->headers(), $c['source']);
            $n++;
        }
        self::assertGreaterThan(10, $n);
    }

    public function testPreflightVectors(): void
    {
        foreach (self::vectors()['preflight'] as $c) {
            self::keys($c, ['source', 'allowed', 'method', 'origin', 'requestMethod', 'requestHeaders', 'expect', 'status']);
            $o = new Origins(self::OWN, $c['allowed']);
            $r = $o->preflight($c['method'], $c['origin'], $c['requestMethod'], $c['requestHeaders'] ?? null);
            self::assertSame($c['status'] ?? null, $r->status(), $c['source']);
            self::assertSame($c['expect'] !== 'not_preflight', $r->isPreflight(), $c['source']);
            if ($c['expect'] === 'allowed') {
                self::assertTrue($r->allowed());
                self::assertNull($r->reason());
                self::assertSame([
                    'Access-Control-Allow-Origin' => strtolower($c['origin']),
                    'Access-Control-Allow-Methods' => 'POST',
                    'Access-Control-Allow-Headers' => 'Authorization, Content-Type, Accept, MCP-Protocol-Version, Mcp-Method, Mcp-Name',
                    'Access-Control-Max-Age' => '600',
                    'Vary' => 'Origin',
                ], $r->headers(), $c['source']);
            } elseif ($c['expect'] === 'not_preflight') {
                self::assertTrue($r->allowed());
                self::assertSame([], $r->headers());
            } else {
                self::assertSame($c['expect'], $r->reason(), $c['source']);
                self::assertSame([], $r->headers(), 'a refused preflight gets no CORS header');
            }
        }
    }

    public function testTransportVectors(): void
    {
        foreach (self::vectors()['transport'] as $c) {
            self::keys($c, ['source', 'proxies', 'dangerous', 'server', 'secure', 'clientIp', 'reason', 'status']);
            $t = new Transport($c['proxies'], $c['dangerous'] ?? false);
            // Keys the check must not read are present too, as in $_SERVER.
            $r = $t->inspect($c['server'] + ['REQUEST_URI' => '/mcp', 'HTTP_X_REAL_IP' => '6.6.6.6', 'SERVER_PORT' => '443']);
            self::assertSame($c['secure'], $r->secure(), $c['source']);
            self::assertSame($c['clientIp'], $r->clientIp(), $c['source']);
            self::assertSame($c['reason'], $r->reason(), $c['source']);
            self::assertSame($c['reason'] !== null, $r->refused(), $c['source']);
            self::assertSame($c['reason'] === null, $r->allowed(), $c['source']);
            self::assertSame($c['status'] ?? null, $r->status(), $c['source']);
        }
    }

    public function testChallengeVectors(): void
    {
        foreach (self::vectors()['challenge'] as $c) {
            self::keys($c, ['source', 'kind', 'url', 'scopes', 'invalidToken', 'expect', 'error']);
            $build = static fn () => $c['kind'] === 'unauthorized'
                ? Challenge::unauthorized($c['url'], $c['scopes'], $c['invalidToken'])
                : Challenge::insufficientScope($c['url'], $c['scopes']);
            if (isset($c['expect'])) {
                self::assertSame($c['expect'], $build(), $c['source']);
                continue;
            }
            try {
                $build();
                self::fail('expected ' . $c['error'] . ': ' . $c['source']);
            } catch (ConfigurationException $e) {
                self::assertSame($c['error'], $e->reason(), $c['source']);
                self::assertStringNotContainsString('"', $e->getMessage(), 'the message never carries the input');
            }
        }
    }

    public function testConfigurationVectors(): void
    {
        foreach (self::vectors()['configuration'] as $c) {
            self::keys($c, ['source', 'kind', 'value', 'error']);
            try {
                $c['kind'] === 'origin' ? new Origins(self::OWN, [$c['value']]) : new Transport([$c['value']]);
                self::fail('expected ' . $c['error'] . ': ' . $c['source']);
            } catch (ConfigurationException $e) {
                self::assertSame($c['error'], $e->reason(), $c['source']);
                self::assertSame('server_error', $e->errorCode());
            }
        }
    }

    public function testDefaultsAreStrict(): void
    {
        // CORS off: a foreign origin is refused and no CORS header is ever sent.
        $o = new Origins(self::OWN);
        self::assertSame([], $o->allowed());
        self::assertSame('https://shop.example', $o->own());
        self::assertSame('origin_not_allowed', $o->check('https://app.example')->reason());
        self::assertSame([], $o->check('https://shop.example')->headers());
        self::assertSame('cors_disabled', $o->preflight('OPTIONS', 'https://shop.example', 'POST', null)->reason());
        // No trusted proxy, no risky option: plain HTTP is refused even on loopback.
        $t = new Transport();
        $r = $t->inspect(['REMOTE_ADDR' => '127.0.0.1', 'HTTP_HOST' => 'localhost']);
        self::assertSame(['https_required', 403], [$r->reason(), $r->status()]);
        $r = $t->inspect(['REMOTE_ADDR' => '192.0.2.1', 'HTTPS' => 'on', 'HTTP_X_FORWARDED_FOR' => '10.0.0.1']);
        self::assertSame(['192.0.2.1', false], [$r->clientIp(), $r->viaProxy()]);
        $dev = new Transport([], true);
        self::assertTrue($dev->inspect(['REMOTE_ADDR' => '127.0.0.1', 'HTTP_HOST' => 'localhost'])->allowed());
        self::assertSame('https_required', $dev->inspect(['REMOTE_ADDR' => '127.0.0.1', 'HTTP_HOST' => 'evil.example'])->reason());
        // The allowed origins come back in their RFC 6454 form.
        self::assertSame(['https://app.example', 'http://localhost:3000'], (new Origins(self::OWN, ['HTTPS://App.Example:443', 'http://LOCALHOST:3000']))->allowed());
        $this->expectException(ConfigurationException::class);
        new Origins(self::OWN, [], 7201);
    }

    public function testTheServerArrayIsReadInPlaceAndTypeChecked(): void
    {
        $t = new Transport(['10.0.0.0/8']);
        $server = $_SERVER;
        $server['REMOTE_ADDR'] = '10.0.0.1';
        $server['HTTP_X_FORWARDED_FOR'] = '203.0.113.9';
        $server['HTTP_X_FORWARDED_PROTO'] = 'https';
        $ref = &$server['HTTP_X_FORWARDED_FOR'];
        $r = $t->inspect($server);
        self::assertSame(['203.0.113.9', true, true], [$r->clientIp(), $r->secure(), $r->viaProxy()]);
        $server['HTTP_FORWARDED'] = null;
        self::assertTrue($t->inspect($server)->allowed(), 'null counts as absent');
        foreach ([5, ['x'], 1.5, true] as $bad) {
            try {
                $t->inspect(['REMOTE_ADDR' => $bad]);
                self::fail('a non-string REMOTE_ADDR was accepted');
            } catch (InvalidArgumentException $e) {
                self::assertSame("\$server['REMOTE_ADDR'] must be a string.", $e->getMessage());
            }
        }
        try {
            new Transport([10]);
            self::fail('a non-string proxy was accepted');
        } catch (InvalidArgumentException) {
            self::addToAssertionCount(1);
        }
    }

    public function testAuthorizationServerChallengeIsBuiltByTheSameCore(): void
    {
        $as = new AuthorizationServer(['issuer' => 'https://shop.example', 'resource' => self::OWN, 'scopes' => ['read']]);
        self::assertSame(Challenge::unauthorized(self::PRM), $as->challenge());
        self::assertSame(Challenge::unauthorized(self::PRM, null, true), $as->challenge(true));
        self::assertSame($as->protectedResourceMetadataUrl(), self::PRM);
    }

    public function testInsufficientScopeCarriesThePolicysRequiredScopes(): void
    {
        $policy = new \McpGuard\Policy([
            'version' => 1,
            'writes_enabled' => true,
            'tools' => [
                'products.search' => ['class' => 'read', 'scopes' => ['discover', 'products:read'], 'fields' => ['query' => ['type' => 'string']]],
                'products.update' => ['class' => 'write', 'scopes' => ['discover', 'products:write'], 'fields' => ['id' => ['type' => 'integer']]],
            ],
        ]);
        $d = $policy->authorize(['discover', 'read'], 'products.update', ['id' => 1]);
        self::assertSame('insufficient_scope', $d->reason());
        $scopes = $d->requiredScopes();
        self::assertSame(['discover', 'products:write'], $scopes);
        self::assertSame(
            'Bearer error="insufficient_scope", scope="' . implode(' ', $scopes) . '", resource_metadata="' . self::PRM . '"',
            Challenge::insufficientScope(self::PRM, $scopes),
        );
        // A broader scope satisfies the narrower one (global read covers
        // products:read): no 403 to build.
        self::assertTrue($policy->authorize(['discover', 'read'], 'products.search', ['query' => 'x'])->allowed());
    }
}
