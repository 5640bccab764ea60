<?php

declare(strict_types=1);

namespace McpGuard\Tests\Server\OAuth;

require_once __DIR__ . '/OAuthStoreTestCase.php';

use McpGuard\Exception\OAuthException;
use McpGuard\OAuth\AuthorizationServer;
use McpGuard\OAuth\ClientMetadata;
use McpGuard\OAuth\Pkce;
use McpGuard\OAuth\TokenRequest;
use McpGuard\Server\OAuth\Pdo\PdoCodeStore;
use McpGuard\Server\OAuth\Pdo\PdoFamilyStore;
use McpGuard\Server\OAuth\Pdo\PdoRefreshTokenStore;
use McpGuard\Server\OAuth\Store\CodeRecord;
use McpGuard\Server\OAuth\Store\CodeRedemption;
use McpGuard\Server\OAuth\Store\RefreshRotation;

/**
 * The stores under the extension's own decisions: a code issued by
 * AuthorizationServer goes through the code store and redeems; and the
 * rotation rule the store applies in its conditional UPDATE agrees with
 * AuthorizationServer::refreshDecision() in every state.
 */
final class CoreWiringTest extends OAuthStoreTestCase
{
    private const GRACE = 30;
    /** The core allows two extra successors in the window: three in all. */
    private const MAX_SUCCESSORS = 3;

    private static function server(): AuthorizationServer
    {
        return new AuthorizationServer(['issuer' => 'https://shop.example', 'resource' => 'https://shop.example/mcp',
            'scopes' => ['read', 'write'], 'refreshGrace' => self::GRACE]);
    }

    public function testAnIssuedCodeIsStoredConsumedOnceAndRedeemed(): void
    {
        $server = self::server();
        $client = ClientMetadata::fromRegistration('{"client_name":"Claude Code","redirect_uris":["http://localhost/callback"],"token_endpoint_auth_method":"none"}');
        $verifier = str_repeat('v', 43);
        $query = http_build_query(['response_type' => 'code', 'client_id' => 'c1', 'redirect_uri' => 'http://localhost:41234/callback',
            'state' => 'xyz', 'code_challenge' => Pkce::challenge($verifier), 'code_challenge_method' => 'S256',
            'scope' => 'read write', 'resource' => 'https://shop.example/mcp']);
        $issued = $server->issueCode($server->authorize($query, $client)->request(), 'member:7', ['read'], self::NOW);
        $codes = new PdoCodeStore($this->db);
        $codes->save(CodeRecord::fromBinding($issued->hash(), 'fam-x', $issued->binding()));

        parse_str((string) parse_url($issued->redirectUri(), PHP_URL_QUERY), $back);
        self::assertStringNotContainsString($back['code'], $this->storedBytes(), 'the code itself is never stored');
        $token = TokenRequest::parse(http_build_query(['grant_type' => 'authorization_code', 'code' => $back['code'],
            'redirect_uri' => 'http://localhost:41234/callback', 'code_verifier' => $verifier, 'client_id' => 'c1']), null);
        $redemption = $codes->consume($server->codeHash($token->code()), self::NOW + 5);
        self::assertTrue($redemption->isOk());
        $record = $redemption->record();
        self::assertNotNull($record);
        self::assertSame($issued->binding(), $record->binding(), 'the store gives back the binding exactly');
        self::assertSame('member:7', $server->redeemCode($record->binding(), $token, self::NOW + 5)['member']);

        $again = $codes->consume($server->codeHash($token->code()), self::NOW + 6);
        self::assertSame(CodeRedemption::REPLAYED, $again->status());
        self::assertSame('fam-x', $again->record()?->familyId);
    }

    /** @return iterable<string, array{0: int, 1: list<string>}> seconds after the first rotation, the steps before the presentation */
    public static function states(): iterable
    {
        yield 'first use' => [0, []];
        yield 'benign race, first extra' => [5, ['rotate']];
        yield 'benign race at the window edge' => [self::GRACE, ['rotate']];
        yield 'just after the window' => [self::GRACE + 1, ['rotate']];
        yield 'second extra' => [5, ['rotate', 'rotate']];
        yield 'third extra: over the cap' => [5, ['rotate', 'rotate', 'rotate']];
        yield 'the successor was used' => [5, ['rotate', 'use-successor']];
        yield 'family revoked' => [5, ['revoke']];
        yield 'expired' => [90_000, []];
    }

    /**
     * @dataProvider states
     * @param list<string> $steps
     */
    public function testTheStoresRotationRuleIsTheCoresRefreshDecision(int $after, array $steps): void
    {
        $server = self::server();
        $families = new PdoFamilyStore($this->db);
        $refresh = new PdoRefreshTokenStore($this->db);
        $families->open(self::family());
        $refresh->save(self::refresh('r0', expiresAt: self::NOW + 86_400));
        $n = 0;
        foreach ($steps as $step) {
            match ($step) {
                'rotate' => $refresh->rotate('r0', self::refresh('s' . ++$n, parent: 'r0'), self::NOW, self::NOW - self::GRACE, self::MAX_SUCCESSORS),
                'use-successor' => $refresh->rotate('s1', self::refresh('s1-next', parent: 's1'), self::NOW + 1, self::NOW + 1 - self::GRACE, self::MAX_SUCCESSORS),
                'revoke' => $families->revoke('fam-1', self::NOW),
            };
        }
        $now = self::NOW + $after;
        $row = $refresh->find('r0');
        self::assertNotNull($row);
        try {
            $decision = $server->refreshDecision($row->state(), $now);
        } catch (OAuthException $e) {
            $decision = $e->reason();
        }
        $status = $refresh->rotate('r0', self::refresh('presented', parent: 'r0'), $now, $now - self::GRACE, self::MAX_SUCCESSORS)->status();
        $expected = [
            'rotate' => [RefreshRotation::ROTATED], 'rotate_again' => [RefreshRotation::ROTATED],
            'revoke_family' => [RefreshRotation::REUSED, RefreshRotation::CONCURRENT],
            'refresh_revoked' => [RefreshRotation::REVOKED], 'refresh_expired' => [RefreshRotation::EXPIRED],
        ][$decision] ?? self::fail("unexpected decision {$decision}");
        self::assertContains($status, $expected, "core says {$decision}");
    }
}
