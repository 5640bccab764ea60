//! Known-answer tests of the token building blocks and the Authorization
//! header, read from `tests/vectors/tokens.txt` and `credentials.txt` (each
//! vector names its source there). PHPUnit reads the same files. Every
//! positive answer is also checked tampered: one byte XOR 0x01 must change the
//! result.

#[path = "vectors/reader.rs"]
mod vectors;

use mcp_guard::core::base62;
use mcp_guard::core::credentials::{self, Credentials};
use mcp_guard::core::error::GuardError;
use mcp_guard::core::rng::testing::CountingRng;
use mcp_guard::core::token::{self, Pepper, Prefix, StoredToken, TokenConfig, TokenError};
use vectors::{flip, Case};

fn reason<T>(r: Result<T, TokenError>) -> String {
    match r {
        Ok(_) => "ok".to_owned(),
        Err(e) => e.reason().to_owned(),
    }
}

fn utf8(bytes: Vec<u8>, c: &Case) -> String {
    String::from_utf8(bytes).unwrap_or_else(|_| panic!("{}: not UTF-8", c.at))
}

fn prefix(c: &Case) -> Prefix {
    c.opt_text("Prefix")
        .map_or_else(Prefix::default, |p| Prefix::new(&p).unwrap())
}

fn config(c: &Case) -> TokenConfig {
    TokenConfig {
        prefix: prefix(c),
        pepper: c.opt_bytes("Key").map(|k| Pepper::new(&k).unwrap()),
        ..TokenConfig::default()
    }
}

fn crc32_checksum(c: &Case) {
    let input = c.bytes("Input");
    let crc = u32::from_str_radix(&c.text("Crc32"), 16).unwrap();
    assert_eq!(crc32fast::hash(&input), crc, "{}", c.at);
    assert_eq!(
        base62::encode_fixed(u64::from(crc), token::CHECKSUM_LEN),
        Some(c.text("Checksum")),
        "{}",
        c.at
    );
    for i in 0..input.len() {
        assert_ne!(crc32fast::hash(&flip(&input, i)), crc, "{} byte {i}", c.at);
    }
}

fn sha256_stored(c: &Case) {
    let input = utf8(c.bytes("Input"), c);
    let stored = c.text("Stored");
    assert_eq!(token::hash_for_storage(None, &input), stored, "{}", c.at);
    for i in 0..input.len() {
        let tampered = utf8(flip(input.as_bytes(), i), c);
        assert_ne!(token::hash_for_storage(None, &tampered), stored, "{}", c.at);
    }
}

fn hmac_stored(c: &Case) {
    let key = c.bytes("Key");
    let input = utf8(c.bytes("Input"), c);
    let pepper = Pepper::new(&key).unwrap();
    let expected = format!("hmac-sha256:{}:{}", pepper.id(), c.text("Hmac"));
    assert_eq!(
        token::hash_for_storage(Some(&pepper), &input),
        expected,
        "{}",
        c.at
    );
    for i in 0..input.len() {
        let tampered = utf8(flip(input.as_bytes(), i), c);
        assert_ne!(token::hash_for_storage(Some(&pepper), &tampered), expected);
    }
    let other = Pepper::new(&flip(&key, 0)).unwrap();
    assert_ne!(token::hash_for_storage(Some(&other), &input), expected);
}

fn pepper(c: &Case) {
    let key = c.bytes("Key");
    match c.opt_text("Error") {
        Some(e) => assert_eq!(reason(Pepper::new(&key)), e, "{}", c.at),
        None => {
            let id = c.text("KeyId");
            assert_eq!(Pepper::new(&key).unwrap().id(), id, "{}", c.at);
            for i in 0..key.len() {
                assert_ne!(Pepper::new(&flip(&key, i)).unwrap().id(), id, "{}", c.at);
            }
        }
    }
}

fn counting_issue(c: &Case) {
    let seed = u8::try_from(c.opt_int("Seed").unwrap()).unwrap();
    let lifetime = u64::try_from(c.opt_int("Lifetime").unwrap()).unwrap();
    let t = token::issue(
        &TokenConfig::default(),
        &CountingRng::new(seed),
        c.opt_int("Now").unwrap(),
        Some(lifetime),
    )
    .unwrap();
    assert_eq!(t.plaintext.as_bytes(), c.bytes("Token"), "{}", c.at);
    assert_eq!(t.public_id, c.text("PublicId"), "{}", c.at);
    assert_eq!(t.expires_at, c.opt_int("ExpiresAt"), "{}", c.at);
}

fn parse(c: &Case) {
    let token = c.bytes("Token");
    let prefix = prefix(c);
    match c.opt_text("Error") {
        Some(e) => assert_eq!(reason(token::parse(&token, &prefix)), e, "{}", c.at),
        None => {
            let id = c.text("PublicId");
            assert_eq!(
                token::parse(&token, &prefix).unwrap().public_id,
                id,
                "{}",
                c.at
            );
            for i in 0..token.len() {
                let r = reason(token::parse(&flip(&token, i), &prefix));
                assert!(
                    ["malformed", "bad_checksum"].contains(&r.as_str()),
                    "{} byte {i}: {r}",
                    c.at
                );
            }
        }
    }
}

fn verify(c: &Case) {
    let cfg = config(c);
    let token = c.bytes("Token");
    let stored = c.opt_text("Stored");
    let expires_at = c.opt_int("ExpiresAt");
    let revoked_at = c.opt_int("RevokedAt");
    let now = c.opt_int("Now").unwrap();
    let row = |hash: &str| -> Option<String> { Some(hash.to_owned()) };
    let run = |token: &[u8], hash: Option<String>| {
        let stored = hash.as_deref().map(|hash| StoredToken {
            hash,
            expires_at,
            revoked_at,
        });
        token::verify(&cfg, token, stored, now)
    };
    match c.opt_text("Error") {
        Some(e) => assert_eq!(reason(run(&token, stored.clone())), e, "{}", c.at),
        None => {
            let v = run(&token, stored.clone()).unwrap();
            assert_eq!(v.public_id, c.text("PublicId"), "{}", c.at);
            assert_eq!(v.rehash, c.opt_text("Rehash"), "{}", c.at);
            let hash = stored.unwrap();
            for i in 0..token.len() {
                assert!(
                    run(&flip(&token, i), row(&hash)).is_err(),
                    "{} byte {i}",
                    c.at
                );
            }
            // Every digit of the stored digest.
            for i in hash.len() - 64..hash.len() {
                let tampered = utf8(flip(hash.as_bytes(), i), c);
                assert!(run(&token, Some(tampered)).is_err(), "{} digit {i}", c.at);
            }
        }
    }
}

fn legacy_sha256(c: &Case) {
    let token = c.bytes("Token");
    let hex = c.text("StoredHex");
    let r = reason(token::verify_legacy_sha256(&token, &hex));
    assert_eq!(
        r,
        c.opt_text("Error").unwrap_or_else(|| "ok".into()),
        "{}",
        c.at
    );
    if r == "ok" {
        let outcome =
            |t: &[u8], h: &str| token::verify_legacy_sha256(t, h).ok().map(|()| Vec::new());
        tamper_digest(c, &token, &hex, outcome, Vec::new());
    }
}

fn shopsys(c: &Case) {
    let token = c.bytes("Token");
    let hex = c.text("StoredHex");
    match c.opt_text("Error") {
        Some(e) => assert_eq!(reason(token::verify_shopsys(&token, &hex)), e, "{}", c.at),
        None => {
            let id = token::verify_shopsys(&token, &hex).unwrap();
            assert_eq!(id, c.text("PublicId"), "{}", c.at);
            // The public id is the lookup key, not hashed: a changed id
            // verifies only as another id, whose row the host would look up.
            let outcome = |t: &[u8], h: &str| {
                token::verify_shopsys(t, h)
                    .ok()
                    .map(|id| id.as_bytes().to_vec())
            };
            tamper_digest(c, &token, &hex, outcome, id.as_bytes().to_vec());
        }
    }
}

/// No byte of the token and no digit of the digest can change and still give
/// the vector's answer.
fn tamper_digest(
    c: &Case,
    token: &[u8],
    hex: &str,
    outcome: impl Fn(&[u8], &str) -> Option<Vec<u8>>,
    answer: Vec<u8>,
) {
    let answer = Some(answer);
    for i in 0..token.len() {
        assert_ne!(outcome(&flip(token, i), hex), answer, "{} byte {i}", c.at);
    }
    for i in 0..hex.len() {
        let tampered = utf8(flip(hex.as_bytes(), i), c);
        assert_ne!(outcome(token, &tampered), answer, "{} digit {i}", c.at);
    }
}

#[test]
fn token_vectors() {
    let cases = vectors::read("tokens.txt");
    for c in &cases {
        match c.kind().as_str() {
            "crc32-checksum" => crc32_checksum(c),
            "sha256-stored" => sha256_stored(c),
            "hmac-stored" => hmac_stored(c),
            "pepper" => pepper(c),
            "counting-issue" => counting_issue(c),
            "parse" => parse(c),
            "verify" => verify(c),
            "legacy-sha256" => legacy_sha256(c),
            "shopsys" => shopsys(c),
            other => panic!("{}: unknown kind {other}", c.at),
        }
        c.finish();
    }
}

/// What a header gives, in the file's terms.
fn outcome(header: Option<&[u8]>) -> Vec<(String, Vec<u8>)> {
    let field = |k: &str, v: &[u8]| (k.to_owned(), v.to_vec());
    match credentials::parse(header) {
        Err(e) => vec![field("Error", e.reason().as_bytes())],
        Ok(Credentials::None) => vec![field("Scheme", b"none")],
        Ok(Credentials::Bearer(t)) => vec![
            field("Scheme", b"bearer"),
            field("BearerToken", t.as_bytes()),
        ],
        Ok(Credentials::Basic { username, password }) => vec![
            field("Scheme", b"basic"),
            field("Username", username.as_bytes()),
            field("Password", password.as_bytes()),
        ],
    }
}

#[test]
fn credentials_vectors() {
    for c in &vectors::read("credentials.txt") {
        assert_eq!(c.kind(), "header", "{}", c.at);
        let header = c.opt_bytes("Header");
        let got = outcome(header.as_deref());
        let expected: Vec<(String, Vec<u8>)> =
            ["Error", "Scheme", "BearerToken", "Username", "Password"]
                .iter()
                .filter(|k| c.has(k))
                .map(|k| {
                    let v = if matches!(*k, "Error" | "Scheme") {
                        c.text(k).into_bytes()
                    } else {
                        c.bytes(k)
                    };
                    ((*k).to_owned(), v)
                })
                .collect();
        assert_eq!(got, expected, "{}", c.at);
        c.finish();
        if let Some(h) = header.filter(|_| c.has("Username") || c.has("BearerToken")) {
            for i in 0..h.len() {
                assert_ne!(outcome(Some(&flip(&h, i))), expected, "{} byte {i}", c.at);
            }
        }
    }
}
