//! The stored-hash schemes: what the host stores instead of the token, and the
//! server pepper that keys it.
//!
//! * `sha256:<64 hex>` — SHA-256 of the token (no pepper configured);
//! * `hmac-sha256:<8 hex key id>:<64 hex>` — HMAC-SHA-256 keyed with the server
//!   pepper; the key id tells which pepper made it.

use std::fmt;

use ring::{digest, hmac};
use subtle::ConstantTimeEq;

use super::TokenError;

/// Shortest pepper accepted: 32 bytes, the HMAC-SHA-256 block-size guidance of
/// RFC 2104 §3 (a key shorter than the hash output weakens it).
pub const MIN_PEPPER_LEN: usize = 32;

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

/// A parsed stored hash.
pub(super) enum Stored<'a> {
    /// `sha256:…`
    Sha256([u8; 32]),
    /// `hmac-sha256:<key id>:…`
    Hmac { key_id: &'a str, tag: [u8; 32] },
}

/// Reads a stored hash string; anything but the two schemes this module writes
/// is [`TokenError::InvalidStoredHash`].
pub(super) fn parse_stored(stored: &str) -> Result<Stored<'_>, TokenError> {
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

/// Checks `token` against a parsed stored hash under the configured pepper, in
/// constant time. Returns the hash to store instead when the stored one is
/// unpeppered and a pepper is configured.
pub(super) fn check(
    pepper: Option<&Pepper>,
    stored: Stored<'_>,
    token: &str,
) -> Result<Option<String>, TokenError> {
    match stored {
        Stored::Sha256(expected) => {
            let actual = digest::digest(&digest::SHA256, token.as_bytes());
            digests_match(actual.as_ref(), &expected)?;
            Ok(pepper.map(|p| hash_for_storage(Some(p), token)))
        }
        Stored::Hmac { key_id, tag } => {
            let pepper = pepper.ok_or(TokenError::PepperMissing)?;
            if pepper.id != key_id {
                return Err(TokenError::PepperMismatch);
            }
            hmac::verify(&pepper.key, token.as_bytes(), &tag).map_err(|_| TokenError::Mismatch)?;
            Ok(None)
        }
    }
}

/// SHA-256 of `bytes` compared in constant time with a stored hex digest.
pub(super) fn sha256_matches_hex(bytes: &[u8], stored_hex: &str) -> Result<(), TokenError> {
    let expected = unhex32(stored_hex)?;
    let actual = digest::digest(&digest::SHA256, bytes);
    digests_match(actual.as_ref(), &expected)
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

/// Lower-case hex.
pub(super) fn hex(bytes: &[u8]) -> String {
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

    #[test]
    fn a_short_pepper_is_refused_and_debug_hides_it() {
        assert_eq!(Pepper::new(&[1u8; 31]).unwrap_err(), TokenError::WeakPepper);
        let p = Pepper::new(&[7u8; 32]).unwrap();
        assert_eq!(p.id().len(), 8);
        assert!(!format!("{p:?}").contains("7, 7"));
    }
}
