//! JWT: one regression test per known attack class (`attack_*`, each naming
//! its CVE or RFC section), plus the secure defaults of the verifier
//! (`defaults_*`, each would fail if the default were loosened). Moved here
//! from tests/jwt_attacks.rs so the advisories live in one place.

use std::sync::Arc;

use mcp_guard::core::jwt::alg::{self, Alg, PrivateMaterial};
use mcp_guard::core::jwt::json::{Object, Value};
use mcp_guard::core::jwt::keys::KeySet;
use mcp_guard::core::jwt::sign::SigningKey;
use mcp_guard::core::jwt::verify::{Profile, Verifier, VerifierConfig};
use mcp_guard::core::jwt::{b64_encode, JwtError};
use ring::rand::SystemRandom;

const ISS: &str = "https://as.shop";
const AUD: &str = "https://mcp.shop/mcp";
const NOW: i64 = 1_800_000_000;
const SECRET: &[u8] = b"0123456789abcdef0123456789abcdef";

// RFC 7515 A.2 public key (n), as in jwt_vectors.rs.
const RSA_N: &str = "ofgWCuLjybRlzo0tZWJjNiuSfb4p4fAkd_wWJcyQoTbji9k0l8W26mPddxHmfHQp-Vaw-4qPCJrcS2mJPMEzP1Pt0Bm4d4QlL-yRT-SFd2lZS-pCgNMsD1W_YpRPEwOWvG6b32690r2jZ47soMZo9wGzjb_7OMg0LOL-bSf63kpaSHSXndS5z5rexMdbBYUsLA9e-KXBdQOS-UTo7WTBEMa2R2CapHg665xsmtdVMTBQY4uDZlxvb3qCo5ZwKh9kG4LT6_I5IhlJH7aGhyxXFvUK-DWNmoudF8NAco9_h9iaGNj8q2ethFkMLs91kzk2PAcDTW9gb54h4FRWyuXpoQ";

fn claims() -> String {
    format!(
        r#"{{"iss":"{ISS}","sub":"u1","aud":"{AUD}","client_id":"c1","iat":{NOW},"exp":{},"jti":"j1"}}"#,
        NOW + 300
    )
}

/// Builds a token from raw header and payload JSON, HMAC-signed with `key`.
fn hs(header: &str, payload: &str, key: &[u8]) -> String {
    let input = format!(
        "{}.{}",
        b64_encode(header.as_bytes()),
        b64_encode(payload.as_bytes())
    );
    let k = PrivateMaterial::Hmac(alg::hmac_key(Alg::HS256, key));
    let sig = alg::sign(Alg::HS256, &k, input.as_bytes(), &SystemRandom::new()).unwrap();
    format!("{input}.{}", b64_encode(&sig))
}

fn hs_ok(payload: &str) -> String {
    hs(r#"{"alg":"HS256","typ":"at+jwt"}"#, payload, SECRET)
}

fn verifier(set: KeySet) -> Verifier {
    Verifier::new(Arc::new(set), VerifierConfig::new(ISS, vec![AUD.into()])).unwrap()
}

fn hmac_verifier() -> Verifier {
    verifier(KeySet::from_secret(SECRET, Alg::HS256, None).unwrap())
}

fn rsa_set() -> KeySet {
    let jwk = format!(r#"{{"kty":"RSA","n":"{RSA_N}","e":"AQAB","alg":"RS256","kid":"rsa"}}"#);
    KeySet::from_jwks(jwk.as_bytes(), None, false).unwrap()
}

fn err(v: &Verifier, token: &str) -> JwtError {
    v.verify(token.as_bytes(), NOW).unwrap_err()
}

#[test]
fn baseline_valid_token_verifies() {
    let v = hmac_verifier()
        .verify(hs_ok(&claims()).as_bytes(), NOW)
        .unwrap();
    assert_eq!(v.claims.get("sub"), Some(&Value::Str("u1".into())));
    assert_eq!(v.claims.get("exp"), Some(&Value::Int(NOW + 300)));
}

/// `alg: none` in any casing, with or without a signature.
/// CVE-2015-9235 (node jsonwebtoken < 4.2.2); RFC 7518 §3.6 (`none`),
/// RFC 8725 §2.1 and §3.1 (the verifier must not let the token pick it).
#[test]
fn attack_alg_none() {
    let v = hmac_verifier();
    for alg in ["none", "None", "NONE", "nOnE"] {
        let header = b64_encode(format!(r#"{{"alg":"{alg}","typ":"at+jwt"}}"#).as_bytes());
        let token = format!("{header}.{}.", b64_encode(claims().as_bytes()));
        assert_eq!(err(&v, &token), JwtError::AlgNotAllowed, "{alg}");
        // With a made-up signature too.
        assert_eq!(err(&v, &format!("{token}AAAA")), JwtError::AlgNotAllowed);
    }
    // A missing alg is malformed, an alg of the wrong type too.
    assert_eq!(
        err(&v, &hs(r#"{"typ":"at+jwt"}"#, &claims(), SECRET)),
        JwtError::Malformed
    );
    assert_eq!(
        err(
            &v,
            &hs(r#"{"alg":["HS256"],"typ":"at+jwt"}"#, &claims(), SECRET)
        ),
        JwtError::Malformed
    );
}

/// RS/HS confusion: an HMAC signature keyed with the RSA *public* key (PEM,
/// DER or JWK text). CVE-2016-10555 (jwt-simple), CVE-2017-11424 and
/// CVE-2022-29217 (PyJWT); RFC 8725 §2.1 and §3.1.
#[test]
fn attack_rs_hs_confusion_pem_der_jwk() {
    // The attacker HMAC-signs with the *public* RSA key in whatever form the
    // victim might feed an HMAC verifier: PEM text, DER bytes, JWK JSON.
    let jwk = format!(r#"{{"kty":"RSA","n":"{RSA_N}","e":"AQAB"}}"#);
    let set_pem = rsa_set();
    let n = mcp_guard::core::jwt::b64_decode(RSA_N.as_bytes()).unwrap();
    // PKCS#1 RSAPublicKey DER: SEQUENCE { INTEGER n (with 0x00 pad), INTEGER 65537 }.
    let mut der = vec![0x30, 0x82, 0x01, 0x0a, 0x02, 0x82, 0x01, 0x01, 0x00];
    der.extend_from_slice(&n);
    der.extend_from_slice(&[0x02, 0x03, 0x01, 0x00, 0x01]);
    use base64::Engine as _;
    let b64 = base64::engine::general_purpose::STANDARD.encode(&der);
    let pem = format!("-----BEGIN RSA PUBLIC KEY-----\n{b64}\n-----END RSA PUBLIC KEY-----\n");
    let from_pem = KeySet::from_pem(pem.as_bytes(), Alg::RS256, None).unwrap();
    assert_eq!(from_pem.keys()[0].material.clone().type_name(), "Rsa");
    for set in [set_pem, from_pem] {
        let v = verifier(set);
        for secret in [pem.as_bytes(), der.as_slice(), jwk.as_bytes()] {
            let token = hs(
                r#"{"alg":"HS256","typ":"at+jwt","kid":"rsa"}"#,
                &claims(),
                secret,
            );
            assert_eq!(err(&v, &token), JwtError::AlgNotAllowed);
        }
    }
    // And the key itself can never be made an HMAC key.
    assert_eq!(
        KeySet::from_pem(pem.as_bytes(), Alg::HS256, None).unwrap_err(),
        JwtError::AlgMismatch
    );
}

trait TypeName {
    fn type_name(self) -> &'static str;
}
impl TypeName for alg::PublicMaterial {
    fn type_name(self) -> &'static str {
        match self {
            alg::PublicMaterial::Rsa { .. } => "Rsa",
            alg::PublicMaterial::Hmac(_) => "Hmac",
            alg::PublicMaterial::Ec(_) => "Ec",
            alg::PublicMaterial::Ed25519(_) => "Ed25519",
        }
    }
}

/// `kid` confusion: a token naming one key's `kid` but another key's
/// algorithm, a path- or SQL-like `kid`, an unknown `kid`.
/// RFC 7515 §4.1.4 (`kid` is only a hint), RFC 8725 §3.1 (each key is
/// used with exactly one algorithm) and §3.10 (do not trust received claims).
/// A set cannot hold an HMAC secret next to public keys at all (see
/// `attack_mixed_secret_and_public_keys_in_one_set`), so the set here holds
/// an RS256 and an ES256 key.
#[test]
fn attack_kid_alg_confusion() {
    let rng = SystemRandom::new();
    let ec = SigningKey::generate(Alg::ES256, &rng).unwrap();
    let ec_kid = ec.kid().unwrap().to_owned();
    let doc = format!(
        r#"{{"keys":[{{"kty":"RSA","n":"{RSA_N}","e":"AQAB","alg":"RS256","kid":"rsa"}},{}]}}"#,
        String::from_utf8(
            mcp_guard::core::jwt::json::to_vec(&Value::Object(ec.public_jwk().unwrap())).unwrap()
        )
        .unwrap()
    );
    let v = verifier(KeySet::from_jwks(doc.as_bytes(), None, false).unwrap());
    // HS256 naming the RSA key's kid (keyed with anything, here a secret).
    let header =
        |alg: &str, kid: &str| format!(r#"{{"alg":"{alg}","typ":"at+jwt","kid":"{kid}"}}"#);
    assert_eq!(
        err(&v, &hs(&header("HS256", "rsa"), &claims(), SECRET)),
        JwtError::AlgNotAllowed
    );
    // RS256 naming the EC key's kid, ES256 naming the RSA key's.
    assert_eq!(
        err(&v, &hs(&header("RS256", &ec_kid), &claims(), SECRET)),
        JwtError::AlgNotAllowed
    );
    assert_eq!(
        err(&v, &hs(&header("ES256", "rsa"), &claims(), SECRET)),
        JwtError::AlgNotAllowed
    );
    // The right pairing verifies.
    let good = ec.sign(&obj(&claims()), Some("at+jwt"), &rng).unwrap();
    assert!(v.verify(good.as_bytes(), NOW).is_ok());
    // No kid / unknown kid / injection-shaped kid in a multi-key set.
    for h in [
        r#"{"alg":"ES256","typ":"at+jwt"}"#,
        r#"{"alg":"ES256","typ":"at+jwt","kid":"../../../../dev/null"}"#,
        r#"{"alg":"ES256","typ":"at+jwt","kid":"rsa' OR '1'='1"}"#,
    ] {
        assert_eq!(err(&v, &hs(h, &claims(), SECRET)), JwtError::UnknownKid);
    }
    // A kid of the wrong JSON type is malformed.
    assert_eq!(
        err(
            &v,
            &hs(
                r#"{"alg":"ES256","typ":"at+jwt","kid":1}"#,
                &claims(),
                SECRET
            )
        ),
        JwtError::Malformed
    );
}

/// Psychic signatures: r = s = 0 (and other degenerate values) for ECDSA.
/// CVE-2022-21449 (Java 15–18 ECDSA); RFC 7518 §3.4 (r || s of fixed size).
#[test]
fn attack_psychic_ecdsa_signature() {
    // CVE-2022-21449: r = s = 0 must never verify.
    let rng = SystemRandom::new();
    let key = SigningKey::generate(Alg::ES256, &rng).unwrap();
    let jwks = format!(
        r#"{{"keys":[{}]}}"#,
        String::from_utf8(
            mcp_guard::core::jwt::json::to_vec(&Value::Object(key.public_jwk().unwrap())).unwrap()
        )
        .unwrap()
    );
    let v = verifier(KeySet::from_jwks(jwks.as_bytes(), None, false).unwrap());
    let good = key.sign(&obj(&claims()), Some("at+jwt"), &rng).unwrap();
    assert!(v.verify(good.as_bytes(), NOW).is_ok());
    let input = &good[..good.rfind('.').unwrap()];
    for sig in [vec![0u8; 64], vec![0u8; 0], vec![0u8; 1], vec![0xffu8; 64]] {
        let token = format!("{input}.{}", b64_encode(&sig));
        assert_eq!(err(&v, &token), JwtError::BadSignature);
    }
    // DER-encoded ECDSA (not the JWS r||s form) is refused too.
    let der_zero = [0x30, 0x06, 0x02, 0x01, 0x00, 0x02, 0x01, 0x00];
    assert_eq!(
        err(&v, &format!("{input}.{}", b64_encode(&der_zero))),
        JwtError::BadSignature
    );
}

fn obj(json: &str) -> Object {
    mcp_guard::core::jwt::json::parse_object(json.as_bytes()).unwrap()
}

/// `crit` header: an extension the verifier does not implement must be
/// refused. RFC 7515 §4.1.11 (we understand none, so every `crit` is refused).
#[test]
fn attack_crit() {
    let v = hmac_verifier();
    for h in [
        r#"{"alg":"HS256","typ":"at+jwt","crit":["exp"],"exp":1}"#,
        r#"{"alg":"HS256","typ":"at+jwt","crit":[]}"#,
        r#"{"alg":"HS256","typ":"at+jwt","crit":["b64"],"b64":false}"#,
    ] {
        assert_eq!(
            err(&v, &hs(h, &claims(), SECRET)),
            JwtError::CritUnsupported,
            "{h}"
        );
    }
}

/// Keys carried by the token (`jwk`, `jku`, `x5u`, `x5c`) are never trusted.
/// CVE-2018-0114 (node-jose, embedded `jwk`); RFC 7515 §4.1.2–§4.1.6,
/// RFC 8725 §3.10 (do not trust received claims; `jku`/`x5u` lead to SSRF).
#[test]
fn attack_embedded_jwk_jku_x5u_x5c() {
    // The attacker signs with their own secret and points at their own key.
    let v = hmac_verifier();
    let attacker = b"attacker-attacker-attacker-attacker!";
    let jwk = format!(r#"{{"kty":"oct","k":"{}"}}"#, b64_encode(attacker));
    for h in [
        format!(r#"{{"alg":"HS256","typ":"at+jwt","jwk":{jwk}}}"#),
        r#"{"alg":"HS256","typ":"at+jwt","jku":"https://evil.example/jwks.json"}"#.to_owned(),
        r#"{"alg":"HS256","typ":"at+jwt","x5u":"https://evil.example/cert.pem"}"#.to_owned(),
        r#"{"alg":"HS256","typ":"at+jwt","x5c":["MIIB"]}"#.to_owned(),
    ] {
        assert_eq!(
            err(&v, &hs(&h, &claims(), attacker)),
            JwtError::BadSignature,
            "{h}"
        );
    }
}

/// HMAC keys shorter than the hash output are refused at configuration time.
/// RFC 7518 §3.2 (a key at least as long as the hash output), RFC 8725 §3.5
/// (sufficient entropy: short secrets are brute-forced offline).
#[test]
fn attack_weak_hmac_key() {
    assert_eq!(
        KeySet::from_secret(&SECRET[..31], Alg::HS256, None).unwrap_err(),
        JwtError::WeakHmacKey
    );
    assert_eq!(
        KeySet::from_secret(b"", Alg::HS256, None).unwrap_err(),
        JwtError::WeakHmacKey
    );
    assert_eq!(
        KeySet::from_secret(SECRET, Alg::HS384, None).unwrap_err(),
        JwtError::WeakHmacKey
    );
    assert_eq!(
        SigningKey::from_secret(b"secret", Alg::HS256, None).unwrap_err(),
        JwtError::WeakHmacKey
    );
    let oct = format!(
        r#"{{"kty":"oct","k":"{}","alg":"HS256"}}"#,
        b64_encode(b"secret")
    );
    assert_eq!(
        KeySet::from_jwks(oct.as_bytes(), None, true).unwrap_err(),
        JwtError::WeakHmacKey
    );
}

/// A JWS in the JSON serialization (flattened or general) is not a compact
/// JWT and is refused: several signatures, unprotected headers.
/// CVE-2022-39227 (python-jwt, mixing compact and JSON forms);
/// RFC 7515 §7.2, RFC 7519 §7.2 step 1 (JWTs use the compact serialization).
#[test]
fn attack_json_serialised_jws() {
    let v = hmac_verifier();
    let t = hs_ok(&claims());
    let parts: Vec<&str> = t.split('.').collect();
    let flattened = format!(
        r#"{{"payload":"{}","protected":"{}","signature":"{}"}}"#,
        parts[1], parts[0], parts[2]
    );
    assert_eq!(err(&v, &flattened), JwtError::Malformed);
    let general = format!(
        r#"{{"payload":"{}","signatures":[{{"protected":"{}","signature":"{}"}}]}}"#,
        parts[1], parts[0], parts[2]
    );
    assert_eq!(err(&v, &general), JwtError::Malformed);
}

/// Duplicate JSON members (plain or escaped names) in header or claims:
/// refused, never last-wins. RFC 7515 §5.2 step 4 and RFC 7519 §4 (MUST
/// reject or use a parser returning only the lexically last); RFC 8259 §4;
/// CVE-2022-39227 (python-jwt claim injection through parser differences).
#[test]
fn attack_duplicate_members() {
    let v = hmac_verifier();
    // Duplicate aud in the payload (first one ours, last one not, and vice versa).
    let dup = claims().replacen('{', r#"{"aud":"https://other","#, 1);
    assert_eq!(err(&v, &hs_ok(&dup)), JwtError::Malformed);
    let dup = claims().replacen('}', r#","aud":"https://other"}"#, 1);
    assert_eq!(err(&v, &hs_ok(&dup)), JwtError::Malformed);
    // Duplicate alg in the header.
    assert_eq!(
        err(
            &v,
            &hs(
                r#"{"alg":"none","typ":"at+jwt","alg":"HS256"}"#,
                &claims(),
                SECRET
            )
        ),
        JwtError::Malformed
    );
    // Escaped duplicate.
    let dup = claims().replacen('}', r#","\u0061ud":"https://other"}"#, 1);
    assert_eq!(err(&v, &hs_ok(&dup)), JwtError::Malformed);
}

/// Size DoS: a 1 MB token and deep JSON nesting are refused before and
/// during decoding. RFC 8259 §9 (a parser may limit size and nesting),
/// RFC 8725 §3.4 (validate inputs before cryptographic use).
#[test]
fn attack_one_megabyte_token() {
    let v = hmac_verifier();
    let huge = "A".repeat(1024 * 1024);
    assert_eq!(err(&v, &huge), JwtError::TooLarge);
    let big_claims = claims().replacen('}', &format!(r#","pad":"{}"}}"#, "x".repeat(9000)), 1);
    assert_eq!(err(&v, &hs_ok(&big_claims)), JwtError::TooLarge);
    // Deep nesting within the size cap.
    let deep = claims().replacen(
        '}',
        &format!(r#","n":{}1{}}}"#, "[".repeat(40), "]".repeat(40)),
        1,
    );
    assert_eq!(err(&v, &hs_ok(&deep)), JwtError::Malformed);
}

/// Non-canonical base64url (padding, standard alphabet, stray bits, spaces,
/// empty parts): one token has one encoding, so no signature malleability.
/// RFC 7515 §2 and Appendix C (base64url without padding), RFC 4648 §3.5
/// (canonical encoding: non-zero pad bits are refused).
#[test]
fn attack_non_canonical_base64() {
    let v = hmac_verifier();
    let t = hs_ok(&claims());
    // 32-byte HMAC → 43 chars; the last char carries 2 unused bits. Setting
    // one of them keeps the same bytes for a lenient decoder.
    let last = t.chars().last().unwrap();
    let alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let idx = alphabet.find(last).unwrap();
    let sibling = alphabet.chars().nth(idx ^ 1).unwrap();
    let tweaked = format!("{}{sibling}", &t[..t.len() - 1]);
    assert_eq!(err(&v, &tweaked), JwtError::Malformed);
    // Padding, the standard alphabet, whitespace: all refused.
    assert_eq!(err(&v, &format!("{t}=")), JwtError::Malformed);
    let std_alphabet = format!("{}+{}", &t[..t.len() - 2], &t[t.len() - 1..]);
    assert_eq!(err(&v, &std_alphabet), JwtError::Malformed);
    assert_eq!(err(&v, &format!(" {t}")), JwtError::Malformed);
    assert_eq!(err(&v, &t.replacen('.', "..", 1)), JwtError::Malformed);
    assert_eq!(err(&v, &format!("{t}.x")), JwtError::Malformed);
}

/// Issuer compared by prefix or case-insensitively (`https://as.shop.evil`):
/// exact string match only, and required when configured.
/// RFC 7519 §4.1.1, RFC 9068 §4 (`iss` MUST exactly match), RFC 8725 §3.8,
/// RFC 8414 §3.3 (issuer identical, no prefix or normalisation).
#[test]
fn attack_issuer_prefix() {
    let short = Verifier::new(
        Arc::new(KeySet::from_secret(SECRET, Alg::HS256, None).unwrap()),
        VerifierConfig::new("https://as", vec![AUD.into()]),
    )
    .unwrap();
    // Token from https://as.shop against a verifier for https://as, and back.
    assert_eq!(err(&short, &hs_ok(&claims())), JwtError::WrongIssuer);
    let from_short = claims().replace(ISS, "https://as");
    assert_eq!(
        err(&hmac_verifier(), &hs_ok(&from_short)),
        JwtError::WrongIssuer
    );
    // Trailing slash and case differences are other issuers.
    for other in [
        "https://as.shop/",
        "HTTPS://AS.SHOP",
        "https://as.shop.evil",
    ] {
        assert_eq!(
            err(&hmac_verifier(), &hs_ok(&claims().replace(ISS, other))),
            JwtError::WrongIssuer
        );
    }
    // Missing iss.
    assert_eq!(
        err(
            &hmac_verifier(),
            &hs_ok(&claims().replace(&format!(r#""iss":"{ISS}","#), ""))
        ),
        JwtError::MissingClaim
    );
}

/// Token passthrough: a token for another resource (or none) is refused.
/// RFC 7519 §4.1.3, RFC 9068 §4, RFC 8707 §2, RFC 8725 §3.9; MCP
/// authorization spec "token passthrough" rule.
#[test]
fn attack_missing_or_foreign_audience() {
    let v = hmac_verifier();
    let no_aud = claims().replace(&format!(r#""aud":"{AUD}","#), "");
    assert_eq!(err(&v, &hs_ok(&no_aud)), JwtError::MissingClaim);
    // Token passthrough: a token for another resource.
    assert_eq!(
        err(&v, &hs_ok(&claims().replace(AUD, "https://mcp.other/mcp"))),
        JwtError::WrongAudience
    );
    assert_eq!(
        err(&v, &hs_ok(&claims().replace(AUD, "https://mcp.shop/mcp/"))),
        JwtError::WrongAudience
    );
    assert_eq!(
        err(&v, &hs_ok(&claims().replace(&format!(r#""{AUD}""#), "[]"))),
        JwtError::WrongAudience
    );
    // An array containing ours is fine; a non-string member is malformed.
    assert!(v
        .verify(
            hs_ok(&claims().replace(&format!(r#""{AUD}""#), &format!(r#"["x","{AUD}"]"#)))
                .as_bytes(),
            NOW
        )
        .is_ok());
    assert_eq!(
        err(
            &v,
            &hs_ok(&claims().replace(&format!(r#""{AUD}""#), &format!(r#"["{AUD}",1]"#)))
        ),
        JwtError::Malformed
    );
    assert_eq!(
        err(
            &v,
            &hs_ok(&claims().replace(&format!(r#""{AUD}""#), "null"))
        ),
        JwtError::Malformed
    );
}

#[test]
fn defaults_time_claims_and_leeway() {
    let v = hmac_verifier();
    let at = |now: i64, payload: &str| v.verify(hs_ok(payload).as_bytes(), now).map(|_| ());
    // exp: required, integer, 30 s leeway.
    assert_eq!(
        at(
            NOW,
            &claims().replace(&format!(r#","exp":{}"#, NOW + 300), "")
        ),
        Err(JwtError::MissingClaim)
    );
    assert_eq!(
        at(
            NOW,
            &claims().replace(&format!("{}", NOW + 300), &format!("{}.5", NOW + 300))
        ),
        Err(JwtError::Malformed)
    );
    assert_eq!(
        at(
            NOW,
            &claims().replace(&format!("{}", NOW + 300), &format!("\"{}\"", NOW + 300))
        ),
        Err(JwtError::Malformed)
    );
    assert!(at(NOW + 300 + 29, &claims()).is_ok());
    assert_eq!(at(NOW + 300 + 30, &claims()), Err(JwtError::Expired));
    // nbf / iat in the future beyond leeway.
    let nbf = claims().replacen('}', &format!(r#","nbf":{}}}"#, NOW + 31), 1);
    assert_eq!(at(NOW, &nbf), Err(JwtError::NotYetValid));
    assert!(at(NOW + 1, &nbf).is_ok());
    assert_eq!(at(NOW - 31, &claims()), Err(JwtError::NotYetValid));
    // Extreme values do not overflow.
    assert_eq!(at(i64::MAX, &claims()), Err(JwtError::Expired));
    assert_eq!(at(i64::MIN, &claims()), Err(JwtError::NotYetValid));
    // Settings out of range are refused.
    let set = || Arc::new(KeySet::from_secret(SECRET, Alg::HS256, None).unwrap());
    let mut c = VerifierConfig::new(ISS, vec![AUD.into()]);
    c.leeway_secs = 301;
    assert_eq!(
        Verifier::new(set(), c).unwrap_err(),
        JwtError::InvalidSetting
    );
    assert_eq!(
        Verifier::new(set(), VerifierConfig::new("", vec![AUD.into()])).unwrap_err(),
        JwtError::InvalidSetting
    );
    assert_eq!(
        Verifier::new(set(), VerifierConfig::new(ISS, vec![])).unwrap_err(),
        JwtError::InvalidSetting
    );
    assert_eq!(
        Verifier::new(set(), VerifierConfig::new(ISS, vec!["".into()])).unwrap_err(),
        JwtError::InvalidSetting
    );
    // Max age.
    let mut c = VerifierConfig::new(ISS, vec![AUD.into()]);
    c.max_age_secs = Some(60);
    let aged = Verifier::new(set(), c).unwrap();
    assert!(aged.verify(hs_ok(&claims()).as_bytes(), NOW + 90).is_ok());
    assert_eq!(
        aged.verify(hs_ok(&claims()).as_bytes(), NOW + 91)
            .unwrap_err(),
        JwtError::TooOld
    );
    // Default cap is 8 KiB.
    assert_eq!(VerifierConfig::new(ISS, vec![]).max_token_len, 8192);
    assert_eq!(VerifierConfig::new(ISS, vec![]).leeway_secs, 30);
}

#[test]
fn defaults_access_token_profile() {
    let v = hmac_verifier();
    // typ: at+jwt or application/at+jwt, any case.
    for typ in [
        "at+jwt",
        "AT+JWT",
        "application/at+jwt",
        "Application/AT+JWT",
    ] {
        let t = hs(
            &format!(r#"{{"alg":"HS256","typ":"{typ}"}}"#),
            &claims(),
            SECRET,
        );
        assert!(v.verify(t.as_bytes(), NOW).is_ok(), "{typ}");
    }
    // An OIDC ID token signed by the same key (typ JWT, aud = client, nonce).
    let id_token = claims().replacen('}', r#","nonce":"n","at_hash":"x"}"#, 1);
    for h in [
        r#"{"alg":"HS256","typ":"JWT"}"#,
        r#"{"alg":"HS256"}"#,
        r#"{"alg":"HS256","typ":"dpop+jwt"}"#,
        r#"{"alg":"HS256","typ":"at+jwt","cty":"JWT"}"#,
    ] {
        assert_eq!(
            err(&v, &hs(h, &id_token, SECRET)),
            JwtError::WrongType,
            "{h}"
        );
    }
    // sub, client_id, iat, jti required.
    for name in ["sub", "client_id", "jti"] {
        let without = obj(&claims());
        let mut o = Object::new();
        for (k, val) in without.iter() {
            if k != name {
                o.insert(k.to_owned(), val.clone());
            }
        }
        let json =
            String::from_utf8(mcp_guard::core::jwt::json::to_vec(&Value::Object(o)).unwrap())
                .unwrap();
        assert_eq!(err(&v, &hs_ok(&json)), JwtError::MissingClaim, "{name}");
    }
    assert_eq!(
        err(
            &v,
            &hs_ok(&claims().replace(&format!(r#""iat":{NOW},"#), ""))
        ),
        JwtError::MissingClaim
    );
    // The generic profile accepts typ JWT and no client_id.
    let mut c = VerifierConfig::new(ISS, vec![AUD.into()]);
    c.profile = Profile::Jwt;
    let g = Verifier::new(
        Arc::new(KeySet::from_secret(SECRET, Alg::HS256, None).unwrap()),
        c,
    )
    .unwrap();
    assert!(g
        .verify(
            hs(
                r#"{"alg":"HS256","typ":"JWT"}"#,
                &claims().replace(r#""client_id":"c1","#, ""),
                SECRET
            )
            .as_bytes(),
            NOW
        )
        .is_ok());
    assert_eq!(
        g.verify(
            hs(r#"{"alg":"HS256","typ":"dpop+jwt"}"#, &claims(), SECRET).as_bytes(),
            NOW
        )
        .unwrap_err(),
        JwtError::WrongType
    );
}

#[test]
fn signer_round_trips_and_reserved_claims() {
    let rng = SystemRandom::new();
    for a in [Alg::ES256, Alg::ES384, Alg::EdDSA] {
        let key = SigningKey::generate(a, &rng).unwrap();
        let jwk =
            mcp_guard::core::jwt::json::to_vec(&Value::Object(key.public_jwk().unwrap())).unwrap();
        let v = verifier(KeySet::from_jwks(&jwk, None, false).unwrap());
        let t = key
            .access_token(ISS, AUD, "u", "c", 60, Some("read write"), None, NOW, &rng)
            .unwrap();
        let verified = v.verify(t.as_bytes(), NOW).unwrap();
        assert_eq!(verified.kid.as_deref(), key.kid());
        // The stored PEM loads back to the same kid.
        let pem = key.private_key_pem().unwrap();
        let again = SigningKey::from_private(pem.as_bytes(), a, &rng).unwrap();
        assert_eq!(again.kid(), key.kid());
        // Loading with the wrong algorithm fails.
        let wrong = if a == Alg::EdDSA {
            Alg::ES256
        } else {
            Alg::EdDSA
        };
        assert!(SigningKey::from_private(pem.as_bytes(), wrong, &rng).is_err());
    }
    let key = SigningKey::generate(Alg::ES256, &rng).unwrap();
    let extra = obj(r#"{"aud":"https://evil"}"#);
    assert_eq!(
        key.access_token(ISS, AUD, "u", "c", 60, None, Some(&extra), NOW, &rng)
            .unwrap_err(),
        JwtError::InvalidClaims
    );
    assert_eq!(
        key.access_token(ISS, AUD, "u", "c", 60, Some("bad  scope"), None, NOW, &rng)
            .unwrap_err(),
        JwtError::InvalidClaims
    );
    assert_eq!(
        key.access_token(ISS, AUD, "u", "c", 0, None, None, NOW, &rng)
            .unwrap_err(),
        JwtError::InvalidSetting
    );
    assert_eq!(
        SigningKey::generate(Alg::RS256, &rng).unwrap_err(),
        JwtError::AlgMismatch
    );
    // A private PEM is refused where a public key is expected.
    let pem = key.private_key_pem().unwrap();
    assert_eq!(
        KeySet::from_pem(pem.as_bytes(), Alg::ES256, None).unwrap_err(),
        JwtError::PrivateKeyMaterial
    );
}

// ------------------------------------------------------------ key material

/// PKCS#1 `RSAPublicKey` DER of the RFC 7515 A.2 key.
fn rsa_pkcs1_der() -> Vec<u8> {
    let n = mcp_guard::core::jwt::b64_decode(RSA_N.as_bytes()).unwrap();
    let mut der = vec![0x30, 0x82, 0x01, 0x0a, 0x02, 0x82, 0x01, 0x01, 0x00];
    der.extend_from_slice(&n);
    der.extend_from_slice(&[0x02, 0x03, 0x01, 0x00, 0x01]);
    der
}

/// SubjectPublicKeyInfo DER of the same key: `SEQUENCE { SEQUENCE {
/// rsaEncryption, NULL }, BIT STRING { RSAPublicKey } }`.
fn rsa_spki_der() -> Vec<u8> {
    let pkcs1 = rsa_pkcs1_der();
    let mut bits = vec![0x03, 0x82, 0x01, 0x0f, 0x00];
    bits.extend_from_slice(&pkcs1);
    let alg = [
        0x30, 0x0d, 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01, 0x05, 0x00,
    ];
    let len = alg.len() + bits.len();
    let mut der = vec![0x30, 0x82, (len >> 8) as u8, len as u8];
    der.extend_from_slice(&alg);
    der.extend_from_slice(&bits);
    der
}

fn pem(label: &str, der: &[u8]) -> String {
    mcp_guard::core::jwt::sign::pem_encode(label, der)
}

/// SubjectPublicKeyInfo of a P-256 point (fixed prefix, RFC 5480 §2).
fn p256_spki_pem(point: &[u8]) -> String {
    let mut der = vec![
        0x30, 0x59, 0x30, 0x13, 0x06, 0x07, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01, 0x06, 0x08,
        0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07, 0x03, 0x42, 0x00,
    ];
    der.extend_from_slice(point);
    pem("PUBLIC KEY", &der)
}

/// Every form of public (and private) key material a host might paste into
/// an HMAC "secret" setting.
fn key_material_as_secrets() -> Vec<(&'static str, Vec<u8>)> {
    use base64::Engine as _;
    let spki = rsa_spki_der();
    let b64 = base64::engine::general_purpose::STANDARD.encode(&spki);
    let rng = SystemRandom::new();
    let ec = SigningKey::generate(Alg::ES256, &rng).unwrap();
    let jwk = String::from_utf8(
        mcp_guard::core::jwt::json::to_vec(&Value::Object(ec.public_jwk().unwrap())).unwrap(),
    )
    .unwrap();
    let x = mcp_guard::core::jwt::b64_decode(
        ec.public_jwk()
            .unwrap()
            .get("x")
            .unwrap()
            .as_str()
            .unwrap()
            .as_bytes(),
    )
    .unwrap();
    let y = mcp_guard::core::jwt::b64_decode(
        ec.public_jwk()
            .unwrap()
            .get("y")
            .unwrap()
            .as_str()
            .unwrap()
            .as_bytes(),
    )
    .unwrap();
    let point = [&[4u8][..], &x, &y].concat();
    vec![
        ("SPKI PEM", pem("PUBLIC KEY", &spki).into_bytes()),
        ("PKCS#1 PEM", pem("RSA PUBLIC KEY", &rsa_pkcs1_der()).into_bytes()),
        ("SPKI DER", spki.clone()),
        ("PKCS#1 DER", rsa_pkcs1_der()),
        ("PEM body without armour", b64.clone().into_bytes()),
        ("PEM with a bag-attributes preamble", format!("Bag Attributes\n{}", pem("PUBLIC KEY", &spki)).into_bytes()),
        ("private PEM", ec.private_key_pem().unwrap().as_bytes().to_vec()),
        ("certificate PEM", pem("CERTIFICATE", &spki).into_bytes()),
        ("RSA JWK", format!(r#"{{"kty":"RSA","n":"{RSA_N}","e":"AQAB"}}"#).into_bytes()),
        ("EC JWK", jwk.clone().into_bytes()),
        ("JWKS", format!(r#"{{"keys":[{jwk}]}}"#).into_bytes()),
        ("ssh-rsa line", format!("ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQ{} user@host", &b64[..40]).into_bytes()),
        ("ssh-ed25519 line", b"ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl me@host".to_vec()),
        ("ecdsa line", b"ecdsa-sha2-nistp256 AAAAE2VjZHNhLXNoYTItbmlzdHAyNTYAAAAIbmlzdHAyNTYAAABBBA== me@host".to_vec()),
        ("OpenSSH private key", b"-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQ\n-----END OPENSSH PRIVATE KEY-----\n".to_vec()),
        ("raw EC point", point),
    ]
}

/// A public key accepted as an HMAC secret lets anyone forge tokens: the
/// attacker HMAC-signs with the public PEM. CVE-2017-11424 (PyJWT: a public
/// key given as the HMAC secret), CVE-2016-10555 (jwt-simple); RFC 8725
/// §3.1 (the key decides the algorithm) and §2.1. Issue 10 item 5: before
/// the fix, `KeySet::from_secret(public PEM)` built a set that verified the
/// forged token.
#[test]
fn attack_public_key_as_hmac_secret() {
    for (what, material) in key_material_as_secrets() {
        for alg in [Alg::HS256, Alg::HS384, Alg::HS512] {
            if material.len() < alg.min_hmac_key_len() {
                continue;
            }
            assert_eq!(
                KeySet::from_secret(&material, alg, None).unwrap_err(),
                JwtError::AsymmetricKeyAsSecret,
                "{what} {alg:?}"
            );
            assert_eq!(
                SigningKey::from_secret(&material, alg, None).unwrap_err(),
                JwtError::AsymmetricKeyAsSecret,
                "{what} {alg:?}"
            );
        }
        // Wrapped in an `oct` JWK of a private JWKS, it is still refused.
        let oct = format!(
            r#"{{"kty":"oct","k":"{}","alg":"HS256"}}"#,
            b64_encode(&material)
        );
        assert_eq!(
            KeySet::from_jwks(oct.as_bytes(), None, true).unwrap_err(),
            JwtError::AsymmetricKeyAsSecret,
            "{what}"
        );
    }
    // The forgery itself: HS256 keyed with the public PEM everyone can read.
    let public_pem = pem("PUBLIC KEY", &rsa_spki_der());
    let forged = hs(
        r#"{"alg":"HS256","typ":"at+jwt"}"#,
        &claims(),
        public_pem.as_bytes(),
    );
    let set = KeySet::from_secret(public_pem.as_bytes(), Alg::HS256, None);
    assert_eq!(set.as_ref().unwrap_err(), &JwtError::AsymmetricKeyAsSecret);
    assert!(set
        .map(verifier)
        .map(|v| v.verify(forged.as_bytes(), NOW))
        .is_err());
    // Real secrets of every usual shape still load.
    use base64::Engine as _;
    let raw = [0x5au8, 0x30, 0x82, 0x01, 0x0a, 0x02].repeat(8);
    let hex: String = raw.iter().map(|b| format!("{b:02x}")).collect();
    let b64 = base64::engine::general_purpose::STANDARD.encode(&raw);
    for secret in [
        SECRET.to_vec(),
        raw.clone(),
        hex.into_bytes(),
        b64.into_bytes(),
    ] {
        assert!(KeySet::from_secret(&secret, Alg::HS256, None).is_ok());
        assert!(SigningKey::from_secret(&secret, Alg::HS256, None).is_ok());
    }
}

/// A key set that mixes `oct` secrets with public keys: the secret sits in a
/// document next to keys meant to be published, and a `kid` alone picks
/// between an HMAC and a signature key. RFC 8725 §3.1 (each key with exactly
/// one algorithm, no confusion between key types), RFC 7517 §8.1.1 (a
/// private JWKS is kept apart). Issue 10 item 5.
#[test]
fn attack_mixed_secret_and_public_keys_in_one_set() {
    let oct = format!(
        r#"{{"kty":"oct","k":"{}","alg":"HS256","kid":"hmac"}}"#,
        b64_encode(SECRET)
    );
    let rsa = format!(r#"{{"kty":"RSA","n":"{RSA_N}","e":"AQAB","alg":"RS256","kid":"rsa"}}"#);
    let enc = format!(r#"{{"kty":"RSA","n":"{RSA_N}","e":"AQAB","use":"enc","kid":"enc"}}"#);
    for doc in [
        format!(r#"{{"keys":[{rsa},{oct}]}}"#),
        format!(r#"{{"keys":[{oct},{rsa}]}}"#),
        // An encryption key next to a secret: skipped as a key, still mixed.
        format!(r#"{{"keys":[{oct},{enc}]}}"#),
    ] {
        assert_eq!(
            KeySet::from_jwks(doc.as_bytes(), None, true).unwrap_err(),
            JwtError::MixedKeyTypes,
            "{doc}"
        );
        // Published (secrets not allowed): the secret itself is the refusal.
        assert_eq!(
            KeySet::from_jwks(doc.as_bytes(), None, false).unwrap_err(),
            JwtError::PrivateKeyMaterial,
            "{doc}"
        );
    }
    // Built key by key, the same rule holds.
    let secret_key =
        mcp_guard::core::jwt::keys::secret_key(Some("h".into()), Alg::HS256, SECRET).unwrap();
    let public_key = rsa_set().keys()[0].clone();
    assert_eq!(
        KeySet::new(vec![secret_key.clone(), public_key]).unwrap_err(),
        JwtError::MixedKeyTypes
    );
    // Secrets only, or public keys only: fine.
    let two_secrets = format!(
        r#"{{"keys":[{oct},{{"kty":"oct","k":"{}","alg":"HS512","kid":"h2"}}]}}"#,
        b64_encode(&[9u8; 64])
    );
    assert_eq!(
        KeySet::from_jwks(two_secrets.as_bytes(), None, true)
            .unwrap()
            .keys()
            .len(),
        2
    );
    assert_eq!(
        KeySet::from_jwks(
            format!(r#"{{"keys":[{rsa},{enc}]}}"#).as_bytes(),
            None,
            true
        )
        .unwrap()
        .keys()
        .len(),
        1
    );
}

/// An EC public key whose point is not on its curve (or has a coordinate
/// outside the field), and Ed25519 keys that are no point or of small order,
/// are refused when the set is built (`invalid_key`), not found out by every
/// token failing as `bad_signature`. RFC 8725 §3.4 (validate cryptographic
/// inputs), SEC 1 v2 §3.2.2.1 (public key validation), RFC 8032 §5.1.3
/// (decoding); with a small-order Ed25519 key a signature verifies for any
/// message (the "identity key" forgery). Issue 10 item 9.
#[test]
fn attack_invalid_public_key_point() {
    // RFC 7515 A.3 P-256 point, and the same with y changed.
    const X: &str = "f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU";
    const Y: &str = "x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0";
    let jwk = |x: &str, y: &str| {
        format!(r#"{{"kty":"EC","crv":"P-256","x":"{x}","y":"{y}","alg":"ES256"}}"#)
    };
    assert!(KeySet::from_jwks(jwk(X, Y).as_bytes(), None, false).is_ok());
    let mut y = mcp_guard::core::jwt::b64_decode(Y.as_bytes()).unwrap();
    y[31] ^= 1;
    let bad_y = b64_encode(&y);
    let ones = b64_encode(&[0xff; 32]);
    let zeros = b64_encode(&[0; 32]);
    for (x, y) in [
        (X, bad_y.as_str()),
        (X, ones.as_str()),
        (ones.as_str(), Y),
        (zeros.as_str(), zeros.as_str()),
    ] {
        assert_eq!(
            KeySet::from_jwks(jwk(x, y).as_bytes(), None, false).unwrap_err(),
            JwtError::InvalidKey,
            "{x} {y}"
        );
    }
    // The same point as a SubjectPublicKeyInfo PEM.
    let x = mcp_guard::core::jwt::b64_decode(X.as_bytes()).unwrap();
    let good = [
        &[4u8][..],
        &x,
        &mcp_guard::core::jwt::b64_decode(Y.as_bytes()).unwrap(),
    ]
    .concat();
    assert!(KeySet::from_pem(p256_spki_pem(&good).as_bytes(), Alg::ES256, None).is_ok());
    let off = [&[4u8][..], &x, &y].concat();
    assert_eq!(
        KeySet::from_pem(p256_spki_pem(&off).as_bytes(), Alg::ES256, None).unwrap_err(),
        JwtError::InvalidKey
    );
    // P-384: a generated key loads, its point with y changed does not.
    let rng = SystemRandom::new();
    let k384 = SigningKey::generate(Alg::ES384, &rng).unwrap();
    let mut j = k384.public_jwk().unwrap();
    let y384 = j.get("y").unwrap().as_str().unwrap().to_owned();
    let mut yb = mcp_guard::core::jwt::b64_decode(y384.as_bytes()).unwrap();
    yb[0] ^= 0x40;
    let jwks = |o: &Object| mcp_guard::core::jwt::json::to_vec(&Value::Object(o.clone())).unwrap();
    assert!(KeySet::from_jwks(&jwks(&j), None, false).is_ok());
    let mut bad = Object::new();
    for (k, v) in j.iter() {
        let v = if k == "y" {
            Value::Str(b64_encode(&yb))
        } else {
            v.clone()
        };
        bad.insert(k.to_owned(), v);
    }
    j = bad;
    assert_eq!(
        KeySet::from_jwks(&jwks(&j), None, false).unwrap_err(),
        JwtError::InvalidKey
    );
    // Every key ring generates is accepted (no valid point refused).
    for alg in [Alg::ES256, Alg::ES384, Alg::EdDSA] {
        for _ in 0..20 {
            let k = SigningKey::generate(alg, &rng).unwrap();
            assert!(KeySet::from_jwks(&jwks(&k.public_jwk().unwrap()), None, false).is_ok());
        }
    }
    // RSA: what ring would refuse at the first verification is refused now
    // (its bounds, ring 0.17 src/rsa/public_{modulus,exponent}.rs), and the
    // modulus must have 2048 bits exactly (ring rounds up to whole bytes).
    let n = mcp_guard::core::jwt::b64_decode(RSA_N.as_bytes()).unwrap();
    let rsa = |n: &[u8], e: &[u8]| {
        format!(
            r#"{{"kty":"RSA","n":"{}","e":"{}","alg":"RS256"}}"#,
            b64_encode(n),
            b64_encode(e)
        )
    };
    let mut even = n.clone();
    *even.last_mut().unwrap() &= 0xfe;
    let mut short = n.clone();
    short[0] = 0x7f; // 2047 bits in 256 bytes
    for (n, e, why) in [
        (&even, &[1u8, 0, 1][..], JwtError::InvalidKey),
        (&n, &[1], JwtError::InvalidKey),
        (&n, &[2], JwtError::InvalidKey),
        (&n, &[1, 0, 0], JwtError::InvalidKey),
        (&n, &[2, 0, 0, 0, 1], JwtError::InvalidKey),
        (&short, &[1, 0, 1], JwtError::WeakRsaKey),
    ] {
        assert_eq!(
            KeySet::from_jwks(rsa(n, e).as_bytes(), None, false).unwrap_err(),
            why,
            "{e:?}"
        );
    }
    assert!(KeySet::from_jwks(rsa(&n, &[1, 0, 1]).as_bytes(), None, false).is_ok());
    // Ed25519: the identity (y = 1), the order-2 point, y = 0, a non-canonical
    // y (p + 1), an encoding that is no point.
    let okp = |x: &[u8]| {
        format!(
            r#"{{"kty":"OKP","crv":"Ed25519","x":"{}","alg":"EdDSA"}}"#,
            b64_encode(x)
        )
    };
    let mut identity = [0u8; 32];
    identity[0] = 1;
    let mut order2 = [0xffu8; 32];
    order2[0] = 0xec;
    order2[31] = 0x7f;
    let mut non_canonical = [0xffu8; 32];
    non_canonical[0] = 0xee;
    non_canonical[31] = 0x7f;
    let mut not_a_point = [0u8; 32];
    not_a_point[0] = 2; // y = 2: (y² − 1)/(d·y² + 1) is not a square
    for x in [identity, order2, [0u8; 32], non_canonical, not_a_point] {
        assert_eq!(
            KeySet::from_jwks(okp(&x).as_bytes(), None, false).unwrap_err(),
            JwtError::InvalidKey,
            "{x:?}"
        );
    }
    // The identity key accepts a forged signature for any message (R = the
    // identity, S = 0): it must never load. ring accepts that forgery.
    let forged_input = format!(
        "{}.{}",
        b64_encode(br#"{"alg":"EdDSA","typ":"at+jwt"}"#),
        b64_encode(claims().as_bytes())
    );
    let mut sig = [0u8; 64];
    sig[0] = 1;
    assert!(
        ring::signature::UnparsedPublicKey::new(&ring::signature::ED25519, identity)
            .verify(forged_input.as_bytes(), &sig)
            .is_ok()
    );
}

/// Header parameters we never act on (`jku`, `x5u`, `x5c`, `x5t`,
/// `x5t#S256`, `jwk`, `url`, `nonce`) must still have their registered JSON
/// types, and `enc` (a JWE header) is refused in a JWS. RFC 7515 §4.1,
/// RFC 7517 §4 (the members of an embedded `jwk`), RFC 7516 §4.1.2; a
/// verifier that accepts what another refuses is a parser differential
/// (CVE-2022-39227's class). Found by tests/jwt_differential.rs: jsonwebtoken
/// refused each of these while we accepted them.
#[test]
fn defaults_registered_header_parameters_have_their_types() {
    let v = hmac_verifier();
    for extra in [
        r#""jku":1"#,
        r#""x5u":{}"#,
        r#""x5c":"MIIB""#,
        r#""x5c":["MIIB",2]"#,
        r#""x5t":[]"#,
        r#""x5t#S256":true"#,
        r#""url":1"#,
        r#""nonce":null"#,
        r#""jwk":"AAAA""#,
        r#""jwk":{"k":"AA"}"#,
        r#""jwk":{"kty":"oct","k":"AA","alg":5}"#,
        r#""jwk":{"kty":"EC","key_ops":"verify"}"#,
        r#""enc":"A128GCM""#,
    ] {
        let h = format!(r#"{{"alg":"HS256","typ":"at+jwt",{extra}}}"#);
        assert_eq!(
            err(&v, &hs(&h, &claims(), SECRET)),
            JwtError::Malformed,
            "{h}"
        );
    }
    // Of their types they are accepted (and never followed).
    let h = r#"{"alg":"HS256","typ":"at+jwt","jku":"https://x","x5u":"https://y","x5c":["MIIB"],"x5t":"a","x5t#S256":"b","jwk":{"kty":"EC","crv":"P-256","x":"AA","y":"AA","key_ops":["verify"]},"url":"u","nonce":"n"}"#;
    assert!(v.verify(hs(h, &claims(), SECRET).as_bytes(), NOW).is_ok());
}

/// `exp`, `nbf` and `iat` are non-negative integers (NumericDate, RFC 7519
/// §2, without fractions so no rounding moves an expiry). A negative `nbf`
/// was accepted as "long valid" while jsonwebtoken refused it; found by
/// tests/jwt_differential.rs.
#[test]
fn defaults_numeric_dates_are_non_negative_integers() {
    let v = hmac_verifier();
    for (claim, value) in [
        ("nbf", "-5"),
        ("iat", "-1"),
        ("exp", "-5"),
        ("nbf", "1.5"),
        ("iat", "\"1\""),
    ] {
        let c = obj(&claims());
        let mut o = Object::new();
        for (k, v) in c.iter() {
            if k != claim {
                o.insert(k.to_owned(), v.clone());
            }
        }
        let mut text =
            String::from_utf8(mcp_guard::core::jwt::json::to_vec(&Value::Object(o)).unwrap())
                .unwrap();
        text.insert_str(1, &format!(r#""{claim}":{value},"#));
        assert_eq!(
            err(&v, &hs_ok(&text)),
            JwtError::Malformed,
            "{claim}={value}"
        );
    }
    let with_zero_nbf = claims().replacen('{', r#"{"nbf":0,"#, 1);
    assert!(v.verify(hs_ok(&with_zero_nbf).as_bytes(), NOW).is_ok());
}
