<?php

declare(strict_types=1);

namespace McpGuard\Server\OAuth\Endpoint;

use McpGuard\Exception\InvalidTokenException;
use McpGuard\OAuth\RevocationRequest;
use McpGuard\OAuth\TokenRequest;
use McpGuard\Server\OAuth\Client\ClientResolver;
use McpGuard\Server\OAuth\Client\ResolvedClient;
use McpGuard\Server\OAuth\OAuthErrorResponse;
use McpGuard\Tokens;

/**
 * Client authentication of the token and revocation endpoints: the client
 * must be known, use the method it was assigned (the extension's
 * checkAuthMethod), and a confidential client's secret must verify against
 * its stored hash (Tokens::verify, in constant time in the extension).
 *
 * @internal
 */
final class ClientAuthentication
{
    private readonly Tokens $secrets;

    public function __construct(private readonly ClientResolver $resolver, ?Tokens $secrets = null)
    {
        $this->secrets = $secrets ?? new Tokens('mcpcs');
    }

    /**
     * @throws Refusal invalid_client (401)
     * @throws \McpGuard\Exception\OAuthException
     * @throws \McpGuard\Server\OAuth\Client\MetadataFetchFailed
     */
    public function authenticate(TokenRequest|RevocationRequest $request, int $now): ResolvedClient
    {
        $client = $this->resolver->resolve($request->clientId(), $now);
        if ($client === null) {
            throw new Refusal(OAuthErrorResponse::invalidClient('unknown_client'));
        }
        $request->checkAuthMethod($client->metadata);
        if ($client->metadata->confidential()) {
            $secret = $request->clientSecret();
            if ($secret === null || $client->secretHash === null) {
                throw new Refusal(OAuthErrorResponse::invalidClient('missing_secret'));
            }
            try {
                $this->secrets->verify($secret, $client->secretHash, null, null, $now);
            } catch (InvalidTokenException $e) {
                throw new Refusal(OAuthErrorResponse::invalidClient('secret_' . $e->reason()));
            }
        }
        return $client;
    }
}
