<?php

declare(strict_types=1);

namespace McpGuard\Server\Token;

use McpGuard\Credentials;
use McpGuard\Exception\InvalidArgumentException;
use McpGuard\IssuedToken;
use McpGuard\Tokens;

/**
 * API tokens end to end: issue (store the hash, show the token once),
 * authenticate a request's Authorization header, rotate, revoke. Every check is
 * made by the extension; this class only moves rows.
 */
final class TokenService
{
    private readonly Tokens $tokens;

    public function __construct(private readonly TokenStore $store, ?Tokens $tokens = null)
    {
        $this->tokens = $tokens ?? new Tokens();
    }

    /**
     * Issues a token for a subject and stores its hash. Show
     * `plaintext()` to the user once; it cannot be recovered.
     *
     * @param list<string> $scopes
     */
    public function issue(string $subject, array $scopes, string $name = '', ?int $lifetimeSeconds = null, ?int $now = null): IssuedToken
    {
        $issued = $this->tokens->issue($lifetimeSeconds, $now);
        $this->store->save(new TokenRecord(
            $issued->publicId(),
            $issued->hash(),
            $subject,
            array_values($scopes),
            $name,
            $issued->createdAt(),
            $issued->expiresAt(),
        ));
        return $issued;
    }

    /**
     * The token owner of a request, from its raw Authorization header; null
     * when the request carries no bearer token (answer 401 with a challenge).
     *
     * @throws \McpGuard\Exception\InvalidRequestException malformed header
     * @throws \McpGuard\Exception\InvalidTokenException   unknown, wrong, revoked or expired token
     */
    public function authenticate(?string $authorization, ?int $now = null): ?AuthenticatedToken
    {
        $token = Credentials::fromHeader($authorization)->bearerToken();
        if ($token === null) {
            return null;
        }
        // Format and checksum first: a mistyped or made-up token never reaches the database.
        $record = $this->store->find($this->tokens->publicId($token));
        $verified = $this->tokens->verify($token, $record?->hash, $record?->expiresAt, $record?->revokedAt, $now);
        $rehash = $verified->rehash();
        if ($record !== null && $rehash !== null) {
            // The row predates the current pepper: upgrade it in place.
            $this->store->save($record->withHash($rehash));
        }
        /** @var TokenRecord $record verify() refuses a token without a row */
        return new AuthenticatedToken($verified->publicId(), $record->subject, $record->scopes);
    }

    /**
     * Issues a successor with the same subject and scopes; the old token keeps
     * working for the overlap (default 7 days, never past its own expiry).
     * Only a live token rotates: the extension refuses a revoked or expired one.
     *
     * @throws InvalidArgumentException no row with that public id
     * @throws \McpGuard\Exception\InvalidTokenException reason revoked or expired
     */
    public function rotate(string $publicId, ?int $overlapSeconds = null, ?int $lifetimeSeconds = null, ?int $now = null): IssuedToken
    {
        $old = $this->store->find($publicId);
        if ($old === null) {
            throw new InvalidArgumentException('No token with that public id.');
        }
        $rotation = $this->tokens->rotate($old->expiresAt, $overlapSeconds, $lifetimeSeconds, $now, $old->revokedAt);
        $new = $rotation->successor();
        $this->store->save(new TokenRecord(
            $new->publicId(), $new->hash(), $old->subject, $old->scopes, $old->name, $new->createdAt(), $new->expiresAt(),
        ));
        $this->store->save($old->withExpiresAt($rotation->previousExpiresAt()));
        return $new;
    }

    /** Revokes a token at once. Returns false when there is no such row. */
    public function revoke(string $publicId, ?int $now = null): bool
    {
        $record = $this->store->find($publicId);
        if ($record === null) {
            return false;
        }
        if ($record->revokedAt === null) {
            $this->store->save($record->withRevokedAt($now ?? time()));
        }
        return true;
    }
}
