//! Redirect URIs: never a panic; an accepted URI is printable ASCII without a
//! fragment, wildcard, backslash or userinfo, within the size cap; matching
//! is reflexive, and only loopback URIs match anything but themselves.
#![no_main]

use libfuzzer_sys::fuzz_target;
use mcp_guard::core::oauth::redirect::{Kind, RedirectUri, MAX_URI_LEN};

fuzz_target!(|data: &[u8]| {
    let (a, b) = data.split_at(data.len() / 2);
    for input in [a, b, data] {
        let Ok(uri) = RedirectUri::parse(input) else {
            continue;
        };
        let s = uri.as_str();
        assert!(s.len() <= MAX_URI_LEN);
        assert!(s.bytes().all(|c| (0x21..0x7f).contains(&c) && !b"#*\\".contains(&c)));
        assert!(!s.to_ascii_lowercase().starts_with("javascript:"));
        assert!(uri.matches(input));
        if uri.kind() == Kind::Https {
            let authority = s["https://".len()..].split(['/', '?']).next().unwrap_or("");
            assert!(!authority.contains('@'));
        }
    }
    if let Ok(uri) = RedirectUri::parse(a) {
        if uri.matches(b) && a != b {
            assert_eq!(uri.kind(), Kind::Loopback, "only loopback URIs match another spelling");
            let other = RedirectUri::parse(b).expect("a match is itself a valid URI");
            assert_eq!(other.kind(), Kind::Loopback);
        }
    }
});
