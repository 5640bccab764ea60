<?php

declare(strict_types=1);

namespace McpGuard\Tests\Server\Guard;

use McpGuard\Jwt\Signer;
use McpGuard\Server\Guard\Auth\BasicVerifier;
use McpGuard\Server\Guard\Auth\JwtAuthenticator;
use McpGuard\Server\Guard\Auth\LegacyTokenSource;
use McpGuard\Server\Guard\Auth\TokenRow;
use McpGuard\Server\Guard\Auth\RehashingTokenSource;
use McpGuard\Server\Guard\Pipeline;
use McpGuard\Server\Guard\PipelineConfig;
use McpGuard\Server\Http\Request;
use McpGuard\Server\Http\Response;
use McpGuard\Server\Mcp\Endpoint;
use McpGuard\Server\Mcp\ToolRegistry;
use McpGuard\Server\Member\MemberRoles;
use McpGuard\Tokens;
use PHPUnit\Framework\TestCase;

/**
 * The pipeline in process, for what the HTTP tests do not reach: JWT access
 * tokens from an external identity provider (PrestaShop Accounts-style,
 * through its JWKS), the host-verified Basic fallback, failed credentials of
 * every kind counting against the address, and hostile requests. Stores are
 * in memory; the decisions are the extension's, through the built .so.
 */
final class PipelineTest extends TestCase
{
    private const RESOURCE = 'https://shop.example/mcp';
    private const METADATA = 'https://shop.example/.well-known/oauth-protected-resource/mcp';
    private const IDP = 'https://accounts.example';
    private static Signer $idp;
    /** @var array<string, string> */
    private array $roles = ['alice' => 'editor', 'victor' => 'viewer'];
    /** @var array<string, TokenRow> */
    private array $rows = [];
    private int $calls = 0;

    public static function setUpBeforeClass(): void
    {
        self::$idp = Signer::generate('ES256');
    }

    /** @var array<string, TokenRow> legacy rows by the SHA-256 of their token */
    private array $legacyRows = [];

    /** @param (\Closure(): string)|null $jwks the identity provider's JWKS fetch; null = its key set */
    private function pipeline(array $rates = [], bool $basic = false, ?string $pepper = null, ?bool $legacy = null, ?\Closure $jwks = null): Pipeline
    {
        $manifest = ['version' => 1, 'writes_enabled' => true, 'tools' => [
            'products.search' => ['class' => 'read', 'scopes' => ['read'], 'fields' => ['query' => ['type' => 'string', 'max_length' => 50]]],
            'products.update' => ['class' => 'write', 'scopes' => ['write'], 'fields' => ['id' => ['type' => 'integer', 'required' => true]]],
        ]];
        $name = 'pipeline-test@' . hash('sha256', json_encode([$manifest, $rates, $pepper, $legacy]));
        $config = new PipelineConfig(self::RESOURCE, self::METADATA, $name,
            static fn (): array => ['manifest' => $manifest, 'rates' => $rates] + ($pepper === null ? [] : ['tokenPepper' => $pepper])
                + ($legacy === null ? [] : ['legacySha256Tokens' => $legacy]));
        $tools = (new ToolRegistry($config->compiled()->policy()))
            ->bind('products.search', function (array $a): array {
                $this->calls++;
                return ['found' => $a['query'] ?? ''];
            }, 'Search.')
            ->bind('products.update', function (array $a): array {
                $this->calls++;
                return ['updated' => $a['id']];
            }, 'Update.');
        $members = new class ($this->roles) implements MemberRoles {
            public function __construct(private array $roles)
            {
            }

            public function role(string $memberId): ?string
            {
                return $this->roles[$memberId] ?? null;
            }
        };
        $rows = &$this->rows;
        $source = new class ($rows) implements RehashingTokenSource {
            public function __construct(private array &$rows)
            {
            }

            public function rehash(string $publicId, string $hash): void
            {
                $r = $this->rows[$publicId];
                $this->rows[$publicId] = new TokenRow($r->publicId, $hash, $r->memberId, $r->scopes, $r->expiresAt, $r->revokedAt,
                    $r->audience, $r->clientId, $r->kind);
            }

            public function prefix(): string
            {
                return 'mcp';
            }

            public function find(string $publicId): ?TokenRow
            {
                return $this->rows[$publicId] ?? null;
            }
        };
        $jwt = new JwtAuthenticator(self::IDP, self::RESOURCE, $jwks ?? static fn (): string => self::$idp->jwks(),
            static fn (array $claims): ?string => is_string($claims['sub'] ?? null) ? substr($claims['sub'], strlen('ps-account:')) : null);
        $verifier = $basic ? new class () implements BasicVerifier {
            public function verify(string $username, string $password): ?string
            {
                return $username === 'alice' && hash_equals('correct horse', $password) ? 'alice' : null;
            }
        } : null;
        $legacyRows = &$this->legacyRows;
        $legacySource = $legacy === null ? null : new class ($legacyRows) implements LegacyTokenSource {
            public function __construct(private array &$rows)
            {
            }

            public function find(string $digest): ?TokenRow
            {
                return $this->rows[$digest] ?? null;
            }
        };
        return new Pipeline($config, new Endpoint($tools), $members, [$source], jwt: $jwt, basic: $verifier, legacyTokens: $legacySource);
    }

    public function testALegacyRowIsCheckedByItsDigestOnlyWhenTheGuardAcceptsThem(): void
    {
        $plain = str_repeat('Zx9', 21) . 'q';
        $this->legacyRows[hash('sha256', $plain)] = new TokenRow('9b2c-row', hash('sha256', $plain), 'victor', ['discover', 'read'], null, null, null, '', 'legacy_sha256');
        $p = $this->pipeline(legacy: true);
        $r = $p->handle(self::call('products.search', ['query' => 'x'], "Bearer {$plain}"));
        self::assertSame(200, $r->status, $r->body);
        self::assertSame(1, $this->calls);
        $w = $p->handle(self::call('products.update', ['id' => 1], "Bearer {$plain}"));
        self::assertSame(403, $w->status, 'the row\'s read scope does not reach a write');
        $bad = $p->handle(self::call('products.search', ['query' => 'x'], 'Bearer ' . substr($plain, 0, -1) . 'r'));
        self::assertSame(401, $bad->status);
        // An API token still goes to its own source, beside the legacy one.
        $api = $this->apiToken('alice', ['read']);
        self::assertSame(200, $p->handle(self::call('products.search', ['query' => 'x'], "Bearer {$api}"))->status);
        // A legacy source given to a guard that does not accept legacy rows admits nothing.
        $off = $this->pipeline(legacy: false);
        $r = $off->handle(self::call('products.search', ['query' => 'x'], "Bearer {$plain}"));
        self::assertSame(401, $r->status, $r->body);
        self::assertSame(2, $this->calls);
    }

    private static function call(string $tool, array $arguments, ?string $authorization, array $headers = [], string $ip = '203.0.113.5'): Request
    {
        $body = json_encode(['jsonrpc' => '2.0', 'id' => 7, 'method' => 'tools/call', 'params' => ['name' => $tool, 'arguments' => $arguments]],
            JSON_THROW_ON_ERROR);
        return new Request('POST', '/mcp', '', $headers + ['content-type' => 'application/json', 'host' => 'shop.example']
            + ($authorization === null ? [] : ['authorization' => $authorization]), $body, [], $ip, true);
    }

    private static function json(Response $r): array
    {
        return json_decode($r->body, true, 32, JSON_THROW_ON_ERROR);
    }

    private function apiToken(string $member, array $scopes): string
    {
        $t = (new Tokens())->issue(3600);
        $this->rows[$t->publicId()] = new TokenRow($t->publicId(), $t->hash(), $member, $scopes, $t->expiresAt(), null, null, '', 'api_token');
        return $t->plaintext();
    }

    public function testAJwtOfAnExternalIdentityProviderIsVerifiedAgainstItsJwks(): void
    {
        $p = $this->pipeline();
        $jwt = self::$idp->accessToken(self::IDP, self::RESOURCE, 'ps-account:alice', 'claude', 300, 'read write');
        $r = $p->handle(self::call('products.update', ['id' => 3], 'Bearer ' . $jwt));
        self::assertSame(200, $r->status, $r->body);
        self::assertSame(['updated' => 3], self::json($r)['result']['structuredContent']);
        // A JWT for another audience, of another issuer, or signed by another key: 401 invalid_token.
        foreach ([
            self::$idp->accessToken(self::IDP, 'https://other.example/mcp', 'ps-account:alice', 'claude', 300, 'read'),
            self::$idp->accessToken('https://evil.example', self::RESOURCE, 'ps-account:alice', 'claude', 300, 'read'),
            Signer::generate('ES256')->accessToken(self::IDP, self::RESOURCE, 'ps-account:alice', 'claude', 300, 'read'),
        ] as $bad) {
            $r = $p->handle(self::call('products.search', [], 'Bearer ' . $bad));
            self::assertSame(401, $r->status, $r->body);
            self::assertStringContainsString('error="invalid_token"', (string) $r->header('WWW-Authenticate'));
        }
        // The JWT's scopes AND the member's role: a viewer's JWT with write cannot write.
        $viewer = self::$idp->accessToken(self::IDP, self::RESOURCE, 'ps-account:victor', 'claude', 300, 'discover read write');
        $r = $p->handle(self::call('products.update', ['id' => 3], 'Bearer ' . $viewer));
        self::assertSame(403, $r->status);
        self::assertSame('Bearer error="insufficient_scope", scope="write", resource_metadata="' . self::METADATA . '"', $r->header('WWW-Authenticate'));
        // A subject the members list does not know: 401.
        $stranger = self::$idp->accessToken(self::IDP, self::RESOURCE, 'ps-account:mallory', 'claude', 300, 'read');
        self::assertSame(401, $p->handle(self::call('products.search', [], 'Bearer ' . $stranger))->status);
    }

    public function testUnreadableProviderKeysAre503AndTriedAgainNeverAFailedCredential(): void
    {
        $fetches = 0;
        $answers = [
            static fn (): string => throw new \RuntimeException('connect() timed out'), // the host's fetch failed
            static fn (): string => '{"keys":"not a list"}',                        // a document that is no key set
            static fn (): string => self::$idp->jwks(),                              // the provider is back
        ];
        $p = $this->pipeline(rates: ['failed' => ['limit' => 1, 'period' => 3600]],
            jwks: static function () use (&$fetches, $answers): string {
                return $answers[min($fetches++, 2)]();
            });
        $jwt = self::$idp->accessToken(self::IDP, self::RESOURCE, 'ps-account:alice', 'claude', 300, 'read');
        foreach (['connect() timed out', 'not a list'] as $case) {
            $r = $p->handle(self::call('products.search', ['query' => 'x'], 'Bearer ' . $jwt, ip: '198.51.100.77'));
            self::assertSame(503, $r->status, $case);
            self::assertSame('60', $r->header('Retry-After'));
            self::assertNull($r->header('WWW-Authenticate'), 'not a credential problem');
            self::assertStringNotContainsString('timed out', $r->body, 'the cause stays out of the answer');
            self::assertSame(0, $this->calls);
        }
        // Nothing was kept from the failed fetches, and they cost the address nothing
        // (its failed rate allows 1: a counted failure would now make this a 429).
        $r = $p->handle(self::call('products.search', ['query' => 'x'], 'Bearer ' . $jwt, ip: '198.51.100.77'));
        self::assertSame(200, $r->status, $r->body);
        self::assertSame(3, $fetches);
        self::assertSame(1, $this->calls);
    }

    public function testStepByStepIsHandleAndAnyOtherOrderIsRefusedBeforeAnythingRuns(): void
    {
        $p = $this->pipeline();
        $token = 'Bearer ' . $this->apiToken('alice', ['read', 'write']);
        $x = $p->begin(self::call('products.update', ['id' => 3], $token));
        foreach (Pipeline::STEPS as $name) {
            self::assertNull($p->step($x, $name), $name);
        }
        self::assertSame(0, $this->calls, 'no handler before finish()');
        $stepped = $p->finish($x);
        self::assertSame(200, $stepped->status, $stepped->body);
        self::assertSame(['updated' => 3], self::json($stepped)['result']['structuredContent']);
        $handled = $p->handle(self::call('products.update', ['id' => 3], $token));
        self::assertSame([$handled->status, self::json($handled)['result']], [$stepped->status, self::json($stepped)['result']]);
        self::assertSame(2, $this->calls);
        // A refusal ends the exchange at its step, as handle() does.
        $none = $p->begin(self::call('products.search', [], null));
        self::assertNull($p->step($none, 'origin'));
        self::assertNull($p->step($none, 'transport'));
        self::assertSame(401, $p->step($none, 'credential')?->status);
        foreach ([['transport'], ['origin', 'credential'], ['origin', 'transport', 'credential', 'confirm'], ['origin', 'origin']] as $order) {
            $x = $p->begin(self::call('products.update', ['id' => 4], $token));
            try {
                foreach ($order as $name) {
                    $p->step($x, $name);
                }
                self::fail('out of order: ' . implode(', ', $order));
            } catch (\LogicException) {
            }
        }
        foreach ([[], ['origin', 'transport', 'credential', 'decide']] as $done) {
            $x = $p->begin(self::call('products.update', ['id' => 5], $token));
            foreach ($done as $name) {
                $p->step($x, $name);
            }
            try {
                $p->finish($x);
                self::fail('finished after ' . count($done) . ' steps');
            } catch (\LogicException) {
            }
        }
        self::assertSame(2, $this->calls, 'no handler ran out of order');
    }

    public function testBasicIsOffUnlessTheHostVerifiesItAndThenGetsTheRolesScopes(): void
    {
        $basic = 'Basic ' . base64_encode('alice:correct horse');
        self::assertSame(401, $this->pipeline()->handle(self::call('products.search', [], $basic))->status, 'off by default');
        $p = $this->pipeline(basic: true);
        $r = $p->handle(self::call('products.update', ['id' => 1], $basic));
        self::assertSame(200, $r->status, $r->body);
        $wrong = $p->handle(self::call('products.search', [], 'Basic ' . base64_encode('alice:wrong')));
        self::assertSame(401, $wrong->status);
        self::assertStringContainsString('error="invalid_token"', (string) $wrong->header('WWW-Authenticate'));
    }

    public function testFailedCredentialsOfEveryKindCountAgainstTheAddress(): void
    {
        $p = $this->pipeline(['failed' => ['limit' => 3, 'period' => 3600]], basic: true);
        $good = $this->apiToken('alice', ['read']);
        $bad = [
            'Bearer mcp_notatoken',
            'Bearer ' . Signer::generate('ES256')->accessToken(self::IDP, self::RESOURCE, 'ps-account:alice', 'c', 300, 'read'),
            'Basic ' . base64_encode('alice:wrong'),
        ];
        // An address of its own: the rate table lives as long as this process.
        $ip = '198.51.100.' . random_int(1, 254);
        $statuses = [];
        foreach ([...$bad, ...$bad] as $h) {
            $statuses[] = $p->handle(self::call('products.search', [], $h, [], $ip))->status;
        }
        self::assertSame([401, 401, 401, 429, 429, 429], $statuses);
        $r = $p->handle(self::call('products.search', [], 'Bearer mcp_notatoken', [], $ip));
        self::assertGreaterThanOrEqual(1, (int) $r->header('Retry-After'));
        self::assertSame(200, $p->handle(self::call('products.search', [], 'Bearer ' . $good, [], $ip))->status, 'a good token is never locked out');
    }

    public function testARowOfAnOlderHashSchemeIsUpgradedOnceItsTokenVerified(): void
    {
        $plain = $this->apiToken('alice', ['discover', 'read']); // stored as sha256:, no pepper
        $id = (string) (new Tokens())->publicId($plain);
        self::assertStringStartsWith('sha256:', $this->rows[$id]->hash);
        $p = $this->pipeline(pepper: str_repeat('p', 32));
        self::assertSame(200, $p->handle(self::call('products.search', [], 'Bearer ' . $plain))->status);
        self::assertStringStartsWith('hmac-sha256:', $this->rows[$id]->hash, 'the row now carries the peppered hash');
        self::assertSame(200, $p->handle(self::call('products.search', [], 'Bearer ' . $plain))->status, 'and still verifies');
    }

    public function testOriginsAndProxiesAreCompiledWithTheGuardAndRefusedThereWhenWrong(): void
    {
        $manifest = ['version' => 1, 'tools' => ['products.search' => ['class' => 'read', 'scopes' => ['read']]]];
        $config = new PipelineConfig(self::RESOURCE, self::METADATA, 'pipeline-cors@' . bin2hex(random_bytes(4)),
            static fn (): array => ['manifest' => $manifest], allowedOrigins: ['https://App.example:443'], trustedProxies: ['10.0.0.0/8']);
        $guard = $config->compiled();
        self::assertSame(['https://app.example'], $guard->origins()->allowed());
        self::assertTrue($guard->origins()->check('https://app.example')->crossOrigin());
        self::assertFalse($guard->origins()->check('https://evil.example')->allowed());
        $t = $guard->transport()->inspect(['REMOTE_ADDR' => '10.1.2.3', 'HTTP_HOST' => 'shop.example', 'HTTP_X_FORWARDED_PROTO' => 'https',
            'HTTP_X_FORWARDED_FOR' => '198.51.100.9']);
        self::assertSame([true, '198.51.100.9'], [$t->secure(), $t->clientIp()]);
        foreach ([['allowedOrigins' => ['https://app.example/path']], ['trustedProxies' => ['not-an-ip']], ['allowedOrigins' => 'x']] as $bad) {
            try {
                new \McpGuard\Guard(['manifest' => $manifest, 'resourceMetadata' => self::METADATA] + $bad);
                self::fail('accepted ' . json_encode($bad));
            } catch (\McpGuard\Exception\ConfigurationException) {
                self::addToAssertionCount(1);
            }
        }
    }

    public function testHostileRequestsAreRefusedWithoutRunningAnything(): void
    {
        $p = $this->pipeline();
        $token = $this->apiToken('alice', ['read', 'write']);
        $cases = [
            'non-UTF-8 header' => self::call('products.search', [], "Bearer \xff\xfe"),
            'two credentials' => self::call('products.search', [], 'Bearer a, Bearer b'),
            'query token only' => new Request('POST', '/mcp', 'access_token=' . $token, ['host' => 'shop.example'], '{}', [], '203.0.113.5', true),
            'plain http' => new Request('POST', '/mcp', '', ['authorization' => 'Bearer ' . $token, 'host' => 'shop.example'], '{}', [], '203.0.113.5', false),
            'foreign origin' => self::call('products.search', [], 'Bearer ' . $token, ['origin' => 'https://evil.example']),
            'huge body' => new Request('POST', '/mcp', '', ['authorization' => 'Bearer ' . $token, 'host' => 'shop.example'],
                str_repeat('[', 2 * 1024 * 1024), [], '203.0.113.5', true),
            'deep JSON' => new Request('POST', '/mcp', '', ['authorization' => 'Bearer ' . $token, 'host' => 'shop.example'],
                str_repeat('[', 10000) . str_repeat(']', 10000), [], '203.0.113.5', true),
            'non-UTF-8 argument' => new Request('POST', '/mcp', '', ['authorization' => 'Bearer ' . $token, 'host' => 'shop.example'],
                "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/call\",\"params\":{\"name\":\"products.search\",\"arguments\":{\"query\":\"\xff\"}}}",
                [], '203.0.113.5', true),
            'extra field' => self::call('products.update', ['id' => 1, 'is_admin' => true], 'Bearer ' . $token),
        ];
        foreach ($cases as $name => $request) {
            $r = $p->handle($request);
            $refused = $r->status >= 400 || isset(json_decode($r->body, true)['error']);
            self::assertTrue($refused, $name . ': ' . $r->status . ' ' . $r->body);
            self::assertStringNotContainsString($token, $r->body . implode("\n", $r->headers()), $name);
        }
        self::assertSame(0, $this->calls, 'no handler ran');
    }
}
