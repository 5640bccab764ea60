//! The raw `Authorization` header value: never a panic; a bearer token is
//! always a slice of the input in the b64token grammar; nothing over the size
//! cap is accepted.
#![no_main]

use libfuzzer_sys::fuzz_target;
use mcp_guard::core::credentials::{self, Credentials, MAX_HEADER_LEN};

fuzz_target!(|data: &[u8]| {
    let Ok(c) = credentials::parse(Some(data)) else {
        return;
    };
    assert!(data.len() <= MAX_HEADER_LEN);
    match c {
        Credentials::Bearer(t) => {
            assert!(!t.is_empty());
            assert!(t.bytes().all(|b| b.is_ascii_graphic() && b != b','));
            let hay = data.windows(t.len()).any(|w| w == t.as_bytes());
            assert!(hay, "the token is a slice of the header");
        }
        Credentials::Basic { username, password } => {
            assert!(!username.chars().chain(password.chars()).any(char::is_control));
        }
        _ => {}
    }
});
