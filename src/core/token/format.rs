//! The token format `<prefix>_<publicId>_<secret><checksum>`: the prefix, the
//! lengths, the checksum, and the cheap parse that runs before any hashing or
//! database lookup.

use super::TokenError;
use crate::core::base62;

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
    // Every piece has a fixed length once the prefix is known: the layout is
    // checked by position, each byte once, before anything is hashed.
    let p = prefix.as_str().as_bytes();
    let id_at = p.len() + 1;
    let tail_at = id_at + PUBLIC_ID_LEN + 1;
    if presented.len() != tail_at + SECRET_LEN + CHECKSUM_LEN
        || !presented.starts_with(p)
        || presented.get(p.len()) != Some(&b'_')
        || presented.get(tail_at - 1) != Some(&b'_')
    {
        return Err(TokenError::Malformed);
    }
    let (id, tail) = match (presented.get(id_at..tail_at - 1), presented.get(tail_at..)) {
        (Some(id), Some(tail)) => (id, tail),
        _ => return Err(TokenError::Malformed),
    };
    if !id.iter().all(|&b| base62::is_base62(b)) || !tail.iter().all(|&b| base62::is_base62(b)) {
        return Err(TokenError::Malformed);
    }
    // All ASCII now (the prefix is `[a-z0-9]`), so this cannot fail and byte
    // offsets are char boundaries.
    let whole = std::str::from_utf8(presented).map_err(|_| TokenError::Malformed)?;
    let public_id = whole.get(id_at..tail_at - 1).ok_or(TokenError::Malformed)?;
    let split = whole.len() - CHECKSUM_LEN;
    let (body, checksum) = whole.split_at(split);
    if checksum_of(body) != checksum.as_bytes() {
        return Err(TokenError::BadChecksum);
    }
    Ok(ParsedToken { whole, public_id })
}

pub(super) fn compose(prefix: &Prefix, public_id: &str, secret: &str) -> String {
    let mut plaintext = String::with_capacity(MAX_TOKEN_LEN);
    plaintext.push_str(prefix.as_str());
    plaintext.push('_');
    plaintext.push_str(public_id);
    plaintext.push('_');
    plaintext.push_str(secret);
    for b in checksum_of(&plaintext) {
        plaintext.push(char::from(b));
    }
    plaintext
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefix_rules() {
        for ok in ["mcp", "a", "shop2", "abcdefghijklmnop"] {
            assert!(Prefix::new(ok).is_ok(), "{ok}");
        }
        for bad in ["", "Mcp", "1mcp", "mc_p", "abcdefghijklmnopq", "mcp-x", "é"] {
            assert_eq!(Prefix::new(bad), Err(TokenError::InvalidPrefix), "{bad}");
        }
    }

    #[test]
    fn a_composed_token_parses_back_to_its_public_id() {
        let prefix = Prefix::new("shop").unwrap();
        let secret = "s".repeat(SECRET_LEN);
        let t = compose(&prefix, "0123456789ABCDEF", &secret);
        assert_eq!(
            t.len(),
            4 + 1 + PUBLIC_ID_LEN + 1 + SECRET_LEN + CHECKSUM_LEN
        );
        let parsed = parse(t.as_bytes(), &prefix).unwrap();
        assert_eq!(parsed.public_id, "0123456789ABCDEF");
        assert_eq!(parsed.whole, t);
        // A token of another prefix is not ours.
        assert_eq!(
            parse(t.as_bytes(), &Prefix::default()),
            Err(TokenError::Malformed)
        );
    }
}
