<?php

declare(strict_types=1);

namespace McpGuard\Server\Guard;

use McpGuard\Guard\Verdict;
use McpGuard\Server\Guard\Auth\Identity;
use McpGuard\Server\Guard\Auth\TokenRow;
use McpGuard\Server\Guard\Auth\TokenSource;
use McpGuard\Server\Guard\Confirmation\PresentedConfirmation;
use McpGuard\Server\Http\Request;
use McpGuard\Server\Mcp\Incoming;

/**
 * What the pipeline has learnt about one request so far: filled in step by
 * step, read by the audit step at the end. A host whose middlewares run
 * the steps one by one keeps it with its request and hands it back; only the
 * pipeline reads or writes its fields.
 */
final class Exchange
{
    public readonly int $started;
    /** How many of Pipeline::STEPS ran. */
    public int $steps = 0;
    /** @var array<string, string> CORS headers for an allowed cross origin */
    public array $cors = [];
    public ?string $ip = null;
    public ?string $token = null;
    public ?TokenSource $source = null;
    public ?TokenRow $row = null;
    /** The row came from the LegacyTokenSource (checked by Guard::checkLegacy()). */
    public bool $legacy = false;
    public ?Identity $identity = null;
    public ?Incoming $incoming = null;
    public ?string $memberId = null;
    public ?string $role = null;
    public ?string $tokenId = null;
    /** @var array<int, Verdict> by message index */
    public array $verdicts = [];
    /** @var array<int, PresentedConfirmation> by message index (tools/call only) */
    public array $presented = [];
    public ?int $refusedAt = null;
    public ?string $confirmation = null;

    public function __construct(public readonly Request $request)
    {
        $this->started = hrtime(true);
    }
}
