<?php

declare(strict_types=1);

namespace McpGuard\Server\Guard;

use McpGuard\Exception\GuardException;
use McpGuard\Exception\InvalidTokenException;
use McpGuard\Guard;
use McpGuard\Guard\Verdict;
use McpGuard\Resource\Origins;
use McpGuard\Server\Audit\AuditSink;
use McpGuard\Server\Guard\Auth\BasicVerifier;
use McpGuard\Server\Guard\Auth\Identity;
use McpGuard\Server\Guard\Auth\JwtAuthenticator;
use McpGuard\Server\Guard\Auth\KeysUnavailable;
use McpGuard\Server\Guard\Auth\LegacyTokenSource;
use McpGuard\Server\Guard\Auth\RehashingTokenSource;
use McpGuard\Server\Guard\Auth\TokenRow;
use McpGuard\Server\Guard\Auth\TokenSource;
use McpGuard\Server\Guard\Confirmation\Confirmer;
use McpGuard\Server\Guard\Confirmation\PresentedConfirmation;
use McpGuard\Server\Http\Refusals;
use McpGuard\Server\Http\Request;
use McpGuard\Server\Http\Response;
use McpGuard\Server\Mcp\Caller;
use McpGuard\Server\Mcp\Endpoint;
use McpGuard\Server\Mcp\Message;
use McpGuard\Server\Member\MemberRoles;

/**
 * The guarded MCP endpoint: one request through every check in a fixed
 * order, then the tool's handler, then one audit event.
 *
 *   preflight  a CORS preflight is answered before anything else
 *   1 origin     a present `Origin` that is not allowed → 403
 *   2 transport  HTTPS (or a trusted proxy's word for it) → else 403
 *   3 credential Bearer opaque token (its row fetched by public id) or JWT,
 *                or a legacy token (its row fetched by its SHA-256, when a
 *                LegacyTokenSource is given and the guard accepts them),
 *                or Basic when the host verifies it; none → 401 + challenge
 *     read       the MCP message(s): method, size, JSON, era, headers
 *   4–6 decide   per message, ONE call into the extension: the token against
 *                its row, the member's role, token ∩ role scopes, the
 *                principal's and the tool class's rates, the policy (tool,
 *                scopes, writes, enabled, typed fields in place)
 *   confirm      a destructive tool needs a confirmation bound to principal,
 *                tool and arguments, accepted once
 *   answer       the handlers; 8 audit: one event for the request
 *
 * Each step returns a Refusal (or null to go on); `Http\Refusals` alone turns
 * a refusal into status, headers and body. Decisions are the extension's:
 * this class fetches rows, asks, and answers.
 */
final class Pipeline
{
    /** @var array<string, TokenSource> by prefix */
    private readonly array $sources;
    private readonly Refusals $refusals;
    private ?Origins $origins = null;

    /**
     * @param list<TokenSource> $tokenSources where opaque tokens' rows live (API tokens, OAuth access tokens)
     * @param (\Closure(): int)|null $clock Unix seconds (tests); null = the system clock
     * @param LegacyTokenSource|null $legacyTokens rows of a replaced tool that stored the bare SHA-256 of each token;
     *                                          used only when the guard has `legacySha256Tokens => true`
     */
    public function __construct(
        private readonly PipelineConfig $config,
        private readonly Endpoint $mcp,
        private readonly MemberRoles $members,
        array $tokenSources,
        private readonly ?JwtAuthenticator $jwt = null,
        private readonly ?BasicVerifier $basic = null,
        private readonly ?Confirmer $confirmer = null,
        private readonly ?AuditSink $audit = null,
        private readonly ?\Closure $clock = null,
        private readonly ?LegacyTokenSource $legacyTokens = null,
    ) {
        $bySource = [];
        foreach ($tokenSources as $s) {
            $bySource[$s->prefix()] = $s;
        }
        $this->sources = $bySource;
        $this->refusals = new Refusals($mcp);
    }

    /**
     * The steps in their fixed order, for hosts whose framework runs each in a
     * middleware of its own (begin(), step() for each, then finish()):
     * `origin` (a CORS preflight is answered here), `transport`, `credential`,
     * `decide` (the MCP message(s), then the one decision: member, scopes,
     * rates, policy), `confirm`.
     */
    public const STEPS = ['origin', 'transport', 'credential', 'decide', 'confirm'];

    public function handle(Request $request): Response
    {
        $x = $this->begin($request);
        foreach (self::STEPS as $name) {
            $response = $this->step($x, $name);
            if ($response !== null) {
                return $response;
            }
        }
        return $this->finish($x);
    }

    /** A request's exchange, for step() and finish(); the host keeps it with its request. */
    public function begin(Request $request): Exchange
    {
        return new Exchange($request);
    }

    /**
     * Runs the next step, which must be `$name` (STEPS order; anything else is
     * a wiring mistake: \LogicException). Null to go on; otherwise the
     * response to send: a preflight's, or a refusal (recorded, CORS headers added).
     */
    public function step(Exchange $x, string $name): ?Response
    {
        if ((self::STEPS[$x->steps] ?? null) !== $name) {
            throw new \LogicException("The pipeline step '{$name}' is out of order.");
        }
        $x->steps++;
        $request = $x->request;
        if ($name === 'origin') {
            $preflight = $this->origins()->preflight($request->method, $request->header('origin'),
                $request->header('access-control-request-method'), $request->header('access-control-request-headers'));
            if ($preflight->isPreflight()) {
                return new Response((int) $preflight->status(), $preflight->headers());
            }
        }
        $refusal = match ($name) {
            'origin' => $this->origin($x),          // 1
            'transport' => $this->transport($x),    // 2
            'credential' => $this->credential($x),  // 3
            'decide' => $this->read($x)             //   the MCP message(s)
                ?? $this->decide($x),               // 4, 5, 6
            'confirm' => $this->confirm($x),        //   destructive tools
        };
        return $refusal === null ? null : $this->conclude($x, $refusal);
    }

    /** After every step let the request through: the handlers' answer (recorded, CORS headers added). */
    public function finish(Exchange $x): Response
    {
        if ($x->steps !== count(self::STEPS)) {
            throw new \LogicException('The pipeline was finished before all its steps ran.');
        }
        return $this->conclude($x, null);
    }

    private function conclude(Exchange $x, ?Refusal $refusal): Response
    {
        $response = $refusal === null ? $this->answer($x) : $this->refusals->respond($refusal, $x->incoming, $x->refusedAt ?? 0);
        $this->record($x, $refusal);      // 8
        foreach ($x->cors as $name => $value) {
            $response = $response->withHeader($name, $value);
        }
        return $response;
    }

    /** 1. A present Origin must be this resource's own or an allowed cross origin. */
    private function origin(Exchange $x): ?Refusal
    {
        $o = $this->origins()->check($x->request->header('origin'));
        if (!$o->allowed()) {
            return Refusal::origin((string) $o->reason());
        }
        $x->cors = $o->headers();
        return null;
    }

    /** 2. HTTPS, directly or through a trusted proxy; the client address. */
    private function transport(Exchange $x): ?Refusal
    {
        $r = $x->request;
        $t = $this->guard()->transport()->inspect([
                'HTTPS' => $r->https ? 'on' : null,
                'REMOTE_ADDR' => $r->remoteAddress,
                'HTTP_HOST' => $r->header('host'),
                'HTTP_X_FORWARDED_PROTO' => $r->header('x-forwarded-proto'),
                'HTTP_X_FORWARDED_FOR' => $r->header('x-forwarded-for'),
                'HTTP_FORWARDED' => $r->header('forwarded'),
            ]);
        if (!$t->allowed()) {
            return Refusal::transport((string) $t->reason());
        }
        $x->ip = $t->clientIp();
        return null;
    }

    /**
     * 3. The credential of the `Authorization` header (never the query
     * string): an opaque token's row, a verified JWT, or Basic credentials
     * the host checked. The opaque token itself is verified in decide().
     */
    private function credential(Exchange $x): ?Refusal
    {
        $header = $x->request->header('authorization');
        $guard = $this->guard();
        if ($header === null || $header === '') {
            return Refusal::unauthenticated($guard->challenge());
        }
        try {
            $c = \McpGuard\Credentials::fromHeader($header);
        } catch (GuardException $e) {
            return Refusal::fromVerdict($guard->refuseCredential($x->ip), $e->reason());
        }
        $token = $c->bearerToken();
        if ($token !== null) {
            $x->token = $token;
            $prefix = $guard->tokenPrefix($token);
            if ($prefix !== null) {
                $x->source = $this->sources[$prefix] ?? null;
                $x->row = $x->source?->find((string) $guard->publicId($token));
                return null;
            }
            $jwtShaped = JwtAuthenticator::looksLikeJwt($token);
            if ($this->jwt !== null && $jwtShaped) {
                try {
                    $x->identity = $this->jwt->authenticate($token, $this->now());
                } catch (InvalidTokenException $e) {
                    // Counted against the address like a failed opaque token.
                    return Refusal::fromVerdict($guard->refuseCredential($x->ip), $e->reason());
                } catch (KeysUnavailable) {
                    return Refusal::unavailable('jwks_unavailable'); // not the client's fault: not counted
                }
                return null;
            }
            // A legacy token's row, by the digest the guard names (null: the guard does not
            // accept legacy rows, or the token starts like ours; decide() then refuses it).
            $digest = $this->legacyTokens !== null && !$jwtShaped ? $guard->legacyDigest($token) : null;
            if ($digest !== null) {
                $x->legacy = true;
                $x->row = $this->legacyTokens?->find($digest);
            }
            return null; // not a token of ours: decide() refuses it as malformed (and counts the failure)
        }
        if ($c->scheme() === 'basic' && $this->basic !== null) {
            $member = $this->basic->verify((string) $c->username(), (string) $c->password());
            if ($member === null) {
                return Refusal::fromVerdict($guard->refuseCredential($x->ip), 'basic_refused');
            }
            $x->identity = new Identity($member, [], '', '', 'basic');
            return null;
        }
        return Refusal::unauthenticated($guard->challenge(), 'unsupported_scheme');
    }

    /** The MCP message(s), both protocol eras. */
    private function read(Exchange $x): ?Refusal
    {
        $in = $this->mcp->read($x->request);
        if ($in instanceof Response) {
            return Refusal::protocol($in, 'protocol_refused');
        }
        $x->incoming = $in;
        return null;
    }

    /** 4–6. One call into the extension per message. */
    private function decide(Exchange $x): ?Refusal
    {
        $guard = $this->guard();
        $member = $x->row?->memberId ?? $x->identity?->memberId;
        $x->memberId = $member;
        $x->role = $member === null ? null : $this->members->role($member);
        $basicScopes = $x->identity?->kind === 'basic' && $x->role !== null
            ? $guard->policy()->scopesForRole($x->role) : null;
        foreach ($x->incoming->messages as $i => $m) {
            $call = $m->method === 'tools/call' && $m->toolName !== null;
            $arguments = null;
            if ($call) {
                $x->presented[$i] = PresentedConfirmation::split($m->arguments, $m->meta);
                $arguments = $x->presented[$i]->arguments();
            }
            $v = $this->verdict($guard, $x, $call ? $m->toolName : null, $arguments, $basicScopes);
            $x->verdicts[$i] = $v;
            $x->tokenId ??= $v->publicId();
            if (!$v->allowed()) {
                $x->refusedAt = $i;
                return Refusal::fromVerdict($v);
            }
        }
        $this->rehash($x, end($x->verdicts) ?: null);
        return null;
    }

    /** A row of an older hash scheme that just verified is upgraded in place (only after every check passed). */
    private function rehash(Exchange $x, ?Verdict $v): void
    {
        $hash = $v?->rehash();
        if ($hash !== null && $x->row !== null && $x->source instanceof RehashingTokenSource) {
            $x->source->rehash($x->row->publicId, $hash);
        }
    }

    private function verdict(Guard $guard, Exchange $x, ?string $tool, ?array $arguments, ?array $basicScopes): Verdict
    {
        if ($x->identity !== null) {
            return $guard->checkMember($x->identity->memberId, $basicScopes ?? $x->identity->scopes, $x->role, $tool, $arguments);
        }
        $row = $x->row;
        if ($x->legacy) {
            return $guard->checkLegacy((string) $x->token, $row?->hash, $row?->expiresAt, $row?->revokedAt, $row->scopes ?? [],
                $x->role, $tool, $arguments, $x->ip, $this->now());
        }
        return $guard->check((string) $x->token, $row?->hash, $row?->expiresAt, $row?->revokedAt, $row->scopes ?? [],
            $x->role, $tool, $arguments, $x->ip, $this->now(), null, $row?->audience);
    }

    /** A destructive tool runs only with a confirmation bound to this call. */
    private function confirm(Exchange $x): ?Refusal
    {
        foreach ($x->incoming->messages as $i => $m) {
            if (($x->verdicts[$i] ?? null)?->toolClass() !== 'destructive') {
                continue;
            }
            if ($this->confirmer === null) {
                return Refusal::confirmation(['content' => [['type' => 'text',
                    'text' => 'This destructive tool needs confirmations, which this server has not configured.']], 'isError' => true],
                    'confirmation_unavailable');
            }
            $presented = $x->presented[$i];
            $outcome = $this->confirmer->acceptPresented($presented, (string) $x->memberId, (string) $m->toolName, $this->now());
            $x->confirmation = $outcome->status();
            $answer = $this->confirmer->answer($outcome, (string) $x->memberId, (string) $m->toolName, $presented->arguments(), $this->now());
            if ($answer !== null) {
                $x->refusedAt = $i;
                return Refusal::confirmation($answer, $outcome->reason() ?? 'confirmation_missing');
            }
        }
        return null;
    }

    /** The handlers, with the rate-limit headers of the last decision. */
    private function answer(Exchange $x): Response
    {
        $last = end($x->verdicts);
        $lists = false;
        foreach ($x->incoming->messages as $m) {
            $lists = $lists || $m->method === 'tools/list';
        }
        $caller = new Caller((string) $x->memberId, (string) $x->role, $x->row->scopes ?? $x->identity->scopes ?? [],
            $lists && $last !== false ? $last->visibleTools() : [], $x->tokenId, $x->row?->clientId ?? $x->identity?->clientId);
        $answers = [];
        foreach ($x->incoming->messages as $i => $m) {
            $p = $x->presented[$i] ?? null;
            // The handler gets the arguments the guard checked: without `_confirmation`.
            if ($p !== null && $p->arguments() !== $m->arguments) {
                $m = new Message($m->protocolVersion, $m->modern, $m->method, $m->id, $m->isNotification, $m->toolName,
                    $p->arguments(), $m->meta);
            }
            $answers[] = $this->mcp->answer($m, $caller);
        }
        return $this->mcp->respond($x->incoming, $answers, $last === false ? [] : $last->headers());
    }

    /** 8. One event for the request: never a secret, never an argument value. */
    private function record(Exchange $x, ?Refusal $refusal): void
    {
        if ($this->audit === null) {
            return;
        }
        $i = $x->refusedAt ?? 0;
        $m = $x->incoming?->messages[$i] ?? null;
        $tool = $m?->method === 'tools/call' ? $m->toolName : null;
        $type = $refusal?->event ?? match (true) {
            $tool !== null && $x->confirmation === 'accepted' => 'confirmation_used',
            $tool !== null => 'tool_allowed',
            $m?->method === 'tools/list' => 'tool_listed',
            default => 'token_used',
        };
        $fields = [
            'outcome' => $refusal === null ? 'allowed' : 'denied',
            'latencyUs' => intdiv(hrtime(true) - $x->started, 1000),
        ];
        if ($refusal !== null) {
            $fields['reason'] = $refusal->reason;
        }
        foreach (['principal' => $x->memberId, 'tokenId' => $x->tokenId ?? $x->identity?->tokenId,
            'clientId' => $x->row?->clientId ?? $x->identity?->clientId, 'tool' => $tool, 'ip' => $x->ip] as $k => $v) {
            if (is_string($v) && $v !== '') {
                $fields[$k] = $v;
            }
        }
        if ($tool !== null) {
            $fields['arguments'] = $x->presented[$i]?->arguments() ?? [];
        }
        try {
            $this->audit->append(new \McpGuard\Audit\Event($type, $fields));
        } catch (\Throwable $e) {
            // The answer is already decided (and a tool may have run): an audit
            // store that fails is reported, never turned into a different answer.
            error_log('mcp_guard: the audit event could not be written (' . get_class($e) . ')');
        }
    }

    private function guard(): Guard
    {
        return $this->config->compiled();
    }

    private function origins(): Origins
    {
        return $this->origins ??= $this->guard()->origins();
    }

    private function now(): int
    {
        return $this->clock !== null ? ($this->clock)() : time();
    }
}
