//! Differential fuzzing of our JWT verifier against jsonwebtoken (the oracle
//! of tests/jwt/oracle.rs, with its own ring provider): whatever our
//! verifier accepts, jsonwebtoken configured as strictly must accept too,
//! with the same claims. (The other direction, where we refuse and it
//! accepts, is the documented strictness of tests/jwt_differential.rs and is
//! not a failure here.)
//!
//! The first byte picks the key (HS256 secret or a generated ES256 key), the
//! profile (access token or generic JWT) and the shape: the rest is a raw
//! compact token, or it is split at the first 0xff into header and payload
//! JSON that are base64url-encoded and correctly signed, so hostile headers
//! and claims reach both verifiers' header and claim checks.
//!
//! jsonwebtoken reads the system clock; the input is judged only when the
//! second did not change while both verifiers ran.
#![no_main]

#[path = "../../tests/jwt/oracle.rs"]
mod oracle;

use std::sync::{Arc, OnceLock};
use std::time::{SystemTime, UNIX_EPOCH};

use jsonwebtoken::{Algorithm, DecodingKey, Validation};
use libfuzzer_sys::fuzz_target;
use mcp_guard::core::jwt::b64_encode;
use mcp_guard::core::jwt::json;
use mcp_guard::core::jwt::keys::KeySet;
use mcp_guard::core::jwt::sign::SigningKey;
use mcp_guard::core::jwt::verify::{Profile, Verifier, VerifierConfig};
use mcp_guard::core::jwt::Alg;
use ring::rand::SystemRandom;
use ring::signature::{self as rs, KeyPair as _};

const ISS: &str = "https://as.shop";
const AUD: &str = "https://mcp.shop/mcp";
const SECRET: &[u8] = b"0123456789abcdef0123456789abcdef";

struct Side {
    ours: [Verifier; 2],
    theirs: DecodingKey,
    validation: [Validation; 2],
    sign: Box<dyn Fn(&[u8]) -> Vec<u8> + Send + Sync>,
    header: &'static str,
}

fn verifiers(set: KeySet) -> [Verifier; 2] {
    let set = Arc::new(set);
    [Profile::AccessToken, Profile::Jwt].map(|p| {
        let mut c = VerifierConfig::new(ISS, vec![AUD.into()]);
        c.profile = p;
        Verifier::new(Arc::clone(&set), c).expect("fixed config")
    })
}

fn validations(alg: Algorithm) -> [Validation; 2] {
    [true, false].map(|at| oracle::validation(alg, ISS, &[AUD], 30, at))
}

fn sides() -> &'static [Side; 2] {
    static S: OnceLock<[Side; 2]> = OnceLock::new();
    S.get_or_init(|| {
        let hmac = ring::hmac::Key::new(ring::hmac::HMAC_SHA256, SECRET);
        let rng = SystemRandom::new();
        let ec = SigningKey::generate(Alg::ES256, &rng).expect("generated key");
        let pem = ec.private_key_pem().expect("pem");
        let pkcs8 = mcp_guard::core::jwt::der::pem_decode(pem.as_bytes()).expect("pem").der;
        let kp = rs::EcdsaKeyPair::from_pkcs8(&rs::ECDSA_P256_SHA256_FIXED_SIGNING, &pkcs8, &rng)
            .expect("pkcs8");
        let point = kp.public_key().as_ref().to_vec();
        let jwk = json::to_vec(&json::Value::Object(ec.public_jwk().expect("jwk"))).expect("json");
        [
            Side {
                ours: verifiers(KeySet::from_secret(SECRET, Alg::HS256, None).expect("set")),
                theirs: DecodingKey::from_secret(SECRET),
                validation: validations(Algorithm::HS256),
                sign: Box::new(move |m| ring::hmac::sign(&hmac, m).as_ref().to_vec()),
                header: r#"{"alg":"HS256","typ":"at+jwt"}"#,
            },
            Side {
                ours: verifiers(KeySet::from_jwks(&jwk, None, false).expect("set")),
                theirs: oracle::ec_decoding_key(&point),
                validation: validations(Algorithm::ES256),
                sign: Box::new(move |m| {
                    kp.sign(&SystemRandom::new(), m)
                        .map(|s| s.as_ref().to_vec())
                        .unwrap_or_default()
                }),
                header: r#"{"alg":"ES256","typ":"at+jwt"}"#,
            },
        ]
    })
}

fn now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64)
}

fuzz_target!(|data: &[u8]| {
    let Some((&mode, rest)) = data.split_first() else {
        return;
    };
    let side = &sides()[usize::from(mode >> 1 & 1)];
    let profile = usize::from(mode >> 2 & 1);
    let token = if mode & 1 == 0 {
        rest.to_vec()
    } else {
        let (header, payload) = match rest.iter().position(|&b| b == 0xff) {
            Some(i) => (&rest[..i], &rest[i + 1..]),
            None => (side.header.as_bytes(), rest),
        };
        let input = format!("{}.{}", b64_encode(header), b64_encode(payload));
        let sig = (side.sign)(input.as_bytes());
        format!("{input}.{}", b64_encode(&sig)).into_bytes()
    };
    let t0 = now();
    let ours = side.ours[profile].verify(&token, t0);
    let theirs = oracle::verify(&token, &side.theirs, &side.validation[profile]);
    if now() != t0 {
        return;
    }
    if let Ok(v) = ours {
        let claims = match theirs {
            Ok(c) => c,
            Err(e) => panic!(
                "we accept, jsonwebtoken refuses ({e:?}): {}",
                String::from_utf8_lossy(&token)
            ),
        };
        let ours_json: serde_json::Value =
            serde_json::from_slice(&json::to_vec(&json::Value::Object(v.claims)).expect("json"))
                .expect("json");
        assert_eq!(ours_json, claims, "claims differ");
    }
});
