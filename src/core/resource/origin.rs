//! `Origin` validation and CORS (MCP transport spec "Security & Endpoint";
//! RFC 6454; the Fetch standard's CORS protocol).
//!
//! * An origin is `scheme://host[:port]` with `http` or `https`, compared as
//!   RFC 6454 §5 says (scheme, host and port), serialised as §6.2 does:
//!   scheme and host in lower case, the scheme's default port left out. An
//!   allowed origin is configured in that form; a path (even `/`), a query,
//!   user info, a wildcard or `null` is refused when the list is built.
//! * Per request: no `Origin` → allowed (clients that are not browsers send
//!   none); the resource's own origin (from the configuration, never from the
//!   `Host` header, which a DNS-rebinding page controls) or a listed one →
//!   allowed; `null`, anything malformed, two values, anything else →
//!   refused, and the pipeline answers 403.
//! * CORS is off while the list is empty: no CORS header is ever sent and a
//!   preflight is refused. For a listed origin the response carries
//!   `Access-Control-Allow-Origin: <that origin>` (our serialisation, never
//!   the request's bytes, never `*`), `Vary: Origin` and
//!   `Access-Control-Expose-Headers`. `Access-Control-Allow-Credentials` is
//!   never sent: the bearer token travels in `Authorization`, which a page
//!   sets itself, so cookies are not needed and never honoured.
//! * A preflight (`OPTIONS` with `Origin` and `Access-Control-Request-Method`)
//!   is answered before authentication: 204 with the allowed method (`POST`,
//!   the only one the transport serves), headers and max-age, or a refusal.

use std::net::{Ipv4Addr, Ipv6Addr};

use super::{is_token, trim_ows, Refusal, ResourceError};

/// At most this many allowed origins.
pub const MAX_ORIGINS: usize = 64;
/// Longest origin looked at (a host name is at most 253 bytes).
pub const MAX_ORIGIN_LEN: usize = 512;
/// Default `Access-Control-Max-Age` of a preflight answer: 600 s.
pub const DEFAULT_MAX_AGE_SECS: u32 = 600;
/// Longest max-age accepted: 7200 s (what Chromium caps it at).
pub const MAX_MAX_AGE_SECS: u32 = 7200;
/// Longest `Access-Control-Request-Headers` value looked at.
pub const MAX_REQUEST_HEADERS_LEN: usize = 2048;

/// The one method a preflight may ask for: the MCP endpoint serves `POST`
/// (GET and DELETE are answered 405 by the transport).
pub const ALLOW_METHODS: &str = "POST";
/// The request headers a cross-origin MCP client sends (Streamable HTTP
/// 2025-11-25 and 2026-07-28: `MCP-Protocol-Version`, `Mcp-Method`,
/// `Mcp-Name`; the bearer token; the JSON body's type; `Accept`). No session
/// or `Last-Event-ID` header: the endpoint mints no sessions and its streams
/// are not resumable.
pub const ALLOW_HEADERS: &[&str] = &[
    "Authorization",
    "Content-Type",
    "Accept",
    "MCP-Protocol-Version",
    "Mcp-Method",
    "Mcp-Name",
];
/// [`ALLOW_HEADERS`] as one header value.
pub const ALLOW_HEADERS_VALUE: &str =
    "Authorization, Content-Type, Accept, MCP-Protocol-Version, Mcp-Method, Mcp-Name";
/// The response headers a cross-origin page may read: the challenge, the
/// negotiated version, the rate-limit headers.
pub const EXPOSE_HEADERS_VALUE: &str =
    "WWW-Authenticate, MCP-Protocol-Version, RateLimit, RateLimit-Policy, Retry-After";

/// `http` or `https`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scheme {
    /// `http` (default port 80).
    Http,
    /// `https` (default port 443).
    Https,
}

impl Scheme {
    fn default_port(self) -> u16 {
        match self {
            Self::Http => 80,
            Self::Https => 443,
        }
    }

    fn as_str(self) -> &'static str {
        match self {
            Self::Http => "http",
            Self::Https => "https",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Host<N> {
    /// A registered name (lower case once configured).
    Name(N),
    V4(Ipv4Addr),
    V6(Ipv6Addr),
}

/// An origin's parts, borrowed from the text they were read from.
struct Parts<'a> {
    scheme: Scheme,
    host: Host<&'a [u8]>,
    port: u16,
}

fn strip_prefix_ci<'a>(s: &'a [u8], prefix: &[u8]) -> Option<&'a [u8]> {
    let head = s.get(..prefix.len())?;
    head.eq_ignore_ascii_case(prefix)
        .then(|| s.get(prefix.len()..))
        .flatten()
}

fn parse_port(digits: &[u8]) -> Option<u16> {
    if digits.is_empty() || digits.len() > 5 || !digits.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let n = digits
        .iter()
        .fold(0u32, |n, d| n * 10 + u32::from(d - b'0'));
    u16::try_from(n).ok().filter(|p| *p != 0)
}

fn parse_name(name: &[u8]) -> Option<Host<&[u8]>> {
    if name.is_empty() || name.len() > 253 {
        return None;
    }
    let labels_ok = name.split(|&b| b == b'.').all(|l| {
        !l.is_empty()
            && l.len() <= 63
            && l.iter()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_'))
    });
    if !labels_ok {
        return None;
    }
    // A name whose last label is numeric is an IPv4 address to a browser
    // (the URL standard's host parser): it must then be a dotted quad.
    let last = name.rsplit(|&b| b == b'.').next().unwrap_or(name);
    if last.iter().all(u8::is_ascii_digit) {
        return std::str::from_utf8(name)
            .ok()?
            .parse::<Ipv4Addr>()
            .ok()
            .map(Host::V4);
    }
    Some(Host::Name(name))
}

/// Reads `scheme://host[:port]` and nothing else.
fn parse(text: &[u8]) -> Option<Parts<'_>> {
    if text.len() > MAX_ORIGIN_LEN {
        return None;
    }
    let (scheme, rest) = if let Some(r) = strip_prefix_ci(text, b"https://") {
        (Scheme::Https, r)
    } else {
        (Scheme::Http, strip_prefix_ci(text, b"http://")?)
    };
    let (host, port) = if let Some(inner) = rest.strip_prefix(b"[") {
        let close = inner.iter().position(|&b| b == b']')?;
        let (v6, after) = inner.split_at(close);
        let ip = std::str::from_utf8(v6).ok()?.parse::<Ipv6Addr>().ok()?;
        (Host::V6(ip), after.get(1..)?)
    } else {
        let colon = rest.iter().position(|&b| b == b':').unwrap_or(rest.len());
        let (name, after) = rest.split_at(colon);
        (parse_name(name)?, after)
    };
    let port = match port {
        [] => scheme.default_port(),
        [b':', digits @ ..] => parse_port(digits)?,
        _ => return None,
    };
    Some(Parts { scheme, host, port })
}

/// A configured origin: its parts and its serialisation (a registered host
/// name is kept only inside the serialisation, in lower case).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Origin {
    scheme: Scheme,
    /// For a name: its length in `text`, after `scheme://`.
    host: Host<usize>,
    port: u16,
    text: String,
}

impl Origin {
    /// Reads a configured origin, `scheme://host[:port]`, refusing anything
    /// else (a path, even `/`; a query; user info; `*`; `null`).
    pub fn parse(text: &[u8]) -> Result<Self, ResourceError> {
        let p = parse(text).ok_or(ResourceError::InvalidOrigin)?;
        Ok(Self::from_parts(&p))
    }

    /// The origin of a URL (`https://shop.example/mcp` →
    /// `https://shop.example`): the resource's own origin.
    pub fn of_url(url: &[u8]) -> Result<Self, ResourceError> {
        let after = url
            .windows(3)
            .position(|w| w == b"://")
            .map_or(0, |i| i + 3);
        let end = url
            .iter()
            .skip(after)
            .position(|&b| b == b'/')
            .map_or(url.len(), |i| after + i);
        let (origin, path) = url.split_at(end);
        if path
            .iter()
            .any(|&b| matches!(b, b'?' | b'#') || !b.is_ascii_graphic())
        {
            return Err(ResourceError::InvalidResourceUrl);
        }
        parse(origin)
            .map(|p| Self::from_parts(&p))
            .ok_or(ResourceError::InvalidResourceUrl)
    }

    fn from_parts(p: &Parts<'_>) -> Self {
        use std::fmt::Write as _;
        let mut text = String::with_capacity(64);
        text.push_str(p.scheme.as_str());
        text.push_str("://");
        let host = match &p.host {
            Host::Name(n) => {
                // `parse_name` admits ASCII letters, digits, `-`, `_`, `.` only.
                for &b in *n {
                    text.push(char::from(b.to_ascii_lowercase()));
                }
                Host::Name(n.len())
            }
            Host::V4(ip) => {
                let _ = write!(text, "{ip}");
                Host::V4(*ip)
            }
            Host::V6(ip) => {
                let _ = write!(text, "[{ip}]");
                Host::V6(*ip)
            }
        };
        if p.port != p.scheme.default_port() {
            let _ = write!(text, ":{}", p.port);
        }
        Self {
            scheme: p.scheme,
            host,
            port: p.port,
            text,
        }
    }

    /// The RFC 6454 §6.2 serialisation (`https://shop.example`,
    /// `http://localhost:8080`).
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// Whether this is the secure scheme.
    pub fn is_https(&self) -> bool {
        self.scheme == Scheme::Https
    }

    fn matches(&self, p: &Parts<'_>) -> bool {
        self.scheme == p.scheme
            && self.port == p.port
            && match (&self.host, &p.host) {
                (Host::Name(len), Host::Name(b)) => {
                    let at = self.scheme.as_str().len() + 3;
                    self.text
                        .as_bytes()
                        .get(at..at + len)
                        .is_some_and(|a| a.eq_ignore_ascii_case(b))
                }
                (Host::V4(a), Host::V4(b)) => a == b,
                (Host::V6(a), Host::V6(b)) => a == b,
                _ => false,
            }
    }
}

/// What the `Origin` header of a (non-preflight) request allows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OriginDecision {
    /// No `Origin` header: not a browser's cross-origin request.
    NoOrigin,
    /// The resource's own origin.
    SameOrigin,
    /// The allowed origin at this index of the list: answer with CORS headers.
    Cross(usize),
    /// Refused (403).
    Refused(Refusal),
}

impl OriginDecision {
    /// The refusal, if any.
    pub fn refusal(self) -> Option<Refusal> {
        match self {
            Self::Refused(r) => Some(r),
            _ => None,
        }
    }
}

/// What a preflight gets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Preflight {
    /// Not a CORS preflight (not `OPTIONS`, or no `Origin` or no
    /// `Access-Control-Request-Method`): the request goes on as any other.
    NotPreflight,
    /// Answer 204 with [`Origins::preflight_headers`] (`None`: the
    /// resource's own origin; `Some(i)`: the listed origin `i`).
    Allowed(Option<usize>),
    /// Answer 403, without CORS headers.
    Refused(Refusal),
}

/// The resource's origin and the allowed cross origins. Build it once per
/// request from the configuration: it parses the few listed origins.
#[derive(Debug, Clone)]
pub struct Origins {
    own: Origin,
    allowed: Vec<Origin>,
    max_age: u32,
}

impl Origins {
    /// `own`: the MCP endpoint's URL (or its origin); `allowed`: the exact
    /// cross origins CORS admits (empty: CORS off); `max_age`: the
    /// preflight's max-age in seconds, at most [`MAX_MAX_AGE_SECS`].
    pub fn new<'a, I>(own: &[u8], allowed: I, max_age: u32) -> Result<Self, ResourceError>
    where
        I: IntoIterator<Item = &'a [u8]>,
    {
        let own = Origin::of_url(own)?;
        let mut list = Vec::new();
        for text in allowed {
            if list.len() >= MAX_ORIGINS {
                return Err(ResourceError::TooManyOrigins);
            }
            let o = Origin::parse(text)?;
            if !list.contains(&o) {
                list.push(o);
            }
        }
        if max_age > MAX_MAX_AGE_SECS {
            return Err(ResourceError::InvalidMaxAge);
        }
        Ok(Self {
            own,
            allowed: list,
            max_age,
        })
    }

    /// The resource's own origin.
    pub fn own(&self) -> &Origin {
        &self.own
    }

    /// The allowed cross origins, serialised.
    pub fn allowed(&self) -> impl Iterator<Item = &str> {
        self.allowed.iter().map(Origin::as_str)
    }

    /// Whether any cross origin is allowed.
    pub fn cors_enabled(&self) -> bool {
        !self.allowed.is_empty()
    }

    /// Decides a request's `Origin` header (`None` when absent).
    pub fn check(&self, origin: Option<&[u8]>) -> OriginDecision {
        let Some(raw) = origin else {
            return OriginDecision::NoOrigin;
        };
        let trimmed = trim_ows(raw);
        if trimmed == b"null" {
            return OriginDecision::Refused(Refusal::NullOrigin);
        }
        // RFC 6454 §7.1 allows a space-separated list; a server joins two
        // header lines with a comma. Either is two origins.
        if !trimmed
            .iter()
            .all(|&b| b.is_ascii_graphic() || b == b' ' || b == b'\t')
        {
            return OriginDecision::Refused(Refusal::MalformedOrigin);
        }
        if trimmed.iter().any(|&b| matches!(b, b',' | b' ' | b'\t')) {
            return OriginDecision::Refused(Refusal::MultipleOrigins);
        }
        let Some(p) = parse(trimmed) else {
            return OriginDecision::Refused(Refusal::MalformedOrigin);
        };
        if self.own.matches(&p) {
            return OriginDecision::SameOrigin;
        }
        match self.allowed.iter().position(|o| o.matches(&p)) {
            Some(i) => OriginDecision::Cross(i),
            None => OriginDecision::Refused(Refusal::OriginNotAllowed),
        }
    }

    /// The response headers a decision adds: with CORS on, `Vary: Origin`
    /// always (the answer depends on it) and, for a listed origin,
    /// `Access-Control-Allow-Origin` and `Access-Control-Expose-Headers`;
    /// with CORS off, none.
    pub fn headers(&self, decision: OriginDecision) -> Vec<(&'static str, &str)> {
        let mut out = Vec::with_capacity(3);
        if !self.cors_enabled() {
            return out;
        }
        if let OriginDecision::Cross(i) = decision {
            if let Some(o) = self.allowed.get(i) {
                out.push(("Access-Control-Allow-Origin", o.as_str()));
                out.push(("Access-Control-Expose-Headers", EXPOSE_HEADERS_VALUE));
            }
        }
        out.push(("Vary", "Origin"));
        out
    }

    /// Decides a possible preflight: `method` is the request method,
    /// `origin`, `request_method` and `request_headers` the `Origin`,
    /// `Access-Control-Request-Method` and `Access-Control-Request-Headers`
    /// values (`None` when absent).
    pub fn preflight(
        &self,
        method: &[u8],
        origin: Option<&[u8]>,
        request_method: Option<&[u8]>,
        request_headers: Option<&[u8]>,
    ) -> Preflight {
        let (Some(_), Some(wanted)) = (origin, request_method) else {
            return Preflight::NotPreflight;
        };
        if method != b"OPTIONS" {
            return Preflight::NotPreflight;
        }
        let who = match self.check(origin) {
            OriginDecision::Refused(r) => return Preflight::Refused(r),
            _ if !self.cors_enabled() => return Preflight::Refused(Refusal::CorsDisabled),
            OriginDecision::Cross(i) => Some(i),
            OriginDecision::SameOrigin | OriginDecision::NoOrigin => None,
        };
        let wanted = trim_ows(wanted);
        if !is_token(wanted) {
            return Preflight::Refused(Refusal::MalformedPreflight);
        }
        // Methods are case-sensitive (RFC 9110 §9.1).
        if wanted != ALLOW_METHODS.as_bytes() {
            return Preflight::Refused(Refusal::PreflightMethod);
        }
        if let Some(list) = request_headers {
            if let Err(r) = check_request_headers(list) {
                return Preflight::Refused(r);
            }
        }
        Preflight::Allowed(who)
    }

    /// The headers of an allowed preflight's 204.
    pub fn preflight_headers(&self, who: Option<usize>) -> Vec<(&'static str, String)> {
        let origin = match who {
            Some(i) => self.allowed.get(i).unwrap_or(&self.own),
            None => &self.own,
        };
        vec![
            ("Access-Control-Allow-Origin", origin.as_str().to_owned()),
            ("Access-Control-Allow-Methods", ALLOW_METHODS.to_owned()),
            (
                "Access-Control-Allow-Headers",
                ALLOW_HEADERS_VALUE.to_owned(),
            ),
            ("Access-Control-Max-Age", self.max_age.to_string()),
            ("Vary", "Origin".to_owned()),
        ]
    }
}

/// `Access-Control-Request-Headers`: a comma-separated list of header names
/// (Fetch: lower case, sorted; we accept any case and order), each one of
/// [`ALLOW_HEADERS`].
fn check_request_headers(list: &[u8]) -> Result<(), Refusal> {
    if list.len() > MAX_REQUEST_HEADERS_LEN {
        return Err(Refusal::MalformedPreflight);
    }
    let list = trim_ows(list);
    if list.is_empty() {
        return Ok(());
    }
    for name in list.split(|&b| b == b',').map(trim_ows) {
        if !is_token(name) {
            return Err(Refusal::MalformedPreflight);
        }
        if !ALLOW_HEADERS
            .iter()
            .any(|h| h.as_bytes().eq_ignore_ascii_case(name))
        {
            return Err(Refusal::PreflightHeader);
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn origins(allowed: &[&str]) -> Origins {
        Origins::new(
            b"https://shop.example/mcp",
            allowed.iter().map(|s| s.as_bytes()),
            DEFAULT_MAX_AGE_SECS,
        )
        .unwrap()
    }

    #[test]
    fn configured_origins_are_serialised_per_rfc6454() {
        for (input, shown) in [
            ("https://App.Example", "https://app.example"),
            ("HTTPS://app.example:443", "https://app.example"),
            ("http://app.example:80", "http://app.example"),
            ("https://app.example:8443", "https://app.example:8443"),
            ("http://localhost:3000", "http://localhost:3000"),
            ("http://127.0.0.1:8080", "http://127.0.0.1:8080"),
            ("http://[::1]:8080", "http://[::1]:8080"),
            ("https://[2001:DB8:0:0::1]", "https://[2001:db8::1]"),
        ] {
            assert_eq!(Origin::parse(input.as_bytes()).unwrap().as_str(), shown);
        }
        for bad in [
            "",
            "null",
            "*",
            "https://*.example",
            "https://app.example/",
            "https://app.example/path",
            "https://app.example?q",
            "https://app.example#f",
            "https://user@app.example",
            "https://user:pw@app.example",
            "ftp://app.example",
            "chrome-extension://abc",
            "app.example",
            "https://",
            "https://app..example",
            "https://.app.example",
            "https://app.example:",
            "https://app.example:0",
            "https://app.example:65536",
            "https://app.example:8a",
            "https://app.example:1:2",
            "https://[::1",
            "https://[fe80::1%25eth0]",
            "https://1.2.3.4.5",
            "https://256.1.1.1",
            "https://01.1.1.1",
            "https://app example",
            "https://app.example\r\n",
            "https://ex\u{e4}mple.de",
        ] {
            assert_eq!(
                Origin::parse(bad.as_bytes()),
                Err(ResourceError::InvalidOrigin),
                "{bad:?}"
            );
        }
        assert_eq!(
            Origin::of_url(b"https://Shop.Example:443/mcp")
                .unwrap()
                .as_str(),
            "https://shop.example"
        );
        // The resource URL's own error, never the allowed-origins one.
        for bad in [
            &b"https://shop.example/mcp?x"[..],
            b"https://u@shop.example/mcp",
            b"https://shop.example/mcp#f",
            b"ftp://shop.example/mcp",
        ] {
            assert_eq!(
                Origin::of_url(bad).err(),
                Some(ResourceError::InvalidResourceUrl)
            );
        }
    }

    #[test]
    fn configuration_bounds() {
        let many: Vec<String> = (0..=MAX_ORIGINS)
            .map(|i| format!("https://a{i}.example"))
            .collect();
        assert_eq!(
            Origins::new(b"https://s.example", many.iter().map(|s| s.as_bytes()), 0).err(),
            Some(ResourceError::TooManyOrigins)
        );
        assert_eq!(
            Origins::new(b"https://s.example", [], MAX_MAX_AGE_SECS + 1).err(),
            Some(ResourceError::InvalidMaxAge)
        );
        assert!(Origins::new(b"https://s.example", [], MAX_MAX_AGE_SECS).is_ok());
    }

    #[test]
    fn requests() {
        let off = origins(&[]);
        let on = origins(&["https://app.example", "http://localhost:3000"]);
        for o in [&off, &on] {
            assert_eq!(o.check(None), OriginDecision::NoOrigin);
            assert_eq!(
                o.check(Some(b"https://shop.example")),
                OriginDecision::SameOrigin
            );
            assert_eq!(
                o.check(Some(b"https://SHOP.example:443")),
                OriginDecision::SameOrigin
            );
            assert_eq!(
                o.check(Some(b"http://shop.example")),
                OriginDecision::Refused(Refusal::OriginNotAllowed)
            );
            assert_eq!(
                o.check(Some(b"https://shop.example:8443")),
                OriginDecision::Refused(Refusal::OriginNotAllowed)
            );
            assert_eq!(
                o.check(Some(b"https://evil.example")),
                OriginDecision::Refused(Refusal::OriginNotAllowed)
            );
            assert_eq!(
                o.check(Some(b"https://shop.example.evil.example")),
                OriginDecision::Refused(Refusal::OriginNotAllowed)
            );
            assert_eq!(
                o.check(Some(b"null")),
                OriginDecision::Refused(Refusal::NullOrigin)
            );
            assert_eq!(
                o.check(Some(b"")),
                OriginDecision::Refused(Refusal::MalformedOrigin)
            );
            assert_eq!(
                o.check(Some(b"https://shop.example/")),
                OriginDecision::Refused(Refusal::MalformedOrigin)
            );
            assert_eq!(
                o.check(Some(b"https://app.example, https://evil.example")),
                OriginDecision::Refused(Refusal::MultipleOrigins)
            );
            assert_eq!(
                o.check(Some(b"https://app.example https://evil.example")),
                OriginDecision::Refused(Refusal::MultipleOrigins)
            );
            assert_eq!(
                o.check(Some(&[b'a'; 4096])),
                OriginDecision::Refused(Refusal::MalformedOrigin)
            );
        }
        assert_eq!(
            off.check(Some(b"https://app.example")),
            OriginDecision::Refused(Refusal::OriginNotAllowed)
        );
        assert_eq!(
            on.check(Some(b"https://app.example")),
            OriginDecision::Cross(0)
        );
        assert_eq!(
            on.check(Some(b"http://localhost:3000")),
            OriginDecision::Cross(1)
        );
        assert_eq!(
            on.check(Some(b"http://localhost:3001")),
            OriginDecision::Refused(Refusal::OriginNotAllowed)
        );
        assert_eq!(
            on.check(Some(b"https://localhost:3000")),
            OriginDecision::Refused(Refusal::OriginNotAllowed)
        );
    }

    #[test]
    fn cors_headers_only_when_on_and_never_a_wildcard() {
        let off = origins(&[]);
        for d in [
            OriginDecision::NoOrigin,
            OriginDecision::SameOrigin,
            OriginDecision::Cross(0),
        ] {
            assert!(off.headers(d).is_empty());
        }
        let on = origins(&["https://App.example"]);
        let h = on.headers(on.check(Some(b"https://app.EXAMPLE")));
        assert_eq!(
            h,
            vec![
                ("Access-Control-Allow-Origin", "https://app.example"),
                ("Access-Control-Expose-Headers", EXPOSE_HEADERS_VALUE),
                ("Vary", "Origin"),
            ]
        );
        assert_eq!(
            on.headers(OriginDecision::NoOrigin),
            vec![("Vary", "Origin")]
        );
        assert!(!EXPOSE_HEADERS_VALUE.contains('*'));
        assert!(!ALLOW_HEADERS_VALUE.contains('*'));
        assert_eq!(ALLOW_HEADERS.join(", "), ALLOW_HEADERS_VALUE);
    }

    #[test]
    fn preflights() {
        let on = origins(&["https://app.example"]);
        let pf = |m: &str, o: Option<&str>, rm: Option<&str>, rh: Option<&str>| {
            on.preflight(
                m.as_bytes(),
                o.map(str::as_bytes),
                rm.map(str::as_bytes),
                rh.map(str::as_bytes),
            )
        };
        let app = Some("https://app.example");
        let all = "authorization,content-type,mcp-method,mcp-name,mcp-protocol-version";
        assert_eq!(
            pf("OPTIONS", app, Some("POST"), Some(all)),
            Preflight::Allowed(Some(0))
        );
        assert_eq!(
            pf("OPTIONS", app, Some("POST"), None),
            Preflight::Allowed(Some(0))
        );
        assert_eq!(
            pf("OPTIONS", app, Some("POST"), Some("Accept, Authorization")),
            Preflight::Allowed(Some(0))
        );
        assert_eq!(
            pf("OPTIONS", app, Some("POST"), Some("")),
            Preflight::Allowed(Some(0))
        );
        assert_eq!(
            pf("OPTIONS", Some("https://shop.example"), Some("POST"), None),
            Preflight::Allowed(None)
        );
        assert_eq!(
            pf("OPTIONS", app, Some("POST"), Some("authorization,x-evil")),
            Preflight::Refused(Refusal::PreflightHeader)
        );
        assert_eq!(
            pf("OPTIONS", app, Some("POST"), Some("mcp-session-id")),
            Preflight::Refused(Refusal::PreflightHeader)
        );
        assert_eq!(
            pf("OPTIONS", app, Some("POST"), Some("cookie")),
            Preflight::Refused(Refusal::PreflightHeader)
        );
        assert_eq!(
            pf(
                "OPTIONS",
                app,
                Some("POST"),
                Some("authorization,,mcp-name")
            ),
            Preflight::Refused(Refusal::MalformedPreflight)
        );
        assert_eq!(
            pf("OPTIONS", app, Some("POST"), Some("a\r\nb")),
            Preflight::Refused(Refusal::MalformedPreflight)
        );
        assert_eq!(
            pf("OPTIONS", app, Some("POST"), Some(&"a,".repeat(2000))),
            Preflight::Refused(Refusal::MalformedPreflight)
        );
        assert_eq!(
            pf("OPTIONS", app, Some("DELETE"), None),
            Preflight::Refused(Refusal::PreflightMethod)
        );
        assert_eq!(
            pf("OPTIONS", app, Some("post"), None),
            Preflight::Refused(Refusal::PreflightMethod)
        );
        assert_eq!(
            pf("OPTIONS", app, Some("PO ST"), None),
            Preflight::Refused(Refusal::MalformedPreflight)
        );
        assert_eq!(
            pf("OPTIONS", Some("https://evil.example"), Some("POST"), None),
            Preflight::Refused(Refusal::OriginNotAllowed)
        );
        assert_eq!(
            pf("OPTIONS", Some("null"), Some("POST"), None),
            Preflight::Refused(Refusal::NullOrigin)
        );
        assert_eq!(
            pf("OPTIONS", None, Some("POST"), None),
            Preflight::NotPreflight
        );
        assert_eq!(pf("OPTIONS", app, None, None), Preflight::NotPreflight);
        assert_eq!(pf("POST", app, Some("POST"), None), Preflight::NotPreflight);
        let off = origins(&[]);
        assert_eq!(
            off.preflight(
                b"OPTIONS",
                Some(b"https://shop.example"),
                Some(b"POST"),
                None
            ),
            Preflight::Refused(Refusal::CorsDisabled)
        );
        assert_eq!(
            off.preflight(
                b"OPTIONS",
                Some(b"https://app.example"),
                Some(b"POST"),
                None
            ),
            Preflight::Refused(Refusal::OriginNotAllowed)
        );
        let h = on.preflight_headers(Some(0));
        assert_eq!(
            h[0],
            (
                "Access-Control-Allow-Origin",
                "https://app.example".to_owned()
            )
        );
        assert_eq!(h[1], ("Access-Control-Allow-Methods", "POST".to_owned()));
        assert_eq!(h[2].1, ALLOW_HEADERS_VALUE);
        assert_eq!(h[3], ("Access-Control-Max-Age", "600".to_owned()));
        assert_eq!(h[4], ("Vary", "Origin".to_owned()));
        assert_eq!(on.preflight_headers(None)[0].1, "https://shop.example");
    }
}
