//! The authorization server's configuration, secure by default: each field's
//! documentation gives its default. URLs come from here and never from a
//! request's `Host` header.

use super::client::scope_ok;
use super::OAuthError;

/// Default authorization-code lifetime: 60 s.
pub const DEFAULT_CODE_TTL_SECS: u64 = 60;
/// Longest authorization-code lifetime accepted: 600 s (RFC 6749 §4.1.2).
pub const MAX_CODE_TTL_SECS: u64 = 600;
/// Default access-token lifetime: 1 h.
pub const DEFAULT_ACCESS_TTL_SECS: u64 = 3600;
/// Longest access-token lifetime accepted: 1 day.
pub const MAX_ACCESS_TTL_SECS: u64 = 86_400;
/// Default refresh-token lifetime: 30 days (each rotation starts a new one).
pub const DEFAULT_REFRESH_TTL_SECS: u64 = 30 * 86_400;
/// Longest refresh-token lifetime accepted: 365 days.
pub const MAX_REFRESH_TTL_SECS: u64 = 365 * 86_400;
/// Default window in which a rotated refresh token may be presented again
/// without revoking its family (two concurrent refreshes): 30 s.
pub const DEFAULT_REFRESH_GRACE_SECS: u64 = 30;
/// Longest such window accepted: 300 s.
pub const MAX_REFRESH_GRACE_SECS: u64 = 300;
/// The scope that asks for refresh tokens; listed by the authorization
/// server's metadata, never by the resource's.
pub const OFFLINE_ACCESS: &str = "offline_access";

/// What the authorization server is and how long its artefacts live.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Config {
    /// The issuer (RFC 8414 §2): an `https` URL without query or fragment.
    /// Required.
    pub issuer: String,
    /// The MCP endpoint's URL, the only resource (RFC 8707) tokens are issued
    /// for, byte-identical to the protected-resource metadata's `resource`.
    /// Required.
    pub resource: String,
    /// The resource's scopes (canonical names and their aliases, as the
    /// policy manifest defines them). Never holds `offline_access`. Required,
    /// non-empty.
    pub scopes: Vec<String>,
    /// Authorization-code lifetime in seconds. Default
    /// [`DEFAULT_CODE_TTL_SECS`], at most [`MAX_CODE_TTL_SECS`].
    pub code_ttl_secs: u64,
    /// Access-token lifetime in seconds. Default [`DEFAULT_ACCESS_TTL_SECS`].
    pub access_ttl_secs: u64,
    /// Refresh-token lifetime in seconds. Default [`DEFAULT_REFRESH_TTL_SECS`].
    pub refresh_ttl_secs: u64,
    /// Grace window for a rotated refresh token, in seconds (see
    /// [`super::refresh`]). Default [`DEFAULT_REFRESH_GRACE_SECS`]; 0 = any
    /// reuse revokes the family.
    pub refresh_grace_secs: u64,
    /// Whether `http://localhost`-style issuer and resource URLs are
    /// accepted. Default `false`; for local development only.
    pub dangerous_allow_http_loopback: bool,
}

fn url_ok(url: &str, allow_http_loopback: bool) -> bool {
    let rest = if let Some(r) = url.strip_prefix("https://") {
        r
    } else if allow_http_loopback {
        match url.strip_prefix("http://") {
            Some(r)
                if ["localhost", "127.0.0.1", "[::1]"].iter().any(|h| {
                    r.strip_prefix(h)
                        .is_some_and(|after| after.is_empty() || after.starts_with([':', '/']))
                }) =>
            {
                r
            }
            _ => return false,
        }
    } else {
        return false;
    };
    let host_end = rest.find('/').unwrap_or(rest.len());
    host_end > 0
        && url.len() <= 2048
        && url
            .bytes()
            .all(|b| (0x21..0x7f).contains(&b) && !matches!(b, b'#' | b'?' | b'\\' | b'@'))
}

impl Config {
    /// A configuration with every default, after checking the required
    /// fields.
    pub fn new(issuer: &str, resource: &str, scopes: &[&str]) -> Result<Self, OAuthError> {
        let c = Self {
            issuer: issuer.to_owned(),
            resource: resource.to_owned(),
            scopes: scopes.iter().map(|s| (*s).to_owned()).collect(),
            code_ttl_secs: DEFAULT_CODE_TTL_SECS,
            access_ttl_secs: DEFAULT_ACCESS_TTL_SECS,
            refresh_ttl_secs: DEFAULT_REFRESH_TTL_SECS,
            refresh_grace_secs: DEFAULT_REFRESH_GRACE_SECS,
            dangerous_allow_http_loopback: false,
        };
        c.check()?;
        Ok(c)
    }

    /// Checks every field (after a caller changed some).
    pub fn check(&self) -> Result<(), OAuthError> {
        let bad = OAuthError::InvalidConfiguration;
        let http = self.dangerous_allow_http_loopback;
        if !url_ok(&self.issuer, http) || !url_ok(&self.resource, http) {
            return Err(bad);
        }
        if self.scopes.is_empty()
            || self
                .scopes
                .iter()
                .any(|s| !scope_ok(s) || s.contains(' ') || s == OFFLINE_ACCESS)
        {
            return Err(bad);
        }
        let in_range = |v: u64, max: u64| (1..=max).contains(&v);
        if !in_range(self.code_ttl_secs, MAX_CODE_TTL_SECS)
            || !in_range(self.access_ttl_secs, MAX_ACCESS_TTL_SECS)
            || !in_range(self.refresh_ttl_secs, MAX_REFRESH_TTL_SECS)
            || self.refresh_grace_secs > MAX_REFRESH_GRACE_SECS
        {
            return Err(bad);
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_and_refusals() {
        let c = Config::new(
            "https://shop.example",
            "https://shop.example/mcp",
            &["read", "write"],
        )
        .unwrap();
        assert_eq!(
            (c.code_ttl_secs, c.access_ttl_secs, c.refresh_grace_secs),
            (60, 3600, 30)
        );
        assert!(!c.dangerous_allow_http_loopback);
        for (iss, res) in [
            ("http://shop.example", "https://shop.example/mcp"),
            ("https://shop.example", "http://localhost/mcp"),
            ("https://shop.example?x", "https://shop.example/mcp"),
            ("https://shop.example", "https://shop.example/mcp#f"),
            ("https://", "https://shop.example/mcp"),
            ("https://user@shop.example", "https://shop.example/mcp"),
        ] {
            assert_eq!(
                Config::new(iss, res, &["read"]),
                Err(OAuthError::InvalidConfiguration),
                "{iss} {res}"
            );
        }
        assert!(Config::new("https://a.example", "https://a.example/mcp", &[]).is_err());
        assert!(Config::new(
            "https://a.example",
            "https://a.example/mcp",
            &["offline_access"]
        )
        .is_err());
        assert!(Config::new("https://a.example", "https://a.example/mcp", &["a b"]).is_err());
        let mut c = c;
        c.code_ttl_secs = 601;
        assert!(c.check().is_err());
        c.code_ttl_secs = 0;
        assert!(c.check().is_err());
        c.code_ttl_secs = 600;
        c.dangerous_allow_http_loopback = true;
        c.issuer = "http://127.0.0.1:8080".into();
        assert_eq!(c.check(), Ok(()));
        c.issuer = "http://127.0.0.1.evil.example".into();
        assert!(c.check().is_err());
    }
}
