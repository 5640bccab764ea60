//! PKCE (RFC 7636) with `S256` only.
//!
//! At the authorization endpoint the client sends `code_challenge` and
//! `code_challenge_method`; [`Challenge::parse`] accepts exactly
//! `S256` and a challenge of 43 base64url characters (a SHA-256 in base64url
//! without padding). `plain`, another method or a missing method is refused
//! (RFC 9700 §2.1.1: `plain` offers no protection against a code stolen
//! with the request). At the token endpoint [`Challenge::verify`] checks the
//! `code_verifier` grammar (43–128 of `[A-Za-z0-9-._~]`, §4.1) and compares
//! `BASE64URL(SHA256(verifier))` with the challenge in constant time.
//!
//! A code issued with a challenge and redeemed without a verifier (or the
//! reverse, a downgrade) is the glue's to notice only in that it passes
//! what it has: every code carries a challenge (there is no code without
//! one), and a missing verifier is [`OAuthError::InvalidCodeVerifier`].

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use ring::digest::{digest, SHA256};
use subtle::ConstantTimeEq;

use super::OAuthError;

/// Length of an `S256` challenge: 32 bytes in base64url without padding.
pub const CHALLENGE_LEN: usize = 43;
/// Shortest verifier (RFC 7636 §4.1).
pub const MIN_VERIFIER_LEN: usize = 43;
/// Longest verifier (RFC 7636 §4.1).
pub const MAX_VERIFIER_LEN: usize = 128;

/// The only method accepted.
pub const S256: &str = "S256";

/// A validated `S256` code challenge, as the client sent it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Challenge(String);

fn is_unreserved(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~')
}

fn is_base64url(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_')
}

impl Challenge {
    /// Validates the authorization request's `code_challenge` and
    /// `code_challenge_method` (both required; the method must be `S256`).
    pub fn parse(challenge: Option<&[u8]>, method: Option<&[u8]>) -> Result<Self, OAuthError> {
        if method != Some(S256.as_bytes()) {
            return Err(OAuthError::UnsupportedChallengeMethod);
        }
        let c = challenge.ok_or(OAuthError::InvalidCodeChallenge)?;
        // 43 base64url characters: the last one carries 4 bits only, so a
        // canonical encoding ends in one of 16 characters.
        let canonical = URL_SAFE_NO_PAD.decode(c).is_ok_and(|raw| raw.len() == 32);
        if c.len() != CHALLENGE_LEN || !c.iter().all(|&b| is_base64url(b)) || !canonical {
            return Err(OAuthError::InvalidCodeChallenge);
        }
        // Only base64url bytes: valid UTF-8.
        Ok(Self(String::from_utf8_lossy(c).into_owned()))
    }

    /// The challenge as the client sent it (to store with the code).
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The `S256` challenge of a verifier (what a client computes).
    pub fn of_verifier(verifier: &[u8]) -> Result<Self, OAuthError> {
        check_verifier(verifier)?;
        Ok(Self(URL_SAFE_NO_PAD.encode(digest(&SHA256, verifier))))
    }

    /// Whether `verifier` proves this challenge: the grammar first, then
    /// the hash compared in constant time.
    pub fn verify(&self, verifier: Option<&[u8]>) -> Result<(), OAuthError> {
        let v = verifier.ok_or(OAuthError::InvalidCodeVerifier)?;
        check_verifier(v)?;
        let expected = URL_SAFE_NO_PAD.encode(digest(&SHA256, v));
        if bool::from(expected.as_bytes().ct_eq(self.0.as_bytes())) {
            Ok(())
        } else {
            Err(OAuthError::PkceMismatch)
        }
    }
}

fn check_verifier(v: &[u8]) -> Result<(), OAuthError> {
    let ok = (MIN_VERIFIER_LEN..=MAX_VERIFIER_LEN).contains(&v.len())
        && v.iter().all(|&b| is_unreserved(b));
    if ok {
        Ok(())
    } else {
        Err(OAuthError::InvalidCodeVerifier)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // RFC 7636 Appendix B.
    const VERIFIER: &[u8] = b"dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
    const CHALLENGE: &[u8] = b"E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";

    fn s256(c: &[u8]) -> Result<Challenge, OAuthError> {
        Challenge::parse(Some(c), Some(b"S256"))
    }

    #[test]
    fn rfc7636_appendix_b() {
        let c = s256(CHALLENGE).unwrap();
        assert_eq!(c.verify(Some(VERIFIER)), Ok(()));
        assert_eq!(Challenge::of_verifier(VERIFIER).unwrap(), c);
        let mut wrong = VERIFIER.to_vec();
        wrong[0] ^= 1;
        assert_eq!(c.verify(Some(&wrong)), Err(OAuthError::PkceMismatch));
    }

    /// The known answers of tests/vectors/pkce.txt, each also tampered: one
    /// flipped bit of the verifier must not verify.
    #[test]
    fn known_answers_file() {
        let text = include_str!("../../../tests/vectors/pkce.txt");
        let mut verifier = None;
        let mut count = 0;
        for line in text
            .lines()
            .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        {
            let (k, v) = line.split_once(" = ").unwrap();
            match k {
                "Verifier" => verifier = Some(v.to_owned()),
                "Challenge" => {
                    let ver = verifier.take().unwrap();
                    let c = s256(v.as_bytes()).unwrap();
                    assert_eq!(Challenge::of_verifier(ver.as_bytes()).unwrap(), c);
                    assert_eq!(c.verify(Some(ver.as_bytes())), Ok(()));
                    for i in 0..ver.len() {
                        let mut t = ver.clone().into_bytes();
                        t[i] ^= 0x01;
                        assert!(c.verify(Some(&t)).is_err(), "tampered at {i}");
                    }
                    count += 1;
                }
                _ => panic!("unknown key {k}"),
            }
        }
        assert_eq!(count, 3);
    }

    #[test]
    fn only_s256_with_a_well_formed_challenge() {
        for method in [
            None,
            Some(&b"plain"[..]),
            Some(b"s256"),
            Some(b"S256 "),
            Some(b""),
        ] {
            assert_eq!(
                Challenge::parse(Some(CHALLENGE), method),
                Err(OAuthError::UnsupportedChallengeMethod)
            );
        }
        assert_eq!(
            Challenge::parse(None, Some(b"S256")),
            Err(OAuthError::InvalidCodeChallenge)
        );
        let bad: [&[u8]; 5] = [
            b"",
            &CHALLENGE[..42],
            b"E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM=",
            b"E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw+cM",
            // Non-canonical: the last character's low bits are not zero.
            b"E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cN",
        ];
        for c in bad {
            assert_eq!(s256(c), Err(OAuthError::InvalidCodeChallenge), "{c:?}");
        }
    }

    #[test]
    fn verifier_grammar() {
        let c = s256(CHALLENGE).unwrap();
        assert_eq!(c.verify(None), Err(OAuthError::InvalidCodeVerifier));
        for v in [
            &[b'a'; 42][..],
            &[b'a'; 129][..],
            b"dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjX+",
            b"dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjX\xff",
        ] {
            assert_eq!(c.verify(Some(v)), Err(OAuthError::InvalidCodeVerifier));
        }
        // 43 and 128 characters of every allowed kind are well formed.
        let long: Vec<u8> = b"azAZ09-._~".iter().copied().cycle().take(128).collect();
        let c = Challenge::of_verifier(&long).unwrap();
        assert_eq!(c.verify(Some(&long)), Ok(()));
        assert!(Challenge::of_verifier(&long[..43]).is_ok());
    }
}
