//! Token format and verification on arbitrary bytes: parse (format, prefix,
//! checksum), verify against a fixed stored row (plain SHA-256 and peppered),
//! and the legacy digests. Never a panic, and nothing but the one real token
//! ever verifies.
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use mcp_guard::core::rng::testing::CountingRng;
use mcp_guard::core::token::{self, IssuedToken, Pepper, StoredToken, TokenConfig};

const NOW: i64 = 1_800_000_000;

struct Fixture {
    plain: TokenConfig,
    peppered: TokenConfig,
    real: IssuedToken,
    real_peppered: IssuedToken,
}

fn fixture() -> &'static Fixture {
    static F: OnceLock<Fixture> = OnceLock::new();
    F.get_or_init(|| {
        let plain = TokenConfig::default();
        let peppered = TokenConfig {
            pepper: Some(Pepper::new(&[7u8; 32]).expect("32 bytes")),
            ..TokenConfig::default()
        };
        let real = token::issue(&plain, &CountingRng::new(1), NOW, Some(60)).expect("issue");
        let real_peppered =
            token::issue(&peppered, &CountingRng::new(2), NOW, Some(60)).expect("issue");
        Fixture {
            plain,
            peppered,
            real,
            real_peppered,
        }
    })
}

fuzz_target!(|data: &[u8]| {
    let f = fixture();
    if let Ok(p) = token::parse(data, &f.plain.prefix) {
        assert_eq!(p.whole.as_bytes(), data);
        assert!(data.len() <= token::MAX_TOKEN_LEN);
    }
    for (config, real) in [(&f.plain, &f.real), (&f.peppered, &f.real_peppered)] {
        let row = Some(StoredToken {
            hash: &real.hash,
            expires_at: real.expires_at,
            revoked_at: None,
        });
        if token::verify(config, data, row, NOW).is_ok() {
            assert_eq!(data, real.plaintext.as_bytes());
        }
        let _ = token::verify(config, data, None, NOW);
    }
    // The fuzz input as a stored hash string, against the real token.
    if let Ok(text) = std::str::from_utf8(data) {
        let row = Some(StoredToken {
            hash: text,
            expires_at: None,
            revoked_at: None,
        });
        let _ = token::verify(&f.peppered, f.real.plaintext.as_bytes(), row, NOW);
        let _ = token::verify_legacy_sha256(b"legacy", text);
        // The INI day count: a number in range or a refusal, never a panic
        // or a lifetime over the limit.
        if let Ok(Some(secs)) = token::max_lifetime_from_days(text) {
            assert!(secs <= token::MAX_LIFETIME_DAYS_LIMIT * token::SECS_PER_DAY);
        }
    }
    // The scope grammar: a scope-token is short printable ASCII.
    if mcp_guard::core::policy::scope::is_scope_token(data) {
        assert!(data.len() <= 128 && data.iter().all(|b| b.is_ascii_graphic()));
    }
    let digest = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"; // SHA-256("test")
    if token::verify_legacy_sha256(data, digest).is_ok() {
        assert_eq!(data, b"test");
    }
    let _ = token::verify_shopsys(data, digest);
});
