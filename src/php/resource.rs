//! `McpGuard\Resource\Origins`, `McpGuard\Resource\OriginResult`,
//! `McpGuard\Resource\Transport`, `McpGuard\Resource\TransportResult` and
//! `McpGuard\Resource\Challenge`: the resource server's per-request
//! decisions (`core::resource`). Refusals are result values; configuration
//! errors are `ConfigurationException`s.
#![allow(non_snake_case)]

use std::borrow::Cow;

use ext_php_rs::binary_slice::BinarySlice;
use ext_php_rs::boxed::ZBox;
use ext_php_rs::flags::ClassFlags;
use ext_php_rs::prelude::*;
use ext_php_rs::types::{ZendHashTable, Zval};

use super::convert;
use super::exception::{guarded, invalid_argument};
use crate::core::error::GuardError;
use crate::core::resource::challenge::{self, MetadataUrl};
use crate::core::resource::origin::{self, OriginDecision, Preflight, DEFAULT_MAX_AGE_SECS};
use crate::core::resource::transport::{self, TransportFacts};
use crate::core::resource::{self as core_resource, Refusal};

/// The string entries of a configuration list, or an exception.
fn list<'a>(ht: Option<&'a ZendHashTable>, max: usize, what: &str) -> PhpResult<Vec<&'a [u8]>> {
    match ht {
        None => Ok(Vec::new()),
        Some(ht) => convert::strings(ht, max + 1)
            .ok_or_else(|| invalid_argument(&format!("Every entry of {what} must be a string."))),
    }
}

/// The resource's own origin and the cross origins CORS allows (none by
/// default: CORS off). Build it per request from the configuration; it
/// parses only the listed origins.
#[php_class]
#[php(name = "McpGuard\\Resource\\Origins")]
#[php(flags = ClassFlags::Final)]
pub struct Origins(pub(crate) origin::Origins);

#[php_impl]
impl Origins {
    /// @param string $resource the MCP endpoint URL (or its origin): requests
    ///   from this origin are same-origin. Never the request's `Host`.
    /// @param array $allowed exact origins `scheme://host[:port]` (no path,
    ///   wildcard or `null`), at most 64; empty = CORS off.
    /// @param int $maxAge `Access-Control-Max-Age` of a preflight, 0 … 7200 s.
    /// @throws \McpGuard\Exception\ConfigurationException reason
    ///   invalid_resource_url (the resource URL), invalid_origin_setting,
    ///   too_many_origins or invalid_max_age.
    /// @throws \McpGuard\Exception\InvalidArgumentException for an entry that is not a string.
    pub fn __construct(
        resource: BinarySlice<u8>,
        allowed: Option<&ZendHashTable>,
        maxAge: Option<i64>,
    ) -> PhpResult<Self> {
        guarded(|| {
            let allowed = list(allowed, origin::MAX_ORIGINS, "the allowed origins")?;
            let max_age = match maxAge {
                None => DEFAULT_MAX_AGE_SECS,
                Some(v) => {
                    u32::try_from(v).map_err(|_| core_resource::ResourceError::InvalidMaxAge)?
                }
            };
            Ok(Self(origin::Origins::new(&resource, allowed, max_age)?))
        })
    }

    /// Decides a request's `Origin` header (`$_SERVER['HTTP_ORIGIN'] ?? null`):
    /// allowed when absent, the resource's own or a listed origin; refused
    /// (403) otherwise. `headers()` of the result are the CORS headers to add.
    pub fn check(&self, origin: Option<BinarySlice<u8>>) -> OriginResult {
        let d = self.0.check(origin.as_deref().copied());
        OriginResult {
            preflight: false,
            cross: matches!(d, OriginDecision::Cross(_)),
            refusal: d.refusal(),
            headers: self
                .0
                .headers(d)
                .into_iter()
                .map(|(k, v)| {
                    // Only Access-Control-Allow-Origin varies; the others are
                    // the core's constants.
                    let v = match v {
                        origin::EXPOSE_HEADERS_VALUE => Cow::Borrowed(origin::EXPOSE_HEADERS_VALUE),
                        "Origin" => Cow::Borrowed("Origin"),
                        other => Cow::Owned(other.to_owned()),
                    };
                    (k, v)
                })
                .collect(),
        }
    }

    /// Decides a possible CORS preflight, before authentication: `$method`
    /// is the request method, the others the `Origin`,
    /// `Access-Control-Request-Method` and `Access-Control-Request-Headers`
    /// values (null when absent). `isPreflight()` is false when the request
    /// is not one (go on as usual); otherwise answer `status()` (204 or 403)
    /// with `headers()` and no body.
    pub fn preflight(
        &self,
        method: BinarySlice<u8>,
        origin: Option<BinarySlice<u8>>,
        requestMethod: Option<BinarySlice<u8>>,
        requestHeaders: Option<BinarySlice<u8>>,
    ) -> OriginResult {
        let p = self.0.preflight(
            &method,
            origin.as_deref().copied(),
            requestMethod.as_deref().copied(),
            requestHeaders.as_deref().copied(),
        );
        let (preflight, cross, refusal, headers) = match p {
            Preflight::NotPreflight => (false, false, None, Vec::new()),
            Preflight::Allowed(who) => (
                true,
                who.is_some(),
                None,
                self.0
                    .preflight_headers(who)
                    .into_iter()
                    .map(|(k, v)| (k, Cow::Owned(v)))
                    .collect(),
            ),
            Preflight::Refused(r) => (true, false, Some(r), Vec::new()),
        };
        OriginResult {
            preflight,
            cross,
            refusal,
            headers,
        }
    }

    /// The resource's own origin, serialised (`https://shop.example`).
    pub fn own(&self) -> String {
        self.0.own().as_str().to_owned()
    }

    /// The allowed cross origins, serialised (RFC 6454: lower case, default
    /// port dropped).
    pub fn allowed(&self) -> Vec<String> {
        self.0.allowed().map(str::to_owned).collect()
    }
}

/// The outcome of `Origins::check()` or `Origins::preflight()`.
#[php_class]
#[php(name = "McpGuard\\Resource\\OriginResult")]
#[php(flags = ClassFlags::Final)]
pub struct OriginResult {
    preflight: bool,
    cross: bool,
    refusal: Option<Refusal>,
    headers: Vec<(&'static str, Cow<'static, str>)>,
}

#[php_impl]
impl OriginResult {
    /// Whether the request may go on (or the preflight is answered 204).
    pub fn allowed(&self) -> bool {
        self.refusal.is_none()
    }

    /// Null when allowed; `origin_not_allowed`, `null_origin`,
    /// `malformed_origin`, `multiple_origins`, `cors_disabled`,
    /// `preflight_method_not_allowed`, `preflight_header_not_allowed`,
    /// `malformed_preflight` (for the audit log, not the client).
    pub fn reason(&self) -> Option<&'static str> {
        self.refusal.map(|r| r.reason())
    }

    /// The status to answer with now: 403 when refused, 204 for an allowed
    /// preflight, null when the request goes on.
    pub fn status(&self) -> Option<i64> {
        match (self.refusal, self.preflight) {
            (Some(r), _) => Some(i64::from(r.status())),
            (None, true) => Some(204),
            (None, false) => None,
        }
    }

    /// Whether the request was a CORS preflight.
    pub fn is_preflight(&self) -> bool {
        self.preflight
    }

    /// Whether the origin is a listed cross origin (CORS headers follow).
    pub fn cross_origin(&self) -> bool {
        self.cross
    }

    /// The response headers to add, name => value (empty with CORS off).
    pub fn headers(&self) -> PhpResult<ZBox<ZendHashTable>> {
        let mut out = ZendHashTable::with_capacity(self.headers.len() as u32);
        for (k, v) in &self.headers {
            out.insert(*k, v.as_ref())?;
        }
        Ok(out)
    }
}

/// The trusted proxies and the HTTPS rule. Build it per request from the
/// configuration (it parses only the proxy list).
#[php_class]
#[php(name = "McpGuard\\Resource\\Transport")]
#[php(flags = ClassFlags::Final)]
pub struct Transport(pub(crate) transport::Transport);

/// A `$_SERVER` entry as bytes: absent or null → None; a string → its bytes.
fn server_str<'a>(server: &'a ZendHashTable, key: &str) -> PhpResult<Option<&'a [u8]>> {
    match server.get(key).map(Zval::dereference) {
        None => Ok(None),
        Some(z) if z.is_null() => Ok(None),
        Some(z) => z
            .zend_str()
            .map(|s| Some(s.as_bytes()))
            .ok_or_else(|| invalid_argument(&format!("$server['{key}'] must be a string."))),
    }
}

#[php_impl]
impl Transport {
    /// @param array $trustedProxies IP addresses or CIDR ranges (v4, v6)
    ///   whose `Forwarded` / `X-Forwarded-*` headers are believed; default
    ///   none (the headers are then ignored).
    /// @param bool $dangerousAllowHttpLoopback let plain HTTP through when
    ///   the peer, the client and the `Host` are all loopback (local
    ///   development only); default false.
    /// @throws \McpGuard\Exception\ConfigurationException reason invalid_trusted_proxy.
    /// @throws \McpGuard\Exception\InvalidArgumentException for an entry that is not a string.
    pub fn __construct(
        trustedProxies: Option<&ZendHashTable>,
        dangerousAllowHttpLoopback: Option<bool>,
    ) -> PhpResult<Self> {
        guarded(|| {
            let proxies = list(
                trustedProxies,
                transport::MAX_PROXIES,
                "the trusted proxies",
            )?;
            Ok(Self(transport::Transport::new(
                proxies,
                dangerousAllowHttpLoopback.unwrap_or(false),
            )?))
        })
    }

    /// Decides a request from `$_SERVER` (read in place; only `HTTPS`,
    /// `REMOTE_ADDR`, `HTTP_HOST`, `HTTP_X_FORWARDED_PROTO`,
    /// `HTTP_X_FORWARDED_FOR` and `HTTP_FORWARDED` are looked at).
    ///
    /// @param array $server `$_SERVER` or an array like it.
    /// @throws \McpGuard\Exception\InvalidArgumentException when one of those
    ///   entries is neither a string nor null.
    pub fn inspect(&self, server: &ZendHashTable) -> PhpResult<TransportResult> {
        guarded(|| {
            let facts = TransportFacts {
                https: server_str(server, "HTTPS")?,
                remote_addr: server_str(server, "REMOTE_ADDR")?,
                host: server_str(server, "HTTP_HOST")?,
                x_forwarded_proto: server_str(server, "HTTP_X_FORWARDED_PROTO")?,
                x_forwarded_for: server_str(server, "HTTP_X_FORWARDED_FOR")?,
                forwarded: server_str(server, "HTTP_FORWARDED")?,
            };
            Ok(TransportResult(self.0.inspect(&facts)))
        })
    }
}

/// The outcome of `Transport::inspect()`.
#[php_class]
#[php(name = "McpGuard\\Resource\\TransportResult")]
#[php(flags = ClassFlags::Final)]
pub struct TransportResult(transport::Verdict);

#[php_impl]
impl TransportResult {
    /// Whether the request may go on.
    pub fn allowed(&self) -> bool {
        self.0.refusal.is_none()
    }

    /// Whether it is refused (`!allowed()`).
    pub fn refused(&self) -> bool {
        self.0.refusal.is_some()
    }

    /// Null when allowed; `https_required`, `malformed_forwarded`,
    /// `ambiguous_forwarding`, `malformed_remote_addr` (for the audit log).
    pub fn reason(&self) -> Option<&'static str> {
        self.0.refusal.map(|r| r.reason())
    }

    /// Null when allowed; else 403 (`https_required`), 400 (forwarding
    /// headers) or 500 (`malformed_remote_addr`: the server setup).
    pub fn status(&self) -> Option<i64> {
        self.0.refusal.map(|r| i64::from(r.status()))
    }

    /// Whether the client's connection is HTTPS.
    pub fn secure(&self) -> bool {
        self.0.secure
    }

    /// The client's address (canonical text: `203.0.113.5`, `2001:db8::1`);
    /// the peer unless a trusted proxy said otherwise; null only for
    /// `malformed_remote_addr`.
    pub fn client_ip(&self) -> Option<String> {
        self.0.client_ip.map(|ip| ip.to_string())
    }

    /// Whether a trusted proxy's forwarding headers were used.
    pub fn via_proxy(&self) -> bool {
        self.0.via_proxy
    }
}

/// The `WWW-Authenticate` values of 401 and 403 (RFC 6750 §3, RFC 9728
/// §5.1). Static methods only.
#[php_class]
#[php(name = "McpGuard\\Resource\\Challenge")]
#[php(flags = ClassFlags::Final)]
pub struct Challenge;

fn url(metadataUrl: &[u8]) -> PhpResult<MetadataUrl<'_>> {
    Ok(MetadataUrl::parse(metadataUrl)?)
}

#[php_impl]
impl Challenge {
    /// The 401 challenge: `Bearer resource_metadata="…"`, `scope="…"` when
    /// `$scopes` is given and not empty, `error="invalid_token"` when a token
    /// was presented and refused (expired included).
    ///
    /// @param array|null $scopes scope-tokens (never `offline_access`).
    /// @throws \McpGuard\Exception\ConfigurationException reason
    ///   invalid_metadata_url or invalid_challenge_scope.
    /// @throws \McpGuard\Exception\InvalidArgumentException for a scope that is not a string.
    pub fn unauthorized(
        metadataUrl: BinarySlice<u8>,
        scopes: Option<&ZendHashTable>,
        invalidToken: Option<bool>,
    ) -> PhpResult<String> {
        guarded(|| {
            let u = url(&metadataUrl)?;
            let scopes = match scopes {
                None => None,
                Some(ht) => Some(list(
                    Some(ht),
                    crate::core::policy::MAX_PRESENTED_SCOPES,
                    "the scopes",
                )?),
            };
            Ok(challenge::unauthorized(
                &u,
                scopes,
                invalidToken.unwrap_or(false),
            )?)
        })
    }

    /// The 403 challenge of a valid token without the operation's scopes:
    /// `Bearer error="insufficient_scope", scope="…", resource_metadata="…"`.
    ///
    /// @param array $scopes every scope the operation needs
    ///   (`Decision::requiredScopes()`), at least one.
    /// @throws \McpGuard\Exception\ConfigurationException reason
    ///   invalid_metadata_url or invalid_challenge_scope.
    /// @throws \McpGuard\Exception\InvalidArgumentException for a scope that is not a string.
    pub fn insufficient_scope(
        metadataUrl: BinarySlice<u8>,
        scopes: &ZendHashTable,
    ) -> PhpResult<String> {
        guarded(|| {
            let u = url(&metadataUrl)?;
            let scopes = list(
                Some(scopes),
                crate::core::policy::MAX_PRESENTED_SCOPES,
                "the scopes",
            )?;
            Ok(challenge::insufficient_scope(&u, scopes)?)
        })
    }
}
