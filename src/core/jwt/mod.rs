//! JWT (JWS compact serialization) verification and signing, strict by default.
//!
//! The layers, each in its own file:
//!
//! * [`json`] — strict JSON: duplicate members refused, nesting bounded,
//!   integers kept as integers;
//! * [`alg`] — the algorithms and their ring primitives (the only place that
//!   touches signatures);
//! * [`der`] — the little PEM / DER we need to read public and private keys;
//! * [`curve`] — public-key validation when a set is built (EC points on
//!   their curve, Ed25519 encodings), which ring defers to the first
//!   verification;
//! * [`secret`] — recognises key material (PEM, JWK, SSH, DER) given as an
//!   HMAC secret;
//! * [`keys`] — key sets from a JWKS document, a PEM or a raw secret, every key
//!   pinned to exactly one algorithm;
//! * [`verify`] — the verifier: size cap, header checks, signature, claims;
//! * [`sign`] — signing keys for our own authorization server (RFC 9068);
//! * [`cache`] — a bounded cache of parsed key sets keyed by the SHA-256 of
//!   their source.
//!
//! Why our own parsing instead of `jsonwebtoken::decode`: jsonwebtoken accepts
//! `crit`, any `typ`, missing `aud`/`iss` unless asked, short HMAC keys and
//! headers of any size, and serde's last-wins would decide duplicate claims.
//! Each of those is a refusal here, so the verifier parses the token itself and
//! calls ring through [`alg`]. jsonwebtoken is not part of the extension: it is
//! the independent oracle of `tests/jwt_differential.rs` and of the
//! `jwt_differential` fuzz target (whatever we accept, it accepts; every case
//! where we refuse and it accepts is a documented strictness).

pub mod alg;
pub mod cache;
pub mod curve;
pub mod der;
pub mod json;
pub mod keys;
pub mod secret;
pub mod sign;
pub mod verify;

use std::fmt;

use super::error::{ErrorKind, GuardError};

pub use alg::Alg;
pub use keys::{Key, KeySet};
pub use sign::SigningKey;
pub use verify::{Profile, VerifiedJwt, Verifier, VerifierConfig};

/// Why a JWT operation failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum JwtError {
    // --- the presented token (InvalidToken) ---
    /// Not a compact JWS of three base64url parts with JSON objects, or a
    /// claim of the wrong JSON type, a duplicate member, too deep nesting.
    Malformed,
    /// Longer than the configured maximum; refused before any decoding.
    TooLarge,
    /// The header's `alg` is not the algorithm the key is pinned to (this
    /// includes `none`).
    AlgNotAllowed,
    /// The header has a `crit` member: no extension is understood.
    CritUnsupported,
    /// No key of the set matches the header's `kid` (or the set needs one).
    UnknownKid,
    /// The signature does not verify.
    BadSignature,
    /// The header's `typ` (or `cty`) is not the one the profile requires.
    WrongType,
    /// `exp` is in the past (beyond the leeway).
    Expired,
    /// `nbf` or `iat` is in the future (beyond the leeway).
    NotYetValid,
    /// `iat` is older than the configured maximum age.
    TooOld,
    /// `iss` is not the configured issuer.
    WrongIssuer,
    /// `aud` holds none of the configured audiences.
    WrongAudience,
    /// A required claim is absent.
    MissingClaim,

    // --- keys and configuration (Configuration) ---
    /// An HMAC secret shorter than its hash output (and never under 32 bytes).
    WeakHmacKey,
    /// An RSA modulus under 2048 bits (or over 8192).
    WeakRsaKey,
    /// A `kty`, `crv` or key format we do not support.
    UnsupportedKey,
    /// Private key material where a public key is expected (a JWKS with `d`,
    /// a private PEM, or a secret in a published JWKS).
    PrivateKeyMaterial,
    /// A key with no algorithm: neither a JWK `alg` nor one given explicitly.
    MissingAlg,
    /// The algorithm does not fit the key type, or the JWK `alg` differs from
    /// the one given explicitly, or an unknown algorithm name.
    AlgMismatch,
    /// A set of more than one key where a key has no `kid`.
    MissingKid,
    /// Two keys of a set share a `kid`.
    DuplicateKid,
    /// The key material is not valid (bad encoding, not on the curve, ...).
    InvalidKey,
    /// The set holds no signature key.
    EmptyKeySet,
    /// Key material in a key format (a PEM, JWK or JWKS, an SSH key, X.509 /
    /// PKCS DER, an EC point) given as an HMAC secret: a public key is known
    /// to everyone, so an HMAC keyed with it can be forged (CVE-2017-11424).
    AsymmetricKeyAsSecret,
    /// A key set (or JWKS document) that mixes `oct` secrets with public keys.
    MixedKeyTypes,

    // --- the calling code (InvalidArgument) ---
    /// A setting outside its documented range (leeway over 300 s, no
    /// audience, an empty issuer, an unknown profile, ...).
    InvalidSetting,
    /// Claims to sign that cannot be a JWT payload (not an object, a float
    /// that is not finite, a registered claim of the wrong type, ...).
    InvalidClaims,

    // --- the extension (Internal) ---
    /// The system random generator failed.
    Randomness,
    /// Signing failed inside the crypto library.
    SigningFailed,
}

impl fmt::Display for JwtError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Malformed => "The token is malformed.",
            Self::TooLarge => "The token is too large.",
            Self::AlgNotAllowed => "The token's algorithm is not allowed for its key.",
            Self::CritUnsupported => "The token requires an unsupported extension.",
            Self::UnknownKid => "The token's key is unknown.",
            Self::BadSignature => "The token's signature is invalid.",
            Self::WrongType => "The token is not of the expected type.",
            Self::Expired => "The token has expired.",
            Self::NotYetValid => "The token is not valid yet.",
            Self::TooOld => "The token is too old.",
            Self::WrongIssuer => "The token was issued by another issuer.",
            Self::WrongAudience => "The token is meant for another audience.",
            Self::MissingClaim => "The token lacks a required claim.",
            Self::WeakHmacKey => "The HMAC key is too short.",
            Self::WeakRsaKey => "The RSA key is too small.",
            Self::UnsupportedKey => "The key type or curve is not supported.",
            Self::PrivateKeyMaterial => "Private key material is not accepted here.",
            Self::MissingAlg => "The key is not pinned to an algorithm.",
            Self::AlgMismatch => "The algorithm does not fit the key.",
            Self::MissingKid => "A key of a multi-key set has no kid.",
            Self::DuplicateKid => "Two keys share a kid.",
            Self::InvalidKey => "The key is invalid.",
            Self::EmptyKeySet => "The key set holds no signature key.",
            Self::AsymmetricKeyAsSecret => "Key material in a key format cannot be an HMAC secret.",
            Self::MixedKeyTypes => "A key set cannot mix secret and public keys.",
            Self::InvalidSetting => "A verifier or signer setting is out of range.",
            Self::InvalidClaims => "The claims cannot be signed.",
            Self::Randomness => "The system random generator failed.",
            Self::SigningFailed => "Signing failed.",
        })
    }
}

impl std::error::Error for JwtError {}

impl GuardError for JwtError {
    fn kind(&self) -> ErrorKind {
        match self {
            Self::Malformed
            | Self::TooLarge
            | Self::AlgNotAllowed
            | Self::CritUnsupported
            | Self::UnknownKid
            | Self::BadSignature
            | Self::WrongType
            | Self::Expired
            | Self::NotYetValid
            | Self::TooOld
            | Self::WrongIssuer
            | Self::WrongAudience
            | Self::MissingClaim => ErrorKind::InvalidToken,
            Self::WeakHmacKey
            | Self::WeakRsaKey
            | Self::UnsupportedKey
            | Self::PrivateKeyMaterial
            | Self::MissingAlg
            | Self::AlgMismatch
            | Self::MissingKid
            | Self::DuplicateKid
            | Self::InvalidKey
            | Self::EmptyKeySet
            | Self::AsymmetricKeyAsSecret
            | Self::MixedKeyTypes => ErrorKind::Configuration,
            Self::InvalidSetting | Self::InvalidClaims => ErrorKind::InvalidArgument,
            Self::Randomness | Self::SigningFailed => ErrorKind::Internal,
        }
    }

    fn reason(&self) -> &'static str {
        match self {
            Self::Malformed => "malformed",
            Self::TooLarge => "too_large",
            Self::AlgNotAllowed => "alg_not_allowed",
            Self::CritUnsupported => "crit_unsupported",
            Self::UnknownKid => "unknown_kid",
            Self::BadSignature => "bad_signature",
            Self::WrongType => "wrong_type",
            Self::Expired => "expired",
            Self::NotYetValid => "not_yet_valid",
            Self::TooOld => "too_old",
            Self::WrongIssuer => "wrong_issuer",
            Self::WrongAudience => "wrong_audience",
            Self::MissingClaim => "missing_claim",
            Self::WeakHmacKey => "weak_hmac_key",
            Self::WeakRsaKey => "weak_rsa_key",
            Self::UnsupportedKey => "unsupported_key",
            Self::PrivateKeyMaterial => "private_key_material",
            Self::MissingAlg => "missing_alg",
            Self::AlgMismatch => "alg_mismatch",
            Self::MissingKid => "missing_kid",
            Self::DuplicateKid => "duplicate_kid",
            Self::InvalidKey => "invalid_key",
            Self::EmptyKeySet => "empty_key_set",
            Self::AsymmetricKeyAsSecret => "asymmetric_key_as_secret",
            Self::MixedKeyTypes => "mixed_key_types",
            Self::InvalidSetting => "invalid_value",
            Self::InvalidClaims => "invalid_claims",
            Self::Randomness => "randomness_unavailable",
            Self::SigningFailed => "internal_error",
        }
    }
}

/// Strict base64url without padding (RFC 7515 §2): padding, the standard
/// alphabet and non-canonical trailing bits are all refused.
pub fn b64_decode(input: &[u8]) -> Result<Vec<u8>, JwtError> {
    use base64::Engine as _;
    base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(input)
        .map_err(|_| JwtError::Malformed)
}

/// base64url without padding.
pub fn b64_encode(input: &[u8]) -> String {
    use base64::Engine as _;
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(input)
}
