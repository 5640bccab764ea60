//! Confirmations of destructive tool calls (`mcpc_…`): forgery, transplanting
//! a confirmation onto another call, replaying it late, key confusion and
//! hostile token strings. The known-answer file `tests/vectors/
//! confirmations.json` (computed with Python's hmac/hashlib) drives the
//! first test; PHPUnit reads the same file through the extension.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use mcp_guard::core::confirm::{
    self, arguments, Call, ConfirmationError, ConfirmationKey, MAX_TTL_SECS, PREFIX,
};
use mcp_guard::core::error::GuardError;
use mcp_guard::core::json;
use mcp_guard::core::policy::Value;
use mcp_guard::core::rng::testing::CountingRng;
use mcp_guard::core::rng::{RngFailure, SecureRandom};

const NOW: i64 = 1_800_000_000;

fn v(text: &str) -> Value {
    json::parse(text.as_bytes(), 64).unwrap()
}

fn unhex(s: &str) -> Vec<u8> {
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap())
        .collect()
}

fn call<'a>(principal: &'a str, tool: &'a str, args: &'a Value) -> Call<'a, Value> {
    Call {
        principal: principal.as_bytes(),
        tool: tool.as_bytes(),
        arguments: args,
    }
}

struct Fixed(Vec<u8>);

impl SecureRandom for Fixed {
    fn fill(&self, dest: &mut [u8]) -> Result<(), RngFailure> {
        dest.copy_from_slice(&self.0[..dest.len()]);
        Ok(())
    }
}

fn vectors() -> serde_json::Value {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/vectors/confirmations.json"
    );
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

fn s<'a>(case: &'a serde_json::Value, name: &str) -> &'a str {
    case[name]
        .as_str()
        .unwrap_or_else(|| panic!("{name} in {case}"))
}

/// Known answers, computed independently (Python): the canonical arguments
/// encoding and digest, the exact token issued for a fixed id, and every
/// check verdict, tampered tokens included.
#[test]
fn known_answers() {
    let file = vectors();
    let digests = file["digests"].as_array().unwrap();
    assert!(digests.len() >= 10);
    for d in digests {
        let args = v(s(d, "arguments"));
        assert_eq!(
            arguments::encode(&args).unwrap(),
            unhex(s(d, "encoding")),
            "{d}"
        );
        let hash = arguments::digest(&args).unwrap();
        assert_eq!(mcp_guard::core::digest::hex(&hash), s(d, "digest"), "{d}");
    }
    for i in file["issued"].as_array().unwrap() {
        let key = ConfirmationKey::new(&unhex(s(i, "key"))).unwrap();
        let args = v(s(i, "arguments"));
        let got = confirm::issue(
            &key,
            call(s(i, "principal"), s(i, "tool"), &args),
            i["now"].as_i64().unwrap(),
            i["ttl"].as_u64().unwrap(),
            &Fixed(unhex(s(i, "id"))),
        )
        .unwrap();
        assert_eq!(got.token, s(i, "token"));
        assert_eq!(got.id, s(i, "id"));
        assert_eq!(got.expires_at, i["expires_at"].as_i64().unwrap());
    }
    let checks = file["checks"].as_array().unwrap();
    assert!(checks.len() >= 20);
    for c in checks {
        let key = ConfirmationKey::new(&unhex(s(c, "key"))).unwrap();
        let args = v(s(c, "arguments"));
        let got = confirm::check(
            &key,
            s(c, "token").as_bytes(),
            call(s(c, "principal"), s(c, "tool"), &args),
            c["now"].as_i64().unwrap(),
        );
        let verdict = match got {
            Ok(_) => "ok",
            Err(e) => e.reason(),
        };
        assert_eq!(verdict, s(c, "expect"), "{}", s(c, "name"));
    }
}

/// A forged tag (any byte of the token changed, a tag copied from another
/// token) never verifies: RFC 2104 HMAC, compared in constant time
/// (ring::hmac::verify).
#[test]
fn attack_forged_mac() {
    let key = ConfirmationKey::new(&[3; 32]).unwrap();
    let args = v(r#"{"id":1}"#);
    let a = confirm::issue(
        &key,
        call("m", "orders.cancel", &args),
        NOW,
        300,
        &CountingRng::new(0),
    )
    .unwrap();
    let b = confirm::issue(
        &key,
        call("m", "orders.cancel", &args),
        NOW,
        300,
        &CountingRng::new(99),
    )
    .unwrap();
    let ra = URL_SAFE_NO_PAD.decode(&a.token[PREFIX.len()..]).unwrap();
    let rb = URL_SAFE_NO_PAD.decode(&b.token[PREFIX.len()..]).unwrap();
    // b's header with a's tags, and a's header with b's tags.
    for raw in [
        [&rb[..25], &ra[25..]].concat(),
        [&ra[..25], &rb[25..]].concat(),
    ] {
        let t = format!("{PREFIX}{}", URL_SAFE_NO_PAD.encode(&raw));
        let e = confirm::check(&key, t.as_bytes(), call("m", "orders.cancel", &args), NOW);
        assert_eq!(e, Err(ConfirmationError::BadMac));
    }
    // All-zero tags.
    let mut zero = ra.clone();
    zero[25..].fill(0);
    let t = format!("{PREFIX}{}", URL_SAFE_NO_PAD.encode(&zero));
    let e = confirm::check(&key, t.as_bytes(), call("m", "orders.cancel", &args), NOW);
    assert_eq!(e, Err(ConfirmationError::BadMac));
}

/// A confirmation is bound to the principal, the tool and the arguments:
/// the confused-deputy and parameter-tampering classes (OWASP LLM06
/// excessive agency; CWE-639 / CWE-345) — an agent cannot confirm one call
/// and execute another, nor use another member's confirmation.
#[test]
fn attack_transplanted_confirmation() {
    let key = ConfirmationKey::new(&[5; 32]).unwrap();
    let args = v(r#"{"order":{"id":1042,"lines":[1,2]},"notify":true}"#);
    let c = confirm::issue(
        &key,
        call("member:42", "orders.cancel", &args),
        NOW,
        300,
        &CountingRng::new(0),
    )
    .unwrap();
    let t = c.token.as_bytes();
    let ok = confirm::check(&key, t, call("member:42", "orders.cancel", &args), NOW);
    assert!(ok.is_ok());
    for (principal, tool, other) in [
        (
            "member:43",
            "orders.cancel",
            r#"{"order":{"id":1042,"lines":[1,2]},"notify":true}"#,
        ),
        (
            "member:42",
            "orders.delete",
            r#"{"order":{"id":1042,"lines":[1,2]},"notify":true}"#,
        ),
        (
            "member:42",
            "orders.cancel",
            r#"{"order":{"id":1043,"lines":[1,2]},"notify":true}"#,
        ),
        (
            "member:42",
            "orders.cancel",
            r#"{"order":{"id":1042,"lines":[1,2]},"notify":false}"#,
        ),
        (
            "member:42",
            "orders.cancel",
            r#"{"order":{"id":1042,"lines":[1,2]},"notify":true,"all":true}"#,
        ),
        (
            "member:42",
            "orders.cancel",
            r#"{"order":{"id":1042,"lines":[1,2,3]},"notify":true}"#,
        ),
        (
            "member:42",
            "orders.cancel",
            r#"{"order":{"id":1042,"lines":[2,1]},"notify":true}"#,
        ),
        (
            "member:42",
            "orders.cancel",
            r#"{"order":{"id":1042},"notify":true}"#,
        ),
        ("member:42", "orders.cancel", r#"{}"#),
        (
            "member:4",
            "2orders.cancel",
            r#"{"order":{"id":1042,"lines":[1,2]},"notify":true}"#,
        ),
        (
            "",
            "orders.cancel",
            r#"{"order":{"id":1042,"lines":[1,2]},"notify":true}"#,
        ),
    ] {
        let other = v(other);
        let e = confirm::check(&key, t, call(principal, tool, &other), NOW);
        assert_eq!(e, Err(ConfirmationError::NotBound), "{principal} {tool}");
    }
    let huge = "p".repeat(1 << 20);
    let e = confirm::check(&key, t, call(&huge, "orders.cancel", &args), NOW);
    assert_eq!(e, Err(ConfirmationError::NotBound));
}

/// Expiry: a confirmation is valid for at most 15 minutes and not at its
/// expiry second (RFC 6749 §4.1.2 keeps codes short-lived for the same
/// reason: a leaked one must be useless soon).
#[test]
fn attack_late_use() {
    let key = ConfirmationKey::new(&[6; 32]).unwrap();
    let args = v("{}");
    let c = confirm::issue(
        &key,
        call("m", "t", &args),
        NOW,
        MAX_TTL_SECS,
        &CountingRng::new(0),
    )
    .unwrap();
    assert_eq!(c.expires_at, NOW + 900);
    let at = |now| confirm::check(&key, c.token.as_bytes(), call("m", "t", &args), now);
    assert!(at(NOW + 899).is_ok());
    assert_eq!(at(NOW + 900), Err(ConfirmationError::Expired));
    assert_eq!(
        confirm::issue(
            &key,
            call("m", "t", &args),
            NOW,
            MAX_TTL_SECS + 1,
            &CountingRng::new(0)
        ),
        Err(ConfirmationError::Ttl)
    );
}

/// Key confusion: a token of another key is `bad_mac`; a key under 32
/// bytes is refused (RFC 2104 §3, NIST SP 800-107 §5.3.4); the messages are
/// labelled, so an HS256 JWT signature or a token pepper's HMAC made with the
/// same key can never be a confirmation tag (RFC 8725 §3.9 cross-JWT
/// confusion, here across protocols).
#[test]
fn attack_key_confusion() {
    for len in [0, 1, 16, 31] {
        assert_eq!(
            ConfirmationKey::new(&vec![1; len]).unwrap_err(),
            ConfirmationError::KeyLength
        );
    }
    let a = ConfirmationKey::new(&[1; 32]).unwrap();
    let b = ConfirmationKey::new(&[1; 33]).unwrap();
    let args = v("{}");
    let c = confirm::issue(&a, call("m", "t", &args), NOW, 300, &CountingRng::new(0)).unwrap();
    assert_eq!(
        confirm::check(&b, c.token.as_bytes(), call("m", "t", &args), NOW),
        Err(ConfirmationError::BadMac)
    );
}

/// Hostile token strings: truncated, huge, not base64url, not UTF-8, with
/// padding, with white space — `malformed`, at the cost of a length check.
#[test]
fn attack_hostile_token_strings() {
    let key = ConfirmationKey::new(&[9; 32]).unwrap();
    let args = v("{}");
    let c = confirm::issue(&key, call("m", "t", &args), NOW, 300, &CountingRng::new(0)).unwrap();
    let t = c.token.as_bytes();
    let huge = vec![b'A'; 64 << 20];
    let mut bad: Vec<Vec<u8>> = vec![
        t[..t.len() - 1].to_vec(),
        t[..t.len() - 2].to_vec(),
        [t, b"=".as_slice()].concat(),
        [b" ".as_slice(), &t[1..]].concat(),
        [&t[..t.len() - 1], b"\n".as_slice()].concat(),
        vec![0xff; t.len()],
        vec![0; t.len()],
        huge,
        b"mcpc_".to_vec(),
        b"".to_vec(),
    ];
    let mut non_utf8 = t.to_vec();
    non_utf8[50] = 0xc3;
    bad.push(non_utf8);
    let mut upper = t.to_vec();
    upper[..5].copy_from_slice(b"MCPC_");
    bad.push(upper);
    for b in bad {
        let e = confirm::check(&key, &b, call("m", "t", &args), NOW);
        assert_eq!(
            e,
            Err(ConfirmationError::Malformed),
            "{:?}",
            &b[..b.len().min(16)]
        );
    }
}
