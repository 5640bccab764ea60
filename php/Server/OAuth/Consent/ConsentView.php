<?php

declare(strict_types=1);

namespace McpGuard\Server\OAuth\Consent;

use McpGuard\Exception\InvalidArgumentException;

/**
 * Everything the consent page shows, as data. Every string that came from the
 * client (its name, ids, URIs, scopes) is shown escaped; the hosts, the
 * loopback flag and the redirect origin are the extension's reading of the
 * validated request, never parsed here.
 */
final class ConsentView
{
    /**
     * @param string                $shopName       the shop's own name (header and title)
     * @param string                $clientName     the client's `client_name` (untrusted)
     * @param string                $clientId       the client id (a metadata document URL, or a registered id)
     * @param string                $clientHost     the host the client id names ('' for a registered id)
     * @param string                $redirectUri    the redirect URI the code will be sent to
     * @param string                $redirectHost   its host (`127.0.0.1`, `claude.ai`) or scheme (`cursor:`)
     * @param string                $redirectOrigin a CSP source for it (`https://claude.ai`,
     *                                              `http://127.0.0.1:53123`, `cursor:`): the POST answers with a
     *                                              redirect there, which `form-action` must allow
     * @param bool                  $loopbackOnly   every redirect URI the client has is a loopback one
     * @param list<ScopeAccess>     $scopes         what the requested scopes unlock
     * @param string                $formAction     where the form posts: an absolute path on this server
     * @param string                $csrfToken      CsrfTokens::issue()'s token
     * @param array<string, string> $hiddenFields   the request's parameters, re-posted with the decision
     * @param string                $memberName     who is signed in ('' to say nothing)
     * @throws InvalidArgumentException a form action that is not a local path, a redirect origin that is
     *                                  not a plain CSP source, or a hidden field the form uses itself
     */
    public function __construct(
        public readonly string $shopName,
        public readonly string $clientName,
        public readonly string $clientId,
        public readonly string $clientHost,
        public readonly string $redirectUri,
        public readonly string $redirectHost,
        public readonly string $redirectOrigin,
        public readonly bool $loopbackOnly,
        public readonly array $scopes,
        public readonly string $formAction,
        public readonly string $csrfToken,
        public readonly array $hiddenFields = [],
        public readonly string $memberName = '',
    ) {
        // A path on this server: '/x', never '//host/x' or 'https://…' (form-action 'self' too).
        if (preg_match('#^/(?![/\\\\])[A-Za-z0-9._~!$&\'()*+,;=:@%/-]*$#D', $formAction) !== 1) {
            throw new InvalidArgumentException('The form action must be a path on this server.');
        }
        $host = '(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9](?:[A-Za-z0-9.-]{0,251}[A-Za-z0-9])?)';
        if (preg_match("~^(https?://{$host}(:[0-9]{1,5})?|[a-z][a-z0-9+.-]{0,31}:)$~D", $redirectOrigin) !== 1) {
            throw new InvalidArgumentException('The redirect origin must be a plain CSP host or scheme source.');
        }
        foreach ($scopes as $scope) {
            if (!$scope instanceof ScopeAccess) {
                throw new InvalidArgumentException('The scopes must be ScopeAccess values.');
            }
        }
        foreach ($hiddenFields as $name => $value) {
            if (!is_string($name) || preg_match('/^[a-z][a-z0-9_]{0,63}$/D', $name) !== 1 || !is_string($value)
                || in_array($name, [CsrfTokens::FIELD, ConsentPage::DECISION], true)) {
                throw new InvalidArgumentException('A hidden field is not acceptable.');
            }
        }
    }
}
