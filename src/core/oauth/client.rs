//! Who a client is: Client ID Metadata Documents (preferred by the MCP
//! authorization specification 2026-07-28), dynamic registration (RFC 7591;
//! deprecated there but still used), and the rules both share.
//!
//! * [`ClientIdUrl::parse`] — a metadata-document `client_id` is an `https`
//!   URL with a path, no fragment, no userinfo, no dot segments, no query
//!   (draft-ietf-oauth-client-id-metadata-document §3).
//! * [`check_fetch_target`] — the glue fetches the document, but only from
//!   an address the core allows: never private, loopback, link-local,
//!   multicast, reserved or otherwise special, in any of its IPv4-mapped or
//!   embedded forms (so a `client_id` cannot make the shop's server reach its
//!   own network). No redirect is followed, the size and time are capped
//!   ([`MAX_DOCUMENT_BYTES`], [`FETCH_TIMEOUT_SECS`]).
//! * [`cache_lifetime`] — how long a fetched document may be reused, from its
//!   `Cache-Control`, at most [`MAX_CACHE_SECS`] (7 days).
//! * [`Metadata::from_document`] / [`Metadata::from_registration`] — the
//!   document's or the registration request's JSON: `redirect_uris`
//!   required and each judged on its own ([`super::redirect`]), a
//!   `client_name` (required in a document), the one
//!   `token_endpoint_auth_method` the server assigns, grant and response
//!   types limited to the code flow with refresh.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use super::redirect::{escapes_ok, uri_byte, Kind, RedirectUri};
use super::OAuthError;
use crate::core::json;
use crate::core::policy::scope::is_scope_token;
use crate::core::policy::Value;

/// Largest metadata document (or registration request) read, in bytes.
pub const MAX_DOCUMENT_BYTES: usize = 5 * 1024;
/// Longest time a document fetch may take, in seconds.
pub const FETCH_TIMEOUT_SECS: u64 = 5;
/// Longest a fetched document is reused, in seconds (7 days).
pub const MAX_CACHE_SECS: u64 = 7 * 24 * 3600;
/// Most redirect URIs one client may have.
pub const MAX_REDIRECT_URIS: usize = 16;
/// Longest `client_name`, in characters.
pub const MAX_NAME_CHARS: usize = 200;
/// Longest `client_id` URL, in bytes.
pub const MAX_CLIENT_ID_LEN: usize = 2048;

/// A validated metadata-document `client_id`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClientIdUrl {
    url: String,
    host: String,
    port: u16,
    authority_len: usize,
}

impl ClientIdUrl {
    /// Validates a `client_id` that is a URL. Anything that does not start
    /// with `https://` is not a metadata-document client id (the caller
    /// looks it up as a registered one instead); one that does but breaks a
    /// rule is refused.
    pub fn parse(client_id: &[u8]) -> Result<Self, OAuthError> {
        let bad = OAuthError::InvalidClientId;
        if client_id.len() > MAX_CLIENT_ID_LEN
            || !client_id
                .iter()
                .all(|&b| uri_byte(b) && !matches!(b, b'#' | b'?'))
            || !escapes_ok(client_id)
        {
            return Err(bad);
        }
        let text = std::str::from_utf8(client_id).map_err(|_| bad)?;
        let rest = text.strip_prefix("https://").ok_or(bad)?;
        let slash = rest.find('/').ok_or(bad)?;
        let (authority, path) = rest.split_at(slash);
        if path.len() < 2 || authority.is_empty() || authority.contains('@') {
            return Err(bad);
        }
        if path.split('/').any(|seg| {
            matches!(seg, "." | "..")
                || seg.eq_ignore_ascii_case("%2e")
                || seg.to_ascii_lowercase().contains("%2e%2e")
        }) {
            return Err(bad);
        }
        // The host must itself be a plausible https redirect host.
        RedirectUri::parse(format!("https://{authority}/").as_bytes()).map_err(|_| bad)?;
        let (host, port) = match authority.rfind(':') {
            Some(i) if !authority.ends_with(']') => {
                // The redirect rules above checked the digits and the range.
                let port = authority[i + 1..].parse::<u16>().map_err(|_| bad)?;
                (&authority[..i], port)
            }
            _ => (authority, 443),
        };
        if port == 0 {
            return Err(bad);
        }
        Ok(Self {
            url: text.to_owned(),
            host: host.to_ascii_lowercase(),
            port,
            authority_len: authority.len(),
        })
    }

    /// The port to connect to (443 unless the URL names one).
    pub fn port(&self) -> u16 {
        self.port
    }

    /// The authority as written (the `Host` header of the fetch).
    pub fn authority(&self) -> &str {
        let start = "https://".len();
        self.url
            .get(start..start + self.authority_len)
            .unwrap_or_default()
    }

    /// The path to request (always starts with `/`).
    pub fn path(&self) -> &str {
        self.url
            .get("https://".len() + self.authority_len..)
            .unwrap_or("/")
    }

    /// The URL, as given.
    pub fn as_str(&self) -> &str {
        &self.url
    }

    /// Its host (to show on the consent page), lower-cased.
    pub fn host(&self) -> &str {
        &self.host
    }
}

/// Whether the glue may connect to `ip` to fetch a metadata document: only a
/// global unicast address. Refused: unspecified, loopback, private
/// (RFC 1918, RFC 4193), carrier-grade NAT, link-local, multicast,
/// broadcast, documentation and benchmarking ranges, reserved space, and the
/// IPv6 forms that embed an IPv4 address (mapped, compatible, NAT64, 6to4,
/// Teredo), judged by the address they embed or refused outright.
pub fn check_fetch_target(ip: IpAddr) -> Result<(), OAuthError> {
    let ok = match ip {
        IpAddr::V4(v4) => v4_is_global(v4),
        IpAddr::V6(v6) => v6_is_global(v6),
    };
    if ok {
        Ok(())
    } else {
        Err(OAuthError::FetchTargetRefused)
    }
}

fn v4_is_global(ip: Ipv4Addr) -> bool {
    let [a, b, c, _] = ip.octets();
    !(a == 0                                   // "this network", 0.0.0.0/8
        || a == 10                             // RFC 1918
        || a == 127                            // loopback
        || (a == 100 && (64..128).contains(&b)) // CGNAT 100.64/10
        || (a == 169 && b == 254)              // link-local
        || (a == 172 && (16..32).contains(&b)) // RFC 1918
        || (a == 192 && b == 0 && c == 0)      // IETF protocol assignments
        || (a == 192 && b == 0 && c == 2)      // TEST-NET-1
        || (a == 192 && b == 88 && c == 99)    // 6to4 relay anycast
        || (a == 192 && b == 168)              // RFC 1918
        || (a == 198 && (18..20).contains(&b)) // benchmarking
        || (a == 198 && b == 51 && c == 100)   // TEST-NET-2
        || (a == 203 && b == 0 && c == 113)    // TEST-NET-3
        || a >= 224) // multicast, reserved, broadcast
}

fn v6_is_global(ip: Ipv6Addr) -> bool {
    let s = ip.segments();
    if let Some(v4) = ip.to_ipv4_mapped() {
        return v4_is_global(v4); // ::ffff:a.b.c.d
    }
    let embedded =
        |hi: u16, lo: u16| Ipv4Addr::new((hi >> 8) as u8, hi as u8, (lo >> 8) as u8, lo as u8);
    if s[0] == 0x64 && s[1] == 0xff9b {
        // NAT64 (64:ff9b::/96 and the local-use 64:ff9b:1::/48).
        return s[2..6] == [0, 0, 0, 0] && v4_is_global(embedded(s[6], s[7]));
    }
    if s[0] == 0x2002 {
        return v4_is_global(embedded(s[1], s[2])); // 6to4
    }
    let first = s[0];
    !(ip.is_unspecified()
        || ip.is_loopback()
        || s[..6] == [0, 0, 0, 0, 0, 0]        // IPv4-compatible (deprecated)
        || (first & 0xfe00) == 0xfc00          // unique local fc00::/7
        || (first & 0xffc0) == 0xfe80          // link-local fe80::/10
        || (first & 0xffc0) == 0xfec0          // site-local (deprecated)
        || (first & 0xff00) == 0xff00          // multicast
        || (first == 0x2001 && s[1] == 0)      // Teredo 2001::/32
        || (first == 0x2001 && s[1] == 0xdb8)  // documentation
        || (first == 0x0100 && s[1..4] == [0, 0, 0]) // discard-only 100::/64
        || (first & 0xe000) != 0x2000) // outside 2000::/3, the global unicast space
}

/// How long a fetched document may be reused, in seconds, from its
/// `Cache-Control` header: `no-store` / `no-cache` / no `max-age` → 0 (fetch
/// again next time); `max-age=N` → N, at most [`MAX_CACHE_SECS`].
pub fn cache_lifetime(cache_control: Option<&[u8]>) -> u64 {
    let Some(header) = cache_control.and_then(|h| std::str::from_utf8(h).ok()) else {
        return 0;
    };
    let mut max_age = None;
    for directive in header.split(',') {
        let d = directive.trim().to_ascii_lowercase();
        if d == "no-store" || d == "no-cache" {
            return 0;
        }
        if let Some(v) = d.strip_prefix("max-age=") {
            // A malformed value is treated as stale (RFC 9111 §4.2.1).
            max_age = Some(v.trim_matches('"').parse::<u64>().unwrap_or(0));
        }
    }
    max_age.unwrap_or(0).min(MAX_CACHE_SECS)
}

/// How a client authenticates at the token endpoint.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AuthMethod {
    /// A public client: PKCE is its only proof.
    None,
    /// HTTP Basic with the client id and secret (RFC 6749 §2.3.1).
    ClientSecretBasic,
    /// `client_id` and `client_secret` in the form body.
    ClientSecretPost,
}

impl AuthMethod {
    /// The RFC 7591 name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::None => "none",
            Self::ClientSecretBasic => "client_secret_basic",
            Self::ClientSecretPost => "client_secret_post",
        }
    }

    /// Whether the client holds a secret.
    pub fn confidential(self) -> bool {
        !matches!(self, Self::None)
    }
}

/// A client's validated metadata.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Metadata {
    /// `client_name`, if given (required in a metadata document).
    pub name: Option<String>,
    /// Every redirect URI, each validated on its own.
    pub redirect_uris: Vec<RedirectUri>,
    /// The method the server assigned.
    pub auth_method: AuthMethod,
    /// Whether the client may use refresh tokens (`grant_types` lists
    /// `refresh_token`, or a metadata document, whose clients all refresh).
    pub refresh: bool,
    /// `scope`, if given: the scopes the client says it will ask for.
    pub scope: Option<String>,
}

impl Metadata {
    /// Whether every redirect URI is a loopback one (the consent page warns:
    /// such a client runs on the member's own machine, or pretends to).
    pub fn only_loopback(&self) -> bool {
        self.redirect_uris
            .iter()
            .all(|u| u.kind() == Kind::Loopback)
    }

    /// A metadata document fetched from `client_id`: its `client_id` must be
    /// that URL exactly; `client_name` and `redirect_uris` are required; a
    /// document cannot hold a shared secret; `none` or `private_key_jwt`
    /// get `none` (PKCE), a `client_secret_*` method is refused.
    pub fn from_document(document: &[u8], client_id: &ClientIdUrl) -> Result<Self, OAuthError> {
        let members = read_object(document)?;
        let own_id =
            string_member(&members, "client_id")?.ok_or(OAuthError::InvalidClientMetadata)?;
        if own_id != client_id.as_str() {
            return Err(OAuthError::InvalidClientMetadata);
        }
        if members
            .iter()
            .any(|(k, _)| k == "client_secret" || k == "client_secret_expires_at")
        {
            return Err(OAuthError::InvalidClientMetadata);
        }
        let auth_method = match string_member(&members, "token_endpoint_auth_method")? {
            None | Some("none") | Some("private_key_jwt") => AuthMethod::None,
            Some(_) => return Err(OAuthError::InvalidClientMetadata),
        };
        let mut meta = common(&members, auth_method)?;
        if meta.name.is_none() {
            return Err(OAuthError::InvalidClientMetadata);
        }
        meta.refresh = true;
        Ok(meta)
    }

    /// A dynamic registration request (RFC 7591 §2): `redirect_uris`
    /// required; `token_endpoint_auth_method` one of `none`,
    /// `client_secret_basic` (the RFC's default when absent),
    /// `client_secret_post`.
    pub fn from_registration(request: &[u8]) -> Result<Self, OAuthError> {
        let members = read_object(request)?;
        let auth_method = match string_member(&members, "token_endpoint_auth_method")? {
            None | Some("client_secret_basic") => AuthMethod::ClientSecretBasic,
            Some("client_secret_post") => AuthMethod::ClientSecretPost,
            Some("none") => AuthMethod::None,
            Some(_) => return Err(OAuthError::InvalidClientMetadata),
        };
        common(&members, auth_method)
    }
}

type Members = Vec<(String, Value)>;

fn read_object(text: &[u8]) -> Result<Members, OAuthError> {
    if text.len() > MAX_DOCUMENT_BYTES {
        return Err(OAuthError::InvalidClientMetadata);
    }
    match json::parse::<Value>(text, 4) {
        Ok(Value::Object(members)) => Ok(members),
        _ => Err(OAuthError::InvalidClientMetadata),
    }
}

fn member<'a>(members: &'a Members, name: &str) -> Option<&'a Value> {
    members.iter().find(|(k, _)| k == name).map(|(_, v)| v)
}

fn string_member<'a>(members: &'a Members, name: &str) -> Result<Option<&'a str>, OAuthError> {
    match member(members, name) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Str(s)) => Ok(Some(s)),
        Some(_) => Err(OAuthError::InvalidClientMetadata),
    }
}

fn string_list<'a>(members: &'a Members, name: &str) -> Result<Option<Vec<&'a str>>, OAuthError> {
    match member(members, name) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::List(items)) => items
            .iter()
            .map(|v| match v {
                Value::Str(s) => Ok(s.as_str()),
                _ => Err(OAuthError::InvalidClientMetadata),
            })
            .collect::<Result<Vec<_>, _>>()
            .map(Some),
        Some(_) => Err(OAuthError::InvalidClientMetadata),
    }
}

/// RFC 6749 §3.3: scope-tokens separated by single spaces, each as the
/// policy reads them ([`is_scope_token`]: at most 128 bytes).
pub fn scope_ok(scope: &str) -> bool {
    !scope.is_empty() && scope.split(' ').all(|t| is_scope_token(t.as_bytes()))
}

fn common(members: &Members, auth_method: AuthMethod) -> Result<Metadata, OAuthError> {
    let uris = string_list(members, "redirect_uris")?.ok_or(OAuthError::InvalidRedirectUri)?;
    if uris.is_empty() || uris.len() > MAX_REDIRECT_URIS {
        return Err(OAuthError::InvalidRedirectUri);
    }
    let redirect_uris = uris
        .iter()
        .map(|u| RedirectUri::parse(u.as_bytes()))
        .collect::<Result<Vec<_>, _>>()?;
    let name = match string_member(members, "client_name")? {
        Some(n) => {
            let n = n.trim();
            if n.is_empty() || n.chars().count() > MAX_NAME_CHARS || n.chars().any(char::is_control)
            {
                return Err(OAuthError::InvalidClientMetadata);
            }
            Some(n.to_owned())
        }
        None => None,
    };
    let grants = string_list(members, "grant_types")?;
    let grants = grants.unwrap_or_else(|| vec!["authorization_code"]);
    if !grants.contains(&"authorization_code")
        || grants
            .iter()
            .any(|g| !matches!(*g, "authorization_code" | "refresh_token"))
    {
        return Err(OAuthError::InvalidClientMetadata);
    }
    let responses = string_list(members, "response_types")?.unwrap_or_else(|| vec!["code"]);
    if responses != ["code"] {
        return Err(OAuthError::InvalidClientMetadata);
    }
    let scope = match string_member(members, "scope")? {
        Some(s) if scope_ok(s) => Some(s.to_owned()),
        Some(_) => return Err(OAuthError::InvalidClientMetadata),
        None => None,
    };
    Ok(Metadata {
        name,
        redirect_uris,
        auth_method,
        refresh: grants.contains(&"refresh_token"),
        scope,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn id(s: &str) -> ClientIdUrl {
        ClientIdUrl::parse(s.as_bytes()).unwrap()
    }

    #[test]
    fn client_id_urls() {
        let c = id("https://claude.ai/oauth/claude-code-client-metadata");
        assert_eq!(c.host(), "claude.ai");
        let p = id("https://App.Example:8443/c.json");
        assert_eq!(
            (p.host(), p.port(), p.authority(), p.path()),
            ("app.example", 8443, "App.Example:8443", "/c.json")
        );
        assert_eq!(
            (c.port(), c.authority(), c.path()),
            (443, "claude.ai", "/oauth/claude-code-client-metadata")
        );
        for bad in [
            "http://client.example/meta",
            "https://client.example",
            "https://client.example/",
            "https://client.example/a/../b",
            "https://client.example/a/./b",
            "https://client.example/a/%2e%2e/b",
            "https://client.example/meta#x",
            "https://client.example/meta?x=1",
            "https://user@client.example/meta",
            "https://client.example/meta\"x",
            "https://client.example/me ta",
            "https://client.example/%zz",
            "https://client.example:0/meta",
            "https:///meta",
            "client-123",
        ] {
            assert_eq!(
                ClientIdUrl::parse(bad.as_bytes()),
                Err(OAuthError::InvalidClientId),
                "{bad}"
            );
        }
    }

    #[test]
    fn fetch_targets() {
        for ok in [
            "93.184.216.34",
            "1.1.1.1",
            "2606:4700:4700::1111",
            "::ffff:93.184.216.34",
            "2002:5db8:d822::1",
        ] {
            assert_eq!(check_fetch_target(ok.parse().unwrap()), Ok(()), "{ok}");
        }
        for bad in [
            "0.0.0.0",
            "10.1.2.3",
            "127.0.0.1",
            "100.64.0.1",
            "169.254.169.254",
            "172.16.0.1",
            "172.31.255.255",
            "192.168.1.1",
            "192.0.2.1",
            "198.18.0.1",
            "224.0.0.1",
            "240.0.0.1",
            "255.255.255.255",
            "::",
            "::1",
            "::ffff:127.0.0.1",
            "::ffff:10.0.0.1",
            "::127.0.0.1",
            "fc00::1",
            "fd12:3456::1",
            "fe80::1",
            "fec0::1",
            "ff02::1",
            "2001:db8::1",
            "2001::1",
            "64:ff9b::7f00:1",
            "64:ff9b::a00:1",
            "2002:7f00:1::1",
            "2002:c0a8:101::1",
            "100::1",
            "::ffff:169.254.169.254",
        ] {
            assert_eq!(
                check_fetch_target(bad.parse().unwrap()),
                Err(OAuthError::FetchTargetRefused),
                "{bad}"
            );
        }
    }

    #[test]
    fn cache_lifetimes() {
        assert_eq!(cache_lifetime(None), 0);
        assert_eq!(cache_lifetime(Some(b"max-age=3600")), 3600);
        assert_eq!(
            cache_lifetime(Some(b"public, max-age=999999999")),
            MAX_CACHE_SECS
        );
        assert_eq!(cache_lifetime(Some(b"max-age=3600, no-store")), 0);
        assert_eq!(cache_lifetime(Some(b"no-cache")), 0);
        assert_eq!(cache_lifetime(Some(b"max-age=-1")), 0);
        assert_eq!(cache_lifetime(Some(b"max-age=abc")), 0);
        assert_eq!(cache_lifetime(Some(b"\xff")), 0);
    }

    const DOC: &str = r#"{"client_id":"https://client.example/meta","client_name":"Example AI",
        "redirect_uris":["https://client.example/cb","http://127.0.0.1/cb","cursor://cb"],
        "token_endpoint_auth_method":"none","grant_types":["authorization_code","refresh_token"]}"#;

    #[test]
    fn metadata_documents() {
        let cid = id("https://client.example/meta");
        let m = Metadata::from_document(DOC.as_bytes(), &cid).unwrap();
        assert_eq!(m.name.as_deref(), Some("Example AI"));
        assert_eq!(m.redirect_uris.len(), 3);
        assert_eq!(m.auth_method, AuthMethod::None);
        assert!(m.refresh && !m.only_loopback());
        let other = id("https://client.example/other");
        assert_eq!(
            Metadata::from_document(DOC.as_bytes(), &other),
            Err(OAuthError::InvalidClientMetadata)
        );
        let pkjwt = DOC.replace("\"none\"", "\"private_key_jwt\"");
        assert_eq!(
            Metadata::from_document(pkjwt.as_bytes(), &cid)
                .unwrap()
                .auth_method,
            AuthMethod::None
        );
        for bad in [
            DOC.replace("\"none\"", "\"client_secret_post\""),
            DOC.replace("\"client_name\":\"Example AI\",", ""),
            DOC.replace("\"client_name\":\"Example AI\"", "\"client_name\":\"  \""),
            DOC.replace("\"grant_types\"", "\"client_secret\":\"s\",\"grant_types\""),
            DOC.replace("authorization_code\",", "implicit\","),
            "[]".to_owned(),
            format!("{DOC} x"),
            format!("{{\"pad\":\"{}\"}}", "a".repeat(MAX_DOCUMENT_BYTES)),
        ] {
            assert_eq!(
                Metadata::from_document(bad.as_bytes(), &cid),
                Err(OAuthError::InvalidClientMetadata),
                "{bad}"
            );
        }
        let js = DOC.replace("cursor://cb", "javascript:alert(1)");
        assert_eq!(
            Metadata::from_document(js.as_bytes(), &cid),
            Err(OAuthError::InvalidRedirectUri)
        );
    }

    #[test]
    fn registrations() {
        let cursor = br#"{"redirect_uris":["cursor://anysphere.cursor-retrieval/oauth/callback","https://cursor.example/cb","http://localhost:6274/callback"],"client_name":"Cursor","token_endpoint_auth_method":"none"}"#;
        let m = Metadata::from_registration(cursor).unwrap();
        assert_eq!(
            (m.auth_method, m.refresh, m.redirect_uris.len()),
            (AuthMethod::None, false, 3)
        );
        let default = br#"{"redirect_uris":["http://127.0.0.1/cb"]}"#;
        let m = Metadata::from_registration(default).unwrap();
        assert_eq!(m.auth_method, AuthMethod::ClientSecretBasic);
        assert!(m.only_loopback() && m.name.is_none());
        for (bad, err) in [
            (&br#"{"client_name":"x"}"#[..], OAuthError::InvalidRedirectUri),
            (br#"{"redirect_uris":[]}"#, OAuthError::InvalidRedirectUri),
            (br#"{"redirect_uris":"https://a.example/cb"}"#, OAuthError::InvalidClientMetadata),
            (br#"{"redirect_uris":["https://a.example/cb"],"token_endpoint_auth_method":"private_key_jwt"}"#, OAuthError::InvalidClientMetadata),
            (br#"{"redirect_uris":["https://a.example/cb"],"response_types":["token"]}"#, OAuthError::InvalidClientMetadata),
            (br#"{"redirect_uris":["https://a.example/cb"],"scope":"read\nwrite"}"#, OAuthError::InvalidClientMetadata),
            (br#"{"redirect_uris":["https://a.example/cb","data:text/html,x"]}"#, OAuthError::InvalidRedirectUri),
        ] {
            assert_eq!(Metadata::from_registration(bad), Err(err), "{}", String::from_utf8_lossy(bad));
        }
        assert!(scope_ok("mcp.read mcp.write offline_access"));
        assert!(!scope_ok("a  b") && !scope_ok("") && !scope_ok("a\"b"));
    }
}
