//! Redirect URIs: which ones a client may register, and how a requested one
//! is matched against them (OAuth 2.1 §2.3.1 and §7.5; RFC 9700 §2.1, §4.1;
//! RFC 8252 §7).
//!
//! A registered URI is one of:
//!
//! * `https://host[:port]/path[?query]` — a web client;
//! * `http://` on a loopback host only (`127.0.0.1`, `[::1]`, `localhost`):
//!   a native app's local listener (Claude Code, VS Code listen on an
//!   ephemeral port);
//! * a private-use scheme of a native app (`cursor://…`, `com.example.app:/cb`;
//!   RFC 8252 §7.1), any syntactically valid scheme but the web's own and the
//!   dangerous ones (`javascript`, `data`, `file`, …).
//!
//! Never a fragment (§3.1.2 of RFC 6749), a wildcard, userinfo
//! (`https://good@evil`), white space or control bytes, non-ASCII (IDN
//! hosts come as punycode), a percent sign in the host, or more than
//! [`MAX_URI_LEN`] bytes.
//!
//! Matching is an exact byte comparison (no normalisation: a trailing slash,
//! the case of a letter or a reordered query make a different URI), except
//! that a loopback `http` URI matches on any port: the same scheme, the same
//! host spelling (`localhost` is not `127.0.0.1`), the same path and query.

use super::OAuthError;

/// Longest redirect URI accepted, in bytes.
pub const MAX_URI_LEN: usize = 2048;

/// Schemes no native app may claim: the web's own, and those that run or
/// read something instead of reaching an app.
const REFUSED_SCHEMES: &[&str] = &[
    "about",
    "blob",
    "chrome",
    "chrome-extension",
    "data",
    "file",
    "filesystem",
    "ftp",
    "intent",
    "jar",
    "javascript",
    "mailto",
    "moz-extension",
    "sms",
    "tel",
    "view-source",
    "vbscript",
    "ws",
    "wss",
];

/// Whether `b` may appear in a URI (RFC 3986 §2: unreserved, reserved and
/// `%`): no quote, angle bracket, brace, pipe, caret, backtick or space, so
/// an accepted URI can never break out of a header or an attribute.
pub fn uri_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b"-._~:/?#[]@!$&'()*+,;=%".contains(&b)
}

/// Whether every `%` starts an escape of two hex digits.
pub fn escapes_ok(s: &[u8]) -> bool {
    s.iter().enumerate().all(|(i, &b)| {
        b != b'%'
            || (s.get(i + 1).is_some_and(u8::is_ascii_hexdigit)
                && s.get(i + 2).is_some_and(u8::is_ascii_hexdigit))
    })
}

/// The hosts that count as loopback for `http` redirect URIs.
const LOOPBACK_HOSTS: &[&str] = &["127.0.0.1", "[::1]", "localhost"];

/// What kind of redirect URI it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// `https://…`.
    Https,
    /// `http://` on a loopback host (matches on any port).
    Loopback,
    /// A native app's private-use scheme.
    PrivateUse,
}

/// A redirect URI that passed the registration rules.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RedirectUri {
    text: String,
    kind: Kind,
    /// For [`Kind::Loopback`]: the byte range of `:port` (empty when none),
    /// so that matching can leave it out.
    port: (usize, usize),
}

struct Parts<'a> {
    scheme: &'a str,
    /// After `scheme://`: (host, port digits or "", start of the port's
    /// colon, end of the authority); `None` without `//`.
    authority: Option<(&'a str, &'a str, usize, usize)>,
}

fn scheme_ok(s: &str) -> bool {
    let mut bytes = s.bytes();
    matches!(bytes.next(), Some(b) if b.is_ascii_alphabetic())
        && bytes.all(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'-' | b'.'))
}

fn split(text: &str) -> Result<Parts<'_>, OAuthError> {
    let bad = OAuthError::InvalidRedirectUri;
    let colon = text.find(':').ok_or(bad)?;
    let scheme = &text[..colon];
    if !scheme_ok(scheme) {
        return Err(bad);
    }
    let rest = &text[colon + 1..];
    let Some(after) = rest.strip_prefix("//") else {
        return Ok(Parts {
            scheme,
            authority: None,
        });
    };
    let start = colon + 3;
    let len = after.find(['/', '?']).unwrap_or(after.len());
    let authority = &after[..len];
    if authority.contains('@') {
        return Err(bad);
    }
    let (host, port) = if authority.starts_with('[') {
        let close = authority.find(']').ok_or(bad)?;
        let (h, p) = authority.split_at(close + 1);
        (h, p)
    } else {
        match authority.find(':') {
            Some(i) => authority.split_at(i),
            None => (authority, ""),
        }
    };
    let digits = match port.strip_prefix(':') {
        Some(d) => d,
        None if port.is_empty() => "",
        None => return Err(bad),
    };
    if port.starts_with(':')
        && (digits.is_empty()
            || digits.len() > 5
            || !digits.bytes().all(|b| b.is_ascii_digit())
            || digits.parse::<u32>().map_or(true, |p| p > 65_535))
    {
        return Err(bad);
    }
    Ok(Parts {
        scheme,
        authority: Some((host, digits, start + host.len(), start + len)),
    })
}

fn host_ok(host: &str) -> bool {
    if host.is_empty() || host.contains('%') {
        return false;
    }
    if let Some(inner) = host.strip_prefix('[') {
        // An IPv6 literal: hex digits, colons and dots only.
        return inner.strip_suffix(']').is_some_and(|v6| {
            !v6.is_empty()
                && v6
                    .bytes()
                    .all(|b| b.is_ascii_hexdigit() || b == b':' || b == b'.')
        });
    }
    host.bytes()
        .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_'))
}

impl RedirectUri {
    /// Validates a URI a client registers (or sends in a metadata document).
    pub fn parse(uri: &[u8]) -> Result<Self, OAuthError> {
        let bad = OAuthError::InvalidRedirectUri;
        if uri.is_empty() || uri.len() > MAX_URI_LEN {
            return Err(bad);
        }
        // URI characters only (no white space, control bytes, non-ASCII,
        // quotes or brackets), well-formed escapes; no fragment, no wildcard
        // (a backslash, read as `/` by browsers, is no URI character).
        if !uri
            .iter()
            .all(|&b| uri_byte(b) && !matches!(b, b'#' | b'*'))
            || !escapes_ok(uri)
        {
            return Err(bad);
        }
        let text = std::str::from_utf8(uri).map_err(|_| bad)?;
        let parts = split(text)?;
        let scheme = parts.scheme.to_ascii_lowercase();
        let (kind, port) = match (scheme.as_str(), parts.authority) {
            ("https", Some((host, _, _, _))) if parts.scheme == "https" && host_ok(host) => {
                (Kind::Https, (0, 0))
            }
            ("http", Some((host, _, port_at, end)))
                if parts.scheme == "http" && LOOPBACK_HOSTS.contains(&host) =>
            {
                (Kind::Loopback, (port_at, end))
            }
            ("http" | "https", _) => return Err(bad),
            (s, authority) => {
                if REFUSED_SCHEMES.contains(&s) {
                    return Err(bad);
                }
                if let Some((host, _, _, _)) = authority {
                    // `cursor://anysphere.cursor-retrieval/…`: an authority,
                    // if given, must be a plain host name.
                    if !host.is_empty() && !host_ok(host) {
                        return Err(bad);
                    }
                }
                if text.len() == parts.scheme.len() + 1 {
                    return Err(bad); // "app:" alone names no destination
                }
                (Kind::PrivateUse, (0, 0))
            }
        };
        Ok(Self {
            text: text.to_owned(),
            kind,
            port,
        })
    }

    /// The URI as registered.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// Its kind.
    pub fn kind(&self) -> Kind {
        self.kind
    }

    /// The CSP source that lets a form post end in a redirect to `uri` (a
    /// requested redirect URI of this kind): `https://host[:port]`, the
    /// loopback `http://host:port` as requested, or `scheme:` for a
    /// private-use scheme. Chromium applies `form-action` to the redirect that
    /// answers the consent form, so the consent page must name it.
    pub fn csp_source(uri: &str) -> Option<String> {
        let parsed = RedirectUri::parse(uri.as_bytes()).ok()?;
        let parts = split(&parsed.text).ok()?;
        match (parsed.kind, parts.authority) {
            (Kind::Https | Kind::Loopback, Some((_, _, _, end))) => {
                parsed.text.get(..end).map(str::to_owned)
            }
            (Kind::PrivateUse, _) => Some(format!("{}:", parts.scheme)),
            _ => None,
        }
    }

    /// Whether `requested` (the `redirect_uri` of an authorization or token
    /// request) is this URI: exactly, or for a loopback URI on any port.
    pub fn matches(&self, requested: &[u8]) -> bool {
        if requested == self.text.as_bytes() {
            return true;
        }
        if self.kind != Kind::Loopback {
            return false;
        }
        let Ok(other) = RedirectUri::parse(requested) else {
            return false;
        };
        if other.kind != Kind::Loopback {
            return false;
        }
        let strip = |u: &RedirectUri| {
            let (a, b) = u.port;
            let t = u.text.as_bytes();
            [
                t.get(..a).unwrap_or_default(),
                t.get(b..).unwrap_or_default(),
            ]
            .concat()
        };
        strip(self) == strip(&other)
    }
}

/// The registered URI that `requested` matches, or the refusal.
pub fn find<'a>(
    registered: &'a [RedirectUri],
    requested: &[u8],
) -> Result<&'a RedirectUri, OAuthError> {
    registered
        .iter()
        .find(|r| r.matches(requested))
        .ok_or(OAuthError::RedirectUriMismatch)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ok(s: &str) -> RedirectUri {
        RedirectUri::parse(s.as_bytes()).unwrap_or_else(|e| panic!("{s}: {e:?}"))
    }

    fn refused(s: &[u8]) {
        assert_eq!(
            RedirectUri::parse(s),
            Err(OAuthError::InvalidRedirectUri),
            "{}",
            String::from_utf8_lossy(s)
        );
    }

    #[test]
    fn what_clients_register_in_the_field() {
        assert_eq!(
            ok("https://claude.ai/api/mcp/auth_callback").kind(),
            Kind::Https
        );
        assert_eq!(
            ok("https://chatgpt.com/connector_platform_oauth_redirect").kind(),
            Kind::Https
        );
        assert_eq!(ok("http://localhost:33418/callback").kind(), Kind::Loopback);
        assert_eq!(ok("http://127.0.0.1/callback").kind(), Kind::Loopback);
        assert_eq!(ok("http://[::1]:8080/cb").kind(), Kind::Loopback);
        assert_eq!(
            ok("cursor://anysphere.cursor-retrieval/oauth/user-x/callback").kind(),
            Kind::PrivateUse
        );
        assert_eq!(ok("cursor://callback").kind(), Kind::PrivateUse);
        assert_eq!(
            ok("com.example.app:/oauth2redirect").kind(),
            Kind::PrivateUse
        );
        assert_eq!(
            ok("vscode://vscode.github-authentication/did-authenticate").kind(),
            Kind::PrivateUse
        );
        assert_eq!(ok("https://app.example:8443/cb?x=1").kind(), Kind::Https);
    }

    #[test]
    fn what_no_client_may_register() {
        for s in [
            &b""[..],
            b"https://client.example/cb#frag",
            b"https://*.example/cb",
            b"https://good.example@evil.example/cb",
            b"https://client.example/c b",
            b"https://client.example/cb\n",
            b"https://cli\xc3\xa9nt.example/cb",
            b"https://client%2eexample/cb",
            b"https:///cb",
            b"https:client.example/cb",
            b"HTTPS://client.example/cb",
            b"http://client.example/cb",
            b"http://127.0.0.2/cb",
            b"http://localhost.evil.example/cb",
            b"http://[::1/cb",
            b"http://localhost:99999/cb",
            b"http://localhost:/cb",
            b"http://localhost:80a/cb",
            b"javascript:alert(1)",
            b"JavaScript:alert(1)",
            b"data:text/html,hi",
            b"file:///etc/passwd",
            b"vbscript:x",
            b"ws://localhost/cb",
            b"app:",
            b"1app://cb",
            b"no-scheme",
            b"https://client.example\\@evil.example/",
            b"https://client.example/cb\"onload=x",
            b"https://client.example/<cb>",
            b"https://client.example/{cb}",
            b"https://client.example/cb%zz",
            b"https://client.example/cb%4",
        ] {
            refused(s);
        }
        refused(format!("https://client.example/{}", "a".repeat(MAX_URI_LEN)).as_bytes());
    }

    #[test]
    fn csp_sources() {
        assert_eq!(
            RedirectUri::csp_source("https://claude.ai/api/cb?x=1").as_deref(),
            Some("https://claude.ai")
        );
        assert_eq!(
            RedirectUri::csp_source("https://a.example:8443/cb").as_deref(),
            Some("https://a.example:8443")
        );
        assert_eq!(
            RedirectUri::csp_source("http://127.0.0.1:53123/cb").as_deref(),
            Some("http://127.0.0.1:53123")
        );
        assert_eq!(
            RedirectUri::csp_source("http://[::1]:9/cb").as_deref(),
            Some("http://[::1]:9")
        );
        assert_eq!(
            RedirectUri::csp_source("cursor://anysphere.cursor-retrieval/cb").as_deref(),
            Some("cursor:")
        );
        assert_eq!(
            RedirectUri::csp_source("com.example.app:/cb").as_deref(),
            Some("com.example.app:")
        );
        assert_eq!(RedirectUri::csp_source("javascript:alert(1)"), None);
        assert_eq!(
            RedirectUri::csp_source("https://a.example/cb'; script-src *"),
            None
        );
    }

    #[test]
    fn exact_match_except_loopback_ports() {
        let web = ok("https://client.example/cb");
        assert!(web.matches(b"https://client.example/cb"));
        for other in [
            &b"https://client.example/cb/"[..],
            b"https://client.example/CB",
            b"https://Client.example/cb",
            b"https://client.example/cb?x=1",
            b"https://client.example:443/cb",
            b"https://client.example/%63b",
            b"https://client.example/cb#x",
            b"https://client.example.evil/cb",
        ] {
            assert!(!web.matches(other), "{}", String::from_utf8_lossy(other));
        }
        let lo = ok("http://127.0.0.1/callback");
        assert!(lo.matches(b"http://127.0.0.1:51234/callback"));
        assert!(lo.matches(b"http://127.0.0.1:1/callback"));
        assert!(!lo.matches(b"http://localhost:51234/callback"));
        assert!(!lo.matches(b"http://[::1]:51234/callback"));
        assert!(!lo.matches(b"http://127.0.0.1:51234/callback/"));
        assert!(!lo.matches(b"https://127.0.0.1:51234/callback"));
        assert!(!lo.matches(b"http://127.0.0.1:51234/callback?x"));
        let lo6 = ok("http://[::1]:9/cb?a=b");
        assert!(lo6.matches(b"http://[::1]/cb?a=b"));
        assert!(!lo6.matches(b"http://[::1]/cb?a=c"));
        let app = ok("cursor://anysphere.cursor-retrieval/cb");
        assert!(!app.matches(b"cursor://anysphere.cursor-retrieval/cb/"));
        let all = [web.clone(), lo.clone(), app];
        assert_eq!(find(&all, b"http://127.0.0.1:4000/callback"), Ok(&lo));
        assert_eq!(
            find(&all, b"https://evil.example/cb"),
            Err(OAuthError::RedirectUriMismatch)
        );
    }
}
