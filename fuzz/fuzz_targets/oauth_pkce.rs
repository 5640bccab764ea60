//! PKCE: never a panic; a verifier is accepted only when it is in the RFC
//! 7636 grammar and hashes to the challenge; a challenge only with S256.
#![no_main]

use libfuzzer_sys::fuzz_target;
use mcp_guard::core::oauth::pkce::Challenge;

fuzz_target!(|data: &[u8]| {
    let (a, b) = data.split_at(data.len().min(43));
    if let Ok(c) = Challenge::parse(Some(a), Some(b"S256")) {
        assert_eq!(c.as_str().as_bytes(), a);
        if c.verify(Some(b)).is_ok() {
            assert!((43..=128).contains(&b.len()));
            assert_eq!(Challenge::of_verifier(b).expect("a valid verifier"), c);
        }
    }
    assert!(Challenge::parse(Some(a), Some(b)).is_err() || b == b"S256");
    if let Ok(c) = Challenge::of_verifier(data) {
        assert!(c.verify(Some(data)).is_ok());
    }
});
