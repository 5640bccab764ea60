<?php

declare(strict_types=1);

namespace McpGuard\Tests\Server\Guard;

require_once dirname(__DIR__) . '/OAuth/OAuthStoreTestCase.php';

use McpGuard\Confirmations;
use McpGuard\Server\Guard\Confirmation\ConfirmationOutcome;
use McpGuard\Server\Guard\Confirmation\Confirmer;
use McpGuard\Server\Guard\Confirmation\PdoConfirmationStore;
use McpGuard\Server\Guard\Confirmation\PresentedConfirmation;
use McpGuard\Tests\Server\OAuth\OAuthStoreTestCase;

/**
 * The confirmation step as the pipeline runs it: ask → the client calls
 * again with the token → accepted once; replayed, transplanted, expired,
 * conflicting presentations refused; Statamic's replay-within-lifetime mode.
 */
final class ConfirmerTest extends OAuthStoreTestCase
{
    private const ARGS = ['order_id' => 1042, 'reason' => 'customer asked'];

    private function confirmer(bool $replay = false): Confirmer
    {
        $confirmations = new Confirmations(str_repeat('c', 32));
        $store = new PdoConfirmationStore($this->db);
        // Without the flag: the constructor's default, which must be single use.
        return $replay ? new Confirmer($confirmations, $store, replayWithinLifetime: true) : new Confirmer($confirmations, $store);
    }

    /** @return string the token of an ask() answer, checked for its MCP shape */
    private static function tokenOf(array $answer, string $tool): string
    {
        self::assertTrue($answer['isError']);
        self::assertSame('text', $answer['content'][0]['type']);
        $c = $answer['structuredContent']['confirmation'];
        self::assertSame($tool, $c['tool']);
        self::assertSame(self::NOW + 300, $c['expiresAt']);
        self::assertSame($c, $answer['_meta'][PresentedConfirmation::META_KEY]);
        self::assertStringContainsString('_confirmation="' . $c['token'] . '"', $answer['content'][0]['text'], 'an LLM only sees the text');
        self::assertStringContainsString('ask', $answer['content'][0]['text']);
        // The answer is valid JSON as it goes to the client.
        json_encode($answer, JSON_THROW_ON_ERROR);
        return $c['token'];
    }

    public function testSingleUseByDefault(): void
    {
        $c = $this->confirmer();
        $none = $c->accept(null, 'member:42', 'orders.cancel', self::ARGS, self::NOW);
        self::assertSame([ConfirmationOutcome::MISSING, 'confirmation_required'], [$none->status(), $none->reason()]);
        self::assertFalse($none->isAccepted());

        $token = self::tokenOf($c->ask('member:42', 'orders.cancel', self::ARGS, self::NOW), 'orders.cancel');
        // The repeated call, as an LLM client sends it: the token as the reserved argument.
        $p = PresentedConfirmation::split(self::ARGS + [PresentedConfirmation::ARGUMENT => $token], null);
        self::assertSame(self::ARGS, $p->arguments(), '_confirmation is removed before anything else looks');
        $first = $c->acceptPresented($p, 'member:42', 'orders.cancel', self::NOW + 5);
        self::assertSame(ConfirmationOutcome::ACCEPTED, $first->status());
        self::assertTrue($first->isAccepted());
        self::assertTrue($first->isFirstUse());
        self::assertNull($first->reason());
        self::assertMatchesRegularExpression('/^[0-9a-f]{32}$/D', (string) $first->id());
        self::assertNull($c->answer($first, 'member:42', 'orders.cancel', self::ARGS, self::NOW));

        $again = $c->acceptPresented($p, 'member:42', 'orders.cancel', self::NOW + 6);
        self::assertSame([ConfirmationOutcome::REPLAYED, 'confirmation_replayed'], [$again->status(), $again->reason()]);
        self::assertSame($first->id(), $again->id());
        $answer = $c->answer($again, 'member:42', 'orders.cancel', self::ARGS, self::NOW + 6);
        self::assertIsArray($answer);
        self::assertSame('confirmation_replayed', $answer['structuredContent']['refused']);
        self::assertNotSame($token, $answer['structuredContent']['confirmation']['token'], 'a fresh one to ask with');

        // Through _meta (a programmatic client) after the argument was used: still replayed.
        $meta = $c->acceptPresented(PresentedConfirmation::split(self::ARGS, [PresentedConfirmation::META_KEY => $token]), 'member:42', 'orders.cancel', self::NOW + 7);
        self::assertSame(ConfirmationOutcome::REPLAYED, $meta->status());
    }

    public function testReplayWithinLifetimeMode(): void
    {
        $c = $this->confirmer(replay: true);
        $token = self::tokenOf($c->ask('member:42', 'orders.cancel', self::ARGS, self::NOW), 'orders.cancel');
        $first = $c->accept($token, 'member:42', 'orders.cancel', self::ARGS, self::NOW + 1);
        $second = $c->accept($token, 'member:42', 'orders.cancel', self::ARGS, self::NOW + 299);
        self::assertTrue($first->isAccepted() && $first->isFirstUse());
        self::assertTrue($second->isAccepted());
        self::assertFalse($second->isFirstUse(), 'the audit log can tell a replay');
        $late = $c->accept($token, 'member:42', 'orders.cancel', self::ARGS, self::NOW + 300);
        self::assertSame([ConfirmationOutcome::REFUSED, 'confirmation_expired'], [$late->status(), $late->reason()]);
        // Replay mode keeps the bindings.
        $other = $c->accept($token, 'member:42', 'orders.cancel', ['order_id' => 1043] + self::ARGS, self::NOW + 2);
        self::assertSame('confirmation_not_bound', $other->reason());
    }

    public function testTransplantedOrForgedConfirmationsAreRefused(): void
    {
        $c = $this->confirmer();
        $token = self::tokenOf($c->ask('member:42', 'orders.cancel', self::ARGS, self::NOW), 'orders.cancel');
        $cases = [
            'another member' => ['member:43', 'orders.cancel', self::ARGS, 'confirmation_not_bound'],
            'another tool' => ['member:42', 'products.delete', self::ARGS, 'confirmation_not_bound'],
            'swapped order id' => ['member:42', 'orders.cancel', ['order_id' => 1], 'confirmation_not_bound'],
        ];
        foreach ($cases as $what => [$principal, $tool, $args, $reason]) {
            $o = $c->accept($token, $principal, $tool, $args, self::NOW + 1);
            self::assertSame([ConfirmationOutcome::REFUSED, $reason], [$o->status(), $o->reason()], $what);
            self::assertNull($o->id());
        }
        $forged = substr($token, 0, -2) . (str_ends_with($token, 'AA') ? 'BA' : 'AA');
        self::assertSame('confirmation_bad_mac', $c->accept($forged, 'member:42', 'orders.cancel', self::ARGS, self::NOW + 1)->reason());
        self::assertSame('confirmation_malformed', $c->accept('yes', 'member:42', 'orders.cancel', self::ARGS, self::NOW + 1)->reason());
        self::assertSame('confirmation_arguments_unreadable', $c->accept($token, 'member:42', 'orders.cancel', ['x' => NAN], self::NOW + 1)->reason());
        // None of these used the confirmation up: the real call still runs, once.
        self::assertTrue($c->accept($token, 'member:42', 'orders.cancel', self::ARGS, self::NOW + 2)->isAccepted());
        $refused = $c->accept($token, 'member:43', 'orders.cancel', self::ARGS, self::NOW + 3);
        self::assertSame('confirmation_not_bound', $refused->reason());
        $text = $c->answer($refused, 'member:43', 'orders.cancel', self::ARGS, self::NOW + 3)['content'][0]['text'];
        self::assertStringStartsWith('The confirmation was given for a different call', $text);
    }

    public function testPresentationRules(): void
    {
        $t = 'mcpc_' . str_repeat('A', 119);
        $both = PresentedConfirmation::split(['a' => 1, '_confirmation' => $t], [PresentedConfirmation::META_KEY => $t, 'other' => 1]);
        self::assertSame([['a' => 1], $t, null], [$both->arguments(), $both->token(), $both->refusal()]);
        $conflict = PresentedConfirmation::split(['a' => 1, '_confirmation' => $t], [PresentedConfirmation::META_KEY => $t . 'x']);
        self::assertSame([['a' => 1], null, 'confirmation_conflict'], [$conflict->arguments(), $conflict->token(), $conflict->refusal()]);
        self::assertSame('confirmation_conflict', $this->confirmer()->acceptPresented($conflict, 'm', 't', self::NOW)->reason());
        foreach ([['_confirmation' => 5], ['_confirmation' => null], ['_confirmation' => [$t]]] as $bad) {
            self::assertSame('confirmation_malformed', PresentedConfirmation::split($bad)->refusal());
        }
        self::assertSame('confirmation_malformed', PresentedConfirmation::split([], [PresentedConfirmation::META_KEY => 1])->refusal());
        $none = PresentedConfirmation::split(['a' => 1], ['progressToken' => 'x']);
        self::assertSame([['a' => 1], null, null], [$none->arguments(), $none->token(), $none->refusal()]);
        self::assertSame('confirmation_required', $this->confirmer()->acceptPresented($none, 'm', 't', self::NOW)->reason());

        // The key is a valid MCP _meta key: reverse-DNS prefix whose second label is not mcp/modelcontextprotocol.
        self::assertMatchesRegularExpression('~^([a-z][a-z0-9-]*[a-z0-9]\.)*[a-z][a-z0-9-]*[a-z0-9]/[a-zA-Z0-9]([a-zA-Z0-9._-]*[a-zA-Z0-9])?$~D', PresentedConfirmation::META_KEY);
        $labels = explode('.', explode('/', PresentedConfirmation::META_KEY)[0]);
        self::assertNotContains($labels[1], ['mcp', 'modelcontextprotocol']);

        $schema = PresentedConfirmation::declareIn(['type' => 'object', 'properties' => ['id' => ['type' => 'integer']], 'required' => ['id']]);
        self::assertSame('string', $schema['properties']['_confirmation']['type']);
        self::assertSame(['id'], $schema['required'], 'optional');
        self::assertSame(['type' => 'integer'], $schema['properties']['id']);
        self::assertSame('object', PresentedConfirmation::declareIn([])['type']);
    }
}
