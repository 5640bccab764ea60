//! Base62 (`0-9A-Za-z`): the token alphabet. It survives double-click
//! selection, URLs, shells and secret scanners without escaping.

use super::rng::{RngFailure, SecureRandom};

/// The 62 symbols, in value order.
pub const ALPHABET: &[u8; 62] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

/// True for a byte of the base62 alphabet.
pub fn is_base62(b: u8) -> bool {
    b.is_ascii_alphanumeric()
}

/// `len` symbols drawn uniformly from the alphabet. Bytes are drawn from `rng`
/// and rejected when `>= 248` (the largest multiple of 62 that fits in a byte),
/// so every symbol has probability exactly 1/62: `len` symbols carry
/// `len * log2(62)` ≈ `len * 5.954` bits.
pub fn random(rng: &dyn SecureRandom, len: usize) -> Result<String, RngFailure> {
    const LIMIT: u8 = 248; // 62 * 4
    let mut out = String::with_capacity(len);
    // Draw a little more than needed so one rejection rarely costs another call.
    let mut buf = vec![0u8; len + len / 8 + 4];
    while out.len() < len {
        rng.fill(&mut buf)?;
        for &b in &buf {
            if out.len() == len {
                break;
            }
            if b < LIMIT {
                out.push(char::from(ALPHABET[usize::from(b % 62)]));
            }
        }
    }
    Ok(out)
}

/// `value` in exactly `width` symbols, most significant first, zero-padded.
/// Returns `None` if the value does not fit.
pub fn encode_fixed(mut value: u64, width: usize) -> Option<String> {
    let mut out = vec![ALPHABET[0]; width];
    for slot in out.iter_mut().rev() {
        // `value % 62` is always < 62, so the index is in range.
        *slot = ALPHABET[(value % 62) as usize];
        value /= 62;
    }
    if value != 0 {
        return None;
    }
    String::from_utf8(out).ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::rng::testing::{CountingRng, FailingRng};

    #[test]
    fn fixed_width_encoding() {
        assert_eq!(encode_fixed(0, 6).as_deref(), Some("000000"));
        assert_eq!(encode_fixed(61, 2).as_deref(), Some("0z"));
        assert_eq!(encode_fixed(62, 2).as_deref(), Some("10"));
        assert_eq!(
            encode_fixed(u64::from(u32::MAX), 6).as_deref(),
            Some("4gfFC3")
        );
        assert_eq!(encode_fixed(62 * 62, 2), None);
    }

    #[test]
    fn random_rejects_bytes_that_would_bias() {
        // The counting stream 240..=255 then 0..: 240..=247 are kept (240 % 62 = 54
        // -> 's'), 248..=255 are rejected, then 0.. continue.
        let rng = CountingRng::new(240);
        let s = random(&rng, 10).unwrap();
        assert_eq!(s, "stuvwxyz01");
    }

    #[test]
    fn random_reports_rng_failure() {
        assert_eq!(random(&FailingRng, 4), Err(RngFailure));
    }
}
