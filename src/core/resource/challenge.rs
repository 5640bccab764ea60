//! The `WWW-Authenticate` texts of the resource (RFC 6750 §3, RFC 9728
//! §5.1, MCP authorization 2026-07-28 "Scope Selection Strategy" and
//! "Scope Challenge Handling"). Built here and nowhere else.
//!
//! * 401: `Bearer resource_metadata="<url>"`, with `scope="…"` when the
//!   scopes to ask for are known, and `error="invalid_token"` when a token
//!   was presented and refused — bad, revoked or expired alike (an expired
//!   token is 401, never 403).
//! * 403: `Bearer error="insufficient_scope", scope="…",
//!   resource_metadata="<url>"`: one challenge with every scope the
//!   operation needs (the policy's `required_scopes`), not only the missing
//!   ones and not the caller's others (the client unions them). Whether a
//!   caller's scopes suffice — a broader `read` covering `entries:read` — is
//!   the policy's decision; the challenge is only built once it said no.
//! * Values are quoted-strings (RFC 9110 §5.6.4). Every piece is checked
//!   when the challenge is built: the URL is visible ASCII without `"`, `\`
//!   or a fragment, a scope is an RFC 6749 scope-token (no `"`, `\`, space or
//!   control byte), the error codes are ours. Nothing can be escaped
//!   because nothing needs escaping: a value that would is refused, so no
//!   input can end a quoted string or a header line. No `error_description`
//!   is sent (it would be text a client shows to a user; the error code
//!   says it all).

use super::ResourceError;
use crate::core::oauth::config::OFFLINE_ACCESS;
use crate::core::policy::scope::is_scope_token;
use crate::core::policy::MAX_PRESENTED_SCOPES;

/// Longest metadata URL accepted.
pub const MAX_URL_LEN: usize = 2048;

/// Whether `b` may stand in a metadata URL: visible ASCII without `"`,
/// `\` and `#`.
const fn url_byte(b: u8) -> bool {
    b > 0x20 && b < 0x7f && b != b'"' && b != b'\\' && b != b'#'
}

/// [`url_byte`] as a table (checked by a test against the function).
const URL_BYTES: [bool; 256] = {
    let mut t = [false; 256];
    let mut i = 0;
    while i < 256 {
        t[i] = url_byte(i as u8);
        i += 1;
    }
    t
};

/// A protected-resource metadata URL that can stand in a challenge: `https://`
/// (or `http://` on `localhost`, `127.0.0.1` or `[::1]`, for local
/// development), visible ASCII without `"`, `\` or `#`, at most
/// [`MAX_URL_LEN`] bytes. Borrowed from the configuration value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MetadataUrl<'a>(&'a str);

impl<'a> MetadataUrl<'a> {
    /// Checks a URL.
    pub fn parse(url: &'a [u8]) -> Result<Self, ResourceError> {
        let bad = ResourceError::InvalidMetadataUrl;
        if url.len() > MAX_URL_LEN || !url.iter().all(|&b| URL_BYTES[usize::from(b)]) {
            return Err(bad);
        }
        // Visible ASCII only, so this cannot fail.
        let text = std::str::from_utf8(url).map_err(|_| bad)?;
        let rest = if let Some(r) = text.strip_prefix("https://") {
            r
        } else {
            let r = text.strip_prefix("http://").ok_or(bad)?;
            let loopback = ["localhost", "127.0.0.1", "[::1]"].iter().any(|h| {
                r.strip_prefix(h)
                    .is_some_and(|after| after.is_empty() || after.starts_with([':', '/']))
            });
            if !loopback {
                return Err(bad);
            }
            r
        };
        let authority = rest.split(['/', '?']).next().unwrap_or("");
        if authority.is_empty() || authority.contains('@') {
            return Err(bad);
        }
        Ok(Self(text))
    }

    /// The URL.
    pub fn as_str(&self) -> &'a str {
        self.0
    }
}

/// Checks challenge scopes and appends them to `out`, separated by single
/// spaces, in order, without duplicates; returns how many were written.
fn push_scopes<'s, I>(out: &mut String, scopes: I) -> Result<usize, ResourceError>
where
    I: IntoIterator<Item = &'s [u8]>,
{
    let bad = ResourceError::InvalidChallengeScope;
    let start = out.len();
    let mut n = 0;
    for s in scopes {
        if n >= MAX_PRESENTED_SCOPES || !is_scope_token(s) || s == OFFLINE_ACCESS.as_bytes() {
            return Err(bad);
        }
        // A scope-token is ASCII.
        let s = std::str::from_utf8(s).map_err(|_| bad)?;
        let written = out.get(start..).unwrap_or("");
        if written.split(' ').any(|w| w == s) {
            continue;
        }
        if n > 0 {
            out.push(' ');
        }
        out.push_str(s);
        n += 1;
    }
    Ok(n)
}

/// The 401 challenge. `scopes`: what the client should ask for (`None` or
/// empty: no `scope` parameter); `invalid_token`: a token was presented and
/// refused (also when it expired).
pub fn unauthorized<'a, I>(
    url: &MetadataUrl<'_>,
    scopes: Option<I>,
    invalid_token: bool,
) -> Result<String, ResourceError>
where
    I: IntoIterator<Item = &'a [u8]>,
{
    let mut out = String::with_capacity(url.as_str().len() + 96);
    out.push_str("Bearer resource_metadata=\"");
    out.push_str(url.as_str());
    out.push('"');
    if let Some(scopes) = scopes {
        let before = out.len();
        out.push_str(", scope=\"");
        if push_scopes(&mut out, scopes)? == 0 {
            out.truncate(before);
        } else {
            out.push('"');
        }
    }
    if invalid_token {
        out.push_str(", error=\"invalid_token\"");
    }
    Ok(out)
}

/// The 403 challenge of a valid token that lacks scopes: `scopes` are the
/// operation's required scopes (at least one).
pub fn insufficient_scope<'a, I>(url: &MetadataUrl<'_>, scopes: I) -> Result<String, ResourceError>
where
    I: IntoIterator<Item = &'a [u8]>,
{
    let mut out = String::with_capacity(url.as_str().len() + 96);
    out.push_str("Bearer error=\"insufficient_scope\", scope=\"");
    if push_scopes(&mut out, scopes)? == 0 {
        return Err(ResourceError::InvalidChallengeScope);
    }
    out.push_str("\", resource_metadata=\"");
    out.push_str(url.as_str());
    out.push('"');
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    const PRM: &str = "https://shop.example/.well-known/oauth-protected-resource/mcp";

    #[test]
    fn url_table_is_the_function() {
        for b in 0..=255u8 {
            assert_eq!(URL_BYTES[usize::from(b)], url_byte(b), "{b}");
        }
    }

    fn url() -> MetadataUrl<'static> {
        MetadataUrl::parse(PRM.as_bytes()).unwrap()
    }

    fn s(v: &[&'static str]) -> Vec<&'static [u8]> {
        v.iter().map(|x| x.as_bytes()).collect()
    }

    #[test]
    fn metadata_urls() {
        for ok in [
            PRM,
            "https://shop.example",
            "http://localhost:8080/.well-known/x",
            "http://127.0.0.1",
            "http://[::1]:9/x",
            "https://s.example/p?tenant=1",
        ] {
            assert_eq!(MetadataUrl::parse(ok.as_bytes()).unwrap().as_str(), ok);
        }
        for bad in [
            "",
            "shop.example",
            "http://shop.example/x",
            "http://localhost.evil.example/",
            "https://",
            "https:///x",
            "https://u@shop.example/",
            "https://shop.example/\"x",
            "https://shop.example/\\x",
            "https://shop.example/#f",
            "https://shop.example/a b",
            "https://shop.example/\r\nSet-Cookie: a=b",
            "https://shop.example/\x7f",
            "ftp://shop.example",
            "https://shop.example/\u{e9}",
        ] {
            assert_eq!(
                MetadataUrl::parse(bad.as_bytes()),
                Err(ResourceError::InvalidMetadataUrl),
                "{bad:?}"
            );
        }
        assert!(MetadataUrl::parse(
            format!("https://s.example/{}", "a".repeat(MAX_URL_LEN)).as_bytes()
        )
        .is_err());
    }

    #[test]
    fn challenges_401() {
        let u = url();
        assert_eq!(
            unauthorized::<Vec<&[u8]>>(&u, None, false).unwrap(),
            format!("Bearer resource_metadata=\"{PRM}\"")
        );
        assert_eq!(
            unauthorized(&u, Some(s(&["discover", "read", "discover"])), false).unwrap(),
            format!("Bearer resource_metadata=\"{PRM}\", scope=\"discover read\"")
        );
        assert_eq!(
            unauthorized(&u, Some(s(&[])), true).unwrap(),
            format!("Bearer resource_metadata=\"{PRM}\", error=\"invalid_token\"")
        );
        assert_eq!(
            unauthorized(&u, Some(s(&["read"])), true).unwrap(),
            format!("Bearer resource_metadata=\"{PRM}\", scope=\"read\", error=\"invalid_token\"")
        );
    }

    #[test]
    fn challenges_403() {
        let u = url();
        assert_eq!(
            insufficient_scope(&u, s(&["products:write", "discover"])).unwrap(),
            format!("Bearer error=\"insufficient_scope\", scope=\"products:write discover\", resource_metadata=\"{PRM}\"")
        );
        assert_eq!(
            insufficient_scope(&u, s(&[])),
            Err(ResourceError::InvalidChallengeScope)
        );
    }

    #[test]
    fn scopes_that_would_break_the_quoted_string_are_refused() {
        let u = url();
        for bad in [
            &b"read\""[..],
            b"re\\ad",
            b"read\r\nSet-Cookie: x=y",
            b"a b",
            b"",
            b"read\0",
            b"\t",
            b"r\xc3\xa9ad",
            b"offline_access",
            &[b'r'; 129],
        ] {
            assert_eq!(
                insufficient_scope(&u, [bad]),
                Err(ResourceError::InvalidChallengeScope),
                "{bad:?}"
            );
            assert_eq!(
                unauthorized(&u, Some([bad]), false),
                Err(ResourceError::InvalidChallengeScope),
                "{bad:?}"
            );
        }
        let many: Vec<String> = (0..=MAX_PRESENTED_SCOPES)
            .map(|i| format!("s{i}"))
            .collect();
        assert!(insufficient_scope(&u, many.iter().map(|x| x.as_bytes())).is_err());
        assert!(insufficient_scope(
            &u,
            many.iter().take(MAX_PRESENTED_SCOPES).map(|x| x.as_bytes())
        )
        .is_ok());
    }
}
