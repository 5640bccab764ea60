//! `jsonwebtoken::crypto::CryptoProvider` on ring, for code that uses
//! jsonwebtoken's own API. It calls the same primitives as our verifier
//! ([`super::alg`]) and applies the same key policy (RSA ≥ 2048 bits, HMAC
//! keys at least as long as their hash).
//!
//! The PHP module installs [`PROVIDER`] at start-up. jsonwebtoken's `Signer`
//! trait takes no random source, so signing through this provider uses ring's
//! system generator: the one place the core reaches for randomness itself,
//! and only on behalf of jsonwebtoken's API.

use jsonwebtoken::crypto::{CryptoProvider, JwtSigner, JwtVerifier, KeyUtils};
use jsonwebtoken::errors::{new_error, Error, ErrorKind, Result};
use jsonwebtoken::jwk::{EllipticCurve, ThumbprintHash};
use jsonwebtoken::signature::{self as sig, Signer, Verifier};
use jsonwebtoken::{Algorithm, AlgorithmFamily, DecodingKey, DecodingKeyKind, EncodingKey};
use ring::rand::SystemRandom;
use ring::signature::{self as rsig, KeyPair};

use super::alg::{self, Alg, PrivateMaterial, PublicMaterial};
use super::der::{self, PublicKeyDer};
use super::keys;

/// Our ring-backed provider.
pub static PROVIDER: CryptoProvider = CryptoProvider {
    signer_factory: new_signer,
    verifier_factory: new_verifier,
    key_utils: KeyUtils {
        rsa_pub_components_from_private_key: rsa_from_private,
        rsa_pub_components_from_public_key: rsa_from_public,
        ec_pub_components_from_private_key: ec_from_private,
        ed_pub_components_from_private_key: ed_from_private,
        compute_digest,
    },
};

/// Installs [`PROVIDER`] as jsonwebtoken's process default. `true` when it is
/// (now or already) the default; `false` when another provider was installed
/// first.
pub fn install() -> bool {
    match PROVIDER.install_default() {
        Ok(()) => true,
        Err(existing) => std::ptr::eq(existing, &PROVIDER),
    }
}

/// Our algorithm for jsonwebtoken's (`None` for one added after 11.1).
pub fn to_alg(a: Algorithm) -> Option<Alg> {
    Some(match a {
        Algorithm::HS256 => Alg::HS256,
        Algorithm::HS384 => Alg::HS384,
        Algorithm::HS512 => Alg::HS512,
        Algorithm::RS256 => Alg::RS256,
        Algorithm::RS384 => Alg::RS384,
        Algorithm::RS512 => Alg::RS512,
        Algorithm::PS256 => Alg::PS256,
        Algorithm::PS384 => Alg::PS384,
        Algorithm::PS512 => Alg::PS512,
        Algorithm::ES256 => Alg::ES256,
        Algorithm::ES384 => Alg::ES384,
        Algorithm::EdDSA => Alg::EdDSA,
        _ => return None,
    })
}

fn key_error(kind: ErrorKind) -> Error {
    new_error(kind)
}

struct RingVerifier {
    alg: Algorithm,
    ours: Alg,
    material: PublicMaterial,
}

impl Verifier<Vec<u8>> for RingVerifier {
    fn verify(&self, msg: &[u8], signature: &Vec<u8>) -> std::result::Result<(), sig::Error> {
        alg::verify(self.ours, &self.material, msg, signature).map_err(|_| sig::Error::new())
    }
}

impl JwtVerifier for RingVerifier {
    fn algorithm(&self) -> Algorithm {
        self.alg
    }
}

fn rsa_public_der(bytes: &[u8]) -> std::result::Result<PublicKeyDer, Error> {
    der::rsa_public_key(bytes)
        .or_else(|_| der::spki(bytes))
        .map_err(|_| key_error(ErrorKind::InvalidRsaKey("invalid RSA public key".into())))
}

fn new_verifier(algorithm: &Algorithm, key: &DecodingKey) -> Result<Box<dyn JwtVerifier>> {
    let ours = to_alg(*algorithm).ok_or_else(|| key_error(ErrorKind::UnsupportedAlgorithm))?;
    let invalid = || key_error(ErrorKind::InvalidKeyFormat);
    if key.family() != algorithm.family() {
        return Err(invalid());
    }
    let material = match (key.family(), key.kind()) {
        (AlgorithmFamily::Hmac, DecodingKeyKind::SecretOrDer(secret)) => {
            keys::secret_key(None, ours, secret)
                .map_err(|_| invalid())?
                .material
        }
        (AlgorithmFamily::Rsa, DecodingKeyKind::RsaModulusExponent { n, e }) => {
            let der = PublicKeyDer::Rsa {
                n: n.clone(),
                e: e.clone(),
            };
            keys::public_key(None, ours, der)
                .map_err(|_| invalid())?
                .material
        }
        (AlgorithmFamily::Rsa, DecodingKeyKind::SecretOrDer(bytes)) => {
            keys::public_key(None, ours, rsa_public_der(bytes)?)
                .map_err(|_| invalid())?
                .material
        }
        (AlgorithmFamily::Ec, DecodingKeyKind::SecretOrDer(point)) => {
            let der = match der::spki(point) {
                Ok(d @ PublicKeyDer::Ec { .. }) => d,
                _ => PublicKeyDer::Ec {
                    alg: ours,
                    point: point.clone(),
                },
            };
            keys::public_key(None, ours, der)
                .map_err(|_| key_error(ErrorKind::InvalidEcdsaKey))?
                .material
        }
        (AlgorithmFamily::Ed, DecodingKeyKind::SecretOrDer(x)) => {
            let der = match der::spki(x) {
                Ok(d @ PublicKeyDer::Ed25519(_)) => d,
                _ => PublicKeyDer::Ed25519(x.clone()),
            };
            keys::public_key(None, ours, der)
                .map_err(|_| key_error(ErrorKind::InvalidEddsaKey))?
                .material
        }
        _ => return Err(invalid()),
    };
    Ok(Box::new(RingVerifier {
        alg: *algorithm,
        ours,
        material,
    }))
}

struct RingSigner {
    alg: Algorithm,
    ours: Alg,
    material: PrivateMaterial,
}

impl Signer<Vec<u8>> for RingSigner {
    fn try_sign(&self, msg: &[u8]) -> std::result::Result<Vec<u8>, sig::Error> {
        alg::sign(self.ours, &self.material, msg, &SystemRandom::new())
            .map_err(|_| sig::Error::new())
    }
}

impl JwtSigner for RingSigner {
    fn algorithm(&self) -> Algorithm {
        self.alg
    }
}

fn rsa_pair(der: &[u8]) -> Result<rsig::RsaKeyPair> {
    rsig::RsaKeyPair::from_der(der)
        .or_else(|_| rsig::RsaKeyPair::from_pkcs8(der))
        .map_err(|_| key_error(ErrorKind::InvalidRsaKey("invalid RSA private key".into())))
}

fn new_signer(algorithm: &Algorithm, key: &EncodingKey) -> Result<Box<dyn JwtSigner>> {
    let ours = to_alg(*algorithm).ok_or_else(|| key_error(ErrorKind::UnsupportedAlgorithm))?;
    if key.family() != algorithm.family() {
        return Err(key_error(ErrorKind::InvalidKeyFormat));
    }
    let bytes = key.as_bytes();
    let material = match key.family() {
        AlgorithmFamily::Hmac => {
            keys::secret_key(None, ours, bytes)
                .map_err(|_| key_error(ErrorKind::InvalidKeyFormat))?;
            PrivateMaterial::Hmac(alg::hmac_key(ours, bytes))
        }
        AlgorithmFamily::Rsa => {
            let kp = rsa_pair(bytes)?;
            if kp.public().modulus_len() * 8 < keys::MIN_RSA_BITS {
                return Err(key_error(ErrorKind::InvalidRsaKey(
                    "RSA key under 2048 bits".into(),
                )));
            }
            PrivateMaterial::Rsa(kp)
        }
        AlgorithmFamily::Ec => {
            let a = ours
                .ecdsa_signing()
                .ok_or_else(|| key_error(ErrorKind::InvalidEcdsaKey))?;
            PrivateMaterial::Ec(
                rsig::EcdsaKeyPair::from_pkcs8(a, bytes, &SystemRandom::new())
                    .map_err(|_| key_error(ErrorKind::InvalidEcdsaKey))?,
            )
        }
        AlgorithmFamily::Ed => PrivateMaterial::Ed25519(
            rsig::Ed25519KeyPair::from_pkcs8_maybe_unchecked(bytes)
                .map_err(|_| key_error(ErrorKind::InvalidEddsaKey))?,
        ),
    };
    Ok(Box::new(RingSigner {
        alg: *algorithm,
        ours,
        material,
    }))
}

fn rsa_from_private(der: &[u8]) -> Result<(Vec<u8>, Vec<u8>)> {
    let kp = rsa_pair(der)?;
    let c = rsig::RsaPublicKeyComponents::<Vec<u8>>::from(kp.public());
    Ok((c.n, c.e))
}

fn rsa_from_public(der: &[u8]) -> Result<(Vec<u8>, Vec<u8>)> {
    match rsa_public_der(der)? {
        PublicKeyDer::Rsa { n, e } => Ok((n, e)),
        _ => Err(key_error(ErrorKind::InvalidRsaKey("not an RSA key".into()))),
    }
}

fn ec_from_private(der: &[u8], algorithm: Algorithm) -> Result<(EllipticCurve, Vec<u8>, Vec<u8>)> {
    let (a, curve, ours) = match to_alg(algorithm) {
        Some(Alg::ES256) => (
            &rsig::ECDSA_P256_SHA256_FIXED_SIGNING,
            EllipticCurve::P256,
            Alg::ES256,
        ),
        Some(Alg::ES384) => (
            &rsig::ECDSA_P384_SHA384_FIXED_SIGNING,
            EllipticCurve::P384,
            Alg::ES384,
        ),
        _ => return Err(key_error(ErrorKind::InvalidEcdsaKey)),
    };
    let kp = rsig::EcdsaKeyPair::from_pkcs8(a, der, &SystemRandom::new())
        .map_err(|_| key_error(ErrorKind::InvalidEcdsaKey))?;
    let point = kp.public_key().as_ref();
    let coord = ours.ec_coordinate_len().unwrap_or(0);
    let x = point
        .get(1..=coord)
        .ok_or_else(|| key_error(ErrorKind::InvalidEcdsaKey))?;
    let y = point
        .get(1 + coord..)
        .ok_or_else(|| key_error(ErrorKind::InvalidEcdsaKey))?;
    Ok((curve, x.to_vec(), y.to_vec()))
}

fn ed_from_private(der: &[u8], curve: &EllipticCurve) -> Result<Vec<u8>> {
    if *curve != EllipticCurve::Ed25519 {
        return Err(key_error(ErrorKind::InvalidEddsaKey));
    }
    let kp = rsig::Ed25519KeyPair::from_pkcs8_maybe_unchecked(der)
        .map_err(|_| key_error(ErrorKind::InvalidEddsaKey))?;
    Ok(kp.public_key().as_ref().to_vec())
}

fn compute_digest(data: &[u8], hash: ThumbprintHash) -> Result<Vec<u8>> {
    let a = match hash {
        ThumbprintHash::SHA256 => &ring::digest::SHA256,
        ThumbprintHash::SHA384 => &ring::digest::SHA384,
        ThumbprintHash::SHA512 => &ring::digest::SHA512,
        _ => return Err(key_error(ErrorKind::UnsupportedAlgorithm)),
    };
    Ok(ring::digest::digest(a, data).as_ref().to_vec())
}
