//! JWT verification through the real verifier with fixed key sets (an HS256
//! secret; the RFC 7515 A.3 ES256 public key). A set never mixes a secret
//! with a public key, so they are two verifiers; raw tokens go to both.
//!
//! The first input byte picks a mode: the rest is a raw compact token, or it is
//! split at the first 0xff into header and payload JSON that are base64url-
//! encoded and correctly HMAC-signed — so hostile JSON gets past the signature
//! and reaches the header and claim checks.
#![no_main]

use std::sync::{Arc, OnceLock};

use libfuzzer_sys::fuzz_target;
use mcp_guard::core::jwt::alg::{self, Alg, PrivateMaterial};
use mcp_guard::core::jwt::keys::KeySet;
use mcp_guard::core::jwt::verify::{Verifier, VerifierConfig};
use mcp_guard::core::jwt::b64_encode;

const SECRET: &[u8] = b"0123456789abcdef0123456789abcdef";
const NOW: i64 = 1_800_000_000;
const HMAC_JWKS: &str =
    r#"{"keys":[{"kty":"oct","k":"MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY","alg":"HS256","kid":"h"}]}"#;
// RFC 7515 Appendix A.3 public key.
const EC_JWKS: &str = r#"{"keys":[{"kty":"EC","crv":"P-256","x":"f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU","y":"x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0","alg":"ES256","kid":"e"}]}"#;

fn build(jwks: &str, secrets: bool) -> Verifier {
    let set = KeySet::from_jwks(jwks.as_bytes(), None, secrets).expect("fixed key set");
    let config = VerifierConfig::new("https://as.shop", vec!["https://mcp.shop/mcp".into()]);
    Verifier::new(Arc::new(set), config).expect("fixed config")
}

fn verifier() -> &'static Verifier {
    static V: OnceLock<Verifier> = OnceLock::new();
    V.get_or_init(|| build(HMAC_JWKS, true))
}

fn ec_verifier() -> &'static Verifier {
    static V: OnceLock<Verifier> = OnceLock::new();
    V.get_or_init(|| build(EC_JWKS, false))
}

fuzz_target!(|data: &[u8]| {
    let Some((&mode, rest)) = data.split_first() else {
        return;
    };
    let v = verifier();
    if mode & 1 == 0 {
        let _ = v.verify(rest, NOW);
        let _ = ec_verifier().verify(rest, NOW);
        return;
    }
    let (header, payload) = match rest.iter().position(|&b| b == 0xff) {
        Some(i) => (&rest[..i], &rest[i + 1..]),
        None => (&br#"{"alg":"HS256","typ":"at+jwt","kid":"h"}"#[..], rest),
    };
    let input = format!("{}.{}", b64_encode(header), b64_encode(payload));
    let key = PrivateMaterial::Hmac(alg::hmac_key(Alg::HS256, SECRET));
    let rng = ring::rand::SystemRandom::new();
    let Ok(sig) = alg::sign(Alg::HS256, &key, input.as_bytes(), &rng) else {
        return;
    };
    let token = format!("{input}.{}", b64_encode(&sig));
    if let Ok(ok) = v.verify(token.as_bytes(), NOW) {
        // Whatever got through holds the claims the verifier requires.
        for claim in ["iss", "aud", "exp"] {
            assert!(ok.claims.get(claim).is_some(), "{claim}");
        }
    }
});
