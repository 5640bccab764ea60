<?php

declare(strict_types=1);

namespace McpGuard\Tests\Extension;

use McpGuard\Exception\ConfigurationException;
use McpGuard\Guard;
use McpGuard\Tests\Support\HostileInput;
use McpGuard\Tokens;
use PHPUnit\Framework\TestCase;

require_once dirname(__DIR__) . '/Support/HostileInput.php';

/**
 * Tokens of a tool the shop replaced, whose rows hold the bare hex SHA-256 of
 * the token (the Statamic MCP addon: `Str::random(64)`, stored as
 * `hash('sha256', $token)`), through `Guard::legacyDigest()` and
 * `Guard::checkLegacy()` of the built extension: off unless the guard opts
 * in, our own tokens never on this path, and every refusal counted against
 * the client address like a failed token of ours.
 */
final class LegacyTokensTest extends TestCase
{
    private const TOKEN = 'Vq3xT9kLmN2pR7sW4yZ8aB1cD5eF6gH0jK3lM9nP2qR4sT7uV1wX5yZ8aB3cD6eF';

    /** @param array<string, mixed> $extra */
    private static function guard(array $extra = []): Guard
    {
        return new Guard(['manifest' => HostileInput::manifest(),
            'resourceMetadata' => 'https://shop.example/.well-known/oauth-protected-resource/mcp'] + $extra);
    }

    private static function ip(): string
    {
        return '198.51.' . random_int(0, 255) . '.' . random_int(1, 254);
    }

    public function testLegacyRowsAreRefusedUnlessTheGuardOptsIn(): void
    {
        $off = self::guard();
        self::assertNull($off->legacyDigest(self::TOKEN), 'no row is looked up for a guard that does not accept them');
        $v = $off->checkLegacy(self::TOKEN, hash('sha256', self::TOKEN), null, null, ['discover', 'read'], 'viewer', null);
        self::assertFalse($v->allowed());
        self::assertSame([401, 'malformed'], [$v->status(), $v->reason()]);
        $explicit = self::guard(['legacySha256Tokens' => false]);
        self::assertSame('malformed', $explicit->checkLegacy(self::TOKEN, hash('sha256', self::TOKEN), null, null, ['read'], 'viewer', null)->reason());
        foreach ([1, 'yes', null, []] as $bad) {
            try {
                self::guard(['legacySha256Tokens' => $bad]);
                self::fail('a non-bool legacySha256Tokens was accepted');
            } catch (ConfigurationException $e) {
                self::assertSame('guard_invalid_token_setting', $e->reason());
            }
        }
    }

    public function testAValidRowAdmitsItsTokenWithItsScopesAndAStableId(): void
    {
        $g = self::guard(['legacySha256Tokens' => true]);
        $digest = $g->legacyDigest(self::TOKEN);
        self::assertSame(hash('sha256', self::TOKEN), $digest, 'the digest the old addon stored');
        $v = $g->checkLegacy(self::TOKEN, $digest, time() + 60, null, ['discover', 'read'], 'viewer', 'products.search', ['query' => 'x'], self::ip());
        self::assertTrue($v->allowed(), (string) $v->reason());
        self::assertSame('sha256-' . substr($digest, 0, 16), $v->publicId());
        self::assertSame('read', $v->toolClass());
        self::assertNull($v->rehash());
        $upper = $g->checkLegacy(self::TOKEN, strtoupper($digest), null, null, ['discover', 'read'], 'viewer', null);
        self::assertSame($v->publicId(), $upper->publicId());
        // Its read scope does not reach a write: 403 naming the scope needed.
        $w = $g->checkLegacy(self::TOKEN, $digest, null, null, ['discover', 'read'], 'editor', 'products.update', ['id' => 1]);
        self::assertSame([403, 'insufficient_scope', ['write']], [$w->status(), $w->reason(), $w->requiredScopes()]);
        // A removed member holds nothing.
        self::assertSame('member_removed', $g->checkLegacy(self::TOKEN, $digest, null, null, ['read'], null, null)->reason());
    }

    public function testWrongExpiredRevokedAndUnknownRowsAre401AndCountedAgainstTheAddress(): void
    {
        $g = self::guard(['legacySha256Tokens' => true, 'rates' => ['failed' => ['limit' => 5, 'period' => 60]]]);
        $digest = hash('sha256', self::TOKEN);
        $ip = self::ip();
        $now = 1_800_000_000;
        $cases = [
            'mismatch' => [substr(self::TOKEN, 0, -1) . 'G', $digest, null, null],
            'unknown_token' => [self::TOKEN, null, null, null],
            'expired' => [self::TOKEN, $digest, $now, null],
            'revoked' => [self::TOKEN, $digest, null, $now - 1],
            'invalid_stored_hash' => [self::TOKEN, 'sha256:' . $digest, null, null],
        ];
        foreach ($cases as $reason => [$token, $stored, $exp, $rev]) {
            $v = $g->checkLegacy($token, $stored, $exp, $rev, ['read'], 'viewer', null, null, $ip, $now);
            self::assertSame([401, $reason], [$v->status(), $v->reason()], $reason);
            self::assertNull($v->publicId(), $reason);
            self::assertStringContainsString('error="invalid_token"', $v->headers()['WWW-Authenticate']);
        }
        // The sixth failure from the address is over the failed rate: 429, even for the genuine token's row.
        $v = $g->checkLegacy('another guess', $digest, null, null, ['read'], 'viewer', null, null, $ip, $now);
        self::assertSame([429, 'rate_limited'], [$v->status(), $v->reason()]);
        self::assertTrue($g->checkLegacy(self::TOKEN, $digest, null, null, ['discover', 'read'], 'viewer', null, null, self::ip(), $now)->allowed());
    }

    public function testOurTokensNeverTakeTheLegacyPath(): void
    {
        $g = self::guard(['legacySha256Tokens' => true]);
        $ours = (new Tokens())->issue(3600)->plaintext();
        self::assertNull($g->legacyDigest($ours));
        self::assertNull($g->legacyDigest('mcpat_' . str_repeat('a', 40)));
        $v = $g->checkLegacy($ours, hash('sha256', $ours), null, null, ['read'], 'viewer', null);
        self::assertSame('malformed', $v->reason(), 'a row holding the bare SHA-256 of one of ours does not admit it');
        self::assertSame(hash('sha256', 'shop_legacy'), $g->legacyDigest('shop_legacy'), 'another prefix is not ours');
    }

    public function testEmptyHugeAndBinaryTokens(): void
    {
        $g = self::guard(['legacySha256Tokens' => true]);
        self::assertNull($g->legacyDigest(''));
        self::assertNull($g->legacyDigest(str_repeat('a', 4097)));
        $max = str_repeat("\xff", 4096);
        self::assertSame(hash('sha256', $max), $g->legacyDigest($max));
        self::assertTrue($g->checkLegacy($max, hash('sha256', $max), null, null, ['read'], 'viewer', null)->allowed());
        foreach (['' => hash('sha256', ''), str_repeat('a', 10 << 20) => null] as $token => $stored) {
            $v = $g->checkLegacy((string) $token, $stored, null, null, ['read'], 'viewer', null);
            self::assertSame('malformed', $v->reason());
        }
        self::assertSame('invalid_stored_hash', $g->checkLegacy(self::TOKEN, "\xff" . str_repeat('0', 63), null, null, ['read'], 'viewer', null)->reason());
    }
}
