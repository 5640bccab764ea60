<?php

declare(strict_types=1);

namespace McpGuard\Tests\Server\OAuth;

use McpGuard\Exception\InvalidTokenException;
use McpGuard\Server\OAuth\Consent\CsrfRefused;
use McpGuard\Server\OAuth\Consent\CsrfTokens;
use McpGuard\Tokens;
use PHPUnit\Framework\TestCase;

final class CsrfTokensTest extends TestCase
{
    private const NOW = 1_800_000_000;

    private static function refusal(CsrfTokens $csrf, array &$bag, mixed $presented, int $now = self::NOW): string
    {
        try {
            $csrf->verify($bag, $presented, $now);
        } catch (CsrfRefused $e) {
            self::assertSame('invalid_request', $e->errorCode());
            $previous = $e->getPrevious();
            self::assertInstanceOf(\McpGuard\Exception\GuardException::class, $previous);
            return $previous->reason();
        }
        self::fail('accepted');
    }

    public function testAnIssuedTokenVerifiesOnceAndOnlyItsHashIsKept(): void
    {
        $csrf = new CsrfTokens();
        $bag = [];
        $token = $csrf->issue($bag, self::NOW);
        self::assertStringStartsWith('csrf_', $token);
        self::assertCount(1, $bag);
        $secret = substr($token, strrpos($token, '_') + 1);
        self::assertStringNotContainsString($secret, serialize($bag), 'the session keeps the hash only');
        $csrf->verify($bag, $token, self::NOW + 10);
        self::assertSame([], $bag, 'used once');
        self::assertSame('unknown_token', self::refusal($csrf, $bag, $token, self::NOW + 11), 'a replay is refused');
    }

    public function testMissingMalformedForeignWrongAndExpiredTokensAreRefused(): void
    {
        $csrf = new CsrfTokens(lifetimeSeconds: 600);
        $bag = [];
        $mine = $csrf->issue($bag, self::NOW);
        foreach ([null, '', ['x'], 42, 'not-a-token', "csrf_\0"] as $junk) {
            self::assertSame('malformed', self::refusal($csrf, $bag, $junk), json_encode($junk));
        }
        $other = [];
        $foreign = $csrf->issue($other, self::NOW);
        self::assertSame('unknown_token', self::refusal($csrf, $bag, $foreign), 'another session\'s token');
        $typo = $mine;
        $typo[10] = $typo[10] === 'A' ? 'B' : 'A';
        self::assertContains(self::refusal($csrf, $bag, $typo), ['bad_checksum', 'unknown_token', 'mismatch']);
        $bag2 = [];
        $late = $csrf->issue($bag2, self::NOW);
        self::assertSame('expired', self::refusal($csrf, $bag2, $late, self::NOW + 600));
        // A row under the right public id but another token's hash: the extension's comparison refuses it.
        $bag3 = [];
        $a = $csrf->issue($bag3, self::NOW);
        $b = $csrf->issue($bag3, self::NOW);
        $ids = array_keys($bag3);
        $bag3[$ids[0]] = $bag3[$ids[1]];
        self::assertSame('mismatch', self::refusal($csrf, $bag3, $a));
        $csrf->verify($bag3, $b, self::NOW);
    }

    public function testTheBagKeepsAFewOpenPagesOldestDroppedFirst(): void
    {
        $csrf = new CsrfTokens();
        $bag = ['junk' => 'not an entry'];
        $tokens = [];
        for ($i = 0; $i < CsrfTokens::MAX_OPEN + 2; $i++) {
            $tokens[] = $csrf->issue($bag, self::NOW);
        }
        self::assertCount(CsrfTokens::MAX_OPEN, $bag);
        self::assertSame('unknown_token', self::refusal($csrf, $bag, $tokens[0]));
        $csrf->verify($bag, $tokens[CsrfTokens::MAX_OPEN + 1], self::NOW);
        $csrf->verify($bag, $tokens[2], self::NOW);
    }

    public function testTheTokensAreTheExtensionsOwn(): void
    {
        $bag = [];
        $token = (new CsrfTokens(new Tokens('form')))->issue($bag, self::NOW);
        self::assertStringStartsWith('form_', $token);
        $this->expectException(InvalidTokenException::class);
        (new Tokens('form'))->verify($token, 'sha256:' . str_repeat('0', 64), null, null, self::NOW);
    }
}
