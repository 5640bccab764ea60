//! Client metadata (RFC 7591 registrations and metadata documents) and
//! client-id URLs: never a panic; whatever is accepted has at least one
//! redirect URI, each of which passes the redirect rules on its own, and a
//! document's client never gets a shared-secret method.
#![no_main]

use libfuzzer_sys::fuzz_target;
use mcp_guard::core::oauth::client::{AuthMethod, ClientIdUrl, Metadata, MAX_DOCUMENT_BYTES};
use mcp_guard::core::oauth::redirect::RedirectUri;

fuzz_target!(|data: &[u8]| {
    if let Ok(m) = Metadata::from_registration(data) {
        assert!(data.len() <= MAX_DOCUMENT_BYTES);
        assert!(!m.redirect_uris.is_empty());
        for u in &m.redirect_uris {
            assert!(RedirectUri::parse(u.as_str().as_bytes()).is_ok());
        }
    }
    let id = ClientIdUrl::parse(b"https://client.example/meta").expect("a valid id");
    if let Ok(m) = Metadata::from_document(data, &id) {
        assert_eq!(m.auth_method, AuthMethod::None);
        assert!(m.name.is_some() && m.refresh);
    }
    if let Ok(url) = ClientIdUrl::parse(data) {
        assert!(url.as_str().starts_with("https://"));
        let s = url.as_str();
        assert!(!s.contains(['#', '?', '"', '<', '>', ' ']));
        let authority = s["https://".len()..].split('/').next().unwrap_or("");
        assert!(!authority.contains('@'));
    }
});
