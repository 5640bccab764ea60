<?php

declare(strict_types=1);

namespace McpGuard\Server\OAuth\Endpoint;

use McpGuard\Exception\InvalidTokenException;
use McpGuard\OAuth\RevocationRequest;
use McpGuard\Server\Http\Request;
use McpGuard\Server\Http\Response;
use McpGuard\Server\OAuth\Client\ResolvedClient;
use McpGuard\Server\OAuth\JsonResponse;
use McpGuard\Server\OAuth\OAuthErrorResponse;
use McpGuard\Server\OAuth\OAuthStores;
use McpGuard\Server\OAuth\TokenIssuer;

/**
 * POST /oauth/revoke (RFC 7009). The client authenticates as at the token
 * endpoint. Then, whatever happens, 200: an unknown token, a token that does
 * not verify, another client's token (left alone), a JWT access token
 * (not stored: it expires by itself). A refresh token revokes its whole
 * family, with the family's access tokens; an opaque access token revokes
 * itself. `token_type_hint` only sets which kind is tried first; which kind
 * a token is, is the extension's reading of its prefix.
 */
final class RevokeEndpoint
{
    /** @param \Closure(): int $clock */
    public function __construct(
        private readonly OAuthStores $stores,
        private readonly ClientAuthentication $clients,
        private readonly TokenIssuer $issuer,
        private readonly Throttle $throttle,
        private readonly \Closure $clock,
        private readonly AuditTrail $audit = new AuditTrail(null),
    ) {
    }

    public function handle(Request $request): Response
    {
        if ($request->method !== 'POST') {
            return OAuthErrorResponse::methodNotAllowed('POST')->response();
        }
        $headers = [];
        try {
            $revocation = RevocationRequest::parse($request->body, $request->header('authorization'));
            $headers = $this->throttle->hit(Throttle::TOKEN, $request, $revocation->clientId());
            $now = ($this->clock)();
            $client = $this->clients->authenticate($revocation, $now);
            $kinds = $revocation->hint() === 'access_token' ? ['access', 'refresh'] : ['refresh', 'access'];
            foreach ($kinds as $kind) {
                if ($kind === 'refresh' ? $this->refresh($revocation->token(), $client, $now) : $this->access($revocation->token(), $client, $now)) {
                    break;
                }
            }
            // RFC 7009: the same answer whether or not the token was known; the event says which client asked.
            $this->audit->record('token_revoked', true, $request, ['clientId' => $client->clientId]);
            return JsonResponse::make(200, '', $headers + ['Content-Type' => 'text/plain; charset=utf-8']);
        } catch (Refusal $r) {
            return $r->error->withHeaders($headers)->response();
        } catch (\Throwable $e) {
            return OAuthErrorResponse::fromThrowable($e)->withHeaders($headers)->response();
        }
    }

    /** Whether the token has the refresh-token format (then nothing else is tried). */
    private function refresh(string $token, ResolvedClient $client, int $now): bool
    {
        $tokens = $this->issuer->refreshTokens();
        try {
            $row = $this->stores->refreshTokens->find($tokens->publicId($token));
        } catch (InvalidTokenException) {
            return false;
        }
        try {
            // Hash only: a rotated, expired or revoked token of this client still revokes its family.
            $tokens->verify($token, $row?->hash);
        } catch (InvalidTokenException) {
            return true;
        }
        $family = $row === null ? null : $this->stores->families->find($row->familyId);
        if ($family !== null && $family->clientKey === $client->key) {
            $this->stores->families->revoke($family->familyId, $now);
        }
        return true;
    }

    private function access(string $token, ResolvedClient $client, int $now): bool
    {
        $tokens = $this->issuer->accessTokens();
        try {
            $row = $this->stores->accessTokens->find($tokens->publicId($token));
        } catch (InvalidTokenException) {
            return false; // not an opaque access token of ours (a JWT, or anything): nothing to revoke
        }
        try {
            $tokens->verify($token, $row?->hash);
        } catch (InvalidTokenException) {
            return true;
        }
        if ($row !== null && $row->clientKey === $client->key) {
            $this->stores->accessTokens->revoke($row->publicId, $now);
        }
        return true;
    }
}
