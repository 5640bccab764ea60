//! Signing keys for our own authorization server: RFC 9068 access tokens
//! signed with ES256/ES384/EdDSA keys the extension generates, RS*/PS* keys
//! from a PEM the host provides, or HS* secrets. The `kid` of an asymmetric
//! key is its RFC 7638 thumbprint.

use ring::rand::SecureRandom;
use ring::signature::{self, KeyPair};
use zeroize::Zeroizing;

use super::alg::{self, Alg, Family, PrivateMaterial, PublicMaterial};
use super::der;
use super::json::{self, Object, Value};
use super::keys::{self, thumbprint};
use super::{b64_encode, JwtError};

/// Registered claims an access token sets itself; `extra` may not override them.
pub const RESERVED_CLAIMS: [&str; 9] = [
    "iss",
    "sub",
    "aud",
    "exp",
    "iat",
    "nbf",
    "jti",
    "client_id",
    "scope",
];

/// A private key pinned to one algorithm.
pub struct SigningKey {
    alg: Alg,
    material: PrivateMaterial,
    public: Option<PublicMaterial>,
    kid: Option<String>,
    /// PEM label and DER of the private key, kept only to hand it back.
    private: Option<(&'static str, Zeroizing<Vec<u8>>)>,
}

impl std::fmt::Debug for SigningKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SigningKey")
            .field("alg", &self.alg)
            .field("kid", &self.kid)
            .finish_non_exhaustive()
    }
}

fn ec_alg(alg: Alg) -> Result<&'static signature::EcdsaSigningAlgorithm, JwtError> {
    alg.ecdsa_signing().ok_or(JwtError::AlgMismatch)
}

impl SigningKey {
    /// Generates a new ES256, ES384 or EdDSA key.
    pub fn generate(alg: Alg, rng: &dyn SecureRandom) -> Result<Self, JwtError> {
        let pkcs8 = match alg.family() {
            Family::Ec => signature::EcdsaKeyPair::generate_pkcs8(ec_alg(alg)?, rng),
            Family::Okp => signature::Ed25519KeyPair::generate_pkcs8(rng),
            _ => return Err(JwtError::AlgMismatch),
        }
        .map_err(|_| JwtError::Randomness)?;
        Self::from_der("PRIVATE KEY", pkcs8.as_ref(), alg, rng)
    }

    /// Loads a private key: PEM (`PRIVATE KEY` = PKCS#8; `RSA PRIVATE KEY` =
    /// PKCS#1) or raw PKCS#8 DER. Encrypted and SEC1 (`EC PRIVATE KEY`) keys
    /// are not supported: convert them to PKCS#8.
    pub fn from_private(input: &[u8], alg: Alg, rng: &dyn SecureRandom) -> Result<Self, JwtError> {
        if der::is_pem(input) {
            let pem = der::pem_decode(input)?;
            let der = Zeroizing::new(pem.der);
            match pem.label.as_str() {
                "PRIVATE KEY" => Self::from_der("PRIVATE KEY", &der, alg, rng),
                "RSA PRIVATE KEY" => Self::from_der("RSA PRIVATE KEY", &der, alg, rng),
                l if der::is_private_label(l) => Err(JwtError::UnsupportedKey),
                _ => Err(JwtError::InvalidKey),
            }
        } else {
            Self::from_der("PRIVATE KEY", input, alg, rng)
        }
    }

    fn from_der(
        label: &'static str,
        der: &[u8],
        alg: Alg,
        rng: &dyn SecureRandom,
    ) -> Result<Self, JwtError> {
        let (material, public) = match (alg.family(), label) {
            (Family::Rsa, _) => {
                let kp = if label == "PRIVATE KEY" {
                    signature::RsaKeyPair::from_pkcs8(der)
                } else {
                    signature::RsaKeyPair::from_der(der)
                }
                .map_err(|_| JwtError::InvalidKey)?;
                let bits = kp.public().modulus_len() * 8;
                if bits < keys::MIN_RSA_BITS {
                    return Err(JwtError::WeakRsaKey);
                }
                let c = signature::RsaPublicKeyComponents::<Vec<u8>>::from(kp.public());
                (
                    PrivateMaterial::Rsa(kp),
                    PublicMaterial::Rsa { n: c.n, e: c.e },
                )
            }
            (Family::Ec, "PRIVATE KEY") => {
                let kp = signature::EcdsaKeyPair::from_pkcs8(ec_alg(alg)?, der, rng)
                    .map_err(|_| JwtError::InvalidKey)?;
                let point = kp.public_key().as_ref().to_vec();
                (PrivateMaterial::Ec(kp), PublicMaterial::Ec(point))
            }
            (Family::Okp, "PRIVATE KEY") => {
                let kp = signature::Ed25519KeyPair::from_pkcs8_maybe_unchecked(der)
                    .map_err(|_| JwtError::InvalidKey)?;
                let x = kp.public_key().as_ref().to_vec();
                (PrivateMaterial::Ed25519(kp), PublicMaterial::Ed25519(x))
            }
            (Family::Hmac, _) => return Err(JwtError::AlgMismatch),
            _ => return Err(JwtError::InvalidKey),
        };
        let kid = keys::required_members(&public).map(|m| thumbprint(&m));
        Ok(Self {
            alg,
            material,
            public: Some(public),
            kid,
            private: Some((label, Zeroizing::new(der.to_vec()))),
        })
    }

    /// An HMAC signing key (length rules as for verification).
    pub fn from_secret(secret: &[u8], alg: Alg, kid: Option<String>) -> Result<Self, JwtError> {
        // Reuse the verification-side policy (length per hash).
        keys::secret_key(None, alg, secret)?;
        Ok(Self {
            alg,
            material: PrivateMaterial::Hmac(alg::hmac_key(alg, secret)),
            public: None,
            kid,
            private: None,
        })
    }

    /// The algorithm.
    pub fn alg(&self) -> Alg {
        self.alg
    }

    /// The `kid`: the RFC 7638 thumbprint for asymmetric keys, the given one
    /// (or none) for HMAC.
    pub fn kid(&self) -> Option<&str> {
        self.kid.as_deref()
    }

    /// The private key as PEM, for the host to store. `None` for HMAC.
    pub fn private_key_pem(&self) -> Option<Zeroizing<String>> {
        let (label, der) = self.private.as_ref()?;
        Some(Zeroizing::new(pem_encode(label, der)))
    }

    /// The public JWK (with `kid`, `alg`, `use: sig`). `None` for HMAC.
    pub fn public_jwk(&self) -> Option<Object> {
        let members = keys::required_members(self.public.as_ref()?)?;
        let mut o = Object::new();
        for (k, v) in members {
            o.insert(k.to_owned(), Value::Str(v));
        }
        if let Some(kid) = &self.kid {
            o.insert("kid".into(), Value::Str(kid.clone()));
        }
        o.insert("alg".into(), Value::Str(self.alg.name().into()));
        o.insert("use".into(), Value::Str("sig".into()));
        Some(o)
    }

    /// Signs `claims` as a compact JWS with header `{alg, typ, kid}`.
    pub fn sign(
        &self,
        claims: &Object,
        typ: Option<&str>,
        rng: &dyn SecureRandom,
    ) -> Result<String, JwtError> {
        let mut header = Object::new();
        header.insert("alg".into(), Value::Str(self.alg.name().into()));
        if let Some(t) = typ {
            header.insert("typ".into(), Value::Str(t.into()));
        }
        if let Some(kid) = &self.kid {
            header.insert("kid".into(), Value::Str(kid.clone()));
        }
        let h = json::to_vec(&Value::Object(header)).map_err(|_| JwtError::InvalidClaims)?;
        let p =
            json::to_vec(&Value::Object(claims.clone())).map_err(|_| JwtError::InvalidClaims)?;
        let mut out = b64_encode(&h);
        out.push('.');
        out.push_str(&b64_encode(&p));
        let sig = alg::sign(self.alg, &self.material, out.as_bytes(), rng)
            .map_err(|_| JwtError::SigningFailed)?;
        out.push('.');
        out.push_str(&b64_encode(&sig));
        Ok(out)
    }

    /// Signs an RFC 9068 access token (`typ: at+jwt`) with `iss`, `sub`,
    /// `aud`, `client_id`, `iat`, `exp = now + lifetime`, a random `jti`,
    /// `scope` when given, then `extra` (which may not set any of
    /// [`RESERVED_CLAIMS`]).
    #[allow(clippy::too_many_arguments)]
    pub fn access_token(
        &self,
        issuer: &str,
        audience: &str,
        subject: &str,
        client_id: &str,
        lifetime_secs: u64,
        scope: Option<&str>,
        extra: Option<&Object>,
        now: i64,
        rng: &dyn SecureRandom,
    ) -> Result<String, JwtError> {
        if issuer.is_empty()
            || audience.is_empty()
            || subject.is_empty()
            || client_id.is_empty()
            || lifetime_secs == 0
        {
            return Err(JwtError::InvalidSetting);
        }
        if let Some(s) = scope {
            super::verify::split_scope(s).map_err(|_| JwtError::InvalidClaims)?;
        }
        let exp = i64::try_from(lifetime_secs)
            .ok()
            .and_then(|l| now.checked_add(l))
            .ok_or(JwtError::InvalidSetting)?;
        let mut jti = [0u8; 16];
        rng.fill(&mut jti).map_err(|_| JwtError::Randomness)?;
        let mut c = Object::new();
        let s = |v: &str| Value::Str(v.to_owned());
        c.insert("iss".into(), s(issuer));
        c.insert("sub".into(), s(subject));
        c.insert("aud".into(), s(audience));
        c.insert("client_id".into(), s(client_id));
        c.insert("iat".into(), Value::Int(now));
        c.insert("exp".into(), Value::Int(exp));
        c.insert("jti".into(), Value::Str(b64_encode(&jti)));
        if let Some(sc) = scope {
            c.insert("scope".into(), s(sc));
        }
        if let Some(extra) = extra {
            for (k, v) in extra.iter() {
                if RESERVED_CLAIMS.contains(&k) || !c.insert(k.to_owned(), v.clone()) {
                    return Err(JwtError::InvalidClaims);
                }
            }
        }
        self.sign(&c, Some("at+jwt"), rng)
    }
}

/// PEM with 64-character lines (RFC 7468 §2).
pub fn pem_encode(label: &str, der: &[u8]) -> String {
    use base64::Engine as _;
    let b64 = Zeroizing::new(base64::engine::general_purpose::STANDARD.encode(der));
    let mut out = format!("-----BEGIN {label}-----\n");
    for chunk in b64.as_bytes().chunks(64) {
        out.push_str(std::str::from_utf8(chunk).unwrap_or_default());
        out.push('\n');
    }
    out.push_str(&format!("-----END {label}-----\n"));
    out
}
