//! The verifier: configured once, then `verify(token, now)` per request.
//!
//! Order of checks, cheapest and least trusting first: size cap → shape and
//! alphabet → header (strict JSON) → `crit` → `b64`/`zip`/`enc` → registered
//! header parameters of their JSON types → `alg` known → key by `kid` →
//! `alg` equals the key's → `typ`/`cty` → signature → payload (strict JSON)
//! → claims. The payload is not parsed before its signature verifies.

use std::sync::Arc;

use super::alg::{self, Alg};
use super::json::{self, Object, Value};
use super::keys::KeySet;
use super::{b64_decode, JwtError};
use crate::core::policy::scope::is_scope_char;

/// Default token size cap in bytes.
pub const DEFAULT_MAX_TOKEN_LEN: usize = 8 * 1024;
/// Highest configurable size cap.
pub const MAX_MAX_TOKEN_LEN: usize = 64 * 1024;
/// Default clock leeway in seconds.
pub const DEFAULT_LEEWAY_SECS: u64 = 30;
/// Highest configurable leeway.
pub const MAX_LEEWAY_SECS: u64 = 300;

/// Which kind of JWT is expected.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Profile {
    /// RFC 9068 access token (the default): `typ` is `at+jwt` or
    /// `application/at+jwt` (any case); `sub`, `client_id`, `iat`, `jti`
    /// required. An OIDC ID token (`typ: JWT`) is refused.
    #[default]
    AccessToken,
    /// A generic JWT: `typ` absent, `JWT` or an access-token type; no extra
    /// claims required.
    Jwt,
}

impl Profile {
    /// `access_token` or `jwt`.
    pub fn from_name(name: &str) -> Option<Self> {
        match name {
            "access_token" => Some(Self::AccessToken),
            "jwt" => Some(Self::Jwt),
            _ => None,
        }
    }
}

/// Verifier settings. Secure by default: build with [`VerifierConfig::new`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerifierConfig {
    /// The exact `iss` required (byte equality, no prefix or normalisation).
    /// Required, not empty.
    pub issuer: String,
    /// `aud` must contain one of these (exact strings: RFC 8707 canonical
    /// resource URIs). Required, at least one, none empty.
    pub audiences: Vec<String>,
    /// Default [`Profile::AccessToken`].
    pub profile: Profile,
    /// Clock leeway for `exp`, `nbf`, `iat`. Default 30 s, at most 300 s.
    pub leeway_secs: u64,
    /// Refuse tokens whose `iat` is older than this. Default `None` (no
    /// limit; `exp` still applies). When set, `iat` is required.
    pub max_age_secs: Option<u64>,
    /// Size cap checked before any decoding. Default 8 KiB, at most 64 KiB.
    pub max_token_len: usize,
}

impl VerifierConfig {
    /// Settings for `issuer` and `audiences`, everything else default.
    pub fn new(issuer: impl Into<String>, audiences: Vec<String>) -> Self {
        Self {
            issuer: issuer.into(),
            audiences,
            profile: Profile::default(),
            leeway_secs: DEFAULT_LEEWAY_SECS,
            max_age_secs: None,
            max_token_len: DEFAULT_MAX_TOKEN_LEN,
        }
    }

    fn validate(&self) -> Result<(), JwtError> {
        let ok = !self.issuer.is_empty()
            && !self.audiences.is_empty()
            && self.audiences.iter().all(|a| !a.is_empty())
            && self.leeway_secs <= MAX_LEEWAY_SECS
            && self
                .max_age_secs
                .is_none_or(|a| a > 0 && a <= i64::MAX as u64)
            && (1..=MAX_MAX_TOKEN_LEN).contains(&self.max_token_len);
        if ok {
            Ok(())
        } else {
            Err(JwtError::InvalidSetting)
        }
    }
}

/// A JWT that passed every check: its header and claims. (Not to be confused
/// with `core::token`'s verified API token: a JWT is self-contained, an API
/// token is looked up.)
#[derive(Debug, Clone)]
pub struct VerifiedJwt {
    /// The JOSE header.
    pub header: Object,
    /// The claims.
    pub claims: Object,
    /// The algorithm it was verified with (the key's).
    pub alg: Alg,
    /// The `kid` of the key that verified it.
    pub kid: Option<String>,
}

/// Verifies tokens against one key set and one configuration.
#[derive(Debug, Clone)]
pub struct Verifier {
    keys: Arc<KeySet>,
    config: VerifierConfig,
}

/// Byte classes of the compact serialization: 1 = base64url, 2 = `.`,
/// 0 = anything else.
const CLASS: [u8; 256] = {
    let mut t = [0u8; 256];
    let mut i = 0;
    while i < 256 {
        let b = i as u8;
        if b.is_ascii_alphanumeric() || b == b'-' || b == b'_' {
            t[i] = 1;
        } else if b == b'.' {
            t[i] = 2;
        }
        i += 1;
    }
    t
};

/// The three base64url parts of a compact JWS.
type Parts<'a> = (&'a [u8], &'a [u8], &'a [u8]);

/// Splits `h.p.s`, refusing any byte outside base64url and `.` and any
/// count of dots but two. One branch-free pass over the bytes.
fn split_compact(token: &[u8]) -> Result<Parts<'_>, JwtError> {
    let mut other = 0u8;
    let mut dots = 0usize;
    for &b in token {
        let c = CLASS[usize::from(b)];
        other |= u8::from(c == 0);
        dots += usize::from(c == 2);
    }
    if other != 0 || dots != 2 {
        return Err(JwtError::Malformed);
    }
    let first = token
        .iter()
        .position(|b| *b == b'.')
        .ok_or(JwtError::Malformed)?;
    let (h, rest) = token.split_at(first);
    let rest = rest.get(1..).ok_or(JwtError::Malformed)?;
    let second = rest
        .iter()
        .position(|b| *b == b'.')
        .ok_or(JwtError::Malformed)?;
    let (p, s) = rest.split_at(second);
    Ok((h, p, s.get(1..).ok_or(JwtError::Malformed)?))
}

fn opt_str<'a>(o: &'a Object, name: &str) -> Result<Option<&'a str>, JwtError> {
    match o.get(name) {
        None => Ok(None),
        Some(Value::Str(s)) => Ok(Some(s)),
        Some(_) => Err(JwtError::Malformed),
    }
}

/// A NumericDate claim (RFC 7519 §2).
fn opt_date(o: &Object, name: &str) -> Result<Option<i64>, JwtError> {
    match o.get(name) {
        None => Ok(None),
        // Before 1970 is no date any issuer writes.
        Some(Value::Int(i)) if *i >= 0 => Ok(Some(*i)),
        // NumericDate may carry a fraction; we accept integers only, so no
        // float rounding can move an expiry.
        Some(_) => Err(JwtError::Malformed),
    }
}

fn is_string_list(v: &Value) -> bool {
    matches!(v, Value::Array(items) if items.iter().all(|i| i.as_str().is_some()))
}

/// Header parameters we never act on must still have their registered
/// types (RFC 7515 §4.1, RFC 8555 §6.4 for `url`/`nonce`); an embedded `jwk`
/// must be a JWK object whose registered members (RFC 7517 §4) have theirs.
/// `kid` and `typ` are read (and type-checked) where they are used.
fn check_header_types(header: &Object) -> Result<(), JwtError> {
    const STRINGS: [&str; 6] = ["jku", "x5u", "x5t", "x5t#S256", "url", "nonce"];
    const JWK_STRINGS: [&str; 7] = ["kty", "use", "alg", "kid", "x5u", "x5t", "x5t#S256"];
    let strings_ok = |o: &Object, names: &[&str]| {
        names
            .iter()
            .all(|n| o.get(n).is_none_or(|v| v.as_str().is_some()))
    };
    if !strings_ok(header, &STRINGS) || header.get("x5c").is_some_and(|v| !is_string_list(v)) {
        return Err(JwtError::Malformed);
    }
    match header.get("jwk") {
        None => Ok(()),
        Some(Value::Object(jwk))
            if jwk.contains("kty")
                && strings_ok(jwk, &JWK_STRINGS)
                && ["key_ops", "x5c"]
                    .iter()
                    .all(|n| jwk.get(n).is_none_or(is_string_list)) =>
        {
            Ok(())
        }
        Some(_) => Err(JwtError::Malformed),
    }
}

fn typ_is(typ: &str, expected: &[&str]) -> bool {
    expected.iter().any(|e| typ.eq_ignore_ascii_case(e))
}

impl Verifier {
    /// A verifier; `InvalidSetting` when the configuration is out of range.
    pub fn new(keys: Arc<KeySet>, config: VerifierConfig) -> Result<Self, JwtError> {
        config.validate()?;
        Ok(Self { keys, config })
    }

    /// The configuration.
    pub fn config(&self) -> &VerifierConfig {
        &self.config
    }

    /// Verifies a compact JWS at Unix time `now`.
    pub fn verify(&self, token: &[u8], now: i64) -> Result<VerifiedJwt, JwtError> {
        if token.len() > self.config.max_token_len {
            return Err(JwtError::TooLarge);
        }
        // Compact form only: a JSON-serialised JWS (RFC 7515 §7.2) starts with
        // `{` and fails the alphabet check.
        let (h64, p64, s64) = split_compact(token)?;
        // An empty signature part is left to the signature check, so that
        // `alg: none` tokens (`h.p.`) are reported as `alg_not_allowed`.
        if h64.is_empty() || p64.is_empty() {
            return Err(JwtError::Malformed);
        }
        let header = json::parse_object(&b64_decode(h64)?).map_err(|_| JwtError::Malformed)?;

        if header.contains("crit") {
            return Err(JwtError::CritUnsupported);
        }
        // Unencoded payloads and compression change what is signed: unsupported.
        // `enc` names a JWE (RFC 7516 §4.1.2), not a JWS.
        if header.contains("b64") || header.contains("zip") || header.contains("enc") {
            return Err(JwtError::Malformed);
        }
        check_header_types(&header)?;
        let alg_name = opt_str(&header, "alg")?.ok_or(JwtError::Malformed)?;
        let token_alg = Alg::from_name(alg_name).ok_or(JwtError::AlgNotAllowed)?;
        let kid = opt_str(&header, "kid")?;
        // `jku`, `x5u`, `jwk`, `x5c`, `x5t` are never looked at: the key comes
        // from the configured set only.
        let key = self.keys.find(kid)?;
        if token_alg != key.alg {
            return Err(JwtError::AlgNotAllowed);
        }
        let typ = opt_str(&header, "typ")?;
        let typ_ok = match (self.config.profile, typ) {
            (Profile::AccessToken, Some(t)) => typ_is(t, &["at+jwt", "application/at+jwt"]),
            (Profile::AccessToken, None) => false,
            (Profile::Jwt, None) => true,
            (Profile::Jwt, Some(t)) => typ_is(
                t,
                &["JWT", "application/jwt", "at+jwt", "application/at+jwt"],
            ),
        };
        if !typ_ok || header.contains("cty") {
            return Err(JwtError::WrongType);
        }

        let sig = b64_decode(s64)?;
        let signing_input_len = h64.len() + 1 + p64.len();
        let signing_input = token.get(..signing_input_len).ok_or(JwtError::Malformed)?;
        alg::verify(key.alg, &key.material, signing_input, &sig)
            .map_err(|_| JwtError::BadSignature)?;

        let claims = json::parse_object(&b64_decode(p64)?).map_err(|_| JwtError::Malformed)?;
        self.check_claims(&claims, now)?;
        Ok(VerifiedJwt {
            alg: key.alg,
            kid: key.kid.clone(),
            header,
            claims,
        })
    }

    fn check_claims(&self, claims: &Object, now: i64) -> Result<(), JwtError> {
        let c = &self.config;
        let leeway = c.leeway_secs as i64; // <= 300
        let now = i128::from(now);
        let leeway = i128::from(leeway);

        // Types first: a claim of the wrong type is malformed wherever it is.
        let exp = opt_date(claims, "exp")?;
        let nbf = opt_date(claims, "nbf")?;
        let iat = opt_date(claims, "iat")?;
        let iss = opt_str(claims, "iss")?;
        let sub = opt_str(claims, "sub")?;
        let jti = opt_str(claims, "jti")?;
        let client_id = opt_str(claims, "client_id")?;
        let aud: Vec<&str> = match claims.get("aud") {
            None => Vec::new(),
            Some(Value::Str(s)) => vec![s.as_str()],
            Some(Value::Array(items)) => items
                .iter()
                .map(|v| v.as_str().ok_or(JwtError::Malformed))
                .collect::<Result<_, _>>()?,
            Some(_) => return Err(JwtError::Malformed),
        };

        let exp = exp.ok_or(JwtError::MissingClaim)?;
        if now >= i128::from(exp) + leeway {
            return Err(JwtError::Expired);
        }
        if let Some(nbf) = nbf {
            if i128::from(nbf) > now + leeway {
                return Err(JwtError::NotYetValid);
            }
        }
        if let Some(iat) = iat {
            if i128::from(iat) > now + leeway {
                return Err(JwtError::NotYetValid);
            }
        }
        if let Some(max_age) = c.max_age_secs {
            let iat = iat.ok_or(JwtError::MissingClaim)?;
            if now - i128::from(iat) > i128::from(max_age) + leeway {
                return Err(JwtError::TooOld);
            }
        }
        match iss {
            None => return Err(JwtError::MissingClaim),
            Some(i) if i != c.issuer => return Err(JwtError::WrongIssuer),
            Some(_) => {}
        }
        if !claims.contains("aud") {
            return Err(JwtError::MissingClaim);
        }
        if !aud.iter().any(|a| c.audiences.iter().any(|x| x == a)) {
            return Err(JwtError::WrongAudience);
        }
        if c.profile == Profile::AccessToken
            && (sub.is_none() || client_id.is_none() || iat.is_none() || jti.is_none())
        {
            return Err(JwtError::MissingClaim);
        }
        Ok(())
    }
}

/// Splits an OAuth `scope` claim (RFC 6749 §3.3: scope-tokens of
/// `%x21 / %x23-5B / %x5D-7E` separated by single spaces). Empty string → no
/// scope; anything else not of that form is malformed.
pub fn split_scope(scope: &str) -> Result<Vec<&str>, JwtError> {
    if scope.is_empty() {
        return Ok(Vec::new());
    }
    scope
        .split(' ')
        .map(|t| {
            let ok = !t.is_empty() && t.bytes().all(is_scope_char);
            if ok {
                Ok(t)
            } else {
                Err(JwtError::Malformed)
            }
        })
        .collect()
}
