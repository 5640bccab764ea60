//! Verification of a presented token against the row the host stored for its
//! public id, in the one order that leaks nothing: format and checksum, the
//! row, the hash in constant time, then revocation and expiry.

use super::format::{parse, ParsedToken};
use super::hash::{self, parse_stored};
use super::{TokenConfig, TokenError};

/// What the host stored for a token: the row it found by the public id.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StoredToken<'a> {
    /// The stored hash string (`sha256:…` or `hmac-sha256:…`).
    pub hash: &'a str,
    /// Expiry, Unix seconds; `None` = none.
    pub expires_at: Option<i64>,
    /// Revocation time, Unix seconds; any value means revoked.
    pub revoked_at: Option<i64>,
}

/// A successful verification.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerifiedToken {
    /// The token's public id.
    pub public_id: String,
    /// When the stored hash uses an older scheme than the current configuration
    /// would write (no pepper, or another pepper), the hash to store instead.
    pub rehash: Option<String>,
}

/// Verifies a presented token against what the host stored for its public id
/// (`None`: no row).
///
/// Order: format and checksum (no stored data touched); no row; a constant-time
/// comparison with the stored hash; then revocation and expiry. `Revoked` and
/// `Expired` are only ever reported for the genuine token.
pub fn verify(
    config: &TokenConfig,
    presented: &[u8],
    stored: Option<StoredToken<'_>>,
    now: i64,
) -> Result<VerifiedToken, TokenError> {
    verify_parsed(config, parse(presented, &config.prefix)?, stored, now)
}

/// [`verify`] for a token the caller already parsed (format and checksum
/// checked) with the same configuration's prefix.
pub fn verify_parsed(
    config: &TokenConfig,
    parsed: ParsedToken<'_>,
    stored: Option<StoredToken<'_>>,
    now: i64,
) -> Result<VerifiedToken, TokenError> {
    let stored = stored.ok_or(TokenError::UnknownToken)?;
    let scheme = parse_stored(stored.hash)?;
    let rehash = hash::check(config.pepper.as_ref(), scheme, parsed.whole)?;
    check_lifetime(&stored, now)?;
    Ok(VerifiedToken {
        public_id: parsed.public_id.to_owned(),
        rehash,
    })
}

/// Revocation, then expiry (exclusive: a token expiring at `now` is expired),
/// of a row whose hash already matched — the one rule for our rows and the
/// legacy ones ([`super::legacy::verify_legacy_row`]).
pub(super) fn check_lifetime(stored: &StoredToken<'_>, now: i64) -> Result<(), TokenError> {
    if stored.revoked_at.is_some() {
        return Err(TokenError::Revoked);
    }
    if let Some(exp) = stored.expires_at {
        if now >= exp {
            return Err(TokenError::Expired);
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::rng::testing::CountingRng;
    use crate::core::token::{issue, Pepper};

    const NOW: i64 = 1_800_000_000;

    fn check(
        cfg: &TokenConfig,
        presented: &[u8],
        hash: &str,
        expires_at: Option<i64>,
        now: i64,
    ) -> Result<VerifiedToken, TokenError> {
        let stored = StoredToken {
            hash,
            expires_at,
            revoked_at: None,
        };
        verify(cfg, presented, Some(stored), now)
    }

    fn pepper() -> Pepper {
        Pepper::new(&[7u8; 32]).unwrap()
    }

    #[test]
    fn unknown_and_revoked_tokens() {
        let cfg = TokenConfig::default();
        let t = issue(&cfg, &CountingRng::new(2), NOW, Some(60)).unwrap();
        let p = t.plaintext.as_bytes();
        assert_eq!(verify(&cfg, p, None, NOW), Err(TokenError::UnknownToken));
        // A malformed token is refused as such before the row is considered.
        assert_eq!(verify(&cfg, b"x", None, NOW), Err(TokenError::Malformed));
        let revoked = StoredToken {
            hash: &t.hash,
            expires_at: t.expires_at,
            revoked_at: Some(NOW - 1),
        };
        assert_eq!(
            verify(&cfg, p, Some(revoked), NOW),
            Err(TokenError::Revoked)
        );
        // Revocation is only reported for the genuine token.
        let other = issue(&cfg, &CountingRng::new(3), NOW, None).unwrap();
        assert_eq!(
            verify(&cfg, other.plaintext.as_bytes(), Some(revoked), NOW),
            Err(TokenError::Mismatch)
        );
    }

    #[test]
    fn round_trip_and_every_single_character_change_is_refused() {
        let cfg = TokenConfig::default();
        let t = issue(&cfg, &CountingRng::new(9), NOW, Some(3600)).unwrap();
        let v = check(&cfg, t.plaintext.as_bytes(), &t.hash, t.expires_at, NOW).unwrap();
        assert_eq!(v.public_id, t.public_id);
        assert_eq!(v.rehash, None);
        let bytes = t.plaintext.as_bytes();
        for i in 0..bytes.len() {
            for replacement in [b'0', b'a', b'Z', b'_', b'x'] {
                if bytes[i] == replacement {
                    continue;
                }
                let mut m = bytes.to_vec();
                m[i] = replacement;
                assert!(
                    check(&cfg, &m, &t.hash, t.expires_at, NOW).is_err(),
                    "changed byte {i} accepted"
                );
            }
        }
    }

    #[test]
    fn checksum_typo_is_refused_before_the_stored_hash_is_read() {
        let cfg = TokenConfig::default();
        let t = issue(&cfg, &CountingRng::new(1), NOW, None).unwrap();
        let mut m = t.plaintext.clone().into_bytes();
        let i = 30; // inside the secret
        m[i] = if m[i] == b'A' { b'B' } else { b'A' };
        // A garbage stored hash proves the hash was never looked at.
        assert_eq!(
            check(&cfg, &m, "garbage", None, NOW),
            Err(TokenError::BadChecksum)
        );
    }

    #[test]
    fn a_valid_token_against_another_rows_hash_is_a_mismatch() {
        let cfg = TokenConfig::default();
        let a = issue(&cfg, &CountingRng::new(1), NOW, None).unwrap();
        let b = issue(&cfg, &CountingRng::new(2), NOW, None).unwrap();
        assert_eq!(
            check(&cfg, a.plaintext.as_bytes(), &b.hash, None, NOW),
            Err(TokenError::Mismatch)
        );
    }

    #[test]
    fn expiry_is_exclusive_and_checked_after_the_hash() {
        let cfg = TokenConfig::default();
        let t = issue(&cfg, &CountingRng::new(3), NOW, Some(60)).unwrap();
        let p = t.plaintext.as_bytes();
        assert!(check(&cfg, p, &t.hash, t.expires_at, NOW + 59).is_ok());
        assert_eq!(
            check(&cfg, p, &t.hash, t.expires_at, NOW + 60),
            Err(TokenError::Expired)
        );
        let other = issue(&cfg, &CountingRng::new(4), NOW, None).unwrap();
        assert_eq!(
            check(&cfg, p, &other.hash, t.expires_at, NOW + 60),
            Err(TokenError::Mismatch)
        );
    }

    #[test]
    fn pepper_rules_and_migration() {
        assert_eq!(Pepper::new(&[1u8; 31]).unwrap_err(), TokenError::WeakPepper);
        let plain = TokenConfig::default();
        let peppered = TokenConfig {
            pepper: Some(pepper()),
            ..TokenConfig::default()
        };
        let t = issue(&plain, &CountingRng::new(5), NOW, None).unwrap();
        // An old unpeppered row verifies under the peppered configuration and
        // comes back with the hash to store instead.
        let v = check(&peppered, t.plaintext.as_bytes(), &t.hash, None, NOW).unwrap();
        let new_hash = v.rehash.unwrap();
        assert!(new_hash.starts_with(&format!("hmac-sha256:{}:", pepper().id())));
        let v2 = check(&peppered, t.plaintext.as_bytes(), &new_hash, None, NOW).unwrap();
        assert_eq!(v2.rehash, None);
        // A peppered row needs the pepper, the same pepper.
        assert_eq!(
            check(&plain, t.plaintext.as_bytes(), &new_hash, None, NOW),
            Err(TokenError::PepperMissing)
        );
        let other = TokenConfig {
            pepper: Some(Pepper::new(&[8u8; 40]).unwrap()),
            ..TokenConfig::default()
        };
        assert_eq!(
            check(&other, t.plaintext.as_bytes(), &new_hash, None, NOW),
            Err(TokenError::PepperMismatch)
        );
        assert!(!format!("{:?}", pepper()).contains("7, 7"));
    }

    #[test]
    fn stored_hash_format_is_checked() {
        let cfg = TokenConfig::default();
        let t = issue(&cfg, &CountingRng::new(6), NOW, None).unwrap();
        let p = t.plaintext.as_bytes();
        let hexpart = &t.hash[7..];
        for bad in [
            String::new(),
            hexpart.to_owned(),
            format!("sha256:{}", &hexpart[1..]),
            format!("sha256:{}g", &hexpart[1..]),
            format!("md5:{hexpart}"),
            format!("hmac-sha256:abc:{hexpart}"),
            format!("hmac-sha256:ABCDEF12:{hexpart}"),
        ] {
            assert_eq!(
                check(&cfg, p, &bad, None, NOW),
                Err(TokenError::InvalidStoredHash),
                "{bad}"
            );
        }
        // Upper-case hex written by another tool is the same digest.
        let upper = format!("sha256:{}", hexpart.to_uppercase());
        assert!(check(&cfg, p, &upper, None, NOW).is_ok());
    }

    #[test]
    fn hostile_inputs_are_malformed() {
        let cfg = TokenConfig::default();
        let t = issue(&cfg, &CountingRng::new(0), NOW, None).unwrap();
        let huge = vec![b'a'; 10 << 20];
        let mut nul = t.plaintext.clone().into_bytes();
        nul.push(0);
        let mut utf8 = t.plaintext.clone().into_bytes();
        utf8[10] = 0xff;
        for bad in [&b""[..], &huge, &nul, &utf8, b"mcp__", b"mcp_x_y"] {
            assert_eq!(
                check(&cfg, bad, &t.hash, None, NOW),
                Err(TokenError::Malformed)
            );
        }
    }
}
