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

pub use alg::Alg;
pub use keys::{Key, KeySet};
pub use sign::SigningKey;
pub use verify::{Profile, VerifiedJwt, Verifier, VerifierConfig};

crate::error_table! {
    /// Why a JWT operation failed.
    pub enum JwtError {
        // --- the presented token (InvalidToken) ---
        /// Not a compact JWS of three base64url parts with JSON objects, or a
        /// claim or header parameter of the wrong JSON type, a duplicate
        /// member, too deep nesting.
        Malformed => InvalidToken, "malformed", "The token is malformed.";
        /// Longer than the configured maximum; refused before any decoding.
        TooLarge => InvalidToken, "too_large", "The token is too large.";
        /// The header's `alg` is not the algorithm the key is pinned to (this
        /// includes `none`).
        AlgNotAllowed => InvalidToken, "alg_not_allowed", "The token's algorithm is not allowed for its key.";
        /// The header has a `crit` member: no extension is understood.
        CritUnsupported => InvalidToken, "crit_unsupported", "The token requires an unsupported extension.";
        /// No key of the set matches the header's `kid` (or the set needs one).
        UnknownKid => InvalidToken, "unknown_kid", "The token's key is unknown.";
        /// The signature does not verify.
        BadSignature => InvalidToken, "bad_signature", "The token's signature is invalid.";
        /// The header's `typ` (or `cty`) is not the one the profile requires.
        WrongType => InvalidToken, "wrong_type", "The token is not of the expected type.";
        /// `exp` is in the past (beyond the leeway).
        Expired => InvalidToken, "expired", "The token has expired.";
        /// `nbf` or `iat` is in the future (beyond the leeway).
        NotYetValid => InvalidToken, "not_yet_valid", "The token is not valid yet.";
        /// `iat` is older than the configured maximum age.
        TooOld => InvalidToken, "too_old", "The token is too old.";
        /// `iss` is not the configured issuer.
        WrongIssuer => InvalidToken, "wrong_issuer", "The token was issued by another issuer.";
        /// `aud` holds none of the configured audiences.
        WrongAudience => InvalidToken, "wrong_audience", "The token is meant for another audience.";
        /// A required claim is absent.
        MissingClaim => InvalidToken, "missing_claim", "The token lacks a required claim.";

        // --- keys and configuration (Configuration) ---
        /// An HMAC secret shorter than its hash output (and never under 32 bytes).
        WeakHmacKey => Configuration, "weak_hmac_key", "The HMAC key is too short.";
        /// An RSA modulus under 2048 bits (or over 8192).
        WeakRsaKey => Configuration, "weak_rsa_key", "The RSA key is too small.";
        /// A `kty`, `crv` or key format we do not support.
        UnsupportedKey => Configuration, "unsupported_key", "The key type or curve is not supported.";
        /// Private key material where a public key is expected (a JWKS with `d`,
        /// a private PEM, or a secret in a published JWKS).
        PrivateKeyMaterial => Configuration, "private_key_material", "Private key material is not accepted here.";
        /// A key with no algorithm: neither a JWK `alg` nor one given explicitly.
        MissingAlg => Configuration, "missing_alg", "The key is not pinned to an algorithm.";
        /// The algorithm does not fit the key type, or the JWK `alg` differs from
        /// the one given explicitly, or an unknown algorithm name.
        AlgMismatch => Configuration, "alg_mismatch", "The algorithm does not fit the key.";
        /// A set of more than one key where a key has no `kid`.
        MissingKid => Configuration, "missing_kid", "A key of a multi-key set has no kid.";
        /// Two keys of a set share a `kid`.
        DuplicateKid => Configuration, "duplicate_kid", "Two keys share a kid.";
        /// The key material is not valid: bad encoding, an EC point not on its
        /// curve, an Ed25519 key that is no point or of small order, an RSA
        /// modulus or exponent ring would refuse. Found when the set is built.
        InvalidKey => Configuration, "invalid_key", "The key is invalid.";
        /// The set holds no signature key.
        EmptyKeySet => Configuration, "empty_key_set", "The key set holds no signature key.";
        /// Key material in a key format (a PEM, JWK or JWKS, an SSH key, X.509 /
        /// PKCS DER, an EC point) given as an HMAC secret: a public key is known
        /// to everyone, so an HMAC keyed with it can be forged (CVE-2017-11424).
        AsymmetricKeyAsSecret => Configuration, "asymmetric_key_as_secret", "Key material in a key format cannot be an HMAC secret.";
        /// A key set (or JWKS document) that mixes `oct` secrets with public keys.
        MixedKeyTypes => Configuration, "mixed_key_types", "A key set cannot mix secret and public keys.";

        // --- the calling code (InvalidArgument) ---
        /// A setting outside its documented range (leeway over 300 s, no
        /// audience, an empty issuer, an unknown profile, ...).
        InvalidSetting => InvalidArgument, "invalid_value", "A verifier or signer setting is out of range.";
        /// Claims to sign that cannot be a JWT payload (not an object, a float
        /// that is not finite, a registered claim of the wrong type, ...).
        InvalidClaims => InvalidArgument, "invalid_claims", "The claims cannot be signed.";

        // --- the extension (Internal) ---
        /// The system random generator failed.
        Randomness => Internal, "randomness_unavailable", "The system random generator failed.";
        /// Signing failed inside the crypto library.
        SigningFailed => Internal, "internal_error", "Signing failed.";
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
