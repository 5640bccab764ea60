//! Rows of hosts that stored tokens before mcp_guard, in their own formats, so
//! existing tokens keep working: a plain SHA-256 of the whole token (Statamic
//! MCP), and Shopsys-shaped `<public id>.<secret>` tokens.

use super::hash::sha256_matches_hex;
use super::TokenError;

/// Longest token of a legacy row accepted, in bytes.
pub const MAX_LEGACY_TOKEN_LEN: usize = 4096;
/// Length of the public id of a Shopsys-shaped token, in hex digits.
pub const SHOPSYS_PUBLIC_ID_LEN: usize = 32;
/// Length of the secret of a Shopsys-shaped token, in hex digits.
pub const SHOPSYS_SECRET_LEN: usize = 64;

/// Rows of hosts that stored `hash('sha256', $token)` as 64 hex digits (e.g.
/// Statamic MCP): verifies the presented token against that digest in constant
/// time. Any token shape is accepted, up to 4 KiB.
pub fn verify_legacy_sha256(presented: &[u8], stored_hex: &str) -> Result<(), TokenError> {
    if presented.is_empty() || presented.len() > MAX_LEGACY_TOKEN_LEN {
        return Err(TokenError::Malformed);
    }
    sha256_matches_hex(presented, stored_hex)
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
