<?php

declare(strict_types=1);

namespace McpGuard\Tests\Support;

/**
 * Drives every PHP-visible method of the mcp_guard module with hostile values.
 *
 * Loaded both by HostileInputTest (for the coverage table) and, on its own, by
 * the fresh `php` processes that run the calls (PhpProcess): a crash there
 * (segfault, stack overflow, abort) kills that process, not PHPUnit.
 *
 * For every method the table below gives a receiver (null for static methods)
 * and one set of VALID arguments. The driver then calls the method with the
 * valid set as is, with no arguments, with one argument too many, and with
 * every hostile value in every argument position (the other positions keep
 * their valid value), so the hostile value reaches the deepest code it can.
 */
final class HostileInput
{
    /** 10 MiB: larger than every cap the extension documents. */
    public const HUGE = 10 * 1024 * 1024;

    /** Nesting of the deep arrays (recursion of 10 000 frames in a naive converter). */
    public const DEPTH = 10000;

    /**
     * Receivers and valid arguments, built lazily so that the table can be read
     * without calling the extension (the coverage check only needs the keys).
     *
     * @return array<string, array<string, \Closure(): array{0: ?object, 1: list<mixed>}>>
     */
    public static function table(): array
    {
        $secret = str_repeat('s', 32);
        $hs = static fn () => \McpGuard\Jwt\KeySet::fromSecret($secret, 'HS256', 'k1');
        $signer = static fn () => \McpGuard\Jwt\Signer::fromSecret($secret, 'HS256', 'k1');
        $verifier = static fn () => new \McpGuard\Jwt\Verifier($hs(), 'https://as.example', 'https://shop.example/mcp');
        $jwt = static fn () => $signer()->accessToken('https://as.example', 'https://shop.example/mcp', 'u1', 'c1', 300, 'read');
        $tokens = static fn () => new \McpGuard\Tokens();
        $policy = static fn () => new \McpGuard\Policy(self::manifest());
        $limiter = static fn () => new \McpGuard\RateLimiter(['p' => ['limit' => 5, 'period' => 60]]);
        $legacy = 'legacy-token-value';
        $ex = static function (): \McpGuard\Exception\GuardException {
            try {
                (new \McpGuard\Tokens())->verify('x');
            } catch (\McpGuard\Exception\GuardException $e) {
                return $e;
            }
            throw new \LogicException('verify("x") did not throw');
        };
        $ecPem = static fn () => \McpGuard\Jwt\Signer::generate('ES256')->privateKeyPem();
        $as = static fn () => new \McpGuard\OAuth\AuthorizationServer(['issuer' => 'https://shop.example', 'resource' => 'https://shop.example/mcp', 'scopes' => ['read']]);
        $client = static fn () => \McpGuard\OAuth\ClientMetadata::fromRegistration('{"client_name":"c","redirect_uris":["http://127.0.0.1/cb"],"token_endpoint_auth_method":"none"}');
        $authQuery = 'response_type=code&client_id=c1&redirect_uri=http%3A%2F%2F127.0.0.1%3A9%2Fcb&code_challenge=E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM&code_challenge_method=S256&state=s';
        $authReq = static fn () => $as()->authorize($authQuery, $client())->request();
        $code = static fn () => $as()->issueCode($authReq(), 'm1', ['read'], 1700000000);
        $tokenReq = static fn () => \McpGuard\OAuth\TokenRequest::parse('grant_type=authorization_code&code=' . str_repeat('a', 43) . '&redirect_uri=http%3A%2F%2F127.0.0.1%3A9%2Fcb&code_verifier=dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk&client_id=c1', null);
        $revocation = static fn () => \McpGuard\OAuth\RevocationRequest::parse('token=t&client_id=c1', null);
        $refreshState = ['expiresAt' => 1700000100, 'rotatedAt' => null, 'graceSuccessors' => 0, 'successorUsed' => false, 'familyRevoked' => false];
        $envelope = static fn () => \McpGuard\Mcp\Envelope::read(['jsonrpc' => '2.0', 'id' => 1, 'method' => 'ping'], null, null, null, null);
        $refusedEnvelope = static fn () => \McpGuard\Mcp\Envelope::read(['jsonrpc' => '2.0', 'id' => 'x', 'method' => 'ping'], '1900-01-01', null, null, null);
        $auditEvent = static fn () => new \McpGuard\Audit\Event('tool_allowed', ['principal' => 'customer:42', 'tool' => 't', 'at' => 1]);
        $auditChain = static fn () => new \McpGuard\Audit\Chain($secret);
        $auditLink = static fn () => $auditChain()->link($auditEvent(), 1, null);
        $confirmations = static fn () => new \McpGuard\Confirmations(str_repeat('k', 32));
        $guardConfig = static fn (): array => ['manifest' => self::manifest(), 'resourceMetadata' => 'https://shop.example/.well-known/oauth-protected-resource/mcp',
            'resource' => 'https://shop.example/mcp'];
        $guard = static fn () => \McpGuard\Guard::named('hostile-input', $guardConfig);
        $legacyGuard = static fn () => \McpGuard\Guard::named('hostile-input-legacy', static fn (): array => $guardConfig() + ['legacySha256Tokens' => true]);
        $legacyToken = str_repeat('Ab3', 21) . 'x';
        $issued = static fn () => (new \McpGuard\Tokens())->issue(3600);
        $verdict = static function () use ($guard, $issued): \McpGuard\Guard\Verdict {
            $t = $issued();
            return $guard()->check($t->plaintext(), $t->hash(), $t->expiresAt(), null, ['write'], 'viewer', 'products.update', ['id' => 1]);
        };
        $confirmation = static fn () => $confirmations()->issue('member:1', 'orders.cancel', ['id' => 1], 1800000000)->token();
        $oauthEx = static function (): \McpGuard\Exception\OAuthException {
            try {
                \McpGuard\OAuth\Pkce::check(null, 'plain');
            } catch (\McpGuard\Exception\OAuthException $e) {
                return $e;
            }
            throw new \LogicException('Pkce::check did not throw');
        };

        return [
            'McpGuard\Credentials' => [
                '__construct' => static fn () => [null, []],
                'fromHeader' => static fn () => [null, ['Bearer abc']],
                'scheme' => static fn () => [\McpGuard\Credentials::fromHeader('Bearer abc'), []],
                'isPresent' => static fn () => [\McpGuard\Credentials::fromHeader('Bearer abc'), []],
                'bearerToken' => static fn () => [\McpGuard\Credentials::fromHeader('Bearer abc'), []],
                'username' => static fn () => [\McpGuard\Credentials::fromHeader('Basic ' . base64_encode('u:p')), []],
                'password' => static fn () => [\McpGuard\Credentials::fromHeader('Basic ' . base64_encode('u:p')), []],
            ],
            'McpGuard\Tokens' => [
                '__construct' => static fn () => [null, ['psmcp', str_repeat('p', 32)]],
                'issue' => static fn () => [$tokens(), [3600, 1700000000]],
                'verify' => static function () use ($tokens) {
                    $t = $tokens();
                    $i = $t->issue(3600, 1700000000);
                    return [$t, [$i->plaintext(), $i->hash(), $i->expiresAt(), null, 1700000001]];
                },
                'publicId' => static function () use ($tokens) {
                    $t = $tokens();
                    return [$t, [$t->issue()->plaintext()]];
                },
                'rotate' => static fn () => [$tokens(), [1700003600, 60, 3600, 1700000000, null]],
                'verifyLegacySha256' => static fn () => [null, [$legacy, hash('sha256', $legacy)]],
                'verifyShopsys' => static fn () => [null, [str_repeat('a', 32) . '.' . str_repeat('b', 64), hash('sha256', str_repeat('b', 64))]],
                'prefix' => static fn () => [$tokens(), []],
                'hasPepper' => static fn () => [$tokens(), []],
                'maxLifetimeSeconds' => static fn () => [$tokens(), []],
            ],
            'McpGuard\Resource\Origins' => [
                '__construct' => static fn () => [null, ['https://shop.example/mcp', ['https://app.example'], 600]],
                'check' => static fn () => [new \McpGuard\Resource\Origins('https://shop.example/mcp', ['https://app.example']), ['https://app.example']],
                'preflight' => static fn () => [new \McpGuard\Resource\Origins('https://shop.example/mcp', ['https://app.example']), ['OPTIONS', 'https://app.example', 'POST', 'authorization']],
                'own' => static fn () => [new \McpGuard\Resource\Origins('https://shop.example/mcp'), []],
                'allowed' => static fn () => [new \McpGuard\Resource\Origins('https://shop.example/mcp', ['https://app.example']), []],
            ],
            'McpGuard\Resource\OriginResult' => self::getters(
                static fn () => (new \McpGuard\Resource\Origins('https://shop.example/mcp', ['https://app.example']))->check('https://app.example'),
                ['allowed', 'reason', 'status', 'isPreflight', 'crossOrigin', 'headers'],
            ),
            'McpGuard\Resource\Transport' => [
                '__construct' => static fn () => [null, [['10.0.0.0/8', '2001:db8::/32'], false]],
                'inspect' => static fn () => [new \McpGuard\Resource\Transport(['10.0.0.0/8']), [['REMOTE_ADDR' => '10.0.0.1', 'HTTP_X_FORWARDED_FOR' => '203.0.113.9', 'HTTP_X_FORWARDED_PROTO' => 'https', 'HTTP_FORWARDED' => null, 'HTTPS' => 'on', 'HTTP_HOST' => 'shop.example']]],
            ],
            'McpGuard\Resource\TransportResult' => self::getters(
                static fn () => (new \McpGuard\Resource\Transport())->inspect(['REMOTE_ADDR' => '192.0.2.1', 'HTTPS' => 'on']),
                ['allowed', 'refused', 'reason', 'status', 'secure', 'clientIp', 'viaProxy'],
            ),
            'McpGuard\Resource\Challenge' => [
                '__construct' => static fn () => [null, []],
                'unauthorized' => static fn () => [null, ['https://shop.example/.well-known/oauth-protected-resource/mcp', ['read'], true]],
                'insufficientScope' => static fn () => [null, ['https://shop.example/.well-known/oauth-protected-resource/mcp', ['write']]],
            ],
            'McpGuard\Scopes' => [
                '__construct' => static fn () => [null, []],
                'isValid' => static fn () => [null, ['mcp.read']],
                'check' => static fn () => [null, [['mcp.read', 'entries:write']]],
            ],
            'McpGuard\IssuedToken' => self::getters(static fn () => (new \McpGuard\Tokens())->issue(3600), [
                'plaintext', 'publicId', 'hash', 'createdAt', 'expiresAt',
            ]),
            'McpGuard\VerifiedToken' => self::getters(static function () {
                $t = new \McpGuard\Tokens();
                $i = $t->issue();
                return $t->verify($i->plaintext(), $i->hash());
            }, ['publicId', 'needsRehash', 'rehash']),
            'McpGuard\Rotation' => self::getters(
                static fn () => (new \McpGuard\Tokens())->rotate(),
                ['successor', 'previousExpiresAt'],
            ),
            'McpGuard\Policy' => [
                '__construct' => static fn () => [null, [self::manifest()]],
                'authorize' => static fn () => [$policy(), [['write'], 'products.update', ['id' => 1, 'name' => 'x']]],
                'visibleTools' => static fn () => [$policy(), [['read']]],
                'requiredScopes' => static fn () => [$policy(), ['products.search']],
                'toolClass' => static fn () => [$policy(), ['products.search']],
                'tools' => static fn () => [$policy(), []],
                'scopesForRole' => static fn () => [$policy(), ['editor']],
                'roles' => static fn () => [$policy(), []],
                'canonicalScopes' => static fn () => [$policy(), [['mcp.read', 'read']]],
                'writesEnabled' => static fn () => [$policy(), []],
                'isForbiddenField' => static fn () => [$policy(), ['password']],
                'hash' => static fn () => [$policy(), []],
            ],
            'McpGuard\Guard' => [
                '__construct' => static fn () => [null, [$guardConfig()]],
                'named' => static fn () => [null, ['hostile-input', $guardConfig]],
                'policy' => static fn () => [$guard(), []],
                'publicId' => static fn () => [$guard(), [$issued()->plaintext()]],
                'tokenPrefix' => static fn () => [$guard(), [$issued()->plaintext()]],
                'check' => static function () use ($guard, $issued): array {
                    $t = $issued();
                    return [$guard(), [$t->plaintext(), $t->hash(), $t->expiresAt(), null, ['discover', 'read'], 'viewer', 'products.search',
                        ['query' => 'x'], '192.0.2.1', null, null, 'https://shop.example/mcp']];
                },
                'checkMember' => static fn () => [$guard(), ['alice', ['discover', 'read'], 'viewer', 'products.search', ['query' => 'x'], null]],
                'refuseCredential' => static fn () => [$guard(), ['192.0.2.1', null]],
                'legacyDigest' => static fn () => [$legacyGuard(), [$legacyToken]],
                'checkLegacy' => static fn () => [$legacyGuard(), [$legacyToken, hash('sha256', $legacyToken), null, null, ['discover', 'read'],
                    'viewer', 'products.search', ['query' => 'x'], '192.0.2.1', null, null]],
                'origins' => static fn () => [$guard(), []],
                'transport' => static fn () => [$guard(), []],
                'challenge' => static fn () => [$guard(), []],
                'resourceMetadata' => static fn () => [$guard(), []],
            ],
            'McpGuard\Guard\Verdict' => self::getters($verdict, ['allowed', 'status', 'reason', 'jsonRpcCode', 'publicId', 'rehash',
                'toolClass', 'requiredScopes', 'path', 'expected', 'retryAfter', 'headers', 'visibleTools']),
            'McpGuard\Policy\Decision' => self::getters(
                static fn () => (new \McpGuard\Policy(self::manifest()))->authorize([], 'products.update', []),
                ['allowed', 'reason', 'path', 'expected', 'requiredScopes'],
            ),
            'McpGuard\Confirmations' => [
                '__construct' => static fn () => [null, [str_repeat('k', 32), 300]],
                'issue' => static fn () => [$confirmations(), ['member:1', 'orders.cancel', ['id' => 1, 'lines' => [1, 2]], null]],
                'check' => static fn () => [$confirmations(), [$confirmation(), 'member:1', 'orders.cancel', ['id' => 1], 1800000010]],
                'ttlSeconds' => static fn () => [$confirmations(), []],
                'argumentsDigest' => static fn () => [null, [['id' => 1, 'tags' => ['a']]]],
                'looksLikeConfirmation' => static fn () => [null, [$confirmation()]],
            ],
            'McpGuard\IssuedConfirmation' => self::getters(
                static fn () => $confirmations()->issue('member:1', 'orders.cancel', []),
                ['token', 'id', 'expiresAt'],
            ),
            'McpGuard\ConfirmationCheck' => self::getters(
                static fn () => $confirmations()->check($confirmation(), 'member:1', 'orders.cancel', ['id' => 1], 1800000010),
                ['ok', 'reason', 'id', 'expiresAt'],
            ),
            'McpGuard\RateLimiter' => [
                '__construct' => static fn () => [null, [['p' => ['limit' => 5, 'period' => 60]]]],
                'hit' => static fn () => [$limiter(), ['hostile:key', 'p', 1, null]],
                'policies' => static fn () => [$limiter(), []],
                'ipKey' => static fn () => [null, ['192.0.2.1']],
                'tokenKey' => static fn () => [null, ['abc']],
                'userKey' => static fn () => [null, ['42']],
                'tableInfo' => static fn () => [null, [null]],
                'script' => static fn () => [null, []],
                'scriptArguments' => static fn () => [$limiter(), ['hostile:key', 'p', 1, null]],
                'scriptResult' => static fn () => [$limiter(), ['p', 1, [0, 1800000000000000, 1]]],
            ],
            'McpGuard\RateLimit\Result' => [
                '__construct' => static fn () => [null, ['p', 5, 60, 4, 0, 12000000, null]],
            ] + self::getters(
                static fn () => (new \McpGuard\RateLimiter(['p' => ['limit' => 5, 'period' => 60]]))->hit('hostile:result', 'p'),
                ['allowed', 'reason', 'policy', 'limit', 'period', 'remaining', 'retryAfter', 'resetAfter',
                    'retryAfterMicros', 'resetAfterMicros', 'headers'],
            ),
            'McpGuard\Jwt\KeySet' => [
                '__construct' => static fn () => [null, []],
                'fromJwks' => static fn () => [null, [\McpGuard\Jwt\Signer::generate('ES256')->jwks(), null, false]],
                'fromPem' => static fn () => [null, [self::publicPem(), 'ES256', 'k1']],
                'fromSecret' => static fn () => [null, [$secret, 'HS256', 'k1']],
                'count' => static fn () => [$hs(), []],
                'keys' => static fn () => [$hs(), []],
                'clearCache' => static fn () => [null, []],
                'cacheStats' => static fn () => [null, []],
            ],
            'McpGuard\Jwt\Verifier' => [
                '__construct' => static fn () => [null, [$hs(), 'https://as.example', ['https://shop.example/mcp'], 'access_token', 30, 3600, 8192]],
                'verify' => static fn () => [$verifier(), [$jwt(), null]],
                'scopes' => static fn () => [null, [['scope' => 'a b']]],
            ],
            'McpGuard\Jwt\Signer' => [
                '__construct' => static fn () => [null, []],
                'generate' => static fn () => [null, ['ES256']],
                'fromPrivateKey' => static fn () => [null, [$ecPem(), 'ES256']],
                'fromSecret' => static fn () => [null, [$secret, 'HS256', 'k1']],
                'alg' => static fn () => [$signer(), []],
                'kid' => static fn () => [$signer(), []],
                'privateKeyPem' => static fn () => [\McpGuard\Jwt\Signer::generate('ES256'), []],
                'publicJwk' => static fn () => [\McpGuard\Jwt\Signer::generate('ES256'), []],
                'jwks' => static fn () => [\McpGuard\Jwt\Signer::generate('ES256'), []],
                'sign' => static fn () => [$signer(), [['iss' => 'a', 'exp' => 1], 'JWT']],
                'accessToken' => static fn () => [$signer(), ['https://as.example', 'https://shop.example/mcp', 'u1', 'c1', 300, 'read', ['shop_id' => 7], 1700000000]],
            ],
            'McpGuard\Exception\GuardException' => [
                'errorCode' => static fn () => [$ex(), []],
                'reason' => static fn () => [$ex(), []],
            ],
            'McpGuard\Exception\OAuthException' => [
                'httpStatus' => static fn () => [$oauthEx(), []],
            ],
            'McpGuard\OAuth\Pkce' => [
                '__construct' => static fn () => [null, []],
                'challenge' => static fn () => [null, ['dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk']],
                'check' => static fn () => [null, ['E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM', 'S256']],
                'verify' => static fn () => [null, ['E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM', 'dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk']],
            ],
            'McpGuard\OAuth\ClientMetadata' => [
                '__construct' => static fn () => [null, []],
                'fromDocument' => static fn () => [null, ['{"client_id":"https://c.example/m","client_name":"c","redirect_uris":["https://c.example/cb"]}', 'https://c.example/m']],
                'fromRegistration' => static fn () => [null, ['{"redirect_uris":["https://c.example/cb"]}']],
                'documentHost' => static fn () => [null, ['https://c.example/m']],
                'documentTarget' => static fn () => [null, ['https://c.example:8443/m']],
                'fetchTargetAllowed' => static fn () => [null, ['93.184.216.34']],
                'cacheLifetime' => static fn () => [null, ['max-age=60']],
                'maxDocumentBytes' => static fn () => [null, []],
                'fetchTimeoutSeconds' => static fn () => [null, []],
            ] + self::getters($client, ['name', 'redirectUris', 'authMethod', 'confidential', 'refresh', 'scope', 'onlyLoopback', 'toJson']),
            'McpGuard\OAuth\AuthorizationServer' => [
                '__construct' => static fn () => [null, [['issuer' => 'https://shop.example', 'resource' => 'https://shop.example/mcp', 'scopes' => ['read'], 'codeTtl' => 30]]],
                'issuer' => static fn () => [$as(), []],
                'resource' => static fn () => [$as(), []],
                'accessTokenTtl' => static fn () => [$as(), []],
                'refreshTokenTtl' => static fn () => [$as(), []],
                'metadata' => static fn () => [$as(), []],
                'protectedResourceMetadata' => static fn () => [$as(), ['Shop']],
                'protectedResourceMetadataUrl' => static fn () => [$as(), []],
                'route' => static fn () => [$as(), ['/.well-known/oauth-authorization-server']],
                'challenge' => static fn () => [$as(), [true]],
                'formFields' => static fn () => [null, ['query=a%3Db&decision=allow', ['query', 'decision']]],
                'authorizationClientId' => static fn () => [$as(), [$authQuery]],
                'authorize' => static fn () => [$as(), [$authQuery, $client()]],
                'issueCode' => static fn () => [$as(), [$authReq(), 'm1', ['read'], 1700000000]],
                'codeHash' => static fn () => [$as(), [str_repeat('a', 43)]],
                'redeemCode' => static fn () => [$as(), [$code()->binding(), $tokenReq(), 1700000001]],
                'refreshDecision' => static fn () => [$as(), [$refreshState, 1700000000]],
                'narrowScopes' => static fn () => [$as(), [['read', 'write'], 'read']],
                'checkResource' => static fn () => [$as(), [$tokenReq()]],
            ],
            'McpGuard\OAuth\AuthorizationResult' => self::getters(
                static fn () => $as()->authorize($authQuery, $client()),
                ['ok', 'request', 'error', 'reason', 'redirectUri'],
            ),
            'McpGuard\OAuth\AuthorizationRequest' => [
                'grantable' => static fn () => [$authReq(), [['read']]],
            ] + self::getters($authReq, ['clientId', 'redirectUri', 'redirectHost', 'redirectOrigin', 'redirectIsLoopback', 'state', 'scopes', 'offlineAccess', 'deniedRedirectUri']),
            'McpGuard\OAuth\IssuedCode' => self::getters($code, ['redirectUri', 'hash', 'binding', 'expiresAt']),
            'McpGuard\OAuth\TokenRequest' => [
                'parse' => static fn () => [null, ['grant_type=refresh_token&refresh_token=r&client_id=c', null]],
                'checkAuthMethod' => static fn () => [$tokenReq(), [$client()]],
            ] + self::getters($tokenReq, ['grantType', 'code', 'refreshToken', 'scope', 'clientId', 'clientSecret']),
            'McpGuard\OAuth\RevocationRequest' => [
                'parse' => static fn () => [null, ['token=t&client_id=c', null]],
                'checkAuthMethod' => static fn () => [$revocation(), [$client()]],
            ] + self::getters($revocation, ['token', 'hint', 'clientId', 'clientSecret']),
            'McpGuard\Mcp\Envelope' => [
                'read' => static fn () => [null, [['jsonrpc' => '2.0', 'id' => 1, 'method' => 'tools/call', 'params' => ['name' => 't', 'arguments' => ['a' => 1]]], '2025-11-25', 'tools/call', 't', 10]],
                'refused' => static fn () => [null, ['parse_error']],
            ] + self::getters($envelope, ['ok', 'protocolVersion', 'isModern', 'isBatch', 'messages'])
              + self::getters($refusedEnvelope, ['httpStatus', 'jsonRpcCode', 'errorMessage', 'reason', 'errorId', 'errorData']),
            'McpGuard\Mcp\Protocol' => [
                '__construct' => static fn () => [null, []],
                'supportedVersions' => static fn () => [null, []],
                'toolAnnotations' => static fn () => [null, ['destructive']],
            ],
            'McpGuard\Audit\Event' => [
                '__construct' => static fn () => [null, ['tool_allowed', ['principal' => 'customer:42', 'tool' => 't', 'arguments' => ['id' => 1], 'ip' => '203.0.113.9', 'latencyUs' => 5, 'at' => 1]]],
                'fromRecord' => static fn () => [null, [$auditLink()->record()]],
            ] + self::getters($auditEvent, ['type', 'outcome', 'at', 'principal', 'tokenId', 'clientId', 'tool', 'argumentsDigest', 'reason', 'latencyUs', 'ip', 'protocol', 'toArray']),
            'McpGuard\Audit\Chain' => [
                '__construct' => static fn () => [null, [$secret]],
                'hasKey' => static fn () => [$auditChain(), []],
                'link' => static fn () => [$auditChain(), [$auditEvent(), 2, str_repeat('a', 64)]],
                'headMac' => static fn () => [$auditChain(), [1, str_repeat('a', 64)]],
            ],
            'McpGuard\Audit\Link' => self::getters($auditLink, ['seq', 'hash', 'previousHash', 'record']),
            'McpGuard\Audit\ChainVerifier' => [
                '__construct' => static fn () => [null, [$auditChain()]],
                'feed' => static fn () => [new \McpGuard\Audit\ChainVerifier(), [1, $auditLink()->record(), $auditLink()->hash()]],
                'feedRow' => static fn () => [new \McpGuard\Audit\ChainVerifier(), [1, $auditLink()->record(), $auditLink()->hash(), 1, 'tool_allowed', 'allowed', 'customer:42', 't']],
                'finish' => static fn () => [new \McpGuard\Audit\ChainVerifier($auditChain()), [1, str_repeat('a', 64), str_repeat('b', 64)]],
                'brokenAt' => static fn () => [new \McpGuard\Audit\ChainVerifier(), []],
                'reason' => static fn () => [new \McpGuard\Audit\ChainVerifier(), []],
                'verified' => static fn () => [new \McpGuard\Audit\ChainVerifier(), []],
            ],
        ];
    }

    /**
     * @param \Closure(): object $make
     * @param list<string> $methods
     * @return array<string, \Closure(): array{0: ?object, 1: list<mixed>}>
     */
    private static function getters(\Closure $make, array $methods): array
    {
        $out = ['__construct' => static fn () => [null, []]];
        foreach ($methods as $m) {
            $out[$m] = static fn () => [$make(), []];
        }
        return $out;
    }

    /** @return array<string, mixed> */
    public static function manifest(): array
    {
        return [
            'version' => 1,
            'writes_enabled' => true,
            'tools' => [
                'products.search' => [
                    'class' => 'read',
                    'scopes' => ['read'],
                    'fields' => ['query' => ['type' => 'string', 'max_length' => 200]],
                ],
                'products.update' => [
                    'class' => 'write',
                    'scopes' => ['write'],
                    'fields' => [
                        'id' => ['type' => 'integer', 'min' => 1, 'required' => true],
                        'name' => ['type' => 'string', 'max_length' => 128],
                        'tags' => ['type' => 'list', 'items' => ['type' => 'string'], 'max_items' => 10],
                        'seo' => ['type' => 'object', 'fields' => ['title' => ['type' => 'string']]],
                    ],
                ],
            ],
        ];
    }

    private static function publicPem(): string
    {
        $jwk = \McpGuard\Jwt\Signer::generate('ES256')->publicJwk();
        // SubjectPublicKeyInfo of a P-256 key: fixed DER prefix + 0x04 || X || Y.
        $der = hex2bin('3059301306072a8648ce3d020106082a8648ce3d030107034200') . "\x04"
            . self::b64u($jwk['x']) . self::b64u($jwk['y']);
        return "-----BEGIN PUBLIC KEY-----\n" . chunk_split(base64_encode($der), 64, "\n") . "-----END PUBLIC KEY-----\n";
    }

    private static function b64u(string $s): string
    {
        return (string) base64_decode(strtr($s, '-_', '+/'), true);
    }

    /**
     * The hostile values, by label. Built once per process (the 10 MiB strings
     * and the deep arrays are shared by every call).
     *
     * @return array<string, mixed>
     */
    public static function values(): array
    {
        $deep = [];
        for ($i = 0; $i < self::DEPTH; $i++) {
            $deep = [$deep];
        }
        $deepMap = [];
        for ($i = 0; $i < self::DEPTH; $i++) {
            $deepMap = ['a' => $deepMap];
        }
        $selfRef = ['x' => 1];
        $selfRef['self'] = &$selfRef;
        $selfList = [1];
        $selfList[] = &$selfList;
        $obj = new \stdClass();
        $obj->self = $obj;

        return [
            'null' => null,
            'true' => true,
            'false' => false,
            'zero' => 0,
            'minus_one' => -1,
            'int_max' => PHP_INT_MAX,
            'int_min' => PHP_INT_MIN,
            'nan' => NAN,
            'inf' => INF,
            'minus_inf' => -INF,
            'float' => 1.5,
            'empty_string' => '',
            'nul' => "\0",
            'nul_inside' => "Bearer a\0b",
            'invalid_utf8' => "\xff\xfe\xc3\x28\xa0\xa1",
            'overlong_utf8' => "\xc0\xaf\xe0\x80\xaf",
            'huge_string' => str_repeat('A', self::HUGE),
            'huge_binary' => str_repeat("\xff\x00", self::HUGE / 2),
            'huge_dots' => str_repeat('a.', self::HUGE / 2),
            'numeric_string' => '99999999999999999999999999',
            'json_deep' => str_repeat('[', self::DEPTH) . str_repeat(']', self::DEPTH),
            'json_deep_object' => str_repeat('{"a":', self::DEPTH) . '1' . str_repeat('}', self::DEPTH),
            'empty_array' => [],
            'list_of_junk' => [null, NAN, INF, "\xff", [], new \stdClass()],
            'int_keys' => [PHP_INT_MAX => 'x', -1 => "\0"],
            // ext-php-rs' ArrayKey panics on these: every array argument is
            // read through the one converter, which refuses them typed.
            'non_utf8_key' => ["\xff" => 1],
            'non_utf8_key_nested' => ['tools' => ["\xfe\xff" => ['a' => 1]], 'keys' => [["\xc3" => 'x']]],
            'non_utf8_key_after_list' => [0 => 'a', "\xff" => ['limit' => 5, 'period' => 60]],
            'big_array' => range(1, 100000),
            'deep_array' => $deep,
            'deep_map' => $deepMap,
            'self_ref_array' => $selfRef,
            'self_ref_list' => $selfList,
            'object' => new \stdClass(),
            'self_ref_object' => $obj,
            'closure' => static fn () => 1,
        ];
    }

    /**
     * Runs every call of one class and prints one JSON line per call that ended
     * in an unexpected way (nothing when all is well), then "DONE <calls>".
     * Meant for a fresh process: `HostileInput::runClass('McpGuard\Tokens')`.
     */
    public static function runClass(string $class): void
    {
        $table = self::table();
        $values = self::values();
        $calls = 0;
        set_error_handler(static function (int $no, string $msg) use (&$current): bool {
            echo json_encode(['call' => $current, 'kind' => 'php_error', 'detail' => "$no: $msg"]), "\n";
            return true;
        });
        foreach ($table[$class] ?? [] as $method => $setup) {
            $rm = new \ReflectionMethod($class, $method);
            $argc = $rm->getNumberOfParameters();
            $variants = [['valid', null, null], ['no_args', -1, null], ['extra_arg', $argc, 'extra']];
            for ($pos = 0; $pos < $argc; $pos++) {
                foreach (array_keys($values) as $label) {
                    $variants[] = ["arg$pos=$label", $pos, $label];
                }
            }
            foreach ($variants as [$name, $pos, $label]) {
                $current = "$class::$method($name)";
                $calls++;
                try {
                    [$receiver, $args] = $setup();
                } catch (\Throwable $e) {
                    echo json_encode(['call' => $current, 'kind' => 'setup', 'detail' => get_class($e) . ': ' . $e->getMessage()]), "\n";
                    continue;
                }
                if ($pos === -1) {
                    $args = [];
                } elseif ($pos !== null) {
                    $args = array_pad($args, max($pos + 1, count($args)), null);
                    $args[$pos] = $label === 'extra' ? 'extra' : $values[$label];
                }
                [$outcome, $detail] = self::call($class, $method, $receiver, $args);
                if ($outcome === 'bad') {
                    echo json_encode(['call' => $current, 'kind' => 'unexpected', 'detail' => $detail]), "\n";
                } elseif ($name === 'valid' && $outcome !== 'ok') {
                    // The valid call must work, or the hostile calls test little.
                    echo json_encode(['call' => $current, 'kind' => 'valid_refused', 'detail' => $detail]), "\n";
                }
                unset($receiver, $args);
            }
        }
        restore_error_handler();
        echo "DONE $calls\n";
    }

    /**
     * Objects made without their constructor: `clone`, `unserialize()` of a
     * forged string, `ReflectionClass::newInstanceWithoutConstructor()`. Each
     * is either refused by PHP or, if made, every method called on it with
     * valid arguments returns or throws, without a panic or a crash.
     */
    public static function runForgery(string $class): void
    {
        $table = self::table()[$class] ?? [];
        $calls = 0;
        $report = static function (string $what, \Throwable $e) {
            $bad = stripos($e->getMessage(), 'panic') !== false
                || ($e instanceof \McpGuard\Exception\GuardException && $e->reason() === 'internal_error');
            if ($bad) {
                echo json_encode(['call' => $what, 'kind' => 'unexpected', 'detail' => get_class($e) . ': ' . $e->getMessage()]), "\n";
            }
        };
        $forged = [];
        foreach ($table as $method => $setup) {
            [$receiver] = $setup();
            if ($receiver !== null && get_class($receiver) === $class) {
                try {
                    $forged['clone'] = clone $receiver;
                } catch (\Throwable $e) {
                    $report("clone $class", $e);
                }
                try {
                    $forged['unserialize_roundtrip'] = unserialize(serialize($receiver));
                } catch (\Throwable $e) {
                    $report("serialize $class", $e);
                }
                break;
            }
        }
        try {
            $forged['unserialize_forged'] = unserialize(sprintf('O:%d:"%s":0:{}', strlen($class), $class));
        } catch (\Throwable $e) {
            $report("unserialize $class", $e);
        }
        try {
            $forged['reflection'] = (new \ReflectionClass($class))->newInstanceWithoutConstructor();
        } catch (\Throwable $e) {
            $report("newInstanceWithoutConstructor $class", $e);
        }
        foreach ($forged as $how => $object) {
            if (!is_object($object)) {
                continue;
            }
            foreach ($table as $method => $setup) {
                if ($method === '__construct' || (new \ReflectionMethod($class, $method))->isStatic()) {
                    continue;
                }
                [, $args] = $setup();
                $calls++;
                try {
                    $object->$method(...$args);
                } catch (\Throwable $e) {
                    $report("$how $class::$method", $e);
                }
            }
            try {
                var_export($object, true);
                json_encode($object);
                serialize($object);
                $calls++;
            } catch (\Throwable $e) {
                $report("$how dump $class", $e);
            }
        }
        echo "DONE $calls\n";
    }

    /**
     * @param list<mixed> $args
     * @return array{0: 'ok'|'refused'|'bad', 1: string}
     */
    private static function call(string $class, string $method, ?object $receiver, array $args): array
    {
        try {
            if ($method === '__construct') {
                new $class(...$args);
            } elseif ($receiver === null) {
                $class::$method(...$args);
            } else {
                $receiver->$method(...$args);
            }
            return ['ok', ''];
        } catch (\McpGuard\Exception\GuardException $e) {
            $detail = get_class($e) . ' ' . $e->reason() . ': ' . $e->getMessage();
            // A caught panic is survivable but still a bug: it must not happen.
            $bad = $e->reason() === 'internal_error' || $e->reason() === 'unspecified';
            return [$bad ? 'bad' : 'refused', $detail];
        } catch (\TypeError | \ValueError $e) { // ArgumentCountError is a TypeError
            return ['refused', get_class($e) . ': ' . substr($e->getMessage(), 0, 200)];
        } catch (\Throwable $e) {
            return ['bad', get_class($e) . ': ' . substr($e->getMessage(), 0, 200)];
        }
    }
}
