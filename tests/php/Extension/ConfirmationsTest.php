<?php

declare(strict_types=1);

namespace McpGuard\Tests\Extension;

use McpGuard\ConfirmationCheck;
use McpGuard\Confirmations;
use McpGuard\Exception\ConfigurationException;
use McpGuard\Exception\GuardException;
use McpGuard\Exception\InvalidArgumentException;
use McpGuard\IssuedConfirmation;
use PHPUnit\Framework\TestCase;

/** McpGuard\Confirmations through the built module, and the known answers of tests/vectors/confirmations.json. */
final class ConfirmationsTest extends TestCase
{
    private const NOW = 1_800_000_000;
    private const ARGS = ['order_id' => 1042, 'reason' => 'customer asked', 'lines' => [['sku' => 'A-1', 'qty' => 2]]];

    private static function c(int $ttl = 300): Confirmations
    {
        return new Confirmations(str_repeat('k', 32), $ttl);
    }

    /** @return array<string, mixed> */
    private static function vectors(): array
    {
        return json_decode((string) file_get_contents(dirname(__DIR__, 2) . '/vectors/confirmations.json'), true, 512, JSON_THROW_ON_ERROR);
    }

    public function testKnownArgumentDigests(): void
    {
        $n = 0;
        foreach (self::vectors()['digests'] as $d) {
            $args = json_decode($d['arguments'], true, 512, JSON_THROW_ON_ERROR);
            self::assertSame($d['digest'], Confirmations::argumentsDigest($args), $d['arguments']);
            $n++;
        }
        self::assertGreaterThanOrEqual(10, $n);
    }

    public function testKnownCheckVerdicts(): void
    {
        $n = 0;
        foreach (self::vectors()['checks'] as $c) {
            $conf = new Confirmations(hex2bin($c['key']));
            $args = json_decode($c['arguments'], true, 512, JSON_THROW_ON_ERROR);
            $r = $conf->check($c['token'], $c['principal'], $c['tool'], $args, $c['now']);
            self::assertSame($c['expect'], $r->ok() ? 'ok' : $r->reason(), $c['name']);
            $n++;
        }
        self::assertGreaterThanOrEqual(20, $n);
        // The issued vectors check too (PHP cannot inject the random id, so the
        // exact token is the Rust test's; here it must verify for its call).
        foreach (self::vectors()['issued'] as $i) {
            $conf = new Confirmations(hex2bin($i['key']), $i['ttl']);
            $r = $conf->check($i['token'], $i['principal'], $i['tool'], json_decode($i['arguments'], true), $i['now']);
            self::assertTrue($r->ok());
            self::assertSame($i['id'], $r->id());
            self::assertSame($i['expires_at'], $r->expiresAt());
        }
    }

    public function testIssueAndCheckOneCall(): void
    {
        $c = self::c();
        $i = $c->issue('member:42', 'orders.cancel', self::ARGS, self::NOW);
        self::assertInstanceOf(IssuedConfirmation::class, $i);
        self::assertMatchesRegularExpression('/^mcpc_[A-Za-z0-9_-]{119}$/D', $i->token());
        self::assertMatchesRegularExpression('/^[0-9a-f]{32}$/D', $i->id());
        self::assertSame(self::NOW + 300, $i->expiresAt());
        self::assertTrue(Confirmations::looksLikeConfirmation($i->token()));
        self::assertFalse(Confirmations::looksLikeConfirmation(substr($i->token(), 1)));

        $ok = $c->check($i->token(), 'member:42', 'orders.cancel', self::ARGS, self::NOW + 1);
        self::assertInstanceOf(ConfirmationCheck::class, $ok);
        self::assertTrue($ok->ok());
        self::assertNull($ok->reason());
        self::assertSame($i->id(), $ok->id());
        self::assertSame($i->expiresAt(), $ok->expiresAt());

        // The same arguments in another key order (a client re-serialising them).
        $reordered = ['lines' => [['qty' => 2, 'sku' => 'A-1']], 'reason' => 'customer asked', 'order_id' => 1042];
        self::assertTrue($c->check($i->token(), 'member:42', 'orders.cancel', $reordered, self::NOW)->ok());

        $refused = [
            'another principal' => ['member:43', 'orders.cancel', self::ARGS],
            'another tool' => ['member:42', 'orders.delete', self::ARGS],
            'one field changed' => ['member:42', 'orders.cancel', ['order_id' => 1043] + self::ARGS],
            'a field added' => ['member:42', 'orders.cancel', self::ARGS + ['refund' => true]],
            'a nested value changed' => ['member:42', 'orders.cancel', ['lines' => [['sku' => 'A-1', 'qty' => 3]]] + self::ARGS],
            'an int as a string' => ['member:42', 'orders.cancel', ['order_id' => '1042'] + self::ARGS],
            'no arguments' => ['member:42', 'orders.cancel', []],
        ];
        foreach ($refused as $what => [$p, $t, $a]) {
            $r = $c->check($i->token(), $p, $t, $a, self::NOW);
            self::assertFalse($r->ok(), $what);
            self::assertSame('confirmation_not_bound', $r->reason(), $what);
            self::assertNull($r->id());
            self::assertNull($r->expiresAt());
        }
    }

    public function testExpiryAndKeys(): void
    {
        $c = self::c(60);
        $i = $c->issue('m', 't', [], self::NOW);
        self::assertSame(self::NOW + 60, $i->expiresAt());
        self::assertTrue($c->check($i->token(), 'm', 't', [], self::NOW + 59)->ok());
        self::assertSame('confirmation_expired', $c->check($i->token(), 'm', 't', [], self::NOW + 60)->reason());
        $other = new Confirmations(str_repeat('o', 32));
        self::assertSame('confirmation_bad_mac', $other->check($i->token(), 'm', 't', [], self::NOW)->reason());
        // The system clock when $now is null: a fresh confirmation checks now.
        $j = $c->issue('m', 't', ['a' => 1]);
        self::assertTrue($c->check($j->token(), 'm', 't', ['a' => 1])->ok());
        self::assertSame(300, self::c()->ttlSeconds());
        self::assertSame(300, (new Confirmations(str_repeat('k', 32)))->ttlSeconds());
    }

    public function testBadTokensAreAnswersNotExceptions(): void
    {
        $c = self::c();
        $t = $c->issue('m', 't', [], self::NOW)->token();
        foreach (['', 'mcpc_', substr($t, 0, -1), $t . 'A', "\xff" . substr($t, 1), str_repeat('A', 10 << 20), strtoupper($t)] as $bad) {
            $r = $c->check($bad, 'm', 't', [], self::NOW);
            self::assertFalse($r->ok());
            self::assertSame('confirmation_malformed', $r->reason());
        }
    }

    public function testConfigurationAndCallerErrors(): void
    {
        $reason = static function (callable $f): string {
            try {
                $f();
            } catch (GuardException $e) {
                return get_class($e) . ' ' . $e->reason();
            }
            return 'no exception';
        };
        $cfg = ConfigurationException::class;
        $arg = InvalidArgumentException::class;
        self::assertSame("$cfg confirmation_key_length", $reason(fn () => new Confirmations(str_repeat('k', 31))));
        self::assertSame("$cfg confirmation_key_length", $reason(fn () => new Confirmations('')));
        self::assertSame("$arg confirmation_bad_ttl", $reason(fn () => new Confirmations(str_repeat('k', 32), 0)));
        self::assertSame("$arg confirmation_bad_ttl", $reason(fn () => new Confirmations(str_repeat('k', 32), 901)));
        self::assertSame("$arg confirmation_bad_ttl", $reason(fn () => new Confirmations(str_repeat('k', 32), -1)));
        $c = self::c();
        self::assertSame("$arg confirmation_bad_principal", $reason(fn () => $c->issue('', 't', [])));
        self::assertSame("$arg confirmation_bad_tool", $reason(fn () => $c->issue('m', '', [])));
        self::assertSame("$arg confirmation_bad_time", $reason(fn () => $c->issue('m', 't', [], -5)));
        foreach ([['x' => NAN], ['x' => new \stdClass()], ['x' => "\xff"], ["\xff" => 1]] as $bad) {
            self::assertSame("$arg confirmation_arguments_unreadable", $reason(fn () => $c->issue('m', 't', $bad)));
            self::assertSame("$arg confirmation_arguments_unreadable", $reason(fn () => $c->check('x', 'm', 't', $bad)));
            self::assertSame("$arg confirmation_arguments_unreadable", $reason(fn () => Confirmations::argumentsDigest($bad)));
        }
        $this->expectException(\TypeError::class);
        $c->check(['not a string'], 'm', 't', []);
    }

    public function testDigestIgnoresKeyOrderOnly(): void
    {
        $d = [Confirmations::class, 'argumentsDigest'];
        self::assertSame($d(['a' => 1, 'b' => [1, 2]]), $d(['b' => [1, 2], 'a' => 1]));
        self::assertNotSame($d(['b' => [1, 2]]), $d(['b' => [2, 1]]));
        self::assertSame($d([1 => 'b', 0 => 'a']), $d(['a', 'b']));
        self::assertNotSame($d(['a' => 1]), $d(['a' => 1.0]));
        self::assertNotSame($d(['a' => null]), $d([]));
        self::assertMatchesRegularExpression('/^[0-9a-f]{64}$/D', $d([]));
        // A PHP array that starts as a list and turns into an object is the
        // object (its first members named by their positions), whichever way it was built.
        $known = array_column(self::vectors()['digests'], 'digest', 'arguments')['{"x":1,"0":"a"}'];
        self::assertSame($known, $d(['a', 'x' => 1]));
        self::assertSame($known, $d(['x' => 1, 0 => 'a']));
        self::assertNotSame($known, $d(['a', 'x' => 1, 5 => null]));
    }
}
