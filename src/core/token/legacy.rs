//! Rows of hosts that stored tokens before mcp_guard, in their own formats, so
//! existing tokens keep working: a plain SHA-256 of the whole token (Statamic
//! MCP), and Shopsys-shaped `<public id>.<secret>` tokens.

use ring::digest;

use super::hash::{hex, sha256_matches_hex};
use super::verify::{check_lifetime, StoredToken};
use super::TokenError;

/// Longest token of a legacy row accepted, in bytes.
pub const MAX_LEGACY_TOKEN_LEN: usize = 4096;
/// Length of the public id of a Shopsys-shaped token, in hex digits.
pub const SHOPSYS_PUBLIC_ID_LEN: usize = 32;
/// Length of the secret of a Shopsys-shaped token, in hex digits.
pub const SHOPSYS_SECRET_LEN: usize = 64;

/// Whether a presented token has a length a legacy row can be asked for:
/// not empty, at most [`MAX_LEGACY_TOKEN_LEN`] bytes.
fn within_length(presented: &[u8]) -> bool {
    !presented.is_empty() && presented.len() <= MAX_LEGACY_TOKEN_LEN
}

/// Rows of hosts that stored `hash('sha256', $token)` as 64 hex digits (e.g.
/// Statamic MCP): verifies the presented token against that digest in constant
/// time. Any token shape is accepted, up to 4 KiB.
pub fn verify_legacy_sha256(presented: &[u8], stored_hex: &str) -> Result<(), TokenError> {
    if !within_length(presented) {
        return Err(TokenError::Malformed);
    }
    sha256_matches_hex(presented, stored_hex)
}

/// Hex digits of the stored digest a legacy row's rate key and audit id carry
/// (64 bits: unique among a shop's tokens, and a prefix of an unsalted hash of
/// a high-entropy token reveals nothing usable).
pub const LEGACY_ID_HEX_LEN: usize = 16;

/// The lower-case hex SHA-256 of a token a host looks its legacy row up by
/// (`hash('sha256', $token)`, as Statamic MCP stored it); `None` for an empty
/// token or one longer than [`MAX_LEGACY_TOKEN_LEN`] (no row can be asked for).
pub fn legacy_sha256_hex(presented: &[u8]) -> Option<String> {
    if !within_length(presented) {
        return None;
    }
    Some(hex(digest::digest(&digest::SHA256, presented).as_ref()))
}

/// A presented token against the legacy row the host found by
/// [`legacy_sha256_hex`] (`None`: no row), in the order of our own tokens:
/// the token's length, the row, the stored digest in constant time, then
/// revocation and expiry by the same rule as ours. `stored.hash` is the bare
/// 64-hex digest. Returns the id the row's rates and audit events are keyed
/// by: `sha256-` and the first [`LEGACY_ID_HEX_LEN`] hex digits of the
/// verified digest, lower case — derived from the row itself, so the same
/// token always gets the same key whatever the host's row ids look like, and
/// no host-supplied text ends up in a rate key.
pub fn verify_legacy_row(
    presented: &[u8],
    stored: Option<StoredToken<'_>>,
    now: i64,
) -> Result<String, TokenError> {
    if !within_length(presented) {
        return Err(TokenError::Malformed);
    }
    let stored = stored.ok_or(TokenError::UnknownToken)?;
    verify_legacy_sha256(presented, stored.hash)?;
    check_lifetime(&stored, now)?;
    // The digest verified: 64 ASCII hex digits, so the slice cannot fail.
    let head = stored
        .hash
        .get(..LEGACY_ID_HEX_LEN)
        .ok_or(TokenError::InvalidStoredHash)?;
    Ok(format!("sha256-{}", head.to_ascii_lowercase()))
}

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
    sha256_matches_hex(secret.as_bytes(), stored_hex)?;
    Ok(id)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::token::hash::hex;
    use ring::digest;

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
}
