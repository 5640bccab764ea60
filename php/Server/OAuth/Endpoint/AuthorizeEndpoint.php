<?php

declare(strict_types=1);

namespace McpGuard\Server\OAuth\Endpoint;

use McpGuard\Exception\OAuthException;
use McpGuard\OAuth\AuthorizationRequest;
use McpGuard\OAuth\AuthorizationServer;
use McpGuard\Server\Http\Request;
use McpGuard\Server\Http\Response;
use McpGuard\Server\OAuth\Client\ClientResolver;
use McpGuard\Server\OAuth\Client\MetadataFetchFailed;
use McpGuard\Server\OAuth\Client\ResolvedClient;
use McpGuard\Server\OAuth\Consent\ConsentPage;
use McpGuard\Server\OAuth\Consent\ConsentSession;
use McpGuard\Server\OAuth\Consent\ConsentView;
use McpGuard\Server\OAuth\Consent\CsrfRefused;
use McpGuard\Server\OAuth\Consent\CsrfTokens;
use McpGuard\Server\OAuth\Consent\ScopeAccess;
use McpGuard\Server\OAuth\Consent\ToolAccess;
use McpGuard\Server\OAuth\Member\Member;
use McpGuard\Server\OAuth\Member\MemberDirectory;
use McpGuard\Server\OAuth\OAuthConfig;
use McpGuard\Server\OAuth\OAuthStores;
use McpGuard\Server\OAuth\StorageException;
use McpGuard\Server\OAuth\Store\CodeRecord;
use McpGuard\Server\OAuth\Store\GrantRecord;

/**
 * GET and POST /oauth/authorize.
 *
 * GET: the extension reads the client id, the resolver finds the client,
 * the extension validates the whole request against it. An error it may
 * redirect goes back to the client (with `state` and `iss`); one it may not
 * (unknown client, unregistered redirect URI) is an HTML page here, never a
 * redirect. Then the host says who is signed in (else: its login page), the
 * member's role gives the scopes they may grant, and the consent page shows
 * what the requested ones unlock. Nothing left to grant: access_denied.
 *
 * POST (the consent form): the anti-CSRF token must verify (else 403 and
 * nothing happens), then the posted query is validated again from scratch,
 * never trusting a hidden field's meaning. Deny: access_denied to the
 * client. Allow: the grant is saved for (member, client, redirect URI), a
 * code is issued, stored hashed with its binding and the refresh family it
 * will open, and the member is sent back to the client with it.
 *
 * Every HTML answer and redirect carries the consent page's headers (no
 * framing, no caching, no referrer, a strict CSP).
 */
final class AuthorizeEndpoint
{
    /** The consent form's field that carries the authorization query as it came. */
    public const QUERY_FIELD = 'query';

    /** @param \Closure(): int $clock */
    public function __construct(
        private readonly OAuthConfig $config,
        private readonly OAuthStores $stores,
        private readonly ClientResolver $resolver,
        private readonly MemberDirectory $members,
        private readonly ConsentSession $session,
        private readonly \Closure $clock,
        private readonly CsrfTokens $csrf = new CsrfTokens(),
        private readonly ConsentPage $page = new ConsentPage(),
    ) {
    }

    public function handle(Request $request): Response
    {
        try {
            return match ($request->method) {
                'GET', 'HEAD' => $this->show($request),
                'POST' => $this->decide($request),
                default => $this->message(405, 'Not allowed', 'This page only answers GET and POST.')->withHeader('Allow', 'GET, POST'),
            };
        } catch (StorageException) {
            return $this->message(503, 'Please try again', 'The shop could not complete the request just now.')->withHeader('Retry-After', '5');
        }
    }

    private function show(Request $request): Response
    {
        $now = ($this->clock)();
        $validated = $this->validate($request->query, $now);
        if ($validated instanceof Response) {
            return $validated;
        }
        [$client, $authorization] = $validated;
        $member = $this->members->current($request);
        if ($member === null) {
            return $this->redirect($this->members->loginUrl($request), null);
        }
        $granted = $this->grantable($member, $authorization);
        if ($granted === null) {
            return $this->redirect($authorization->deniedRedirectUri(), $authorization->redirectOrigin());
        }
        $origin = $authorization->redirectOrigin();
        if ($origin === null) {
            return $this->message(400, 'This application cannot be connected', 'Its return address is not one this page can send you to.');
        }
        $bag = $this->session->load($request);
        $csrf = $this->csrf->issue($bag, $now);
        $this->session->save($request, $bag);
        return $this->page->render(new ConsentView(
            $this->config->shopName,
            $client->metadata->name() ?? $client->clientId,
            $client->clientId,
            $client->host ?? '',
            $authorization->redirectUri(),
            $authorization->redirectHost(),
            $origin,
            $client->metadata->onlyLoopback(),
            $this->scopeAccess($granted),
            $this->config->paths['authorize'],
            $csrf,
            [self::QUERY_FIELD => $request->query],
            $member->displayName,
        ));
    }

    private function decide(Request $request): Response
    {
        $form = self::consentForm($request->body);
        $member = $this->members->current($request);
        if ($member === null) {
            return $this->redirect($this->members->loginUrl($request), null);
        }
        $bag = $this->session->load($request);
        try {
            $this->csrf->verify($bag, $form[CsrfTokens::FIELD] ?? null, ($this->clock)());
        } catch (CsrfRefused) {
            return $this->message(403, 'This form has expired', 'Nothing was changed. Go back to the application and connect again.');
        } finally {
            $this->session->save($request, $bag);
        }
        $now = ($this->clock)();
        $query = $form[self::QUERY_FIELD] ?? null;
        $decision = $form[ConsentPage::DECISION] ?? null;
        if ($query === null || !in_array($decision, [ConsentPage::ALLOW, ConsentPage::DENY], true)) {
            return $this->message(400, 'This form is incomplete', 'Nothing was changed. Go back to the application and connect again.');
        }
        // Validated again from scratch: the hidden field is only where the query travelled.
        $validated = $this->validate($query, $now);
        if ($validated instanceof Response) {
            return $validated;
        }
        [$client, $authorization] = $validated;
        $origin = $authorization->redirectOrigin();
        $granted = $decision === ConsentPage::ALLOW ? $this->grantable($member, $authorization) : null;
        if ($granted === null) {
            return $this->redirect($authorization->deniedRedirectUri(), $origin);
        }
        $this->stores->grants->save(new GrantRecord($member->id, $client->key, $authorization->redirectUri(), $granted, $now, $now));
        $this->stores->clients->touch($client->key, $now, true);
        $code = $this->config->server->issueCode($authorization, $member->id, $granted, $now);
        // The refresh family this code's redemption opens. An identifier, not a secret.
        $family = bin2hex(random_bytes(16));
        $this->stores->codes->save(CodeRecord::fromBinding($code->hash(), $family, $code->binding()));
        return $this->redirect($code->redirectUri(), $origin);
    }

    /**
     * The consent form's own three fields (`query`, `decision`, `csrf_token`),
     * read by the extension: any other field, a field given twice or a value
     * that is not UTF-8 leaves the form empty (refused as incomplete or
     * expired). The OAuth parameters inside `query` are the extension's to read.
     *
     * @return array<string, string>
     */
    private static function consentForm(string $body): array
    {
        return AuthorizationServer::formFields($body, [self::QUERY_FIELD, ConsentPage::DECISION, CsrfTokens::FIELD]) ?? [];
    }

    /**
     * The client and the validated request, or the answer to give instead.
     *
     * @return array{ResolvedClient, AuthorizationRequest}|Response
     */
    private function validate(string $query, int $now): array|Response
    {
        try {
            $clientId = $this->config->server->authorizationClientId($query);
            $client = $this->resolver->resolve($clientId, $now);
        } catch (MetadataFetchFailed $e) {
            if ($e->isTargetRefused()) {
                return $this->message(400, 'This application cannot be connected', 'Its description cannot be read from the address it gave.');
            }
            // Not "unknown client": its description could not be fetched just now.
            return $this->message(503, 'Please try again', 'The description of this application could not be fetched just now.')
                ->withHeader('Retry-After', (string) $e->retryAfter());
        } catch (OAuthException) {
            return $this->message(400, 'This request is not valid', 'The application sent an authorization request this shop cannot accept.');
        }
        if ($client === null) {
            return $this->message(400, 'This application is not known', 'The application is not registered with this shop. Connect it again from the application.');
        }
        $result = $this->config->server->authorize($query, $client->metadata);
        $request = $result->request();
        if (!$result->ok() || $request === null) {
            $back = $result->redirectUri();
            // Redirected only once the extension knows the redirect URI is the client's.
            return $back !== null
                ? $this->redirect($back, null)
                : $this->message(400, 'This request is not valid', 'The application sent an authorization request this shop cannot accept.');
        }
        return [$client, $request];
    }

    /** @return list<string>|null what the member may grant of the request, null for nothing */
    private function grantable(Member $member, AuthorizationRequest $authorization): ?array
    {
        $role = $this->members->role($member->id);
        return $role === null ? null : $authorization->grantable($this->config->scopesForRole($role));
    }

    /**
     * What each scope unlocks, from the policy manifest: a tool is listed
     * under a scope when the extension lets the granted scopes call it and
     * would not without that scope.
     *
     * @param list<string> $scopes
     * @return list<ScopeAccess>
     */
    private function scopeAccess(array $scopes): array
    {
        $policy = $this->config->policy;
        $all = $policy === null ? [] : $policy->visibleTools([...$scopes, 'discover']);
        $out = [];
        foreach ($scopes as $scope) {
            $tools = [];
            if ($policy !== null) {
                $without = array_values(array_diff($scopes, [$scope]));
                $unlocked = $scope === 'discover' || $policy->canonicalScopes([$scope]) === ['discover']
                    ? $policy->visibleTools(['discover'])
                    : array_diff($all, $policy->visibleTools([...$without, 'discover']));
                foreach ($unlocked as $tool) {
                    $tools[] = new ToolAccess($tool, $policy->toolClass($tool));
                }
            }
            $out[] = new ScopeAccess($scope, $tools, $this->config->scopeDescriptions[$scope] ?? '');
        }
        return $out;
    }

    private function redirect(string $location, ?string $origin): Response
    {
        return new Response(302, ConsentPage::headers($origin) + ['Location' => $location]);
    }

    private function message(int $status, string $title, string $text): Response
    {
        return $this->page->message($status, $this->config->shopName, $title, $text);
    }
}
