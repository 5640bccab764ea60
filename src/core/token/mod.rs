//! API tokens: issue, hash for storage, verify, rotate — and verify the rows of
//! hosts that stored tokens before mcp_guard.
//!
//! A token reads `<prefix>_<publicId>_<secret><checksum>`:
//!
//! | part | form | why |
//! |---|---|---|
//! | prefix | `[a-z][a-z0-9]{0,15}`, default `mcp` | secret scanners recognise a leaked token by it |
//! | public id | 16 base62 symbols (≈ 95 bits) | the database lookup key; not secret |
//! | secret | 43 base62 symbols (≈ 256 bits) from the OS CSPRNG | the credential |
//! | checksum | 6 base62 symbols: CRC32 of everything before it | a mistyped or made-up string is refused before any database lookup |
//!
//! Only a hash of the whole token is stored. The stored string names its scheme:
//!
//! * `sha256:<64 hex>` — SHA-256 of the token (no pepper configured);
//! * `hmac-sha256:<8 hex key id>:<64 hex>` — HMAC-SHA-256 keyed with the server
//!   pepper; the key id tells which pepper made it.
//!
//! So a pepper can be introduced later: old `sha256:` rows still verify and
//! [`VerifiedToken::rehash`] hands back the peppered hash to store instead.
//!
//! The layers, each in its own file, each using only the ones above it:
//!
//! * [`format`](mod@format) — the token's text: prefix, lengths, checksum,
//!   and the cheap [`parse`] that refuses a mistyped or made-up string before
//!   any hashing or database lookup;
//! * [`hash`] — the stored-hash schemes and the [`Pepper`] that keys them; the
//!   only place that hashes or compares secrets (in constant time);
//! * [`issue`](mod@issue) — issuing and rotating: draws the secret from the
//!   injected random source and bounds the lifetime by
//!   [`TokenConfig::max_lifetime_secs`];
//! * [`verify`](mod@verify) — a presented token against the host's row, in the
//!   order that leaks nothing (format, row, hash, then revocation and expiry);
//! * [`legacy`] — rows of hosts that stored tokens before mcp_guard (a plain
//!   SHA-256 of the token, Shopsys-shaped tokens), which never go through our
//!   format.
//!
//! This file holds what they share: the error enum and the configuration.

pub mod format;
pub mod hash;
pub mod issue;
pub mod legacy;
pub mod verify;

use super::rng::RngFailure;

pub use format::{
    parse, ParsedToken, Prefix, CHECKSUM_LEN, DEFAULT_PREFIX, MAX_PREFIX_LEN, MAX_TOKEN_LEN,
    PUBLIC_ID_LEN, SECRET_LEN,
};
pub use hash::{hash_for_storage, Pepper, MIN_PEPPER_LEN};
pub use issue::{issue, rotate, IssuedToken, Previous, Rotation, DEFAULT_ROTATION_OVERLAP_SECS};
pub use legacy::{
    legacy_sha256_hex, parse_shopsys, verify_legacy_row, verify_legacy_sha256, verify_shopsys,
    LEGACY_ID_HEX_LEN, MAX_LEGACY_TOKEN_LEN, SHOPSYS_PUBLIC_ID_LEN, SHOPSYS_SECRET_LEN,
};
pub use verify::{verify, verify_parsed, StoredToken, VerifiedToken};

/// Seconds per day, for the day-based lifetime settings.
pub const SECS_PER_DAY: u64 = 24 * 3600;
/// Longest configurable maximum lifetime: 100 years in days.
pub const MAX_LIFETIME_DAYS_LIMIT: u64 = 36_500;
/// The maximum lifetime when the host configures none: 365 days.
pub const DEFAULT_MAX_LIFETIME_DAYS: u64 = 365;

crate::error_table! {
    /// Why a token operation failed. The messages are generic on purpose: they
    /// never echo the token, the hash or the pepper.
    pub enum TokenError {
        /// The presented string is not a token of the expected format and prefix.
        Malformed => InvalidToken, "malformed", "The access token is invalid.";
        /// The token has the right shape but its checksum is wrong (a typo, a
        /// truncated copy, a made-up string).
        BadChecksum => InvalidToken, "bad_checksum", "The access token is invalid.";
        /// The token is well-formed but does not match the stored hash.
        Mismatch => InvalidToken, "mismatch", "The access token is invalid.";
        /// The token matched but its expiry has passed.
        Expired => InvalidToken, "expired", "The access token is invalid.";
        /// The token is well-formed but the host has no row for its public id.
        UnknownToken => InvalidToken, "unknown_token", "The access token is invalid.";
        /// The token matched but the host revoked it.
        Revoked => InvalidToken, "revoked", "The access token is invalid.";
        /// The prefix is not `[a-z][a-z0-9]{0,15}`.
        InvalidPrefix => InvalidArgument, "invalid_prefix",
            "The token prefix must match [a-z][a-z0-9]{0,15}.";
        /// A lifetime or overlap is zero, negative or overflows the clock.
        InvalidLifetime => InvalidArgument, "invalid_lifetime",
            "The token lifetime must be a positive number of seconds.";
        /// The requested lifetime is longer than the configured maximum.
        LifetimeExceedsMaximum => InvalidArgument, "lifetime_exceeds_maximum",
            "The token lifetime exceeds mcp_guard.max_token_lifetime_days.";
        /// The stored hash is not one of the formats this module writes.
        InvalidStoredHash => Configuration, "invalid_stored_hash",
            "The stored token hash is not in a format mcp_guard wrote.";
        /// The stored hash was made with a pepper, but none is configured.
        PepperMissing => Configuration, "pepper_missing",
            "The stored token hash needs a pepper, but no pepper is configured.";
        /// The stored hash was made with a different pepper than the configured one.
        PepperMismatch => Configuration, "pepper_mismatch",
            "The stored token hash was made with a pepper other than the configured one.";
        /// The pepper is shorter than [`MIN_PEPPER_LEN`] bytes.
        WeakPepper => Configuration, "weak_pepper",
            "The token pepper must be at least 32 bytes long.";
        /// `mcp_guard.max_token_lifetime_days` is not a whole number of days from
        /// 0 to [`MAX_LIFETIME_DAYS_LIMIT`] (a misconfiguration is refused, never
        /// replaced by a guess).
        InvalidMaxLifetime => Configuration, "invalid_max_lifetime",
            "mcp_guard.max_token_lifetime_days must be a whole number of days from 0 to 36500.";
        /// A token setting could not be read exactly from the engine: it is
        /// missing, or (the INI pepper) it is not UTF-8 text.
        SettingUnreadable => Configuration, "setting_unreadable",
            "An mcp_guard token setting cannot be read exactly (an INI pepper must be UTF-8 text).";
        /// The operating system's random generator failed.
        Randomness => Internal, "randomness_unavailable", "The system random generator failed.";
    }
}

impl From<RngFailure> for TokenError {
    fn from(_: RngFailure) -> Self {
        Self::Randomness
    }
}

/// How tokens are issued and checked: the prefix, the optional pepper, the
/// maximum lifetime. Every field has a secure default.
#[derive(Debug, Clone)]
pub struct TokenConfig {
    /// Token prefix. Default: `mcp`.
    pub prefix: Prefix,
    /// Server pepper. Default: none (plain SHA-256, still 256-bit secrets).
    pub pepper: Option<Pepper>,
    /// Longest lifetime a token may be issued with, in seconds. Default: 365
    /// days. `None` means no maximum (tokens may then be issued without expiry).
    pub max_lifetime_secs: Option<u64>,
}

impl Default for TokenConfig {
    fn default() -> Self {
        Self {
            prefix: Prefix::default(),
            pepper: None,
            max_lifetime_secs: Some(DEFAULT_MAX_LIFETIME_DAYS * SECS_PER_DAY),
        }
    }
}

/// The pepper from the text of `mcp_guard.token_pepper` as the engine hands
/// it over (`None`: the engine has no value for it). Empty means no pepper;
/// a value the engine decoded lossily (it holds U+FFFD, so the bytes in
/// php.ini were not UTF-8 and the key would silently differ) or no value at
/// all is [`TokenError::SettingUnreadable`]; a short one is
/// [`TokenError::WeakPepper`].
pub fn pepper_from_setting(setting: Option<&str>) -> Result<Option<Pepper>, TokenError> {
    match setting {
        None => Err(TokenError::SettingUnreadable),
        Some("") => Ok(None),
        Some(s) if s.contains(char::REPLACEMENT_CHARACTER) => Err(TokenError::SettingUnreadable),
        Some(s) => Pepper::new(s.as_bytes()).map(Some),
    }
}

/// The maximum lifetime in seconds from the text of the day-based setting
/// (`mcp_guard.max_token_lifetime_days`): a whole number of days from 0 to
/// [`MAX_LIFETIME_DAYS_LIMIT`], white space around it ignored; `0` means no
/// maximum (`None`). Anything else — empty, negative, fractional, out of
/// range, a word — is [`TokenError::InvalidMaxLifetime`]: a misconfigured
/// server refuses to issue rather than guess a lifetime.
pub fn max_lifetime_from_days(setting: &str) -> Result<Option<u64>, TokenError> {
    let days = setting
        .trim()
        .parse::<u64>()
        .ok()
        .filter(|d| *d <= MAX_LIFETIME_DAYS_LIMIT)
        .ok_or(TokenError::InvalidMaxLifetime)?;
    Ok((days != 0).then_some(days * SECS_PER_DAY))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::error::{ErrorKind, GuardError};

    #[test]
    fn max_lifetime_setting_is_whole_days_or_refused() {
        assert_eq!(max_lifetime_from_days("365"), Ok(Some(365 * 86400)));
        assert_eq!(max_lifetime_from_days(" 1 "), Ok(Some(86400)));
        assert_eq!(max_lifetime_from_days("36500"), Ok(Some(36_500 * 86400)));
        assert_eq!(max_lifetime_from_days("0"), Ok(None));
        for bad in [
            "", " ", "-5", "lots", "36501", "99999999", "1.5", "1e3", "0x10", "1 d",
        ] {
            assert_eq!(
                max_lifetime_from_days(bad),
                Err(TokenError::InvalidMaxLifetime),
                "{bad:?}"
            );
        }
        assert_eq!(
            TokenError::InvalidMaxLifetime.kind(),
            ErrorKind::Configuration
        );
        assert_eq!(
            TokenError::SettingUnreadable.kind(),
            ErrorKind::Configuration
        );
    }

    #[test]
    fn pepper_setting_is_exact_or_refused() {
        assert!(matches!(pepper_from_setting(Some("")), Ok(None)));
        let p = pepper_from_setting(Some(&"p".repeat(32))).unwrap().unwrap();
        assert_eq!(p.id(), Pepper::new(&[b'p'; 32]).unwrap().id());
        assert_eq!(
            pepper_from_setting(Some(&"p".repeat(31))).unwrap_err(),
            TokenError::WeakPepper
        );
        assert_eq!(
            pepper_from_setting(None).unwrap_err(),
            TokenError::SettingUnreadable
        );
        let altered = format!("{}\u{fffd}", "p".repeat(40));
        assert_eq!(
            pepper_from_setting(Some(&altered)).unwrap_err(),
            TokenError::SettingUnreadable
        );
    }

    #[test]
    fn error_messages_never_echo_input() {
        for e in [
            TokenError::Malformed,
            TokenError::BadChecksum,
            TokenError::Mismatch,
            TokenError::Expired,
        ] {
            assert_eq!(e.to_string(), "The access token is invalid.");
            assert_eq!(e.kind(), ErrorKind::InvalidToken);
        }
    }
}
