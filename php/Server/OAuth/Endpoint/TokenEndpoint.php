<?php

declare(strict_types=1);

namespace McpGuard\Server\OAuth\Endpoint;

use McpGuard\Exception\InvalidTokenException;
use McpGuard\OAuth\TokenRequest;
use McpGuard\Server\Http\Request;
use McpGuard\Server\Http\Response;
use McpGuard\Server\OAuth\Client\ResolvedClient;
use McpGuard\Server\OAuth\JsonResponse;
use McpGuard\Server\OAuth\Member\MemberDirectory;
use McpGuard\Server\OAuth\OAuthConfig;
use McpGuard\Server\OAuth\OAuthErrorResponse;
use McpGuard\Server\OAuth\OAuthStores;
use McpGuard\Server\OAuth\Store\CodeRedemption;
use McpGuard\Server\OAuth\Store\FamilyRecord;
use McpGuard\Server\OAuth\Store\RefreshRotation;
use McpGuard\Server\OAuth\TokenIssuer;

/**
 * POST /oauth/token (OAuth 2.1 §3.2): `authorization_code` and
 * `refresh_token`, client authentication none, client_secret_basic or
 * client_secret_post. Every answer is JSON with `Cache-Control: no-store`.
 *
 * authorization_code: the code's row is consumed atomically (one success per
 * code across every worker), then the extension redeems it (client, redirect
 * URI, PKCE, resource, expiry); the refresh family the code named is opened
 * (refused if a replay revoked it first) and an access and a refresh token
 * are issued, whether or not offline_access was asked for (a refresh token
 * only to a client whose metadata has the refresh_token grant: documents
 * always, registrations when they list it). A replayed code
 * revokes that family: every token issued from it.
 *
 * refresh_token: the token is verified against its row, it must be this
 * client's, the extension decides rotate / rotate again (the benign race) /
 * revoke the family (a replay), the scopes may only narrow, the resource is
 * checked again, and the store rotates it atomically. A member no longer in
 * the members list gets invalid_grant and the family is revoked.
 */
final class TokenEndpoint
{
    /** Successors one refresh token may have: the first plus the core's "fewer than two extra". */
    private const MAX_SUCCESSORS = 3;

    /** @var array<string, string|null> what the last grant was about (for the audit event) */
    private array $facts = [];

    /** @param \Closure(): int $clock */
    public function __construct(
        private readonly OAuthConfig $config,
        private readonly OAuthStores $stores,
        private readonly ClientAuthentication $clients,
        private readonly MemberDirectory $members,
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
        $this->facts = [];
        $grant = 'token';
        try {
            $token = TokenRequest::parse($request->body, $request->header('authorization'));
            $grant = $token->grantType() === 'authorization_code' ? 'code_exchanged' : 'token_refreshed';
            $this->facts['clientId'] = $token->clientId();
            $headers = $this->throttle->hit(Throttle::TOKEN, $request, $token->clientId());
            $now = ($this->clock)();
            $client = $this->clients->authenticate($token, $now);
            $body = $token->grantType() === 'authorization_code'
                ? $this->authorizationCode($token, $client, $now)
                : $this->refreshToken($token, $client, $now);
            $this->stores->clients->touch($client->key, $now);
            $this->audit->record($grant, true, $request, $this->facts);
            return JsonResponse::make(200, $body, $headers);
        } catch (Refusal $r) {
            $this->audit->record('token_failed', false, $request, $this->facts + ['reason' => $r->error->reason]);
            return $r->error->withHeaders($headers)->response();
        } catch (\Throwable $e) {
            $error = OAuthErrorResponse::fromThrowable($e);
            $this->audit->record('token_failed', false, $request, $this->facts + ['reason' => $error->reason]);
            return $error->withHeaders($headers)->response();
        }
    }

    /** @return array<string, mixed> */
    private function authorizationCode(TokenRequest $token, ResolvedClient $client, int $now): array
    {
        $server = $this->config->server;
        $redemption = $this->stores->codes->consume($server->codeHash((string) $token->code()), $now);
        $record = $redemption->record();
        if ($redemption->status() === CodeRedemption::REPLAYED && $record !== null) {
            // Every token issued from this code goes, and a redemption still under way opens nothing.
            $this->stores->families->revoke($record->familyId, $now);
            throw new Refusal(OAuthErrorResponse::invalidGrant('code_replayed'));
        }
        if (!$redemption->isOk() || $record === null) {
            throw new Refusal(OAuthErrorResponse::invalidGrant('code_' . $redemption->status()));
        }
        $binding = $server->redeemCode($record->binding(), $token, $now);
        $member = (string) $binding['member'];
        $this->facts['principal'] = $member;
        /** @var list<string> $scopes */
        $scopes = array_values($binding['scopes']);
        if ($this->members->role($member) === null) {
            $this->stores->families->revoke($record->familyId, $now);
            throw new Refusal(OAuthErrorResponse::invalidGrant('member_removed'));
        }
        $opened = $this->stores->families->open(new FamilyRecord($record->familyId, $member, $client->key,
            $record->redirectUri, $scopes, (string) $binding['resource'], $now));
        if (!$opened) {
            throw new Refusal(OAuthErrorResponse::invalidGrant('family_closed'));
        }
        $access = $this->issuer->accessToken($record->familyId, $member, $client, $scopes, $now);
        $this->facts['tokenId'] = $this->tokenId($access);
        if (!$client->metadata->refresh()) {
            // Registered without the refresh_token grant (RFC 7591 §2: then it uses codes only).
            return $this->issuer->body($access, null, $scopes);
        }
        [$refresh, $row] = $this->issuer->refreshToken($record->familyId, null, $now);
        $this->stores->refreshTokens->save($row);
        return $this->issuer->body($access, $refresh->plaintext(), $scopes);
    }

    /** @return array<string, mixed> */
    private function refreshToken(TokenRequest $token, ResolvedClient $client, int $now): array
    {
        $server = $this->config->server;
        if (!$client->metadata->refresh()) {
            throw new Refusal(OAuthErrorResponse::unauthorizedClient('refresh_not_registered'));
        }
        $tokens = $this->issuer->refreshTokens();
        $presented = (string) $token->refreshToken();
        try {
            $id = $tokens->publicId($presented);
            $row = $this->stores->refreshTokens->find($id);
            $tokens->verify($presented, $row?->hash, $row?->expiresAt, $row?->revokedAt, $now);
        } catch (InvalidTokenException $e) {
            throw new Refusal(OAuthErrorResponse::invalidGrant('refresh_' . $e->reason()));
        }
        /** @var \McpGuard\Server\OAuth\Store\RefreshTokenRecord $row verify() refuses a token without a row */
        $family = $this->stores->families->find($row->familyId);
        if ($family === null || $family->clientKey !== $client->key) {
            // Not this client's token: refused, and left alone.
            throw new Refusal(OAuthErrorResponse::invalidGrant('refresh_client_mismatch'));
        }
        if ($server->refreshDecision($row->state(), $now) === 'revoke_family') {
            $this->stores->families->revoke($family->familyId, $now);
            throw new Refusal(OAuthErrorResponse::invalidGrant('refresh_replayed'));
        }
        $this->facts['principal'] = $family->memberId;
        $scopes = $server->narrowScopes($family->scopes, $token->scope());
        $server->checkResource($token);
        if ($this->members->role($family->memberId) === null) {
            $this->stores->families->revoke($family->familyId, $now);
            throw new Refusal(OAuthErrorResponse::invalidGrant('member_removed'));
        }
        [$successor, $successorRow] = $this->issuer->refreshToken($family->familyId, $row->publicId, $now);
        $grace = $this->config->refreshGrace > 0 ? $now - $this->config->refreshGrace : null;
        $rotation = $this->stores->refreshTokens->rotate($row->publicId, $successorRow, $now, $grace, self::MAX_SUCCESSORS);
        switch ($rotation->status()) {
            case RefreshRotation::ROTATED:
                break;
            case RefreshRotation::REUSED:
            case RefreshRotation::CONCURRENT:
                // Decided by the database against the same rule the core applied: a replay.
                $this->stores->families->revoke($family->familyId, $now);
                throw new Refusal(OAuthErrorResponse::invalidGrant('refresh_replayed'));
            default:
                throw new Refusal(OAuthErrorResponse::invalidGrant('refresh_' . $rotation->status()));
        }
        $access = $this->issuer->accessToken($family->familyId, $family->memberId, $client, $scopes, $now);
        $this->facts['tokenId'] = $this->tokenId($access);
        return $this->issuer->body($access, $successor->plaintext(), $scopes);
    }

    /** The public id of an opaque access token (null for a JWT: its jti is not kept here). */
    private function tokenId(string $access): ?string
    {
        try {
            return $this->issuer->accessTokens()->publicId($access);
        } catch (\McpGuard\Exception\GuardException) {
            return null;
        }
    }
}
