//! `McpGuard\Jwt\KeySet`, `McpGuard\Jwt\Verifier`, `McpGuard\Jwt\Signer`.
//!
//! Key sets are parsed through a per-worker cache (see
//! `crate::core::jwt::cache`): building the same `KeySet` again, on the next
//! request served by this worker, costs a SHA-256 of the source.
#![allow(non_snake_case)]

use std::cell::RefCell;
use std::sync::Arc;

use ext_php_rs::binary_slice::BinarySlice;
use ext_php_rs::boxed::ZBox;
use ext_php_rs::flags::ClassFlags;
use ext_php_rs::prelude::*;
use ext_php_rs::types::{ZendHashTable, Zval};

use super::convert;
use super::env::{now_or, rng};
use super::exception::{guarded, invalid_argument};
use crate::core::digest;
use crate::core::json::view;
use crate::core::jwt::cache::{self, KeySetCache};
use crate::core::jwt::json::{self, Object, Value};
use crate::core::jwt::verify::{self, Profile, VerifierConfig};
use crate::core::jwt::{self as core_jwt, Alg, JwtError};

thread_local! {
    static CACHE: RefCell<KeySetCache> = const { RefCell::new(cache::new_cache()) };
}

fn alg(name: &str) -> PhpResult<Alg> {
    Alg::from_name(name).ok_or_else(|| invalid_argument("Unknown or unsupported JWS algorithm."))
}

fn cached(
    parts: &[&[u8]],
    cost: usize,
    parse: impl FnOnce() -> Result<core_jwt::KeySet, JwtError>,
) -> PhpResult<KeySet> {
    // A source over the cache's byte bound is parsed (or refused) without
    // being digested: its size alone decides that it is not kept.
    if cost > cache::DEFAULT_MAX_BYTES {
        return Ok(KeySet(Arc::new(parse()?)));
    }
    let digest = digest::of_parts(cache::DIGEST_LABEL, parts);
    Ok(CACHE
        .with(|c| {
            c.borrow_mut()
                .get_or_try_insert(digest, cost, || parse().map(Arc::new))
        })
        .map(KeySet)?)
}

/// A one-key set built from `material` (a PEM or a secret), cached under
/// everything that decides the key: the source `kind`, the algorithm name,
/// whether a kid is given and which, and the material itself.
fn single_key(
    kind: &[u8],
    alg_name: &str,
    kid: Option<String>,
    material: &[u8],
    build: impl FnOnce(Alg, Option<String>) -> Result<core_jwt::KeySet, JwtError>,
) -> PhpResult<KeySet> {
    let a = alg(alg_name)?;
    let kid_bytes = kid.as_deref().unwrap_or("").as_bytes();
    let parts = [
        kind,
        alg_name.as_bytes(),
        &[u8::from(kid.is_some())],
        kid_bytes,
        material,
    ];
    cached(&parts, material.len(), || build(a, kid.clone()))
}

// ---------------------------------------------------------------- values

/// A JSON value as a PHP value: objects become arrays with string keys
/// (integer keys for canonical decimal names, as `json_decode` does), numbers
/// keep their int/float kind.
fn to_zval(v: &Value) -> PhpResult<Zval> {
    let mut z = Zval::new();
    match v {
        Value::Null => z.set_null(),
        Value::Bool(b) => z.set_bool(*b),
        Value::Int(i) => z.set_long(*i),
        Value::Float(f) => z.set_double(*f),
        Value::Str(s) => z.set_string(s, false)?,
        Value::Array(items) => {
            let mut ht =
                ZendHashTable::with_capacity(u32::try_from(items.len()).unwrap_or(u32::MAX));
            for item in items {
                ht.push(to_zval(item)?)?;
            }
            z.set_hashtable(ht);
        }
        Value::Object(o) => z.set_hashtable(object_to_ht(o)?),
    }
    Ok(z)
}

fn object_to_ht(o: &Object) -> PhpResult<ZBox<ZendHashTable>> {
    let mut ht = ZendHashTable::with_capacity(u32::try_from(o.len()).unwrap_or(u32::MAX));
    for (k, v) in o.iter() {
        let val = to_zval(v)?;
        match k.parse::<i64>() {
            Ok(i) if i.to_string() == k => ht.insert_at_index(i, val)?,
            _ => ht.insert(k, val)?,
        }
    }
    Ok(ht)
}

/// Limits of a claims set (or a JWK) given as a PHP array: as deep as the
/// verifier's parser reads (so we never sign what we would refuse), and far
/// larger than any token the verifier accepts.
const CLAIMS_LIMITS: view::Limits = view::Limits {
    max_bytes: 1024 * 1024,
    max_depth: json::MAX_DEPTH,
    max_string_bytes: 256 * 1024,
    max_items: 10_000,
    max_key_bytes: 1024,
    allow_non_finite: false,
};

/// A PHP array as a claims object, through the one converter (strings and
/// keys UTF-8, floats finite, no PHP objects). The claims set must be an
/// object (RFC 7519 §4): `[]` is the empty claims set; a non-empty list is
/// refused. Nested arrays follow the converter's rule (`[]` is an empty list,
/// as `json_encode` writes it).
fn ht_to_object(ht: &ZendHashTable) -> Result<Object, JwtError> {
    let mut budget = view::Budget::new(CLAIMS_LIMITS);
    match view::build::<Value, _>(ht, &mut budget).map_err(|_| JwtError::InvalidClaims)? {
        Value::Object(o) => Ok(o),
        Value::Array(items) if items.is_empty() => Ok(Object::new()),
        _ => Err(JwtError::InvalidClaims),
    }
}

// ---------------------------------------------------------------- KeySet

/// A set of verification keys, each pinned to one algorithm. Built from a
/// JWKS document, a public key PEM or an HMAC secret; parsed sets are cached
/// per worker by the SHA-256 of their source.
#[php_class]
#[php(name = "McpGuard\\Jwt\\KeySet")]
#[php(flags = ClassFlags::Final)]
pub struct KeySet(Arc<core_jwt::KeySet>);

#[php_impl]
impl KeySet {
    /// From a JWKS document (`{"keys":[…]}`) or one JWK.
    ///
    /// @param string|null $alg pins keys without a JWK `alg`; null = such keys are refused.
    /// @param bool $allowSecretKeys accept `oct` keys (never in a published JWKS; even then a
    ///   document mixing `oct` and public keys is refused, `mixed_key_types`).
    /// @throws \McpGuard\Exception\ConfigurationException weak/unsupported/private keys, missing
    ///   alg or kid, an EC/Ed25519 key that is no valid point (`invalid_key`), a secret that is key
    ///   material (`asymmetric_key_as_secret`), mixed secret and public keys (`mixed_key_types`).
    pub fn from_jwks(
        jwks: BinarySlice<u8>,
        alg: Option<String>,
        allowSecretKeys: Option<bool>,
    ) -> PhpResult<Self> {
        guarded(|| {
            let pinned = alg.as_deref().map(self::alg).transpose()?;
            let secrets = allowSecretKeys.unwrap_or(false);
            let opts = [
                b"jwks".as_slice(),
                alg.as_deref().unwrap_or("").as_bytes(),
                &[u8::from(secrets)],
            ];
            let parts = [opts[0], opts[1], opts[2], &jwks];
            cached(&parts, jwks.len(), || {
                core_jwt::KeySet::from_jwks(&jwks, pinned, secrets)
            })
        })
    }

    /// From a public key PEM (`PUBLIC KEY` or `RSA PUBLIC KEY`). An EC point
    /// not on its curve, or an Ed25519 key that is no valid point, is refused
    /// here (`invalid_key`), not on the first token.
    pub fn from_pem(pem: BinarySlice<u8>, alg: String, kid: Option<String>) -> PhpResult<Self> {
        guarded(|| {
            single_key(b"pem", &alg, kid, &pem, |a, kid| {
                core_jwt::KeySet::from_pem(&pem, a, kid)
            })
        })
    }

    /// From an HMAC secret (at least as long as the hash: 32/48/64 bytes).
    ///
    /// @throws \McpGuard\Exception\ConfigurationException `weak_hmac_key`; `asymmetric_key_as_secret`
    ///   when the secret is key material (a PEM, JWK/JWKS, SSH key, DER, EC point): a public key
    ///   as an HMAC secret lets anyone forge tokens (CVE-2017-11424).
    pub fn from_secret(
        secret: BinarySlice<u8>,
        alg: Option<String>,
        kid: Option<String>,
    ) -> PhpResult<Self> {
        guarded(|| {
            let name = alg.unwrap_or_else(|| "HS256".to_owned());
            single_key(b"secret", &name, kid, &secret, |a, kid| {
                core_jwt::KeySet::from_secret(&secret, a, kid)
            })
        })
    }

    /// Number of keys.
    pub fn count(&self) -> i64 {
        i64::try_from(self.0.keys().len()).unwrap_or(i64::MAX)
    }

    /// The keys as `[['kid' => ?string, 'alg' => string], …]`.
    pub fn keys(&self) -> PhpResult<ZBox<ZendHashTable>> {
        let mut list = ZendHashTable::new();
        for k in self.0.keys() {
            let mut o = Object::new();
            o.insert("kid".into(), k.kid.clone().map_or(Value::Null, Value::Str));
            o.insert("alg".into(), Value::Str(k.alg.name().into()));
            list.push(object_to_ht(&o)?)?;
        }
        Ok(list)
    }

    /// Empties this worker's key-set cache.
    pub fn clear_cache() {
        CACHE.with(|c| c.borrow_mut().clear());
    }

    /// This worker's cache counters: `entries`, `bytes`, `hits`, `misses`.
    pub fn cache_stats() -> PhpResult<ZBox<ZendHashTable>> {
        let s = CACHE.with(|c| c.borrow().stats());
        let mut ht = ZendHashTable::new();
        ht.insert("entries", i64::try_from(s.entries).unwrap_or(i64::MAX))?;
        ht.insert("bytes", i64::try_from(s.bytes).unwrap_or(i64::MAX))?;
        ht.insert("hits", i64::try_from(s.hits).unwrap_or(i64::MAX))?;
        ht.insert("misses", i64::try_from(s.misses).unwrap_or(i64::MAX))?;
        Ok(ht)
    }
}

// ---------------------------------------------------------------- Verifier

/// Verifies JWTs against one key set: algorithm from the key, `iss` exact,
/// `aud` one of the configured audiences, `exp` required, `typ` per profile.
#[php_class]
#[php(name = "McpGuard\\Jwt\\Verifier")]
#[php(flags = ClassFlags::Final)]
pub struct Verifier(verify::Verifier);

fn audiences(z: &Zval) -> PhpResult<Vec<String>> {
    if let Some(s) = z.zend_str() {
        let s = std::str::from_utf8(s.as_bytes())
            .map_err(|_| invalid_argument("The audience must be UTF-8."))?;
        return Ok(vec![s.to_owned()]);
    }
    if let Some(ht) = z.array() {
        let each = || invalid_argument("Each audience must be a UTF-8 string.");
        return convert::strings(ht, usize::MAX)
            .ok_or_else(each)?
            .into_iter()
            .map(|b| {
                std::str::from_utf8(b)
                    .map(str::to_owned)
                    .map_err(|_| each())
            })
            .collect();
    }
    Err(invalid_argument(
        "The audience must be a string or a list of strings.",
    ))
}

fn non_negative(v: i64, what: &str) -> PhpResult<u64> {
    u64::try_from(v).map_err(|_| invalid_argument(&format!("{what} must not be negative.")))
}

#[php_impl]
impl Verifier {
    /// @param string|string[] $audience the resource(s) this server is (exact strings).
    /// @param string $profile `access_token` (RFC 9068, default) or `jwt`.
    /// @param int $leewaySeconds clock leeway, 0–300 (default 30).
    /// @param int|null $maxAgeSeconds refuse tokens with an older `iat`; null = no limit.
    /// @param int $maxTokenBytes size cap before decoding, 1–65536 (default 8192).
    pub fn __construct(
        keys: &KeySet,
        issuer: String,
        audience: &Zval,
        profile: Option<String>,
        leewaySeconds: Option<i64>,
        maxAgeSeconds: Option<i64>,
        maxTokenBytes: Option<i64>,
    ) -> PhpResult<Self> {
        guarded(|| {
            let mut config = VerifierConfig::new(issuer, audiences(audience)?);
            if let Some(p) = profile {
                config.profile =
                    Profile::from_name(&p).ok_or_else(|| invalid_argument("Unknown profile."))?;
            }
            if let Some(l) = leewaySeconds {
                config.leeway_secs = non_negative(l, "The leeway")?;
            }
            if let Some(a) = maxAgeSeconds {
                config.max_age_secs = Some(non_negative(a, "The maximum age")?);
            }
            if let Some(m) = maxTokenBytes {
                config.max_token_len = usize::try_from(m)
                    .map_err(|_| invalid_argument("The size cap must be positive."))?;
            }
            Ok(verify::Verifier::new(Arc::clone(&keys.0), config).map(Self)?)
        })
    }

    /// Verifies a compact JWS and returns its claims.
    ///
    /// @param int|null $now Unix time; null = the system clock.
    /// @throws \McpGuard\Exception\InvalidTokenException errorCode invalid_token, reason one of
    ///   malformed, too_large, alg_not_allowed, crit_unsupported, unknown_kid, bad_signature,
    ///   wrong_type, expired, not_yet_valid, too_old, wrong_issuer, wrong_audience, missing_claim.
    pub fn verify(&self, jwt: BinarySlice<u8>, now: Option<i64>) -> PhpResult<ZBox<ZendHashTable>> {
        guarded(|| {
            let v = self.0.verify(&jwt, now_or(now))?;
            object_to_ht(&v.claims)
        })
    }

    /// Splits the `scope` claim of verified claims into scope tokens (RFC
    /// 6749 §3.3); no `scope` claim → `[]`.
    pub fn scopes(claims: &ZendHashTable) -> PhpResult<Vec<String>> {
        guarded(|| match claims.get("scope") {
            None => Ok(Vec::new()),
            Some(z) => {
                let s = z
                    .zend_str()
                    .and_then(|s| std::str::from_utf8(s.as_bytes()).ok())
                    .ok_or(JwtError::Malformed)?;
                Ok(verify::split_scope(s)?
                    .into_iter()
                    .map(str::to_owned)
                    .collect())
            }
        })
    }
}

// ---------------------------------------------------------------- Signer

/// A signing key for our own authorization server. Its private key never
/// shows in `var_dump` and the object cannot be serialized.
#[php_class]
#[php(name = "McpGuard\\Jwt\\Signer")]
#[php(flags = ClassFlags::Final)]
pub struct Signer(core_jwt::SigningKey);

#[php_impl]
impl Signer {
    /// Generates a new key: `ES256` (default), `ES384` or `EdDSA`.
    pub fn generate(alg: Option<String>) -> PhpResult<Self> {
        guarded(|| {
            let a = self::alg(alg.as_deref().unwrap_or("ES256"))?;
            Ok(Self(core_jwt::SigningKey::generate(a, rng().as_ring())?))
        })
    }

    /// Loads a private key (PKCS#8 PEM or DER; PKCS#1 PEM for RSA).
    pub fn from_private_key(key: BinarySlice<u8>, alg: String) -> PhpResult<Self> {
        guarded(|| {
            let a = self::alg(&alg)?;
            Ok(Self(core_jwt::SigningKey::from_private(
                &key,
                a,
                rng().as_ring(),
            )?))
        })
    }

    /// An HMAC signing key (`HS256` default; at least 32/48/64 bytes; key
    /// material such as a PEM or JWK is refused, `asymmetric_key_as_secret`).
    pub fn from_secret(
        secret: BinarySlice<u8>,
        alg: Option<String>,
        kid: Option<String>,
    ) -> PhpResult<Self> {
        guarded(|| {
            let a = self::alg(alg.as_deref().unwrap_or("HS256"))?;
            Ok(Self(core_jwt::SigningKey::from_secret(&secret, a, kid)?))
        })
    }

    /// The algorithm.
    pub fn alg(&self) -> &'static str {
        self.0.alg().name()
    }

    /// The `kid` (RFC 7638 thumbprint for asymmetric keys).
    pub fn kid(&self) -> Option<String> {
        self.0.kid().map(str::to_owned)
    }

    /// The private key as PKCS#8 (or PKCS#1 for a PKCS#1 RSA input) PEM, for
    /// the host to store encrypted. Not available for HMAC keys.
    pub fn private_key_pem(&self) -> PhpResult<String> {
        self.0
            .private_key_pem()
            .map(|p| p.as_str().to_owned())
            .ok_or_else(|| invalid_argument("An HMAC key has no private key PEM."))
    }

    /// The public JWK as an array (`kty`, …, `kid`, `alg`, `use`).
    pub fn public_jwk(&self) -> PhpResult<ZBox<ZendHashTable>> {
        let jwk = self
            .0
            .public_jwk()
            .ok_or_else(|| invalid_argument("An HMAC key has no public JWK."))?;
        object_to_ht(&jwk)
    }

    /// The JWKS document (JSON) publishing this key.
    pub fn jwks(&self) -> PhpResult<String> {
        let jwk = self
            .0
            .public_jwk()
            .ok_or_else(|| invalid_argument("An HMAC key has no public JWK."))?;
        let mut doc = Object::new();
        doc.insert("keys".into(), Value::Array(vec![Value::Object(jwk)]));
        json::to_vec(&Value::Object(doc))
            .ok()
            .and_then(|v| String::from_utf8(v).ok())
            .ok_or_else(|| JwtError::SigningFailed.into())
    }

    /// Signs arbitrary claims (an array with string keys) as a compact JWS.
    ///
    /// @param string|null $typ header `typ`; default `at+jwt`; null = none.
    pub fn sign(&self, claims: &ZendHashTable, typ: Option<String>) -> PhpResult<String> {
        guarded(|| {
            let claims = ht_to_object(claims)?;
            let typ = typ.unwrap_or_else(|| "at+jwt".to_owned());
            Ok(self.0.sign(&claims, Some(&typ), rng().as_ring())?)
        })
    }

    /// Signs an RFC 9068 access token: `iss`, `sub`, `aud`, `client_id`,
    /// `iat`, `exp`, a random `jti`, `scope` when given, then the extra claims
    /// (which may not set any of those).
    #[allow(clippy::too_many_arguments)]
    pub fn access_token(
        &self,
        issuer: String,
        audience: String,
        subject: String,
        clientId: String,
        lifetimeSeconds: Option<i64>,
        scope: Option<String>,
        extraClaims: Option<&ZendHashTable>,
        now: Option<i64>,
    ) -> PhpResult<String> {
        guarded(|| {
            let lifetime = non_negative(lifetimeSeconds.unwrap_or(300), "The lifetime")?;
            let extra = extraClaims.map(ht_to_object).transpose()?;
            Ok(self.0.access_token(
                &issuer,
                &audience,
                &subject,
                &clientId,
                lifetime,
                scope.as_deref(),
                extra.as_ref(),
                now_or(now),
                rng().as_ring(),
            )?)
        })
    }
}
