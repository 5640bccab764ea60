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
//! [`Verified::rehash`] hands back the peppered hash to store instead.

use std::fmt;

use ring::{digest, hmac};
use subtle::ConstantTimeEq;

use super::base62;
use super::error::{ErrorKind, GuardError};
use super::rng::{RngFailure, SecureRandom};

/// The prefix used when the host does not choose one.
pub const DEFAULT_PREFIX: &str = "mcp";
/// Symbols in the public id: 16 × log2(62) ≈ 95 bits, well above the 64 the
/// lookup needs to be collision-free.
pub const PUBLIC_ID_LEN: usize = 16;
/// Symbols in the secret: 43 × log2(62) ≈ 256.03 bits.
pub const SECRET_LEN: usize = 43;
/// Symbols in the checksum: 62^6 > 2^32, so every CRC32 value fits.
pub const CHECKSUM_LEN: usize = 6;
/// Longest prefix accepted.
pub const MAX_PREFIX_LEN: usize = 16;
/// Longest token of our format; anything longer is refused before parsing.
pub const MAX_TOKEN_LEN: usize = MAX_PREFIX_LEN + 1 + PUBLIC_ID_LEN + 1 + SECRET_LEN + CHECKSUM_LEN;
/// Shortest pepper accepted: 32 bytes, the HMAC-SHA-256 block-size guidance of
/// RFC 2104 §3 (a key shorter than the hash output weakens it).
pub const MIN_PEPPER_LEN: usize = 32;
/// Default overlap during rotation: the old token keeps working this long.
pub const DEFAULT_ROTATION_OVERLAP_SECS: u64 = 7 * 24 * 3600;
/// Seconds per day, for the day-based lifetime settings.
pub const SECS_PER_DAY: u64 = 24 * 3600;

/// Why a token operation failed.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum TokenError {
    /// The presented string is not a token of the expected format and prefix.
    Malformed,
    /// The token has the right shape but its checksum is wrong (a typo, a
    /// truncated copy, a made-up string).
    BadChecksum,
    /// The token is well-formed but does not match the stored hash.
    Mismatch,
    /// The token matched but its expiry has passed.
    Expired,
    /// The token is well-formed but the host has no row for its public id.
    UnknownToken,
    /// The token matched but the host revoked it.
    Revoked,
    /// The prefix is not `[a-z][a-z0-9]{0,15}`.
    InvalidPrefix,
    /// A lifetime or overlap is zero, negative or overflows the clock.
    InvalidLifetime,
    /// The requested lifetime is longer than the configured maximum.
    LifetimeExceedsMaximum,
    /// The stored hash is not one of the formats this module writes.
    InvalidStoredHash,
    /// The stored hash was made with a pepper, but none is configured.
    PepperMissing,
    /// The stored hash was made with a different pepper than the configured one.
    PepperMismatch,
    /// The pepper is shorter than [`MIN_PEPPER_LEN`] bytes.
    WeakPepper,
    /// The operating system's random generator failed.
    Randomness,
}

impl fmt::Display for TokenError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Generic on purpose: never echoes the token, the hash or the pepper.
        let text = match self {
            Self::Malformed
            | Self::BadChecksum
            | Self::Mismatch
            | Self::Expired
            | Self::UnknownToken
            | Self::Revoked => "The access token is invalid.",
            Self::InvalidPrefix => "The token prefix must match [a-z][a-z0-9]{0,15}.",
            Self::InvalidLifetime => "The token lifetime must be a positive number of seconds.",
            Self::LifetimeExceedsMaximum => {
                "The token lifetime exceeds mcp_guard.max_token_lifetime_days."
            }
            Self::InvalidStoredHash => "The stored token hash is not in a format mcp_guard wrote.",
            Self::PepperMissing => {
                "The stored token hash needs a pepper, but no pepper is configured."
            }
            Self::PepperMismatch => {
                "The stored token hash was made with a pepper other than the configured one."
            }
            Self::WeakPepper => "The token pepper must be at least 32 bytes long.",
            Self::Randomness => "The system random generator failed.",
        };
        f.write_str(text)
    }
}

impl std::error::Error for TokenError {}

impl GuardError for TokenError {
    fn kind(&self) -> ErrorKind {
        match self {
            Self::Malformed
            | Self::BadChecksum
            | Self::Mismatch
            | Self::Expired
            | Self::UnknownToken
            | Self::Revoked => ErrorKind::InvalidToken,
            Self::InvalidPrefix | Self::InvalidLifetime | Self::LifetimeExceedsMaximum => {
                ErrorKind::InvalidArgument
            }
            Self::InvalidStoredHash
            | Self::PepperMissing
            | Self::PepperMismatch
            | Self::WeakPepper => ErrorKind::Configuration,
            Self::Randomness => ErrorKind::Internal,
        }
    }

    fn reason(&self) -> &'static str {
        match self {
            Self::Malformed => "malformed",
            Self::BadChecksum => "bad_checksum",
            Self::Mismatch => "mismatch",
            Self::Expired => "expired",
            Self::UnknownToken => "unknown_token",
            Self::Revoked => "revoked",
            Self::InvalidPrefix => "invalid_prefix",
            Self::InvalidLifetime => "invalid_lifetime",
            Self::LifetimeExceedsMaximum => "lifetime_exceeds_maximum",
            Self::InvalidStoredHash => "invalid_stored_hash",
            Self::PepperMissing => "pepper_missing",
            Self::PepperMismatch => "pepper_mismatch",
            Self::WeakPepper => "weak_pepper",
            Self::Randomness => "randomness_unavailable",
        }
    }
}

impl From<RngFailure> for TokenError {
    fn from(_: RngFailure) -> Self {
        Self::Randomness
    }
}

/// A validated token prefix.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Prefix(String);

impl Prefix {
    /// Validates `[a-z][a-z0-9]{0,15}`.
    pub fn new(prefix: &str) -> Result<Self, TokenError> {
        let bytes = prefix.as_bytes();
        let valid = matches!(bytes.first(), Some(b'a'..=b'z'))
            && bytes.len() <= MAX_PREFIX_LEN
            && bytes
                .iter()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit());
        if valid {
            Ok(Self(prefix.to_owned()))
        } else {
            Err(TokenError::InvalidPrefix)
        }
    }

    /// The prefix text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl Default for Prefix {
    fn default() -> Self {
        Self(DEFAULT_PREFIX.to_owned())
    }
}

/// The server pepper: an HMAC key that never leaves the process. With it, a
/// stolen database of hashes cannot be checked against guesses offline.
#[derive(Clone)]
pub struct Pepper {
    key: hmac::Key,
    id: String,
}

impl fmt::Debug for Pepper {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Pepper")
            .field("id", &self.id)
            .finish_non_exhaustive()
    }
}

impl Pepper {
    /// A pepper of at least [`MIN_PEPPER_LEN`] bytes.
    pub fn new(secret: &[u8]) -> Result<Self, TokenError> {
        if secret.len() < MIN_PEPPER_LEN {
            return Err(TokenError::WeakPepper);
        }
        // The key id is a hash of the pepper under a fixed label: it tells two
        // peppers apart without revealing anything usable about either.
        let mut ctx = digest::Context::new(&digest::SHA256);
        ctx.update(b"mcp_guard pepper id v1\0");
        ctx.update(secret);
        let id = hex(&ctx.finish().as_ref()[..4]);
        Ok(Self {
            key: hmac::Key::new(hmac::HMAC_SHA256, secret),
            id,
        })
    }

    /// The 8-hex-digit key id written into peppered hashes.
    pub fn id(&self) -> &str {
        &self.id
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
            max_lifetime_secs: Some(365 * SECS_PER_DAY),
        }
    }
}

/// A freshly issued token. The plaintext is to be shown to its owner once and
/// never stored; the hash is what the host stores.
#[derive(Clone, PartialEq, Eq)]
pub struct IssuedToken {
    /// The full token, to show once.
    pub plaintext: String,
    /// The public id, the key to look the row up by.
    pub public_id: String,
    /// The string to store (`sha256:…` or `hmac-sha256:…`).
    pub hash: String,
    /// Issue time, Unix seconds.
    pub created_at: i64,
    /// Expiry, Unix seconds; `None` = no expiry (only without a maximum lifetime).
    pub expires_at: Option<i64>,
}

impl fmt::Debug for IssuedToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("IssuedToken")
            .field("public_id", &self.public_id)
            .field("created_at", &self.created_at)
            .field("expires_at", &self.expires_at)
            .finish_non_exhaustive()
    }
}

/// A successful verification.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verified {
    /// The token's public id.
    pub public_id: String,
    /// When the stored hash uses an older scheme than the current configuration
    /// would write (no pepper, or another pepper), the hash to store instead.
    pub rehash: Option<String>,
}

/// The result of a rotation: a successor, and the new expiry of the old token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rotation {
    /// The new token.
    pub successor: IssuedToken,
    /// The expiry to store on the old token's row: the end of the overlap, never
    /// later than the old token's own expiry.
    pub previous_expires_at: i64,
}

/// The parts of a well-formed token of our format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ParsedToken<'a> {
    /// The whole token, for hashing.
    pub whole: &'a str,
    /// The public id.
    pub public_id: &'a str,
}

/// Checks format, prefix and checksum — cheap, no hashing, no stored data — and
/// returns the public id to look the row up by.
pub fn parse<'a>(presented: &'a [u8], prefix: &Prefix) -> Result<ParsedToken<'a>, TokenError> {
    if presented.len() > MAX_TOKEN_LEN {
        return Err(TokenError::Malformed);
    }
    let whole = std::str::from_utf8(presented).map_err(|_| TokenError::Malformed)?;
    let rest = whole
        .strip_prefix(prefix.as_str())
        .and_then(|r| r.strip_prefix('_'))
        .ok_or(TokenError::Malformed)?;
    let (public_id, tail) = rest.split_once('_').ok_or(TokenError::Malformed)?;
    if public_id.len() != PUBLIC_ID_LEN
        || tail.len() != SECRET_LEN + CHECKSUM_LEN
        || !public_id.bytes().all(base62::is_base62)
        || !tail.bytes().all(base62::is_base62)
    {
        return Err(TokenError::Malformed);
    }
    // All ASCII from here on, so byte offsets are char boundaries.
    let split = whole.len() - CHECKSUM_LEN;
    let (body, checksum) = whole.split_at(split);
    if checksum_of(body) != checksum.as_bytes() {
        return Err(TokenError::BadChecksum);
    }
    Ok(ParsedToken { whole, public_id })
}

/// The checksum symbols of a token body, without allocating (on the
/// per-request path).
fn checksum_of(body: &str) -> [u8; CHECKSUM_LEN] {
    let mut value = crc32fast::hash(body.as_bytes());
    let mut out = [0u8; CHECKSUM_LEN];
    for slot in out.iter_mut().rev() {
        // `value % 62` is always < 62; 62^6 > 2^32, so the value always fits.
        *slot = base62::ALPHABET[(value % 62) as usize];
        value /= 62;
    }
    out
}

/// Issues a token valid for `lifetime_secs` from `now` (Unix seconds).
///
/// With a maximum lifetime configured, `None` means "the maximum" and a longer
/// request is refused; without one, `None` means no expiry.
pub fn issue(
    config: &TokenConfig,
    rng: &dyn SecureRandom,
    now: i64,
    lifetime_secs: Option<u64>,
) -> Result<IssuedToken, TokenError> {
    let lifetime = match (lifetime_secs, config.max_lifetime_secs) {
        (Some(0), _) => return Err(TokenError::InvalidLifetime),
        (Some(l), Some(max)) if l > max => return Err(TokenError::LifetimeExceedsMaximum),
        (Some(l), _) => Some(l),
        (None, max) => max,
    };
    let expires_at = match lifetime {
        Some(l) => Some(add_secs(now, l)?),
        None => None,
    };
    let public_id = base62::random(rng, PUBLIC_ID_LEN)?;
    let secret = base62::random(rng, SECRET_LEN)?;
    let mut plaintext = String::with_capacity(MAX_TOKEN_LEN);
    plaintext.push_str(config.prefix.as_str());
    plaintext.push('_');
    plaintext.push_str(&public_id);
    plaintext.push('_');
    plaintext.push_str(&secret);
    for b in checksum_of(&plaintext) {
        plaintext.push(char::from(b));
    }
    let hash = hash_for_storage(config.pepper.as_ref(), &plaintext);
    Ok(IssuedToken {
        plaintext,
        public_id,
        hash,
        created_at: now,
        expires_at,
    })
}

fn add_secs(now: i64, secs: u64) -> Result<i64, TokenError> {
    i64::try_from(secs)
        .ok()
        .and_then(|s| now.checked_add(s))
        .ok_or(TokenError::InvalidLifetime)
}

/// The storage string for a token under the given pepper (or none).
pub fn hash_for_storage(pepper: Option<&Pepper>, token: &str) -> String {
    match pepper {
        None => format!(
            "sha256:{}",
            hex(digest::digest(&digest::SHA256, token.as_bytes()).as_ref())
        ),
        Some(p) => format!(
            "hmac-sha256:{}:{}",
            p.id,
            hex(hmac::sign(&p.key, token.as_bytes()).as_ref())
        ),
    }
}

enum Stored<'a> {
    Sha256([u8; 32]),
    Hmac { key_id: &'a str, tag: [u8; 32] },
}

fn parse_stored(stored: &str) -> Result<Stored<'_>, TokenError> {
    if let Some(h) = stored.strip_prefix("sha256:") {
        return Ok(Stored::Sha256(unhex32(h)?));
    }
    if let Some(rest) = stored.strip_prefix("hmac-sha256:") {
        let (key_id, h) = rest.split_once(':').ok_or(TokenError::InvalidStoredHash)?;
        if key_id.len() != 8
            || !key_id
                .bytes()
                .all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
        {
            return Err(TokenError::InvalidStoredHash);
        }
        return Ok(Stored::Hmac {
            key_id,
            tag: unhex32(h)?,
        });
    }
    Err(TokenError::InvalidStoredHash)
}

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
) -> Result<Verified, TokenError> {
    let parsed = parse(presented, &config.prefix)?;
    let stored = stored.ok_or(TokenError::UnknownToken)?;
    let token = parsed.whole.as_bytes();
    let rehash = match parse_stored(stored.hash)? {
        Stored::Sha256(expected) => {
            let actual = digest::digest(&digest::SHA256, token);
            digests_match(actual.as_ref(), &expected)?;
            config
                .pepper
                .as_ref()
                .map(|p| hash_for_storage(Some(p), parsed.whole))
        }
        Stored::Hmac { key_id, tag } => {
            let pepper = config.pepper.as_ref().ok_or(TokenError::PepperMissing)?;
            if pepper.id != key_id {
                return Err(TokenError::PepperMismatch);
            }
            hmac::verify(&pepper.key, token, &tag).map_err(|_| TokenError::Mismatch)?;
            None
        }
    };
    if stored.revoked_at.is_some() {
        return Err(TokenError::Revoked);
    }
    if let Some(exp) = stored.expires_at {
        if now >= exp {
            return Err(TokenError::Expired);
        }
    }
    Ok(Verified {
        public_id: parsed.public_id.to_owned(),
        rehash,
    })
}

/// Issues a successor and shortens the old token's life to the overlap window
/// (never later than its own expiry).
pub fn rotate(
    config: &TokenConfig,
    rng: &dyn SecureRandom,
    now: i64,
    previous_expires_at: Option<i64>,
    overlap_secs: u64,
    lifetime_secs: Option<u64>,
) -> Result<Rotation, TokenError> {
    let overlap_end = add_secs(now, overlap_secs)?;
    let previous = match previous_expires_at {
        Some(exp) => exp.min(overlap_end),
        None => overlap_end,
    };
    let successor = issue(config, rng, now, lifetime_secs)?;
    Ok(Rotation {
        successor,
        previous_expires_at: previous,
    })
}

/// Rows of hosts that stored `hash('sha256', $token)` as 64 hex digits (e.g.
/// Statamic MCP): verifies the presented token against that digest in constant
/// time. Any token shape is accepted, up to 4 KiB.
pub fn verify_legacy_sha256(presented: &[u8], stored_hex: &str) -> Result<(), TokenError> {
    if presented.is_empty() || presented.len() > 4096 {
        return Err(TokenError::Malformed);
    }
    let expected = unhex32(stored_hex)?;
    let actual = digest::digest(&digest::SHA256, presented);
    digests_match(actual.as_ref(), &expected)
}

/// Length of the public id of a Shopsys-shaped token, in hex digits.
pub const SHOPSYS_PUBLIC_ID_LEN: usize = 32;
/// Length of the secret of a Shopsys-shaped token, in hex digits.
pub const SHOPSYS_SECRET_LEN: usize = 64;

/// The parts of a Shopsys-shaped token `<32 hex public id>.<64 hex secret>`.
pub fn parse_shopsys(presented: &[u8]) -> Result<(&str, &str), TokenError> {
    if presented.len() != SHOPSYS_PUBLIC_ID_LEN + 1 + SHOPSYS_SECRET_LEN {
        return Err(TokenError::Malformed);
    }
    let s = std::str::from_utf8(presented).map_err(|_| TokenError::Malformed)?;
    let (id, secret) = s.split_once('.').ok_or(TokenError::Malformed)?;
    let is_hex = |p: &str| p.bytes().all(|b| b.is_ascii_hexdigit());
    if id.len() != SHOPSYS_PUBLIC_ID_LEN || !is_hex(id) || !is_hex(secret) {
        return Err(TokenError::Malformed);
    }
    Ok((id, secret))
}

/// Rows shaped like Shopsys tokens: the host looks the row up by the public id
/// and stores the SHA-256 hex digest of the secret part. Returns the public id.
pub fn verify_shopsys<'a>(presented: &'a [u8], stored_hex: &str) -> Result<&'a str, TokenError> {
    let (id, secret) = parse_shopsys(presented)?;
    let expected = unhex32(stored_hex)?;
    let actual = digest::digest(&digest::SHA256, secret.as_bytes());
    digests_match(actual.as_ref(), &expected)?;
    Ok(id)
}

/// Constant-time equality of two digests (the time does not depend on where
/// they first differ).
fn digests_match(actual: &[u8], expected: &[u8; 32]) -> Result<(), TokenError> {
    if bool::from(actual.ct_eq(expected)) {
        Ok(())
    } else {
        Err(TokenError::Mismatch)
    }
}

fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut s = String::with_capacity(bytes.len() * 2);
    for &b in bytes {
        s.push(char::from(DIGITS[usize::from(b >> 4)]));
        s.push(char::from(DIGITS[usize::from(b & 0x0f)]));
    }
    s
}

/// 64 hex digits (either case) to 32 bytes.
fn unhex32(s: &str) -> Result<[u8; 32], TokenError> {
    let bytes = s.as_bytes();
    if bytes.len() != 64 {
        return Err(TokenError::InvalidStoredHash);
    }
    let mut out = [0u8; 32];
    for (o, pair) in out.iter_mut().zip(bytes.chunks_exact(2)) {
        let hi = hex_val(pair[0]).ok_or(TokenError::InvalidStoredHash)?;
        let lo = hex_val(pair[1]).ok_or(TokenError::InvalidStoredHash)?;
        *o = (hi << 4) | lo;
    }
    Ok(out)
}

fn hex_val(b: u8) -> Option<u8> {
    match b {
        b'0'..=b'9' => Some(b - b'0'),
        b'a'..=b'f' => Some(b - b'a' + 10),
        b'A'..=b'F' => Some(b - b'A' + 10),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::rng::testing::{CountingRng, FailingRng};

    const NOW: i64 = 1_800_000_000;

    fn check(
        cfg: &TokenConfig,
        presented: &[u8],
        hash: &str,
        expires_at: Option<i64>,
        now: i64,
    ) -> Result<Verified, TokenError> {
        let stored = StoredToken {
            hash,
            expires_at,
            revoked_at: None,
        };
        verify(cfg, presented, Some(stored), now)
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

    fn pepper() -> Pepper {
        Pepper::new(&[7u8; 32]).unwrap()
    }

    #[test]
    fn issued_token_has_the_documented_shape() {
        let t = issue(&TokenConfig::default(), &CountingRng::new(0), NOW, None).unwrap();
        assert_eq!(t.plaintext.len(), 3 + 1 + 16 + 1 + 43 + 6);
        assert!(t.plaintext.starts_with("mcp_"));
        // The counting stream gives symbols 0,1,2,... in order.
        assert_eq!(t.public_id, "0123456789ABCDEF");
        assert_eq!(&t.plaintext[4..20], t.public_id);
        assert_eq!(t.created_at, NOW);
        assert_eq!(t.expires_at, Some(NOW + 365 * 86400));
        assert!(t.hash.starts_with("sha256:"));
        assert_eq!(t.hash.len(), 7 + 64);
        assert!(!format!("{t:?}").contains(&t.plaintext));
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
    fn lifetime_rules() {
        let cfg = TokenConfig::default();
        let rng = CountingRng::new(0);
        assert_eq!(
            issue(&cfg, &rng, NOW, Some(0)),
            Err(TokenError::InvalidLifetime)
        );
        assert_eq!(
            issue(&cfg, &rng, NOW, Some(365 * 86400 + 1)),
            Err(TokenError::LifetimeExceedsMaximum)
        );
        assert!(issue(&cfg, &rng, NOW, Some(365 * 86400)).is_ok());
        assert_eq!(
            issue(&cfg, &rng, i64::MAX - 10, Some(3600)),
            Err(TokenError::InvalidLifetime)
        );
        let unbounded = TokenConfig {
            max_lifetime_secs: None,
            ..TokenConfig::default()
        };
        let t = issue(&unbounded, &rng, NOW, None).unwrap();
        assert_eq!(t.expires_at, None);
        assert_eq!(
            issue(&unbounded, &rng, NOW, Some(u64::MAX)),
            Err(TokenError::InvalidLifetime)
        );
    }

    #[test]
    fn prefix_rules() {
        for ok in ["mcp", "a", "shop2", "abcdefghijklmnop"] {
            assert!(Prefix::new(ok).is_ok(), "{ok}");
        }
        for bad in ["", "Mcp", "1mcp", "mc_p", "abcdefghijklmnopq", "mcp-x", "é"] {
            assert_eq!(Prefix::new(bad), Err(TokenError::InvalidPrefix), "{bad}");
        }
        let cfg = TokenConfig {
            prefix: Prefix::new("shop").unwrap(),
            ..TokenConfig::default()
        };
        let t = issue(&cfg, &CountingRng::new(0), NOW, None).unwrap();
        assert!(t.plaintext.starts_with("shop_"));
        // A token of another prefix is not ours.
        assert_eq!(
            parse(t.plaintext.as_bytes(), &Prefix::default()),
            Err(TokenError::Malformed)
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
    fn rotation_overlap_never_extends_the_old_token() {
        let cfg = TokenConfig::default();
        let rng = CountingRng::new(0);
        let r = rotate(
            &cfg,
            &rng,
            NOW,
            Some(NOW + 30 * 86400),
            DEFAULT_ROTATION_OVERLAP_SECS,
            None,
        )
        .unwrap();
        assert_eq!(r.previous_expires_at, NOW + 7 * 86400);
        let r = rotate(
            &cfg,
            &rng,
            NOW,
            Some(NOW + 3600),
            DEFAULT_ROTATION_OVERLAP_SECS,
            None,
        )
        .unwrap();
        assert_eq!(r.previous_expires_at, NOW + 3600);
        let r = rotate(&cfg, &rng, NOW, None, 0, Some(60)).unwrap();
        assert_eq!(r.previous_expires_at, NOW);
        assert_eq!(r.successor.expires_at, Some(NOW + 60));
    }

    #[test]
    fn randomness_failure_is_reported_not_hidden() {
        assert_eq!(
            issue(&TokenConfig::default(), &FailingRng, NOW, None),
            Err(TokenError::Randomness)
        );
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

    #[test]
    fn legacy_rows_verify() {
        // SHA-256("abc"), FIPS 180-2 appendix B.1.
        let abc = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
        assert_eq!(verify_legacy_sha256(b"abc", abc), Ok(()));
        assert_eq!(verify_legacy_sha256(b"abd", abc), Err(TokenError::Mismatch));
        assert_eq!(verify_legacy_sha256(b"", abc), Err(TokenError::Malformed));
        assert_eq!(
            verify_legacy_sha256(b"abc", "xyz"),
            Err(TokenError::InvalidStoredHash)
        );
        let id = "0123456789abcdef0123456789abcdef";
        let secret = "abc".repeat(21) + "d";
        let token = format!("{id}.{secret}");
        let stored = hex(digest::digest(&digest::SHA256, secret.as_bytes()).as_ref());
        assert_eq!(verify_shopsys(token.as_bytes(), &stored), Ok(id));
        let wrong = format!("{id}.{}", "e".repeat(64));
        assert_eq!(
            verify_shopsys(wrong.as_bytes(), &stored),
            Err(TokenError::Mismatch)
        );
        for bad in [
            format!("{id}:{secret}"),
            format!("{id}.{secret}0"),
            format!("{}.{secret}", "g".repeat(32)),
        ] {
            assert_eq!(
                verify_shopsys(bad.as_bytes(), &stored),
                Err(TokenError::Malformed)
            );
        }
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
