//! The authorization server's decisions (OAuth 2.1, RFC 9700, RFC 8252, the
//! MCP authorization specification 2026-07-28), with no HTTP and no storage:
//! the PHP glue (`McpGuard\Server\OAuth\…`) reads requests, keeps rows and
//! answers; every yes or no is taken here.
//!
//! The layers, each in its own file:
//!
//! * [`code`] — authorization codes, a type per state: issued for a
//!   validated request only, redeemed once every binding (client, redirect
//!   URI, PKCE, resource, expiry) holds;
//! * [`config`] — the server's configuration, secure by default (code and
//!   token lifetimes, the refresh grace window, issuer and resource URLs);
//! * [`form`] — query strings and form bodies, read strictly (a parameter
//!   given twice is refused) and written percent-encoded;
//! * [`metadata`] — the authorization-server (RFC 8414) and
//!   protected-resource (RFC 9728) documents and the well-known paths that
//!   serve them;
//! * [`pkce`] — RFC 7636 with `S256` only: the challenge a client sends, the
//!   verifier it later proves it holds;
//! * [`authorize`] — the authorization request, read in two steps (the
//!   client id, then everything else against that client's redirect URIs):
//!   only a validated [`authorize::AuthorizationRequest`] can be bound to a
//!   code; its errors know whether they may be redirected;
//! * [`client`] — who a client is: Client ID Metadata Documents (the URL,
//!   the addresses the glue may fetch it from, its cache lifetime, its
//!   content) and dynamic registration (RFC 7591);
//! * [`redirect`] — redirect URIs: which ones a client may register (https,
//!   loopback http, private-use schemes of native apps) and how a requested
//!   one is matched (exactly; a loopback one on any port, RFC 8252 §7.3);
//! * [`refresh`] — refresh-token rotation, the family rule and its grace
//!   window for two concurrent refreshes;
//! * [`request`] — the token and revocation requests and the client
//!   authentication they carry.
//!
//! Every refusal is an [`OAuthError`], whose table gives the OAuth error
//! code the client is answered with (`oauth_code()`) apart from the reason
//! kept for the audit log.

pub mod authorize;
pub mod client;
pub mod code;
pub mod config;
pub mod form;
pub mod metadata;
pub mod pkce;
pub mod redirect;
pub mod refresh;
pub mod request;

crate::error_table! {
    /// Why an OAuth request or configuration was refused.
    pub enum OAuthError {
        /// `code_challenge` is missing or is not 43 base64url characters (the
        /// length of a SHA-256 in base64url).
        InvalidCodeChallenge => InvalidRequest, "invalid_code_challenge",
            "The code challenge is missing or malformed.", oauth "invalid_request";
        /// `code_challenge_method` is missing or not `S256` (`plain` is
        /// refused: RFC 9700 §2.1.1).
        UnsupportedChallengeMethod => InvalidRequest, "unsupported_challenge_method",
            "Only the S256 code challenge method is supported.", oauth "invalid_request";
        /// `code_verifier` is missing, or not 43–128 characters of
        /// `[A-Za-z0-9-._~]` (RFC 7636 §4.1).
        InvalidCodeVerifier => InvalidRequest, "invalid_code_verifier",
            "The code verifier is missing or malformed.", oauth "invalid_grant";
        /// The verifier does not hash to the code's challenge.
        PkceMismatch => InvalidToken, "pkce_mismatch",
            "The code verifier does not match the code challenge.", oauth "invalid_grant";
        /// A redirect URI that no client may register (a fragment, a
        /// wildcard, userinfo, a dangerous scheme, http off loopback, …).
        InvalidRedirectUri => InvalidRequest, "invalid_redirect_uri",
            "The redirect URI is not acceptable.", oauth "invalid_redirect_uri";
        /// A `client_id` that looks like a metadata-document URL but breaks
        /// its rules (not https, no path, a fragment, dot segments, …).
        InvalidClientId => InvalidRequest, "invalid_client_id",
            "The client id is not acceptable.", oauth "invalid_client";
        /// A metadata document or registration request that breaks the
        /// rules (not a JSON object, a missing name, a shared secret in a
        /// document, an unsupported grant or auth method, too large, …).
        InvalidClientMetadata => InvalidRequest, "invalid_client_metadata",
            "The client metadata is not acceptable.", oauth "invalid_client_metadata";
        /// The metadata document's host resolves to an address the server
        /// must not connect to (private, loopback, link-local, …).
        FetchTargetRefused => InvalidRequest, "fetch_target_refused",
            "The client metadata document cannot be fetched from that address.", oauth "invalid_client";
        /// A query string or form body that is not well formed (a bad
        /// percent escape, not UTF-8, a control character, too large).
        MalformedRequest => InvalidRequest, "malformed_request",
            "The request is malformed.", oauth "invalid_request";
        /// A required parameter is missing.
        MissingParameter => InvalidRequest, "missing_parameter",
            "A required request parameter is missing.", oauth "invalid_request";
        /// `response_type` is not `code`.
        UnsupportedResponseType => InvalidRequest, "unsupported_response_type",
            "Only the code response type is supported.", oauth "unsupported_response_type";
        /// `scope` is not a list of scope tokens.
        InvalidScope => InvalidRequest, "invalid_scope",
            "The requested scope is invalid.", oauth "invalid_scope";
        /// `resource` is not this server's MCP resource (RFC 8707 §2).
        InvalidTarget => InvalidRequest, "invalid_target",
            "The requested resource is not served here.", oauth "invalid_target";
        /// The member refused (or may not grant anything).
        AccessDenied => InvalidRequest, "access_denied",
            "The request was denied.", oauth "access_denied";
        /// No usable client authentication, or a method other than the one
        /// the client was assigned, or a wrong secret.
        InvalidClient => InvalidToken, "invalid_client",
            "Client authentication failed.", oauth "invalid_client";
        /// Two client authentication methods at once, or two client ids.
        MultipleClientAuth => InvalidRequest, "multiple_client_auth",
            "Use exactly one client authentication method.", oauth "invalid_request";
        /// `grant_type` is neither `authorization_code` nor `refresh_token`.
        UnsupportedGrantType => InvalidRequest, "unsupported_grant_type",
            "The grant type is not supported.", oauth "unsupported_grant_type";
        /// A parameter given more than once (RFC 6749 §3.1).
        DuplicateParameter => InvalidRequest, "duplicate_parameter",
            "A request parameter was given more than once.", oauth "invalid_request";
        /// A value that cannot be an authorization code (refused before any
        /// lookup), or a stored binding that is corrupt.
        InvalidCode => InvalidToken, "invalid_code",
            "The authorization code is invalid.", oauth "invalid_grant";
        /// The code's lifetime has passed.
        CodeExpired => InvalidToken, "code_expired",
            "The authorization code is invalid.", oauth "invalid_grant";
        /// The code was issued to another client.
        CodeClientMismatch => InvalidToken, "code_client_mismatch",
            "The authorization code is invalid.", oauth "invalid_grant";
        /// The token request's redirect URI is not the authorization
        /// request's.
        CodeRedirectMismatch => InvalidToken, "code_redirect_mismatch",
            "The authorization code is invalid.", oauth "invalid_grant";
        /// The refresh token's family was revoked (a replay, a revocation,
        /// a member removed).
        RefreshRevoked => InvalidToken, "refresh_revoked",
            "The refresh token is invalid.", oauth "invalid_grant";
        /// The refresh token's lifetime has passed.
        RefreshExpired => InvalidToken, "refresh_expired",
            "The refresh token is invalid.", oauth "invalid_grant";
        /// The system random generator failed.
        Randomness => Internal, "randomness_unavailable",
            "The system random generator failed.", oauth "server_error";
        /// The server's OAuth configuration is unusable (a non-https issuer,
        /// a lifetime out of range, `offline_access` among the resource's
        /// scopes, …).
        InvalidConfiguration => Configuration, "invalid_oauth_configuration",
            "The OAuth configuration is invalid.";
        /// The requested redirect URI is not one the client registered.
        RedirectUriMismatch => InvalidRequest, "redirect_uri_mismatch",
            "The redirect URI is not registered for this client.", oauth "invalid_request";
    }
}

impl OAuthError {
    /// The HTTP status to answer a token, registration or revocation
    /// request with: 401 for `invalid_client` (RFC 6749 §5.2), 500 for
    /// `server_error`, 503 for `temporarily_unavailable`, else 400.
    pub fn http_status(&self) -> u16 {
        match self.oauth_code() {
            Some("invalid_client") => 401,
            Some("server_error") => 500,
            Some("temporarily_unavailable") => 503,
            _ => 400,
        }
    }
}
