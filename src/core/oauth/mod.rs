//! The authorization server's decisions (OAuth 2.1, RFC 9700, RFC 8252, the
//! MCP authorization specification 2026-07-28), with no HTTP and no storage:
//! the PHP glue (`McpGuard\Server\OAuth\…`) reads requests, keeps rows and
//! answers; every yes or no is taken here.
//!
//! The layers, each in its own file:
//!
//! * [`config`] — the server's configuration, secure by default (code and
//!   token lifetimes, the refresh grace window, issuer and resource URLs);
//! * [`form`] — query strings and form bodies, read strictly (a parameter
//!   given twice is refused) and written percent-encoded;
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
//!   one is matched (exactly; a loopback one on any port, RFC 8252 §7.3).
//!
//! Every refusal is an [`OAuthError`], whose table gives the OAuth error
//! code the client is answered with (`oauth_code()`) apart from the reason
//! kept for the audit log.

pub mod authorize;
pub mod client;
pub mod config;
pub mod form;
pub mod pkce;
pub mod redirect;

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
        /// A parameter given more than once (RFC 6749 §3.1).
        DuplicateParameter => InvalidRequest, "duplicate_parameter",
            "A request parameter was given more than once.", oauth "invalid_request";
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
