<?php

declare(strict_types=1);

namespace McpGuard\Server\OAuth\Endpoint;

use McpGuard\OAuth\ClientMetadata;
use McpGuard\Server\Http\Request;
use McpGuard\Server\Http\Response;
use McpGuard\Server\OAuth\Client\ClientResolver;
use McpGuard\Server\OAuth\JsonResponse;
use McpGuard\Server\OAuth\OAuthConfig;
use McpGuard\Server\OAuth\OAuthErrorResponse;
use McpGuard\Server\OAuth\Store\ClientHousekeeping;
use McpGuard\Server\OAuth\Store\ClientRecord;
use McpGuard\Server\OAuth\Store\ClientStore;
use McpGuard\Tokens;

/**
 * POST /oauth/register (RFC 7591). JSON in, JSON out, never HTML and never a
 * redirect: 201 with `client_id`, the `redirect_uris` echoed back, the
 * `token_endpoint_auth_method` actually assigned (the extension's choice)
 * and `client_id_issued_at`; a confidential client gets its secret in this
 * answer only (`mcpcs_…`), the store keeps its hash. Refusals are
 * `invalid_redirect_uri` / `invalid_client_metadata` (400).
 *
 * Registration is open to anyone, so: it is rate limited per IP and
 * registration (the metadata as the extension normalised it), registrations
 * that never reach consent expire and are capped in number (over the cap:
 * 503 temporarily_unavailable), and idle clients are pruned.
 */
final class RegisterEndpoint
{
    /**
     * @param ClientStore&ClientHousekeeping $clients
     * @param \Closure(): int                $clock
     */
    public function __construct(
        private readonly OAuthConfig $config,
        private readonly ClientStore&ClientHousekeeping $clients,
        private readonly Throttle $throttle,
        private readonly \Closure $clock,
        private readonly Tokens $secrets = new Tokens('mcpcs'),
    ) {
    }

    public function handle(Request $request): Response
    {
        if ($request->method !== 'POST') {
            return OAuthErrorResponse::methodNotAllowed('POST')->response();
        }
        $headers = [];
        try {
            $metadata = ClientMetadata::fromRegistration($request->body);
            $normalised = $metadata->toJson();
            $headers = $this->throttle->hit(Throttle::REGISTER, $request, $normalised);
            $now = ($this->clock)();
            $this->clients->pruneUnconsented($now - $this->config->unconsentedClientTtl);
            $this->clients->pruneIdle($now - $this->config->clientIdleTtl);
            if ($this->clients->countUnconsented() >= $this->config->maxUnconsentedClients) {
                throw new Refusal(OAuthErrorResponse::temporarilyUnavailable(3600, 'registrations_full'));
            }
            // An identifier, not a secret: nothing compares it in PHP.
            $clientId = 'mcpc_' . bin2hex(random_bytes(16));
            $secret = $metadata->confidential() ? $this->secrets->issue(null, $now) : null;
            $this->clients->save(new ClientRecord(ClientResolver::key($clientId), $clientId, ClientRecord::REGISTERED,
                $normalised, $secret?->hash(), $now));

            $body = ['client_id' => $clientId, 'client_id_issued_at' => $now];
            if ($secret !== null) {
                $body += ['client_secret' => $secret->plaintext(), 'client_secret_expires_at' => 0];
            }
            $body += array_filter(json_decode($normalised, true, 8, JSON_THROW_ON_ERROR), static fn ($v): bool => $v !== null);
            return JsonResponse::make(201, $body, $headers);
        } catch (Refusal $r) {
            return $r->error->withHeaders($headers)->response();
        } catch (\Throwable $e) {
            return OAuthErrorResponse::fromThrowable($e)->withHeaders($headers)->response();
        }
    }
}
