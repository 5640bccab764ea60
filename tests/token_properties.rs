//! Property tests: the token and header parsers take anything without panicking,
//! and no change to a token is ever accepted.

use mcp_guard::core::credentials;
use mcp_guard::core::policy::scope;
use mcp_guard::core::rng::SystemRng;
use mcp_guard::core::token::{self, StoredToken, TokenConfig};
use proptest::prelude::*;

fn stored(t: &token::IssuedToken) -> StoredToken<'_> {
    StoredToken {
        hash: &t.hash,
        expires_at: t.expires_at,
        revoked_at: None,
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2_000))]

    #[test]
    fn header_parser_takes_any_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..6000)) {
        let _ = credentials::parse(Some(&bytes));
    }

    #[test]
    fn token_parser_takes_any_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..200)) {
        let _ = token::parse(&bytes, &token::Prefix::default());
        let _ = token::verify_legacy_sha256(&bytes, &"0".repeat(64));
        let _ = token::verify_shopsys(&bytes, &"0".repeat(64));
    }

    #[test]
    fn no_single_byte_change_is_accepted(pos in 0usize..80, byte in any::<u8>()) {
        let cfg = TokenConfig::default();
        let t = token::issue(&cfg, &SystemRng::new(), 1_000, None).unwrap();
        let mut m = t.plaintext.clone().into_bytes();
        let pos = pos % m.len();
        prop_assume!(m[pos] != byte);
        m[pos] = byte;
        prop_assert!(token::verify(&cfg, &m, Some(stored(&t)), 1_000).is_err());
    }

    #[test]
    fn issued_tokens_verify_until_expiry(lifetime in 1u64..1_000_000, at in 0u64..2_000_000) {
        let cfg = TokenConfig::default();
        let t = token::issue(&cfg, &SystemRng::new(), 1_000, Some(lifetime)).unwrap();
        let now = 1_000 + i64::try_from(at).unwrap();
        let r = token::verify(&cfg, t.plaintext.as_bytes(), Some(stored(&t)), now);
        prop_assert_eq!(r.is_ok(), at < lifetime);
    }

    #[test]
    fn the_day_count_setting_is_in_range_or_refused(text in "\\PC{0,12}", days in 0u64..=36_500) {
        if let Ok(Some(secs)) = token::max_lifetime_from_days(&text) {
            prop_assert!(secs <= token::MAX_LIFETIME_DAYS_LIMIT * token::SECS_PER_DAY);
        }
        let expected = (days != 0).then_some(days * token::SECS_PER_DAY);
        prop_assert_eq!(token::max_lifetime_from_days(&days.to_string()), Ok(expected));
    }

    #[test]
    fn a_scope_token_is_printable_ascii_without_space_quote_or_backslash(bytes in proptest::collection::vec(any::<u8>(), 0..200)) {
        let ok = scope::is_scope_token(&bytes);
        let expected = (1..=128).contains(&bytes.len())
            && bytes.iter().all(|b| b.is_ascii_graphic() && *b != b'"' && *b != b'\\');
        prop_assert_eq!(ok, expected);
    }

    #[test]
    fn bearer_round_trip(tok in "[A-Za-z0-9._~+/-]{1,100}={0,2}") {
        let header = format!("Bearer {tok}");
        prop_assert_eq!(
            credentials::parse(Some(header.as_bytes())),
            Ok(credentials::Credentials::Bearer(&tok))
        );
    }
}
