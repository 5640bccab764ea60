//! Verification keys: a set of keys, each pinned to exactly one algorithm.
//!
//! Sources: a JWKS document (RFC 7517 §5), a single JWK, a public key PEM
//! (SubjectPublicKeyInfo or PKCS#1), or a raw HMAC secret. Refused at load
//! time: HMAC secrets shorter than the hash (never under 32 bytes), RSA under
//! 2048 bits, unknown `kty`/`crv`, private members (`d`, `p`, ...) or secrets
//! in a published JWKS, keys without an algorithm, sets of several keys where
//! one has no `kid`, duplicate `kid`s, key material given as a secret (a PEM,
//! JWK, SSH or DER key: see [`super::secret`]), a set mixing secrets with
//! public keys, and public keys that are not valid points or encodings (see
//! [`super::curve`]). Keys marked for encryption (`use: enc`,
//! a JWE `alg`, `key_ops` without `verify`) are skipped, not refused: identity
//! providers publish them next to their signature keys.

use ring::digest;

use super::alg::{self, Alg, Family, PublicMaterial};
use super::der::{self, PublicKeyDer};
use super::json::{self, Object, Value};
use super::{b64_decode, b64_encode, curve, secret, JwtError};

/// Largest JWKS document accepted.
pub const MAX_JWKS_LEN: usize = 256 * 1024;
/// Most keys in one set.
pub const MAX_KEYS: usize = 64;
/// Smallest RSA modulus accepted, in bits.
pub const MIN_RSA_BITS: usize = 2048;
/// Largest RSA modulus accepted, in bits (ring's limit).
pub const MAX_RSA_BITS: usize = 8192;

/// One verification key.
#[derive(Debug, Clone)]
pub struct Key {
    /// Its `kid`, if it has one.
    pub kid: Option<String>,
    /// The one algorithm it verifies.
    pub alg: Alg,
    /// The key material.
    pub material: PublicMaterial,
}

/// A set of verification keys, at least one.
#[derive(Debug, Clone)]
pub struct KeySet {
    keys: Vec<Key>,
}

/// Whether a JWK `alg` is a JWE (encryption) algorithm (RFC 7518 §4.1).
fn is_encryption_alg(alg: &str) -> bool {
    [
        "RSA1_5",
        "RSA-OAEP",
        "ECDH-ES",
        "A128KW",
        "A192KW",
        "A256KW",
        "A128GCMKW",
        "A192GCMKW",
        "A256GCMKW",
        "PBES2",
        "dir",
    ]
    .iter()
    .any(|p| alg.starts_with(p))
}

fn str_member<'a>(jwk: &'a Object, name: &str) -> Result<Option<&'a str>, JwtError> {
    match jwk.get(name) {
        None => Ok(None),
        Some(Value::Str(s)) => Ok(Some(s)),
        Some(_) => Err(JwtError::InvalidKey),
    }
}

fn b64_member(jwk: &Object, name: &str) -> Result<Vec<u8>, JwtError> {
    let s = str_member(jwk, name)?.ok_or(JwtError::InvalidKey)?;
    b64_decode(s.as_bytes()).map_err(|_| JwtError::InvalidKey)
}

fn bit_len(n: &[u8]) -> usize {
    match n.first() {
        Some(b) => n.len() * 8 - b.leading_zeros() as usize,
        None => 0,
    }
}

fn strip_zeros(v: &[u8]) -> Vec<u8> {
    let start = v.iter().position(|b| *b != 0).unwrap_or(v.len());
    v.get(start..).unwrap_or_default().to_vec()
}

/// Builds a key from public material, checking that `alg` fits it and that
/// the material is a valid key: an RSA modulus and exponent that ring will
/// take (the same bounds as ring 0.17's `rsa::PublicModulus` and
/// `PublicExponent`, with the modulus at least 2048 bits exactly), an EC
/// point on its curve, an Ed25519 encoding of a point not of small order.
/// ring itself would only find a bad key when the first token is verified.
pub fn public_key(kid: Option<String>, alg: Alg, der: PublicKeyDer) -> Result<Key, JwtError> {
    let material = match der {
        PublicKeyDer::Rsa { n, e } => {
            if alg.family() != Family::Rsa {
                return Err(JwtError::AlgMismatch);
            }
            let n = strip_zeros(&n);
            let e = strip_zeros(&e);
            let bits = bit_len(&n);
            if bits < MIN_RSA_BITS {
                return Err(JwtError::WeakRsaKey);
            }
            if bits > MAX_RSA_BITS || n.last().is_none_or(|b| b & 1 == 0) {
                return Err(JwtError::InvalidKey);
            }
            // ring accepts 3 <= e < 2^33, odd.
            if e.len() > 5 {
                return Err(JwtError::InvalidKey);
            }
            let ev = e.iter().fold(0u64, |acc, b| (acc << 8) | u64::from(*b));
            if ev < 3 || ev & 1 == 0 || ev >= (1u64 << 33) {
                return Err(JwtError::InvalidKey);
            }
            PublicMaterial::Rsa { n, e }
        }
        PublicKeyDer::Ec {
            alg: curve_alg,
            point,
        } => {
            if alg.family() != Family::Ec || alg != curve_alg {
                return Err(JwtError::AlgMismatch);
            }
            if !curve::ec_point_is_valid(&point) {
                return Err(JwtError::InvalidKey);
            }
            PublicMaterial::Ec(point)
        }
        PublicKeyDer::Ed25519(x) => {
            if alg != Alg::EdDSA {
                return Err(JwtError::AlgMismatch);
            }
            if !curve::ed25519_key_is_valid(&x) {
                return Err(JwtError::InvalidKey);
            }
            PublicMaterial::Ed25519(x)
        }
    };
    Ok(Key { kid, alg, material })
}

/// Builds an HMAC key, refusing short secrets and key material in a key
/// format (a public key as an HMAC secret lets anyone forge tokens).
pub fn secret_key(kid: Option<String>, alg: Alg, secret: &[u8]) -> Result<Key, JwtError> {
    if alg.family() != Family::Hmac {
        return Err(JwtError::AlgMismatch);
    }
    if secret.len() < alg.min_hmac_key_len() {
        return Err(JwtError::WeakHmacKey);
    }
    if secret::is_key_material(secret) {
        return Err(JwtError::AsymmetricKeyAsSecret);
    }
    Ok(Key {
        kid,
        alg,
        material: PublicMaterial::Hmac(alg::hmac_key(alg, secret)),
    })
}

/// Parses one JWK. `Ok(None)`: an encryption key, skipped.
fn jwk_key(
    jwk: &Object,
    explicit: Option<Alg>,
    allow_secrets: bool,
) -> Result<Option<Key>, JwtError> {
    let kty = str_member(jwk, "kty")?.ok_or(JwtError::InvalidKey)?;
    if let Some(u) = str_member(jwk, "use")? {
        if u != "sig" {
            return Ok(None);
        }
    }
    if let Some(ops) = jwk.get("key_ops") {
        let Value::Array(ops) = ops else {
            return Err(JwtError::InvalidKey);
        };
        let mut verify = false;
        for op in ops {
            match op.as_str() {
                Some("verify") => verify = true,
                Some(_) => {}
                None => return Err(JwtError::InvalidKey),
            }
        }
        if !verify {
            return Ok(None);
        }
    }
    let jwk_alg = match str_member(jwk, "alg")? {
        Some(a) if is_encryption_alg(a) => return Ok(None),
        Some(a) => Some(Alg::from_name(a).ok_or(JwtError::AlgMismatch)?),
        None => None,
    };
    let alg = match (jwk_alg, explicit) {
        (Some(a), Some(b)) if a != b => return Err(JwtError::AlgMismatch),
        (Some(a), _) | (None, Some(a)) => a,
        (None, None) => return Err(JwtError::MissingAlg),
    };
    let kid = str_member(jwk, "kid")?.map(str::to_owned);
    let private = |names: &[&str]| names.iter().any(|n| jwk.contains(n));
    match kty {
        "RSA" => {
            if private(&["d", "p", "q", "dp", "dq", "qi", "oth"]) {
                return Err(JwtError::PrivateKeyMaterial);
            }
            let n = b64_member(jwk, "n")?;
            let e = b64_member(jwk, "e")?;
            public_key(kid, alg, PublicKeyDer::Rsa { n, e }).map(Some)
        }
        "EC" => {
            if private(&["d"]) {
                return Err(JwtError::PrivateKeyMaterial);
            }
            let curve_alg = match str_member(jwk, "crv")? {
                Some("P-256") => Alg::ES256,
                Some("P-384") => Alg::ES384,
                _ => return Err(JwtError::UnsupportedKey),
            };
            let coord = curve_alg.ec_coordinate_len().unwrap_or(0);
            let x = b64_member(jwk, "x")?;
            let y = b64_member(jwk, "y")?;
            if x.len() != coord || y.len() != coord {
                return Err(JwtError::InvalidKey);
            }
            let mut point = Vec::with_capacity(1 + 2 * coord);
            point.push(4);
            point.extend_from_slice(&x);
            point.extend_from_slice(&y);
            public_key(
                kid,
                alg,
                PublicKeyDer::Ec {
                    alg: curve_alg,
                    point,
                },
            )
            .map(Some)
        }
        "OKP" => {
            if private(&["d"]) {
                return Err(JwtError::PrivateKeyMaterial);
            }
            if str_member(jwk, "crv")? != Some("Ed25519") {
                return Err(JwtError::UnsupportedKey);
            }
            let x = b64_member(jwk, "x")?;
            if x.len() != 32 {
                return Err(JwtError::InvalidKey);
            }
            public_key(kid, alg, PublicKeyDer::Ed25519(x)).map(Some)
        }
        "oct" => {
            if !allow_secrets {
                return Err(JwtError::PrivateKeyMaterial);
            }
            let k = b64_member(jwk, "k")?;
            secret_key(kid, alg, &k).map(Some)
        }
        _ => Err(JwtError::UnsupportedKey),
    }
}

impl KeySet {
    /// A set from keys, checking the `kid` rules and that secrets and public
    /// keys are not mixed.
    pub fn new(keys: Vec<Key>) -> Result<Self, JwtError> {
        if keys.is_empty() {
            return Err(JwtError::EmptyKeySet);
        }
        if keys.len() > MAX_KEYS {
            return Err(JwtError::InvalidKey);
        }
        let secrets = keys
            .iter()
            .filter(|k| matches!(k.material, PublicMaterial::Hmac(_)))
            .count();
        if secrets != 0 && secrets != keys.len() {
            return Err(JwtError::MixedKeyTypes);
        }
        if keys.len() > 1 {
            for (i, k) in keys.iter().enumerate() {
                let kid = k.kid.as_deref().ok_or(JwtError::MissingKid)?;
                if keys
                    .iter()
                    .skip(i + 1)
                    .any(|o| o.kid.as_deref() == Some(kid))
                {
                    return Err(JwtError::DuplicateKid);
                }
            }
        }
        Ok(Self { keys })
    }

    /// From a JWKS document (`{"keys":[...]}`) or a single JWK.
    ///
    /// * `alg`: pins keys that have no JWK `alg` (default: none, so such a key
    ///   is refused); a key whose `alg` differs is refused.
    /// * `allow_secrets`: accept `oct` keys (default `false`: a published JWKS
    ///   never holds a secret; pass `true` only for a document the host keeps
    ///   private). Even then a document holding both `oct` and public keys
    ///   (encryption keys included) is refused as `MixedKeyTypes`: a set
    ///   whose secrets sit next to published keys is one copy away from
    ///   being published.
    pub fn from_jwks(
        document: &[u8],
        alg: Option<Alg>,
        allow_secrets: bool,
    ) -> Result<Self, JwtError> {
        if document.len() > MAX_JWKS_LEN {
            return Err(JwtError::InvalidKey);
        }
        let top = json::parse_object(document).map_err(|_| JwtError::InvalidKey)?;
        let mut keys = Vec::new();
        if top.contains("kty") {
            if let Some(k) = jwk_key(&top, alg, allow_secrets)? {
                keys.push(k);
            }
        } else {
            let Some(Value::Array(list)) = top.get("keys") else {
                return Err(JwtError::InvalidKey);
            };
            if list.len() > MAX_KEYS {
                return Err(JwtError::InvalidKey);
            }
            if allow_secrets {
                let kty = |v: &Value| v.as_object().and_then(|o| o.get("kty")).cloned();
                let oct = list
                    .iter()
                    .filter(|v| kty(v) == Some(Value::Str("oct".into())))
                    .count();
                let other = list
                    .iter()
                    .filter(|v| matches!(kty(v), Some(Value::Str(k)) if k != "oct"))
                    .count();
                if oct != 0 && other != 0 {
                    return Err(JwtError::MixedKeyTypes);
                }
            }
            for jwk in list {
                let jwk = jwk.as_object().ok_or(JwtError::InvalidKey)?;
                if let Some(k) = jwk_key(jwk, alg, allow_secrets)? {
                    keys.push(k);
                }
            }
        }
        Self::new(keys)
    }

    /// From a public key PEM (`PUBLIC KEY` or `RSA PUBLIC KEY`). A private
    /// key PEM is refused (publish only what verifies).
    pub fn from_pem(pem: &[u8], alg: Alg, kid: Option<String>) -> Result<Self, JwtError> {
        let block = der::pem_decode(pem)?;
        if der::is_private_label(&block.label) {
            return Err(JwtError::PrivateKeyMaterial);
        }
        let public = match block.label.as_str() {
            "PUBLIC KEY" => der::spki(&block.der)?,
            "RSA PUBLIC KEY" => der::rsa_public_key(&block.der)?,
            _ => return Err(JwtError::UnsupportedKey),
        };
        Self::new(vec![public_key(kid, alg, public)?])
    }

    /// From a raw HMAC secret.
    pub fn from_secret(secret: &[u8], alg: Alg, kid: Option<String>) -> Result<Self, JwtError> {
        Self::new(vec![secret_key(kid, alg, secret)?])
    }

    /// The keys.
    pub fn keys(&self) -> &[Key] {
        &self.keys
    }

    /// The key a token with header `kid` must verify with.
    ///
    /// One key: it is used, unless both it and the token name a `kid` and they
    /// differ. Several keys: the token must name one of them.
    pub fn find(&self, kid: Option<&str>) -> Result<&Key, JwtError> {
        match self.keys.as_slice() {
            [only] => match (kid, only.kid.as_deref()) {
                (Some(a), Some(b)) if a != b => Err(JwtError::UnknownKid),
                _ => Ok(only),
            },
            keys => {
                let kid = kid.ok_or(JwtError::UnknownKid)?;
                keys.iter()
                    .find(|k| k.kid.as_deref() == Some(kid))
                    .ok_or(JwtError::UnknownKid)
            }
        }
    }
}

/// The members of a public JWK that RFC 7638 §3.2 hashes, in lexicographic
/// order; `None` for HMAC keys (their thumbprint would hash the secret).
pub fn required_members(material: &PublicMaterial) -> Option<Vec<(&'static str, String)>> {
    Some(match material {
        PublicMaterial::Rsa { n, e } => vec![
            ("e", b64_encode(e)),
            ("kty", "RSA".into()),
            ("n", b64_encode(n)),
        ],
        PublicMaterial::Ec(point) => {
            let coord = (point.len().checked_sub(1)?) / 2;
            let crv = match coord {
                32 => "P-256",
                48 => "P-384",
                _ => return None,
            };
            let x = point.get(1..=coord)?;
            let y = point.get(1 + coord..)?;
            vec![
                ("crv", crv.into()),
                ("kty", "EC".into()),
                ("x", b64_encode(x)),
                ("y", b64_encode(y)),
            ]
        }
        PublicMaterial::Ed25519(x) => vec![
            ("crv", "Ed25519".into()),
            ("kty", "OKP".into()),
            ("x", b64_encode(x)),
        ],
        PublicMaterial::Hmac(_) => return None,
    })
}

/// RFC 7638 thumbprint (SHA-256, base64url) of members given in
/// lexicographic order.
pub fn thumbprint(members: &[(&str, String)]) -> String {
    let mut o = Object::new();
    for (k, v) in members {
        o.insert((*k).to_owned(), Value::Str(v.clone()));
    }
    let canonical = json::to_vec(&Value::Object(o)).unwrap_or_default();
    b64_encode(digest::digest(&digest::SHA256, &canonical).as_ref())
}

#[cfg(test)]
mod tests {
    use super::*;

    // RFC 7638 §3.1: the example RSA key and its SHA-256 thumbprint.
    const RFC7638_N: &str = "0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_BJECPebWKRXjBZCiFV4n3oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw";
    const RFC7638_THUMBPRINT: &str = "NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs";

    #[test]
    fn rfc7638_thumbprint() {
        let jwks = format!(
            r#"{{"kty":"RSA","n":"{RFC7638_N}","e":"AQAB","alg":"RS256","kid":"2011-04-29"}}"#
        );
        let set = KeySet::from_jwks(jwks.as_bytes(), None, false).unwrap();
        let members = required_members(&set.keys()[0].material).unwrap();
        assert_eq!(thumbprint(&members), RFC7638_THUMBPRINT);
    }

    #[test]
    fn key_rules() {
        let rsa = |extra: &str| {
            format!(r#"{{"keys":[{{"kty":"RSA","n":"{RFC7638_N}","e":"AQAB"{extra}}}]}}"#)
        };
        assert_eq!(
            KeySet::from_jwks(rsa("").as_bytes(), None, false).unwrap_err(),
            JwtError::MissingAlg
        );
        assert!(KeySet::from_jwks(rsa("").as_bytes(), Some(Alg::RS256), false).is_ok());
        assert_eq!(
            KeySet::from_jwks(rsa(r#","alg":"RS256""#).as_bytes(), Some(Alg::PS256), false)
                .unwrap_err(),
            JwtError::AlgMismatch
        );
        assert_eq!(
            KeySet::from_jwks(rsa(r#","alg":"HS256""#).as_bytes(), None, false).unwrap_err(),
            JwtError::AlgMismatch
        );
        assert_eq!(
            KeySet::from_jwks(rsa(r#","alg":"none""#).as_bytes(), None, false).unwrap_err(),
            JwtError::AlgMismatch
        );
        assert_eq!(
            KeySet::from_jwks(rsa(r#","alg":"RS256","d":"AQAB""#).as_bytes(), None, false)
                .unwrap_err(),
            JwtError::PrivateKeyMaterial
        );
        // An encryption key is skipped, leaving nothing.
        assert_eq!(
            KeySet::from_jwks(rsa(r#","use":"enc""#).as_bytes(), None, false).unwrap_err(),
            JwtError::EmptyKeySet
        );
        assert_eq!(
            KeySet::from_jwks(rsa(r#","alg":"RSA-OAEP""#).as_bytes(), None, false).unwrap_err(),
            JwtError::EmptyKeySet
        );
        // 1024-bit modulus.
        let small = b64_encode(&[0xc5; 128]);
        let jwk = format!(r#"{{"kty":"RSA","n":"{small}","e":"AQAB","alg":"RS256"}}"#);
        assert_eq!(
            KeySet::from_jwks(jwk.as_bytes(), None, false).unwrap_err(),
            JwtError::WeakRsaKey
        );
        assert_eq!(
            KeySet::from_jwks(
                br#"{"kty":"EC","crv":"secp256k1","x":"AA","y":"AA","alg":"ES256"}"#,
                None,
                false
            )
            .unwrap_err(),
            JwtError::UnsupportedKey
        );
        assert_eq!(
            KeySet::from_jwks(
                br#"{"kty":"OKP","crv":"Ed448","x":"AA","alg":"EdDSA"}"#,
                None,
                false
            )
            .unwrap_err(),
            JwtError::UnsupportedKey
        );
        assert_eq!(
            KeySet::from_jwks(br#"{"kty":"XYZ","alg":"RS256"}"#, None, false).unwrap_err(),
            JwtError::UnsupportedKey
        );
        let oct = format!(
            r#"{{"kty":"oct","k":"{}","alg":"HS256"}}"#,
            b64_encode(&[7; 32])
        );
        assert_eq!(
            KeySet::from_jwks(oct.as_bytes(), None, false).unwrap_err(),
            JwtError::PrivateKeyMaterial
        );
        assert!(KeySet::from_jwks(oct.as_bytes(), None, true).is_ok());
        let short = format!(
            r#"{{"kty":"oct","k":"{}","alg":"HS256"}}"#,
            b64_encode(&[7; 31])
        );
        assert_eq!(
            KeySet::from_jwks(short.as_bytes(), None, true).unwrap_err(),
            JwtError::WeakHmacKey
        );
        assert_eq!(
            KeySet::from_secret(&[7; 32], Alg::HS512, None).unwrap_err(),
            JwtError::WeakHmacKey
        );
        // Two keys: both need a kid, and distinct ones.
        let two = format!(
            r#"{{"keys":[{a},{a}]}}"#,
            a = format!(r#"{{"kty":"RSA","n":"{RFC7638_N}","e":"AQAB","alg":"RS256"}}"#)
        );
        assert_eq!(
            KeySet::from_jwks(two.as_bytes(), None, false).unwrap_err(),
            JwtError::MissingKid
        );
        let two = format!(
            r#"{{"keys":[{a},{a}]}}"#,
            a = format!(r#"{{"kty":"RSA","n":"{RFC7638_N}","e":"AQAB","alg":"RS256","kid":"k"}}"#)
        );
        assert_eq!(
            KeySet::from_jwks(two.as_bytes(), None, false).unwrap_err(),
            JwtError::DuplicateKid
        );
        assert_eq!(
            KeySet::from_jwks(b"{\"keys\":[]}", None, false).unwrap_err(),
            JwtError::EmptyKeySet
        );
        assert_eq!(
            KeySet::from_jwks(b"{\"keys\":1}", None, false).unwrap_err(),
            JwtError::InvalidKey
        );
        assert_eq!(
            KeySet::from_jwks(b"[", None, false).unwrap_err(),
            JwtError::InvalidKey
        );
    }
}
