//! Runs the JOSE known-answer vectors of `tests/vectors/jose.txt` (RFC 7515,
//! RFC 7520, RFC 8037, RFC 7638; each vector names its source; the same file
//! is read by tests/php/Extension/JwtTest.php) through the key-set parser,
//! the ring primitives and the verifier, and tampers every valid one: each
//! byte of header, payload and signature changed in turn must be refused,
//! as ring's tests/*_tests.txt runners do.

use std::collections::BTreeMap;
use std::sync::Arc;

use mcp_guard::core::error::GuardError;
use mcp_guard::core::jwt::alg::{self, Alg, PrivateMaterial};
use mcp_guard::core::jwt::json::{self, Object, Value};
use mcp_guard::core::jwt::keys::{required_members, thumbprint, KeySet};
use mcp_guard::core::jwt::verify::{Profile, Verifier, VerifierConfig};
use mcp_guard::core::jwt::{b64_decode, b64_encode};
use ring::rand::SystemRandom;
use ring::rsa::{KeyPairComponents, PublicKeyComponents};
use ring::signature::{Ed25519KeyPair, RsaKeyPair};

const FILE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/vectors/jose.txt");

/// Every field of the file format (see its header comment).
const FIELDS: [&str; 13] = [
    "Source",
    "Jwk",
    "Alg",
    "Secret",
    "KeyError",
    "Token",
    "Valid",
    "Expect",
    "Issuer",
    "Now",
    "Deterministic",
    "PrivateJwk",
    "Thumbprint",
];

/// Reasons a token can get before its signature is checked, and
/// `bad_signature`: what a tampered token may be refused with.
const TAMPERED: [&str; 6] = [
    "malformed",
    "alg_not_allowed",
    "crit_unsupported",
    "unknown_kid",
    "wrong_type",
    "bad_signature",
];

type Vector = BTreeMap<String, String>;

/// `Name = value` blocks separated by blank lines; `#` comments.
fn load() -> Vec<Vector> {
    let text = std::fs::read_to_string(FILE).expect("tests/vectors/jose.txt");
    let mut out = Vec::new();
    let mut cur = Vector::new();
    for (n, line) in text.lines().enumerate() {
        if line.starts_with('#') {
            continue;
        }
        if line.trim().is_empty() {
            if !cur.is_empty() {
                out.push(std::mem::take(&mut cur));
            }
            continue;
        }
        let (k, v) = line
            .split_once(" = ")
            .unwrap_or_else(|| panic!("line {}: not `Name = value`", n + 1));
        assert!(FIELDS.contains(&k), "line {}: unknown field {k}", n + 1);
        assert!(
            cur.insert(k.to_owned(), v.to_owned()).is_none(),
            "line {}: {k} twice",
            n + 1
        );
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

fn d(s: &str) -> Vec<u8> {
    b64_decode(s.as_bytes()).unwrap()
}

fn key_set(v: &Vector) -> Result<KeySet, mcp_guard::core::jwt::JwtError> {
    let pin = v.get("Alg").map(|a| Alg::from_name(a).expect("Alg"));
    KeySet::from_jwks(
        v["Jwk"].as_bytes(),
        pin,
        v.get("Secret").is_some_and(|s| s == "yes"),
    )
}

fn verifier(v: &Vector, set: KeySet) -> Verifier {
    let mut c = VerifierConfig::new(v["Issuer"].clone(), vec!["anything".into()]);
    c.profile = Profile::Jwt;
    Verifier::new(Arc::new(set), c).unwrap()
}

fn now(v: &Vector) -> i64 {
    v["Now"].parse().unwrap()
}

fn primitive_ok(set: &KeySet, token: &str) -> bool {
    let Some(dot) = token.rfind('.') else {
        return false;
    };
    let Ok(sig) = b64_decode(&token.as_bytes()[dot + 1..]) else {
        return false;
    };
    let key = &set.keys()[0];
    alg::verify(key.alg, &key.material, &token.as_bytes()[..dot], &sig).is_ok()
}

fn member<'a>(o: &'a Object, name: &str) -> &'a str {
    o.get(name).and_then(Value::as_str).unwrap()
}

/// Signs the token's input with the vector's private key.
fn resign(v: &Vector, alg: Alg, input: &[u8]) -> Vec<u8> {
    let rng = SystemRandom::new();
    let private = json::parse_object(v.get("PrivateJwk").unwrap_or(&v["Jwk"]).as_bytes()).unwrap();
    let material = match alg {
        Alg::HS256 | Alg::HS384 | Alg::HS512 => {
            PrivateMaterial::Hmac(alg::hmac_key(alg, &d(member(&private, "k"))))
        }
        Alg::RS256 | Alg::RS384 | Alg::RS512 => {
            let c = |n: &str| d(member(&private, n));
            PrivateMaterial::Rsa(
                RsaKeyPair::from_components(&KeyPairComponents {
                    public_key: PublicKeyComponents {
                        n: c("n"),
                        e: c("e"),
                    },
                    d: c("d"),
                    p: c("p"),
                    q: c("q"),
                    dP: c("dp"),
                    dQ: c("dq"),
                    qInv: c("qi"),
                })
                .unwrap(),
            )
        }
        Alg::EdDSA => PrivateMaterial::Ed25519(
            Ed25519KeyPair::from_seed_and_public_key(
                &d(member(&private, "d")),
                &d(member(&private, "x")),
            )
            .unwrap(),
        ),
        other => panic!("{other:?} is not deterministic"),
    };
    alg::sign(alg, &material, input, &rng).unwrap()
}

/// The token with bit 0 of byte `i` of part `part` (decoded) flipped.
fn tampered(token: &str, part: usize, i: usize) -> String {
    let mut parts: Vec<String> = token.split('.').map(str::to_owned).collect();
    let mut bytes = d(&parts[part]);
    bytes[i] ^= 1;
    parts[part] = b64_encode(&bytes);
    parts.join(".")
}

/// A changed header that is still the same JSON object in every member the
/// verifier reads before the signature can only fail the signature.
fn header_still_equivalent(original: &str, changed: &str) -> bool {
    let (Ok(a), Ok(b)) = (
        json::parse_object(&d(original)),
        json::parse_object(&d(changed)),
    ) else {
        return false;
    };
    let names = |o: &Object| o.iter().map(|(k, _)| k.to_owned()).collect::<Vec<_>>();
    names(&a) == names(&b) && ["alg", "kid", "typ"].iter().all(|m| a.get(m) == b.get(m))
}

#[test]
fn jose_vectors() {
    let vectors = load();
    assert!(vectors.len() >= 15, "{} vectors", vectors.len());
    let (mut tokens, mut tampered_count, mut deterministic) = (0, 0, 0);
    for v in &vectors {
        let source = v.get("Source").expect("every vector names its source");
        let set = key_set(v);
        if let Some(reason) = v.get("KeyError") {
            assert_eq!(set.unwrap_err().reason(), reason, "{source}");
            assert!(!v.contains_key("Token"), "{source}");
            continue;
        }
        let set = set.unwrap_or_else(|e| panic!("{source}: {e:?}"));
        if let Some(t) = v.get("Thumbprint") {
            let members = required_members(&set.keys()[0].material).unwrap();
            assert_eq!(&thumbprint(&members), t, "{source}");
        }
        let Some(token) = v.get("Token") else {
            continue;
        };
        tokens += 1;
        let valid = v["Valid"] == "yes";
        assert_eq!(primitive_ok(&set, token), valid, "{source}");
        let alg = set.keys()[0].alg;
        let verifier = verifier(v, set.clone());
        let at = now(v);
        assert_eq!(
            verifier.verify(token.as_bytes(), at).unwrap_err().reason(),
            v["Expect"],
            "{source}"
        );
        if v.get("Deterministic").is_some_and(|s| s == "yes") {
            deterministic += 1;
            let dot = token.rfind('.').unwrap();
            assert_eq!(
                b64_encode(&resign(v, alg, &token.as_bytes()[..dot])),
                token[dot + 1..],
                "{source}: signing does not reproduce the signature"
            );
        }
        if !valid {
            continue;
        }
        let header = token.split('.').next().unwrap();
        for part in 0..3 {
            let len = d(token.split('.').nth(part).unwrap()).len();
            for i in 0..len {
                let t = tampered(token, part, i);
                tampered_count += 1;
                assert!(!primitive_ok(&set, &t), "{source}: part {part} byte {i}");
                let reason = verifier.verify(t.as_bytes(), at).unwrap_err().reason();
                let h = t.split('.').next().unwrap();
                if part > 0 || header_still_equivalent(header, h) {
                    assert_eq!(reason, "bad_signature", "{source}: part {part} byte {i}");
                } else {
                    assert!(
                        TAMPERED.contains(&reason),
                        "{source}: part {part} byte {i}: {reason}"
                    );
                }
            }
        }
    }
    assert_eq!((tokens, deterministic), (10, 4));
    eprintln!(
        "{tokens} tokens, {deterministic} re-signed, {tampered_count} tampered tokens refused"
    );
    assert!(tampered_count >= 1900, "{tampered_count}");
}

/// The reader refuses what the file must never hold, so a broken edit of
/// the file fails loudly rather than skipping vectors.
#[test]
fn every_vector_is_complete() {
    for v in load() {
        let source = &v["Source"];
        assert!(v.contains_key("Jwk"), "{source}");
        if v.contains_key("Token") {
            for f in ["Valid", "Expect", "Issuer", "Now"] {
                assert!(v.contains_key(f), "{source}: {f}");
            }
        } else {
            assert!(
                v.contains_key("KeyError") || v.contains_key("Thumbprint"),
                "{source}"
            );
        }
    }
}
