//! The resource server's per-request decisions, before and after
//! authentication: who may talk to the MCP endpoint from a browser, over which
//! transport, and the challenge texts a refused request is answered with.
//!
//! The layers, each in its own file, in the order the request pipeline asks
//! them:
//!
//! * [`origin`] — the `Origin` header against the resource's own origin and an
//!   allow-list of exact origins (RFC 6454 serialisation), the CORS response
//!   headers of an allowed cross origin, and the preflight answer (given
//!   before authentication). CORS is off until an origin is listed;
//! * [`transport`] — the effective scheme and client address: the SAPI's own
//!   facts, and `Forwarded` / `X-Forwarded-*` only from a configured trusted
//!   proxy; HTTPS required unless a loopback-only risky option says otherwise;
//! * [`challenge`] — the `WWW-Authenticate` texts of 401 and 403 (RFC 6750
//!   §3, RFC 9728 §5.1): the only place that builds them, from checked pieces,
//!   so no value can break out of its quoted string.
//!
//! Nothing here reads a clock, the network or PHP: the binding hands the
//! header values over as bytes and gets a decision back. Per-request
//! refusals are values ([`Refusal`], with the reason for the audit log and
//! the HTTP status to answer with), not errors; [`ResourceError`] is for
//! configuration the host got wrong (an origin with a path, a proxy range
//! with host bits, a metadata URL with a quote), found when it is built.
//! (429 `Retry-After` is `RateLimit\Result::headers()`'s, not ours.)

pub mod challenge;
pub mod origin;
pub mod transport;

pub use challenge::MetadataUrl;
pub use origin::{Origin, OriginDecision, Origins, Preflight};
pub use transport::{Transport, TransportFacts, Verdict};

crate::error_table! {
    /// A resource-server setting the host configured is unusable.
    pub enum ResourceError {
        /// An allowed origin that is not `scheme://host[:port]`: a path, a
        /// query, user info, a wildcard, `null`, a scheme other than `http`
        /// or `https`, a bad port or host.
        InvalidOrigin => Configuration, "invalid_origin_setting", "An allowed origin is not of the form scheme://host[:port].";
        /// The resource's own URL (the MCP endpoint, whose origin is the
        /// same-origin one) is not an absolute `http(s)` URL of visible ASCII
        /// without user info, a query or a fragment (RFC 8707 2: a resource
        /// indicator has no query or fragment).
        InvalidResourceUrl => Configuration, "invalid_resource_url", "The resource URL is not an absolute http(s) URL without a query or fragment.";
        /// More allowed origins than [`origin::MAX_ORIGINS`].
        TooManyOrigins => Configuration, "too_many_origins", "Too many allowed origins.";
        /// A preflight max-age outside 0 to [`origin::MAX_MAX_AGE_SECS`].
        InvalidMaxAge => Configuration, "invalid_max_age", "The preflight max-age is out of range.";
        /// A trusted proxy that is not an IP address or a CIDR range (v4 or
        /// v6) without host bits, or more than [`transport::MAX_PROXIES`].
        InvalidProxy => Configuration, "invalid_trusted_proxy", "A trusted proxy is not an IP address or CIDR range.";
        /// A protected-resource metadata URL that is not an absolute `https`
        /// URL (or `http` on a loopback host) of visible ASCII without `"`,
        /// `\` or a fragment, at most 2048 bytes.
        InvalidMetadataUrl => Configuration, "invalid_metadata_url", "The protected-resource metadata URL cannot be used in a challenge.";
        /// A challenge scope that is not an RFC 6749 scope-token, or is
        /// `offline_access`; more than 256 scopes; none for `insufficient_scope`.
        InvalidChallengeScope => Configuration, "invalid_challenge_scope", "A challenge scope is not a valid scope-token.";
    }
}

crate::error_table! {
    /// Why a request was refused before (or instead of) authentication. A
    /// value, not an error: [`Refusal::status`] is the HTTP status to answer
    /// with, the reason goes to the audit log (never to the client).
    pub enum Refusal {
        /// An `Origin` that is neither the resource's own nor allowed (DNS
        /// rebinding; MCP transport: 403).
        OriginNotAllowed => InvalidRequest, "origin_not_allowed", "The request's origin is not allowed.";
        /// `Origin: null` (sandboxed frame, `file:`, a redirect chain):
        /// anyone can produce it, so it is never allowed.
        NullOrigin => InvalidRequest, "null_origin", "The request's origin is not allowed.";
        /// An `Origin` that is not a serialised origin.
        MalformedOrigin => InvalidRequest, "malformed_origin", "The request's origin is not allowed.";
        /// Two `Origin` values (a list or a repeated header joined by the server).
        MultipleOrigins => InvalidRequest, "multiple_origins", "The request's origin is not allowed.";
        /// A CORS preflight while no cross origin is allowed.
        CorsDisabled => InvalidRequest, "cors_disabled", "Cross-origin requests are not allowed.";
        /// A preflight for a method other than `POST`.
        PreflightMethod => InvalidRequest, "preflight_method_not_allowed", "The preflight asks for a method that is not allowed.";
        /// A preflight for a request header outside the allowed list.
        PreflightHeader => InvalidRequest, "preflight_header_not_allowed", "The preflight asks for a header that is not allowed.";
        /// A preflight whose `Access-Control-Request-*` values are malformed.
        MalformedPreflight => InvalidRequest, "malformed_preflight", "The preflight request is malformed.";
        /// Plain HTTP where HTTPS is required.
        HttpsRequired => InvalidRequest, "https_required", "HTTPS is required.";
        /// A `Forwarded` or `X-Forwarded-*` value from a trusted proxy that
        /// cannot be read (as far as the walk reaches).
        MalformedForwarded => InvalidRequest, "malformed_forwarded", "The forwarding headers are malformed.";
        /// Both `Forwarded` and `X-Forwarded-For`/`-Proto` from a trusted
        /// proxy: one of them is whatever the client sent.
        AmbiguousForwarding => InvalidRequest, "ambiguous_forwarding", "The forwarding headers are ambiguous.";
        /// `REMOTE_ADDR` is absent or not an IP address: the server setup is
        /// wrong (a unix socket without the peer's address).
        MalformedRemoteAddr => InvalidRequest, "malformed_remote_addr", "The peer address is unknown.";
    }
}

impl Refusal {
    /// The HTTP status to answer with: 403 for an origin or preflight
    /// refusal and for plain HTTP (MCP transport spec; a redirect would
    /// teach clients to send tokens in the clear), 400 for unreadable
    /// forwarding headers, 500 for a missing peer address (server setup).
    pub const fn status(self) -> u16 {
        match self {
            Self::MalformedForwarded | Self::AmbiguousForwarding => 400,
            Self::MalformedRemoteAddr => 500,
            _ => 403,
        }
    }
}

pub(crate) use crate::core::credentials::trim_ows;

/// RFC 9110 §5.6.2 `tchar`.
fn is_tchar(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b)
}

/// RFC 9110 §5.6.2 `token`.
fn is_token(s: &[u8]) -> bool {
    !s.is_empty() && s.iter().all(|&b| is_tchar(b))
}

#[cfg(test)]
mod vectors;
