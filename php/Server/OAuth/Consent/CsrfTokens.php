<?php

declare(strict_types=1);

namespace McpGuard\Server\OAuth\Consent;

use McpGuard\Exception\GuardException;
use McpGuard\Tokens;

/**
 * Anti-CSRF tokens for the consent form, made and checked by the extension:
 * a token is one of our own tokens (`csrf_…`), the form carries it, and the
 * session keeps only its hash and expiry, under its public id. Checking a
 * posted token is Tokens::verify(), a constant-time comparison in the
 * extension; this class never compares anything itself.
 *
 * The bag is any array the host keeps server-side for the member's session
 * (e.g. `$_SESSION['mcp_guard_csrf']`), never a cookie: a cookie the client
 * can write would let an attacker plant a hash of their own. A token is used
 * once; a bag holds at most MAX_OPEN tokens (consent pages open in tabs), the
 * oldest dropped first.
 */
final class CsrfTokens
{
    /** The form field the token travels in. */
    public const FIELD = 'csrf_token';
    public const MAX_OPEN = 8;

    private readonly Tokens $tokens;

    /** @param int $lifetimeSeconds how long a consent page can be left open (default 1 hour) */
    public function __construct(?Tokens $tokens = null, private readonly int $lifetimeSeconds = 3600)
    {
        $this->tokens = $tokens ?? new Tokens('csrf');
    }

    /**
     * Issues a token, remembers its hash in the bag, and returns the token for
     * the form's hidden field.
     *
     * @param array<string, mixed> $bag
     */
    public function issue(array &$bag, ?int $now = null): string
    {
        $issued = $this->tokens->issue($this->lifetimeSeconds, $now);
        $bag = array_filter($bag, static fn ($entry): bool => is_array($entry) && count($entry) === 2);
        $bag[$issued->publicId()] = [$issued->hash(), $issued->expiresAt()];
        while (count($bag) > self::MAX_OPEN) {
            unset($bag[array_key_first($bag)]);
        }
        return $issued->plaintext();
    }

    /**
     * Checks a posted token against the bag and removes it from the bag
     * whatever the outcome (a token is good for one post).
     *
     * @param array<string, mixed> $bag
     * @param mixed                $presented the posted field, as the framework gives it
     * @throws CsrfRefused missing, malformed, unknown to this session, wrong, or expired
     */
    public function verify(array &$bag, mixed $presented, ?int $now = null): void
    {
        try {
            if (!is_string($presented)) {
                // The extension says why: an empty token is malformed.
                $presented = '';
            }
            $id = $this->tokens->publicId($presented);
            $entry = $bag[$id] ?? null;
            unset($bag[$id]);
            [$hash, $expiresAt] = is_array($entry) && count($entry) === 2 ? array_values($entry) : [null, null];
            $this->tokens->verify($presented, is_string($hash) ? $hash : null, is_int($expiresAt) ? $expiresAt : null, null, $now);
        } catch (GuardException $e) {
            throw new CsrfRefused('The consent form is not valid any more: load the page again.', 0, $e);
        }
    }
}
