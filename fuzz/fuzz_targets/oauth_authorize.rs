//! The authorization request and the token request, from raw query strings
//! and bodies: never a panic; a validated request always names a registered
//! redirect URI, an S256 challenge and the configured resource; an error is
//! only ever redirected to a registered URI, with `iss`.
#![no_main]

use libfuzzer_sys::fuzz_target;
use mcp_guard::core::oauth::authorize::Query;
use mcp_guard::core::oauth::config::Config;
use mcp_guard::core::oauth::redirect::RedirectUri;
use mcp_guard::core::oauth::request::{RevocationRequest, TokenRequest};

fuzz_target!(|data: &[u8]| {
    let config = Config::new("https://shop.example", "https://shop.example/mcp", &["read", "write"])
        .expect("a valid configuration");
    let registered = [
        RedirectUri::parse(b"https://client.example/cb").expect("valid"),
        RedirectUri::parse(b"http://127.0.0.1/cb").expect("valid"),
    ];
    if let Ok(q) = Query::parse(data) {
        match q.validate(&registered, &config) {
            Ok(r) => {
                assert!(registered.iter().any(|u| u.matches(r.redirect_uri.as_bytes())));
                assert_eq!(r.challenge.as_str().len(), 43);
                assert_eq!(r.resource, config.resource);
                assert!(!r.scopes.iter().any(|s| s == "offline_access"));
            }
            Err(e) => {
                if let Some(url) = e.redirect {
                    assert!(
                        url.starts_with("https://client.example/cb?") || url.starts_with("http://127.0.0.1"),
                        "an error is only redirected to a registered URI"
                    );
                    assert!(url.contains("&iss=https%3A%2F%2Fshop.example"));
                }
            }
        }
    }
    let (body, header) = data.split_at(data.len() / 3);
    let _ = TokenRequest::parse(body, Some(header));
    let _ = RevocationRequest::parse(body, None);
});
