<?php

declare(strict_types=1);

namespace McpGuard\Tests\Server\Audit;

use McpGuard\Audit\Chain;
use McpGuard\Audit\ChainVerifier;
use McpGuard\Audit\Event;
use McpGuard\Exception\ConfigurationException;
use McpGuard\Exception\InvalidArgumentException;
use PHPUnit\Framework\TestCase;

/**
 * McpGuard\Audit\Event, Chain and ChainVerifier through the real module,
 * and the known-answer vector tests/vectors/audit_chain.json (computed with
 * Python's hashlib by tests/vectors/audit_chain.py).
 */
final class EventTest extends TestCase
{
    private const TOKEN = 'mcp_0123456789abcdef_0123456789012345678901234567890123456789012345678';
    private const JWT = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl';

    /** @return array<string, mixed> */
    private static function vector(): array
    {
        return json_decode((string) file_get_contents(dirname(__DIR__, 3) . '/vectors/audit_chain.json'), true, 64, JSON_THROW_ON_ERROR);
    }

    public function testTheVectorsRecordsHashesAndHead(): void
    {
        $v = self::vector();
        $chain = new Chain(hex2bin($v['key']));
        $verifier = new ChainVerifier($chain);
        $prev = null;
        foreach ($v['rows'] as $row) {
            $fields = $row['fields'];
            if ($row['argumentsJson'] !== null) {
                $fields['arguments'] = json_decode($row['argumentsJson'], true);
            }
            $e = new Event($row['type'], $fields);
            self::assertSame($row['argumentsDigest'], $e->argumentsDigest());
            $l = $chain->link($e, $row['seq'], $prev);
            self::assertSame([$row['record'], $row['prev'], $row['hash']], [$l->record(), $l->previousHash(), $l->hash()]);
            self::assertSame($e->toArray(), Event::fromRecord($l->record())->toArray());
            self::assertTrue($verifier->feed($row['seq'], $row['record'], $row['hash']));
            $prev = $l->hash();
        }
        self::assertSame($v['head']['mac'], $chain->headMac($v['head']['seq'], $v['head']['hash']));
        self::assertTrue($verifier->finish($v['head']['seq'], $v['head']['hash'], $v['head']['mac']));
        self::assertSame(count($v['rows']), $verifier->verified());
        self::assertNull($verifier->reason());
        self::assertNull($verifier->brokenAt());
    }

    public function testEveryFlippedByteOfTheVectorIsRefused(): void
    {
        $v = self::vector();
        foreach ($v['rows'] as $i => $row) {
            foreach (['record', 'hash'] as $field) {
                for ($at = 0; $at < strlen($row[$field]); $at += 7) {
                    $verifier = new ChainVerifier(new Chain(hex2bin($v['key'])));
                    $ok = true;
                    foreach ($v['rows'] as $j => $r) {
                        if ($j === $i) {
                            $r[$field][$at] = chr(ord($r[$field][$at]) ^ 1);
                        }
                        $ok = $verifier->feed($r['seq'], $r['record'], $r['hash']) && $ok;
                    }
                    $ok = $verifier->finish($v['head']['seq'], $v['head']['hash'], $v['head']['mac']) && $ok;
                    self::assertFalse($ok, "row {$row['seq']} {$field} byte {$at}");
                    self::assertLessThanOrEqual($row['seq'], $verifier->brokenAt());
                }
            }
        }
    }

    public function testFieldsAndDefaults(): void
    {
        $before = (int) (microtime(true) * 1e6);
        $e = new Event('tool_denied', ['tool' => 'order_cancel', 'reason' => 'insufficient_scope', 'ip' => '2001:DB8:0::1', 'principal' => null]);
        self::assertSame('denied', $e->outcome(), 'a refusal type defaults to denied');
        self::assertGreaterThanOrEqual($before, $e->at(), 'at defaults to now (µs)');
        self::assertLessThanOrEqual((int) (microtime(true) * 1e6) + 1, $e->at());
        self::assertSame('2001:db8::1', $e->ip(), 'canonical IP');
        self::assertNull($e->principal());
        self::assertSame(['type', 'outcome', 'at', 'principal', 'tokenId', 'clientId', 'tool', 'argumentsDigest', 'reason', 'latencyUs', 'ip', 'protocol'], array_keys($e->toArray()));
        self::assertSame('allowed', (new Event('token_used'))->outcome());
        self::assertSame('error', (new Event('tool_allowed', ['outcome' => 'error']))->outcome());
        // The same arguments give the same digest, in place; another value another.
        $a = new Event('tool_allowed', ['arguments' => ['id' => 1, 'tags' => ['x']]]);
        $b = new Event('tool_allowed', ['arguments' => ['id' => 1, 'tags' => ['x']]]);
        $c = new Event('tool_allowed', ['arguments' => ['id' => 1, 'tags' => ['y']]]);
        self::assertSame($a->argumentsDigest(), $b->argumentsDigest());
        self::assertNotSame($a->argumentsDigest(), $c->argumentsDigest());
        self::assertSame($a->argumentsDigest(), (new Event('tool_allowed', ['argumentsDigest' => $a->argumentsDigest()]))->argumentsDigest());
    }

    /** @return iterable<string, array{string, array<string, mixed>, string}> */
    public static function refused(): iterable
    {
        foreach (['principal', 'tokenId', 'clientId', 'tool', 'protocol'] as $field) {
            yield "{$field}: our token" => ['tool_allowed', [$field => self::TOKEN], 'secret_shaped_value'];
            yield "{$field}: a JWT" => ['tool_allowed', [$field => self::JWT], 'secret_shaped_value'];
            yield "{$field}: a Bearer header" => ['tool_allowed', [$field => 'Bearer ' . self::TOKEN], 'secret_shaped_value'];
            yield "{$field}: a Basic header" => ['tool_allowed', [$field => 'Basic dXNlcjpwYXNz'], 'secret_shaped_value'];
            yield "{$field}: a token inside" => ['tool_allowed', [$field => 'x=' . self::TOKEN], 'secret_shaped_value'];
            yield "{$field}: an int" => ['tool_allowed', [$field => 5], 'invalid_audit_field_type'];
            yield "{$field}: empty" => ['tool_allowed', [$field => ''], 'invalid_audit_field'];
            yield "{$field}: a newline" => ['tool_allowed', [$field => "a\nb"], 'invalid_audit_field'];
            yield "{$field}: a quote" => ['tool_allowed', [$field => 'a"b'], 'invalid_audit_field'];
            yield "{$field}: not UTF-8" => ['tool_allowed', [$field => "\xff"], 'invalid_audit_field'];
            yield "{$field}: huge" => ['tool_allowed', [$field => str_repeat('a', 10000)], 'invalid_audit_field'];
        }
        yield 'reason: a token' => ['tool_denied', ['reason' => self::TOKEN], 'invalid_reason'];
        yield 'reason: upper case' => ['tool_denied', ['reason' => 'Expired'], 'invalid_reason'];
        yield 'unknown type' => ['tool_invented', [], 'unknown_event_type'];
        yield 'unknown key' => ['tool_allowed', ['password' => 'x'], 'unknown_audit_field'];
        yield 'a list key' => ['tool_allowed', ['x'], 'unknown_audit_field'];
        yield 'snake-case key' => ['tool_allowed', ['token_id' => 'x'], 'unknown_audit_field'];
        yield 'arguments not an array' => ['tool_allowed', ['arguments' => 'a=1'], 'invalid_audit_field_type'];
        yield 'arguments with an object' => ['tool_allowed', ['arguments' => ['x' => new \stdClass()]], 'invalid_arguments'];
        yield 'arguments and a digest' => ['tool_allowed', ['arguments' => [], 'argumentsDigest' => str_repeat('a', 64)], 'invalid_digest'];
        yield 'a digest in upper case' => ['tool_allowed', ['argumentsDigest' => str_repeat('A', 64)], 'invalid_digest'];
        yield 'an allowed refusal' => ['rate_limited', ['outcome' => 'allowed'], 'invalid_outcome'];
        yield 'an unknown outcome' => ['tool_allowed', ['outcome' => 'maybe'], 'invalid_outcome'];
        yield 'an IP with a zone' => ['tool_allowed', ['ip' => 'fe80::1%eth0'], 'invalid_ip'];
        yield 'an IP with a port' => ['tool_allowed', ['ip' => '1.2.3.4:80'], 'invalid_ip'];
        yield 'a negative time' => ['tool_allowed', ['at' => -1], 'out_of_range'];
        yield 'a float time' => ['tool_allowed', ['at' => 1.5], 'invalid_audit_field_type'];
        yield 'a negative latency' => ['tool_allowed', ['latencyUs' => -1], 'out_of_range'];
    }

    /**
     * @dataProvider refused
     * @param array<string, mixed> $fields
     */
    public function testRefusedWithAReason(string $type, array $fields, string $reason): void
    {
        try {
            new Event($type, $fields);
            self::fail('accepted');
        } catch (InvalidArgumentException $e) {
            self::assertSame($reason, $e->reason());
            foreach ($fields as $v) {
                if (is_string($v) && strlen($v) > 3) {
                    self::assertStringNotContainsString($v, $e->getMessage(), 'the message never quotes the value');
                }
            }
        }
    }

    public function testChainArguments(): void
    {
        $e = new Event('token_used', ['at' => 1]);
        $chain = new Chain();
        self::assertFalse($chain->hasKey());
        self::assertNull($chain->headMac(1, str_repeat('a', 64)));
        $first = $chain->link($e, 1, null);
        self::assertSame(str_repeat('0', 64), $first->previousHash());
        self::assertSame(1, $first->seq());
        foreach ([[0, null], [1, $first->hash()], [2, null], [-1, null], [2, 'zz'], [2, strtoupper($first->hash())]] as [$seq, $prev]) {
            try {
                $chain->link($e, $seq, $prev);
                self::fail("linked {$seq}");
            } catch (InvalidArgumentException $ex) {
                self::assertContains($ex->reason(), ['out_of_range', 'invalid_digest']);
            }
        }
        try {
            new Chain(str_repeat('k', 31));
            self::fail('a 31-byte key');
        } catch (ConfigurationException $ex) {
            self::assertSame('weak_audit_key', $ex->reason());
        }
        self::assertTrue((new Chain(str_repeat('k', 32)))->hasKey());
        try {
            Event::fromRecord(str_replace('"at":1', '"at":01', $first->record()));
            self::fail('a non-canonical record');
        } catch (InvalidArgumentException $ex) {
            self::assertSame('malformed_record', $ex->reason());
        }
    }

    public function testTheVerifierIsStickyAndChecksOrder(): void
    {
        $chain = new Chain();
        $a = $chain->link(new Event('token_used', ['at' => 1]), 1, null);
        $b = $chain->link(new Event('token_used', ['at' => 2]), 2, $a->hash());
        $v = new ChainVerifier();
        self::assertFalse($v->feed(2, $b->record(), $b->hash()), 'row 1 missing');
        self::assertSame([1, 'missing'], [$v->brokenAt(), $v->reason()]);
        self::assertFalse($v->feed(1, $a->record(), $a->hash()), 'broken stays broken');
        self::assertFalse($v->finish(1, $a->hash(), null));
        $v = new ChainVerifier();
        self::assertTrue($v->feed(1, $a->record(), $a->hash()));
        self::assertFalse($v->feed(-5, $b->record(), $b->hash()));
        self::assertSame([2, 'reordered'], [$v->brokenAt(), $v->reason()]);
        $v = new ChainVerifier();
        self::assertTrue($v->feedRow(1, $a->record(), $a->hash(), 1, 'token_used', 'allowed', null, null));
        self::assertFalse($v->feedRow(2, $b->record(), $b->hash(), 2, 'token_used', 'denied', null, null));
        self::assertSame([2, 'edited_column'], [$v->brokenAt(), $v->reason()]);
        // Without a key the MAC is not looked at; with one it is required.
        $v = new ChainVerifier();
        $v->feed(1, $a->record(), $a->hash());
        self::assertTrue($v->finish(1, $a->hash(), null));
        $v = new ChainVerifier(new Chain(str_repeat('k', 32)));
        $v->feed(1, $a->record(), $a->hash());
        self::assertFalse($v->finish(1, $a->hash(), null));
        self::assertSame([1, 'forged_head'], [$v->brokenAt(), $v->reason()]);
    }
}
