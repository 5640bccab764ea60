//! The resource checks on arbitrary header values (`Origin`, the preflight's
//! `Access-Control-Request-*`, `REMOTE_ADDR`, `Host`, `X-Forwarded-*`,
//! `Forwarded`) and challenge scopes: never a panic; an allowed cross origin
//! is always one of the configured ones and its header value is ours; a
//! forwarding header from an untrusted peer never changes the client; plain
//! HTTP passes only under the loopback option; a challenge that is built
//! holds no control byte and exactly its quoted values.
#![no_main]

use libfuzzer_sys::fuzz_target;
use mcp_guard::core::resource::challenge::{self, MetadataUrl};
use mcp_guard::core::resource::origin::{OriginDecision, Origins, Preflight};
use mcp_guard::core::resource::transport::{Transport, TransportFacts};

fuzz_target!(|data: &[u8]| {
    // Fields separated by 0xff (which no valid value holds); an absent
    // field is None, an empty one Some(b"").
    let mut parts = data.split(|&b| b == 0xff);
    let mut next = || parts.next();
    let (origin, method, acrm, acrh) = (next(), next(), next(), next());
    let (remote, host, xfp, xff, fwd, https) = (next(), next(), next(), next(), next(), next());
    let scope = next();

    let allowed = ["https://app.example", "http://localhost:3000"];
    let origins = Origins::new(b"https://shop.example/mcp", allowed.iter().map(|s| s.as_bytes()), 600)
        .expect("valid configuration");
    let d = origins.check(origin);
    if let OriginDecision::Cross(i) = d {
        assert!(i < allowed.len());
        let h = origins.headers(d);
        assert!(h.iter().any(|(k, v)| *k == "Access-Control-Allow-Origin" && allowed.contains(v)));
    }
    if origin.is_none() {
        assert_eq!(d, OriginDecision::NoOrigin);
    }
    match origins.preflight(method.unwrap_or(b"OPTIONS"), origin, acrm, acrh) {
        Preflight::Allowed(who) => {
            assert!(d.refusal().is_none());
            let m = acrm.expect("a preflight has a method");
            assert_eq!(m.iter().copied().filter(|b| *b != b' ' && *b != b'\t').collect::<Vec<u8>>(), b"POST");
            let h = origins.preflight_headers(who);
            assert!(h.iter().all(|(_, v)| v.bytes().all(|b| b.is_ascii_graphic() || b == b' ')));
        }
        Preflight::Refused(_) | Preflight::NotPreflight => {}
    }

    let facts = TransportFacts { https, remote_addr: remote, host, x_forwarded_proto: xfp, x_forwarded_for: xff, forwarded: fwd };
    for dangerous in [false, true] {
        let t = Transport::new([&b"10.0.0.0/8"[..], b"::1"], dangerous).expect("valid configuration");
        let v = t.inspect(&facts);
        if v.refusal.is_none() {
            assert!(v.secure || dangerous);
            assert!(v.client_ip.is_some());
        }
        if let (Some(ip), false) = (v.client_ip, v.via_proxy) {
            let peer: Option<std::net::IpAddr> = remote
                .and_then(|r| std::str::from_utf8(r).ok())
                .and_then(|r| r.parse().ok())
                .map(|p: std::net::IpAddr| p.to_canonical());
            assert_eq!(Some(ip), peer, "an untrusted peer is the client");
        }
    }

    let url = MetadataUrl::parse(b"https://shop.example/.well-known/oauth-protected-resource/mcp").expect("valid");
    let scopes: Vec<&[u8]> = scope.map(|s| s.split(|&b| b == b' ').collect()).unwrap_or_default();
    for text in [
        challenge::insufficient_scope(&url, scopes.iter().copied()).ok(),
        challenge::unauthorized(&url, Some(scopes.iter().copied()), true).ok(),
    ]
    .into_iter()
    .flatten()
    {
        assert!(text.bytes().all(|b| b.is_ascii_graphic() || b == b' '));
        assert_eq!(text.matches('"').count() % 2, 0);
        assert!(!text.contains('\\'));
    }
    // A URL from the input is either refused or stands in its quotes.
    if let Some(u) = remote.and_then(|r| MetadataUrl::parse(r).ok()) {
        let text = challenge::unauthorized::<[&[u8]; 0]>(&u, None, false).expect("no scopes");
        assert_eq!(text.matches('"').count(), 2);
    }
});
