//! jsonwebtoken as an independent oracle: a `CryptoProvider` that calls ring
//! directly (no code of `mcp_guard::core::jwt`, no key policy of ours), and
//! a `Validation` set up as strictly as jsonwebtoken allows.
//!
//! Shared by `tests/jwt_differential.rs` and `fuzz/fuzz_targets/jwt_differential.rs`
//! (included with `#[path]`). jsonwebtoken is a dev-dependency only: it is
//! not compiled into the extension.
//!
//! Why ring and not jsonwebtoken's own `rust_crypto` backend: that backend
//! pulls the `rsa` crate, which carries RUSTSEC-2023-0071 (no fixed release),
//! and `aws_lc_rs` needs a C toolchain and cmake. What the differential
//! compares is the JOSE layer (parsing, algorithm and key selection, claim
//! rules), which is jsonwebtoken's; the primitives are checked against
//! Wycheproof in `tests/jwt_wycheproof.rs`.
#![allow(dead_code)]

use jsonwebtoken::crypto::{CryptoProvider, JwtSigner, JwtVerifier, KeyUtils};
use jsonwebtoken::errors::{new_error, ErrorKind, Result};
use jsonwebtoken::signature::{Error as SigError, Signer, Verifier};
use jsonwebtoken::{decode, Validation};
use jsonwebtoken::{Algorithm, AlgorithmFamily, DecodingKey, DecodingKeyKind, EncodingKey};
use ring::hmac;
use ring::rand::SystemRandom;
use ring::signature::{self as rs, KeyPair as _};

/// The provider.
pub static PROVIDER: CryptoProvider = CryptoProvider {
    signer_factory: new_signer,
    verifier_factory: new_verifier,
    key_utils: KeyUtils::new_unimplemented(),
};

/// Installs [`PROVIDER`] as jsonwebtoken's process default (idempotent).
pub fn install() {
    let _ = PROVIDER.install_default();
}

fn hmac_alg(a: Algorithm) -> Option<hmac::Algorithm> {
    Some(match a {
        Algorithm::HS256 => hmac::HMAC_SHA256,
        Algorithm::HS384 => hmac::HMAC_SHA384,
        Algorithm::HS512 => hmac::HMAC_SHA512,
        _ => return None,
    })
}

fn rsa_params(a: Algorithm) -> Option<&'static rs::RsaParameters> {
    Some(match a {
        Algorithm::RS256 => &rs::RSA_PKCS1_2048_8192_SHA256,
        Algorithm::RS384 => &rs::RSA_PKCS1_2048_8192_SHA384,
        Algorithm::RS512 => &rs::RSA_PKCS1_2048_8192_SHA512,
        Algorithm::PS256 => &rs::RSA_PSS_2048_8192_SHA256,
        Algorithm::PS384 => &rs::RSA_PSS_2048_8192_SHA384,
        Algorithm::PS512 => &rs::RSA_PSS_2048_8192_SHA512,
        _ => return None,
    })
}

fn rsa_encoding(a: Algorithm) -> Option<&'static dyn rs::RsaEncoding> {
    Some(match a {
        Algorithm::RS256 => &rs::RSA_PKCS1_SHA256,
        Algorithm::RS384 => &rs::RSA_PKCS1_SHA384,
        Algorithm::RS512 => &rs::RSA_PKCS1_SHA512,
        Algorithm::PS256 => &rs::RSA_PSS_SHA256,
        Algorithm::PS384 => &rs::RSA_PSS_SHA384,
        Algorithm::PS512 => &rs::RSA_PSS_SHA512,
        _ => return None,
    })
}

fn ecdsa(
    a: Algorithm,
) -> Option<(
    &'static rs::EcdsaVerificationAlgorithm,
    &'static rs::EcdsaSigningAlgorithm,
)> {
    Some(match a {
        Algorithm::ES256 => (
            &rs::ECDSA_P256_SHA256_FIXED,
            &rs::ECDSA_P256_SHA256_FIXED_SIGNING,
        ),
        Algorithm::ES384 => (
            &rs::ECDSA_P384_SHA384_FIXED,
            &rs::ECDSA_P384_SHA384_FIXED_SIGNING,
        ),
        _ => return None,
    })
}

enum VerifyKey {
    Hmac(hmac::Key),
    RsaComponents(Vec<u8>, Vec<u8>, &'static rs::RsaParameters),
    Unparsed(&'static dyn rs::VerificationAlgorithm, Vec<u8>),
}

struct RingVerifier {
    alg: Algorithm,
    key: VerifyKey,
}

impl Verifier<Vec<u8>> for RingVerifier {
    fn verify(&self, msg: &[u8], sig: &Vec<u8>) -> std::result::Result<(), SigError> {
        let ok = match &self.key {
            VerifyKey::Hmac(k) => hmac::verify(k, msg, sig).is_ok(),
            VerifyKey::RsaComponents(n, e, p) => rs::RsaPublicKeyComponents { n, e }
                .verify(p, msg, sig)
                .is_ok(),
            VerifyKey::Unparsed(a, der) => {
                rs::UnparsedPublicKey::new(*a, der).verify(msg, sig).is_ok()
            }
        };
        if ok {
            Ok(())
        } else {
            Err(SigError::new())
        }
    }
}

impl JwtVerifier for RingVerifier {
    fn algorithm(&self) -> Algorithm {
        self.alg
    }
}

fn new_verifier(alg: &Algorithm, key: &DecodingKey) -> Result<Box<dyn JwtVerifier>> {
    let bad = || new_error(ErrorKind::InvalidKeyFormat);
    if key.family() != alg.family() {
        return Err(bad());
    }
    let key = match (key.family(), key.kind()) {
        (AlgorithmFamily::Hmac, DecodingKeyKind::SecretOrDer(s)) => {
            VerifyKey::Hmac(hmac::Key::new(hmac_alg(*alg).ok_or_else(bad)?, s))
        }
        (AlgorithmFamily::Rsa, DecodingKeyKind::RsaModulusExponent { n, e }) => {
            VerifyKey::RsaComponents(n.clone(), e.clone(), rsa_params(*alg).ok_or_else(bad)?)
        }
        (AlgorithmFamily::Rsa, DecodingKeyKind::SecretOrDer(der)) => {
            VerifyKey::Unparsed(rsa_params(*alg).ok_or_else(bad)?, der.clone())
        }
        (AlgorithmFamily::Ec, DecodingKeyKind::SecretOrDer(point)) => {
            VerifyKey::Unparsed(ecdsa(*alg).ok_or_else(bad)?.0, point.clone())
        }
        (AlgorithmFamily::Ed, DecodingKeyKind::SecretOrDer(x)) => {
            VerifyKey::Unparsed(&rs::ED25519, x.clone())
        }
        _ => return Err(bad()),
    };
    Ok(Box::new(RingVerifier { alg: *alg, key }))
}

enum SignKey {
    Hmac(hmac::Key),
    Rsa(rs::RsaKeyPair, &'static dyn rs::RsaEncoding),
    Ec(rs::EcdsaKeyPair),
    Ed(rs::Ed25519KeyPair),
}

struct RingSigner {
    alg: Algorithm,
    key: SignKey,
}

impl Signer<Vec<u8>> for RingSigner {
    fn try_sign(&self, msg: &[u8]) -> std::result::Result<Vec<u8>, SigError> {
        let rng = SystemRandom::new();
        match &self.key {
            SignKey::Hmac(k) => Ok(hmac::sign(k, msg).as_ref().to_vec()),
            SignKey::Rsa(kp, enc) => {
                let mut out = vec![0; kp.public().modulus_len()];
                kp.sign(*enc, &rng, msg, &mut out)
                    .map_err(|_| SigError::new())?;
                Ok(out)
            }
            SignKey::Ec(kp) => kp
                .sign(&rng, msg)
                .map(|s| s.as_ref().to_vec())
                .map_err(|_| SigError::new()),
            SignKey::Ed(kp) => Ok(kp.sign(msg).as_ref().to_vec()),
        }
    }
}

impl JwtSigner for RingSigner {
    fn algorithm(&self) -> Algorithm {
        self.alg
    }
}

fn new_signer(alg: &Algorithm, key: &EncodingKey) -> Result<Box<dyn JwtSigner>> {
    let bad = || new_error(ErrorKind::InvalidKeyFormat);
    if key.family() != alg.family() {
        return Err(bad());
    }
    let bytes = key.as_bytes();
    let key = match key.family() {
        AlgorithmFamily::Hmac => {
            SignKey::Hmac(hmac::Key::new(hmac_alg(*alg).ok_or_else(bad)?, bytes))
        }
        AlgorithmFamily::Rsa => SignKey::Rsa(
            rs::RsaKeyPair::from_der(bytes)
                .or_else(|_| rs::RsaKeyPair::from_pkcs8(bytes))
                .map_err(|_| bad())?,
            rsa_encoding(*alg).ok_or_else(bad)?,
        ),
        AlgorithmFamily::Ec => SignKey::Ec(
            rs::EcdsaKeyPair::from_pkcs8(
                ecdsa(*alg).ok_or_else(bad)?.1,
                bytes,
                &SystemRandom::new(),
            )
            .map_err(|_| bad())?,
        ),
        AlgorithmFamily::Ed => {
            SignKey::Ed(rs::Ed25519KeyPair::from_pkcs8_maybe_unchecked(bytes).map_err(|_| bad())?)
        }
    };
    Ok(Box::new(RingSigner { alg: *alg, key }))
}

/// jsonwebtoken's names for ours.
pub fn algorithm(name: &str) -> Option<Algorithm> {
    name.parse().ok()
}

/// A `Validation` as strict as jsonwebtoken allows for our verifier's
/// settings: exactly the key's algorithm, `exp`/`nbf` checked with the same
/// leeway, `iss` and `aud` exact and required; for the access-token profile
/// `sub` is required too (jsonwebtoken cannot require `client_id`, `iat` or
/// `jti`, nor check `typ`).
pub fn validation(
    alg: Algorithm,
    iss: &str,
    aud: &[&str],
    leeway: u64,
    access_token: bool,
) -> Validation {
    let mut v = Validation::new(alg);
    v.algorithms = vec![alg];
    v.leeway = leeway;
    v.reject_tokens_expiring_in_less_than = 0;
    v.validate_exp = true;
    v.validate_nbf = true;
    v.validate_aud = true;
    v.set_issuer(&[iss]);
    v.set_audience(aud);
    if access_token {
        v.set_required_spec_claims(&["exp", "iss", "aud", "sub"]);
    } else {
        v.set_required_spec_claims(&["exp", "iss", "aud"]);
    }
    v
}

/// jsonwebtoken's verdict: the claims it accepted, or its error.
pub fn verify(
    token: &[u8],
    key: &DecodingKey,
    validation: &Validation,
) -> Result<serde_json::Value> {
    install();
    decode::<serde_json::Value>(token, key, validation).map(|d| d.claims)
}

/// The public half of a generated ring key pair, as jsonwebtoken keys.
pub fn ec_decoding_key(public_point: &[u8]) -> DecodingKey {
    DecodingKey::from_ec_der(public_point)
}

/// An Ed25519 public key for jsonwebtoken.
pub fn ed_decoding_key(public: &[u8]) -> DecodingKey {
    DecodingKey::from_ed_der(public)
}

/// An RSA public key for jsonwebtoken, from its components.
pub fn rsa_decoding_key(n: &[u8], e: &[u8]) -> DecodingKey {
    DecodingKey::from_rsa_raw_components(n, e)
}

/// The public key bytes of an ECDSA or Ed25519 PKCS#8 document (`None` for
/// anything else), so that a test can hand both verifiers the same key.
pub fn public_of_pkcs8(alg: Algorithm, pkcs8: &[u8]) -> Option<Vec<u8>> {
    match alg {
        Algorithm::ES256 | Algorithm::ES384 => {
            rs::EcdsaKeyPair::from_pkcs8(ecdsa(alg)?.1, pkcs8, &SystemRandom::new())
                .ok()
                .map(|k| k.public_key().as_ref().to_vec())
        }
        Algorithm::EdDSA => rs::Ed25519KeyPair::from_pkcs8_maybe_unchecked(pkcs8)
            .ok()
            .map(|k| k.public_key().as_ref().to_vec()),
        _ => None,
    }
}
