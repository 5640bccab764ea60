//! The JWS algorithms we support (RFC 7518 §3, RFC 8037 §3.1) and the one place
//! where signatures are made and checked, with ring.

use ring::signature::{self, RsaPublicKeyComponents, UnparsedPublicKey};
use ring::{hmac, rand};

/// A JWS algorithm. `none` is not one of them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Alg {
    /// HMAC with SHA-256.
    HS256,
    /// HMAC with SHA-384.
    HS384,
    /// HMAC with SHA-512.
    HS512,
    /// RSASSA-PKCS1-v1_5 with SHA-256.
    RS256,
    /// RSASSA-PKCS1-v1_5 with SHA-384.
    RS384,
    /// RSASSA-PKCS1-v1_5 with SHA-512.
    RS512,
    /// RSASSA-PSS with SHA-256.
    PS256,
    /// RSASSA-PSS with SHA-384.
    PS384,
    /// RSASSA-PSS with SHA-512.
    PS512,
    /// ECDSA P-256 with SHA-256, signature `r || s`.
    ES256,
    /// ECDSA P-384 with SHA-384, signature `r || s`.
    ES384,
    /// Ed25519 (RFC 8037).
    EdDSA,
}

/// The key family an algorithm needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Family {
    /// A shared secret (`oct`).
    Hmac,
    /// An RSA key.
    Rsa,
    /// An EC key on P-256 / P-384.
    Ec,
    /// An Ed25519 key (`OKP`).
    Okp,
}

impl Alg {
    /// Every supported algorithm.
    pub const ALL: [Alg; 12] = [
        Alg::HS256,
        Alg::HS384,
        Alg::HS512,
        Alg::RS256,
        Alg::RS384,
        Alg::RS512,
        Alg::PS256,
        Alg::PS384,
        Alg::PS512,
        Alg::ES256,
        Alg::ES384,
        Alg::EdDSA,
    ];

    /// The JWA name (`RS256`, ...).
    pub fn name(self) -> &'static str {
        match self {
            Alg::HS256 => "HS256",
            Alg::HS384 => "HS384",
            Alg::HS512 => "HS512",
            Alg::RS256 => "RS256",
            Alg::RS384 => "RS384",
            Alg::RS512 => "RS512",
            Alg::PS256 => "PS256",
            Alg::PS384 => "PS384",
            Alg::PS512 => "PS512",
            Alg::ES256 => "ES256",
            Alg::ES384 => "ES384",
            Alg::EdDSA => "EdDSA",
        }
    }

    /// The algorithm of a JWA name; exact, case-sensitive (RFC 7515 §4.1.1).
    pub fn from_name(name: &str) -> Option<Alg> {
        Alg::ALL.into_iter().find(|a| a.name() == name)
    }

    /// The key family it needs.
    pub fn family(self) -> Family {
        match self {
            Alg::HS256 | Alg::HS384 | Alg::HS512 => Family::Hmac,
            Alg::RS256 | Alg::RS384 | Alg::RS512 | Alg::PS256 | Alg::PS384 | Alg::PS512 => {
                Family::Rsa
            }
            Alg::ES256 | Alg::ES384 => Family::Ec,
            Alg::EdDSA => Family::Okp,
        }
    }

    /// Shortest HMAC key: the hash output size (RFC 7518 §3.2), at least 32.
    pub fn min_hmac_key_len(self) -> usize {
        match self {
            Alg::HS384 => 48,
            Alg::HS512 => 64,
            _ => 32,
        }
    }

    fn hmac_alg(self) -> hmac::Algorithm {
        match self {
            Alg::HS384 => hmac::HMAC_SHA384,
            Alg::HS512 => hmac::HMAC_SHA512,
            _ => hmac::HMAC_SHA256,
        }
    }

    fn rsa_verify(self) -> Option<&'static signature::RsaParameters> {
        Some(match self {
            Alg::RS256 => &signature::RSA_PKCS1_2048_8192_SHA256,
            Alg::RS384 => &signature::RSA_PKCS1_2048_8192_SHA384,
            Alg::RS512 => &signature::RSA_PKCS1_2048_8192_SHA512,
            Alg::PS256 => &signature::RSA_PSS_2048_8192_SHA256,
            Alg::PS384 => &signature::RSA_PSS_2048_8192_SHA384,
            Alg::PS512 => &signature::RSA_PSS_2048_8192_SHA512,
            _ => return None,
        })
    }

    fn rsa_sign(self) -> Option<&'static dyn signature::RsaEncoding> {
        Some(match self {
            Alg::RS256 => &signature::RSA_PKCS1_SHA256,
            Alg::RS384 => &signature::RSA_PKCS1_SHA384,
            Alg::RS512 => &signature::RSA_PKCS1_SHA512,
            Alg::PS256 => &signature::RSA_PSS_SHA256,
            Alg::PS384 => &signature::RSA_PSS_SHA384,
            Alg::PS512 => &signature::RSA_PSS_SHA512,
            _ => return None,
        })
    }

    /// ring's fixed-length (`r || s`, JWS form) ECDSA signing algorithm.
    pub(crate) fn ecdsa_signing(self) -> Option<&'static signature::EcdsaSigningAlgorithm> {
        match self {
            Alg::ES256 => Some(&signature::ECDSA_P256_SHA256_FIXED_SIGNING),
            Alg::ES384 => Some(&signature::ECDSA_P384_SHA384_FIXED_SIGNING),
            _ => None,
        }
    }

    fn ecdsa_verify(self) -> Option<&'static signature::EcdsaVerificationAlgorithm> {
        match self {
            Alg::ES256 => Some(&signature::ECDSA_P256_SHA256_FIXED),
            Alg::ES384 => Some(&signature::ECDSA_P384_SHA384_FIXED),
            _ => None,
        }
    }

    /// Length of one EC coordinate for this algorithm's curve.
    pub fn ec_coordinate_len(self) -> Option<usize> {
        match self {
            Alg::ES256 => Some(32),
            Alg::ES384 => Some(48),
            _ => None,
        }
    }
}

/// Public (or, for HMAC, shared) key material ready to verify with.
#[derive(Clone)]
pub enum PublicMaterial {
    /// HMAC key, precomputed by ring.
    Hmac(hmac::Key),
    /// RSA modulus and exponent, big-endian, no leading zeros.
    Rsa {
        /// Modulus.
        n: Vec<u8>,
        /// Public exponent.
        e: Vec<u8>,
    },
    /// Uncompressed EC point `04 || x || y`.
    Ec(Vec<u8>),
    /// Ed25519 public key (32 bytes).
    Ed25519(Vec<u8>),
}

impl std::fmt::Debug for PublicMaterial {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Self::Hmac(_) => "Hmac([hidden])",
            Self::Rsa { .. } => "Rsa",
            Self::Ec(_) => "Ec",
            Self::Ed25519(_) => "Ed25519",
        })
    }
}

/// The signature is not valid for this message, key and algorithm. No detail.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Invalid;

/// Verifies `sig` over `msg` with `alg`. A key of another family than `alg`
/// needs is refused here too, so no caller can cross families by mistake.
pub fn verify(alg: Alg, key: &PublicMaterial, msg: &[u8], sig: &[u8]) -> Result<(), Invalid> {
    match (alg.family(), key) {
        (Family::Hmac, PublicMaterial::Hmac(k)) => {
            // A key made for another hash must not verify (ring checks the
            // tag length against the key's algorithm, not ours).
            if k.algorithm() != alg.hmac_alg() {
                return Err(Invalid);
            }
            hmac::verify(k, msg, sig).map_err(|_| Invalid)
        }
        (Family::Rsa, PublicMaterial::Rsa { n, e }) => {
            let params = alg.rsa_verify().ok_or(Invalid)?;
            RsaPublicKeyComponents { n, e }
                .verify(params, msg, sig)
                .map_err(|_| Invalid)
        }
        (Family::Ec, PublicMaterial::Ec(point)) => {
            let a = alg.ecdsa_verify().ok_or(Invalid)?;
            UnparsedPublicKey::new(a, point)
                .verify(msg, sig)
                .map_err(|_| Invalid)
        }
        (Family::Okp, PublicMaterial::Ed25519(x)) => UnparsedPublicKey::new(&signature::ED25519, x)
            .verify(msg, sig)
            .map_err(|_| Invalid),
        _ => Err(Invalid),
    }
}

/// Private key material ready to sign with.
pub enum PrivateMaterial {
    /// HMAC key.
    Hmac(hmac::Key),
    /// RSA key pair.
    Rsa(signature::RsaKeyPair),
    /// ECDSA key pair (fixed-length signatures).
    Ec(signature::EcdsaKeyPair),
    /// Ed25519 key pair.
    Ed25519(signature::Ed25519KeyPair),
}

impl std::fmt::Debug for PrivateMaterial {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("PrivateMaterial([hidden])")
    }
}

/// Signing failed (wrong key family, or the crypto library refused).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SignFailure;

/// Signs `msg` with `alg`; `rng` is used by RSA-PSS, RSA blinding and ECDSA.
pub fn sign(
    alg: Alg,
    key: &PrivateMaterial,
    msg: &[u8],
    rng: &dyn rand::SecureRandom,
) -> Result<Vec<u8>, SignFailure> {
    match (alg.family(), key) {
        (Family::Hmac, PrivateMaterial::Hmac(k)) if k.algorithm() == alg.hmac_alg() => {
            Ok(hmac::sign(k, msg).as_ref().to_vec())
        }
        (Family::Rsa, PrivateMaterial::Rsa(kp)) => {
            let enc = alg.rsa_sign().ok_or(SignFailure)?;
            let mut out = vec![0u8; kp.public().modulus_len()];
            kp.sign(enc, rng, msg, &mut out).map_err(|_| SignFailure)?;
            Ok(out)
        }
        (Family::Ec, PrivateMaterial::Ec(kp)) => kp
            .sign(rng, msg)
            .map(|s| s.as_ref().to_vec())
            .map_err(|_| SignFailure),
        (Family::Okp, PrivateMaterial::Ed25519(kp)) => Ok(kp.sign(msg).as_ref().to_vec()),
        _ => Err(SignFailure),
    }
}

/// An HMAC key for `alg` (no length policy here: see `keys`).
pub fn hmac_key(alg: Alg, secret: &[u8]) -> hmac::Key {
    hmac::Key::new(alg.hmac_alg(), secret)
}
