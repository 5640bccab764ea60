//! The resource server's per-request decisions: `Origin` (MCP transport
//! "Security & Endpoint", RFC 6454), forwarding headers (RFC 7239) and the
//! `WWW-Authenticate` challenges (RFC 6750 §3, MCP authorization 2026-07-28).

use mcp_guard::core::error::{ErrorKind, GuardError};
use mcp_guard::core::jwt::JwtError;
use mcp_guard::core::resource::challenge::{self, MetadataUrl};
use mcp_guard::core::resource::origin::{OriginDecision, Origins, Preflight};
use mcp_guard::core::resource::transport::{Transport, TransportFacts};
use mcp_guard::core::resource::{Refusal, ResourceError};
use mcp_guard::core::token::TokenError;

fn origins(allowed: &[&str]) -> Origins {
    Origins::new(
        b"https://shop.example/mcp",
        allowed.iter().map(|s| s.as_bytes()),
        600,
    )
    .unwrap()
}

/// DNS rebinding (MCP transport spec: servers MUST validate `Origin`, 403
/// when present and invalid). A page on `rebind.evil.example` re-resolves its
/// own name to the server's address: the browser then sends `Origin` and
/// `Host` both equal to the page's name, so a check of `Origin` against
/// `Host` passes. Ours compares with the configured origin only (the API
/// has no `Host` input), refuses the preflight too, and the loopback HTTP
/// option does not open for a rebound `Host` either.
#[test]
fn attack_dns_rebinding_foreign_origin() {
    for o in [origins(&[]), origins(&["https://app.example"])] {
        let d = o.check(Some(b"https://rebind.evil.example"));
        assert_eq!(d, OriginDecision::Refused(Refusal::OriginNotAllowed));
        assert_eq!(d.refusal().map(Refusal::status), Some(403));
        assert!(o
            .headers(d)
            .iter()
            .all(|(k, _)| !k.starts_with("Access-Control")));
        assert!(!matches!(
            o.preflight(
                b"OPTIONS",
                Some(b"https://rebind.evil.example"),
                Some(b"POST"),
                None
            ),
            Preflight::Allowed(_)
        ));
        // Look-alikes of the own origin.
        for near in [
            "https://shop.example.evil.example",
            "http://shop.example",
            "https://shop.example:444",
            "https://xshop.example",
        ] {
            assert_eq!(
                o.check(Some(near.as_bytes())),
                OriginDecision::Refused(Refusal::OriginNotAllowed),
                "{near}"
            );
        }
    }
    let dev = Transport::new([], true).unwrap();
    let rebound = TransportFacts {
        remote_addr: Some(b"127.0.0.1"),
        host: Some(b"rebind.evil.example:8080"),
        ..TransportFacts::default()
    };
    assert_eq!(dev.inspect(&rebound).refusal, Some(Refusal::HttpsRequired));
}

/// `Origin: null` (RFC 6454 §7.3: sent by sandboxed frames, `file:`
/// documents, some redirects, so any page can produce it). Never allowed,
/// whatever is listed, and it cannot be configured.
#[test]
fn attack_null_origin() {
    let o = origins(&["https://app.example", "http://localhost:3000"]);
    for v in [&b"null"[..], b"null ", b"NULL", b"null,null"] {
        let d = o.check(Some(v));
        assert!(d.refusal().is_some(), "{v:?}");
        assert!(!matches!(
            o.preflight(b"OPTIONS", Some(v), Some(b"POST"), None),
            Preflight::Allowed(_)
        ));
    }
    assert_eq!(
        o.check(Some(b"null")),
        OriginDecision::Refused(Refusal::NullOrigin)
    );
    for bad in ["null", "*", "https://*", "file://"] {
        assert_eq!(
            Origins::new(b"https://shop.example", [bad.as_bytes()], 600).err(),
            Some(ResourceError::InvalidOrigin),
            "{bad}"
        );
    }
}

/// Spoofed `X-Forwarded-For` / `X-Forwarded-Proto` / `Forwarded` (RFC 7239
/// §8.1: the header can be forged by the client; CWE-348). From a peer that
/// is not a trusted proxy they change nothing: not the scheme (no HTTPS
/// claimed over plain HTTP) and not the client address (the rate limiter's
/// and audit log's key). Behind a trusted proxy, what the client prepended
/// is skipped: the walk from the right stops at the first untrusted hop.
#[test]
fn attack_spoofed_forwarded_headers_from_untrusted_peer() {
    let t = Transport::new([&b"10.0.0.0/8"[..]], false).unwrap();
    let spoof = TransportFacts {
        remote_addr: Some(b"198.51.100.4"),
        host: Some(b"shop.example"),
        x_forwarded_proto: Some(b"https"),
        x_forwarded_for: Some(b"127.0.0.1"),
        ..TransportFacts::default()
    };
    let v = t.inspect(&spoof);
    assert!(!v.secure && !v.via_proxy);
    assert_eq!(v.client_ip, Some("198.51.100.4".parse().unwrap()));
    assert_eq!(v.refusal, Some(Refusal::HttpsRequired));
    let spoof = TransportFacts {
        x_forwarded_proto: None,
        x_forwarded_for: None,
        forwarded: Some(b"for=127.0.0.1;proto=https"),
        ..spoof
    };
    let v = t.inspect(&spoof);
    assert_eq!(
        (v.secure, v.client_ip),
        (false, Some("198.51.100.4".parse().unwrap()))
    );
    // Through the trusted proxy: the client's own prefix does not count.
    let through = TransportFacts {
        https: None,
        remote_addr: Some(b"10.0.0.2"),
        host: Some(b"shop.example"),
        x_forwarded_proto: Some(b"https"),
        x_forwarded_for: Some(b"10.0.0.9, 127.0.0.1, 203.0.113.50"),
        forwarded: None,
    };
    assert_eq!(
        t.inspect(&through).client_ip,
        Some("203.0.113.50".parse().unwrap())
    );
    // No trusted proxy configured (the default): nobody's headers count.
    let none = Transport::new([], false).unwrap();
    assert_eq!(
        none.inspect(&through).client_ip,
        Some("10.0.0.2".parse().unwrap())
    );
    assert_eq!(none.inspect(&through).refusal, Some(Refusal::HttpsRequired));
}

/// Header injection through a challenge value (RFC 9110 §5.5: no CR, LF or
/// NUL in a field value; RFC 6750 §3: quoted-string values, scope-tokens
/// without `"` and `\`; CWE-113). Every byte that could end the quoted
/// string or the header line is refused in the metadata URL and in a
/// scope, at construction: nothing is escaped, nothing is emitted.
#[test]
fn attack_header_injection_via_challenge_values() {
    let prm = "https://shop.example/.well-known/oauth-protected-resource/mcp";
    let u = MetadataUrl::parse(prm.as_bytes()).unwrap();
    for b in 0u8..=255 {
        let breaks = !(0x21..0x7f).contains(&b) || b == b'"' || b == b'\\';
        let scope = [b'r', b, b'd'];
        let got = challenge::insufficient_scope(&u, [&scope[..]]);
        assert_eq!(got.is_err(), breaks, "scope byte {b:#04x}");
        let got = challenge::unauthorized(&u, Some([&scope[..]]), true);
        assert_eq!(got.is_err(), breaks, "scope byte {b:#04x}");
        let mut url = prm.as_bytes().to_vec();
        url.push(b);
        let refused = MetadataUrl::parse(&url).is_err();
        assert_eq!(refused, breaks || b == b'#', "url byte {b:#04x}");
    }
    for evil in [
        &b"read\r\nSet-Cookie: sid=x"[..],
        b"read\", error=\"none",
        b"read\\",
        b"read\n",
    ] {
        assert_eq!(
            challenge::insufficient_scope(&u, [evil]),
            Err(ResourceError::InvalidChallengeScope)
        );
    }
    let text = challenge::insufficient_scope(&u, [&b"write"[..], b"products:write"]).unwrap();
    assert_eq!(text.matches('"').count(), 6, "three quoted values: {text}");
}

/// An expired token is 401 `invalid_token`, never 403 (MCP authorization
/// 2026-07-28 Token Handling: invalid or expired tokens MUST receive 401;
/// RFC 6750 §3.1: 403 is `insufficient_scope`, for a valid token). Both
/// verifiers report expiry as an `InvalidToken` error (the
/// `InvalidTokenException` class: 401), and the only challenge that says
/// `insufficient_scope` is the one built from an operation's scopes.
#[test]
fn attack_expired_token_answered_403() {
    assert_eq!(JwtError::Expired.kind(), ErrorKind::InvalidToken);
    assert_eq!(TokenError::Expired.kind(), ErrorKind::InvalidToken);
    assert_eq!(JwtError::Expired.reason(), "expired");
    let u = MetadataUrl::parse(b"https://shop.example/.well-known/oauth-protected-resource/mcp")
        .unwrap();
    let refused = challenge::unauthorized(&u, Some([&b"read"[..]]), true).unwrap();
    assert!(refused.contains("error=\"invalid_token\""));
    assert!(!refused.contains("insufficient_scope"));
    assert!(refused.starts_with("Bearer resource_metadata="));
}
