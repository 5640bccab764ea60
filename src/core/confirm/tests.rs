use super::arguments::{self, encode};
use super::*;
use crate::core::json;
use crate::core::policy::Value;
use crate::core::rng::testing::{CountingRng, FailingRng};

const NOW: i64 = 1_800_000_000;

fn key() -> ConfirmationKey {
    ConfirmationKey::new(&[7u8; 32]).unwrap()
}

fn v(text: &str) -> Value {
    json::parse(text.as_bytes(), 64).unwrap()
}

fn call<'a>(principal: &'a str, tool: &'a str, args: &'a Value) -> Call<'a, Value> {
    Call {
        principal: principal.as_bytes(),
        tool: tool.as_bytes(),
        arguments: args,
    }
}

fn issued(args: &Value) -> IssuedConfirmation {
    issue(
        &key(),
        call("m1", "orders.cancel", args),
        NOW,
        300,
        &CountingRng::new(1),
    )
    .unwrap()
}

#[test]
fn a_confirmation_checks_for_its_own_call_only() {
    let args = v(r#"{"id":42,"reason":"customer asked"}"#);
    let c = issued(&args);
    assert!(c.token.starts_with(PREFIX));
    assert_eq!(c.token.len(), TOKEN_LEN);
    assert_eq!(c.expires_at, NOW + 300);
    assert_eq!(c.id, "0102030405060708090a0b0c0d0e0f10");
    let ok = check(
        &key(),
        c.token.as_bytes(),
        call("m1", "orders.cancel", &args),
        NOW,
    )
    .unwrap();
    assert_eq!(
        (ok.id.as_str(), ok.expires_at),
        (c.id.as_str(), c.expires_at)
    );
    // Key order does not matter; every other difference does.
    let reordered = v(r#"{"reason":"customer asked","id":42}"#);
    assert!(check(
        &key(),
        c.token.as_bytes(),
        call("m1", "orders.cancel", &reordered),
        NOW
    )
    .is_ok());
    for other in [
        r#"{"id":43,"reason":"customer asked"}"#,
        r#"{"id":42}"#,
        r#"{"id":42,"reason":"customer asked","refund":true}"#,
        r#"{"id":42.0,"reason":"customer asked"}"#,
        r#"{"id":"42","reason":"customer asked"}"#,
        r#"{}"#,
    ] {
        let e = check(
            &key(),
            c.token.as_bytes(),
            call("m1", "orders.cancel", &v(other)),
            NOW,
        );
        assert_eq!(e, Err(ConfirmationError::NotBound), "{other}");
    }
    let e = check(
        &key(),
        c.token.as_bytes(),
        call("m2", "orders.cancel", &args),
        NOW,
    );
    assert_eq!(e, Err(ConfirmationError::NotBound));
    let e = check(
        &key(),
        c.token.as_bytes(),
        call("m1", "orders.delete", &args),
        NOW,
    );
    assert_eq!(e, Err(ConfirmationError::NotBound));
    // The boundary between principal and tool is not movable.
    let e = check(
        &key(),
        c.token.as_bytes(),
        call("m1o", "rders.cancel", &args),
        NOW,
    );
    assert_eq!(e, Err(ConfirmationError::NotBound));
}

#[test]
fn expiry_is_exclusive_and_checked_after_authenticity() {
    let args = v("{}");
    let c = issued(&args);
    let at = |now| {
        check(
            &key(),
            c.token.as_bytes(),
            call("m1", "orders.cancel", &args),
            now,
        )
    };
    assert!(at(NOW + 299).is_ok());
    assert_eq!(at(NOW + 300), Err(ConfirmationError::Expired));
    assert_eq!(at(i64::MAX), Err(ConfirmationError::Expired));
    // Another key: bad_mac, never expired.
    let other = ConfirmationKey::new(&[8u8; 32]).unwrap();
    let e = check(
        &other,
        c.token.as_bytes(),
        call("m1", "orders.cancel", &args),
        NOW + 1000,
    );
    assert_eq!(e, Err(ConfirmationError::BadMac));
    // Expired and for another call: expired (the lifetime is judged first).
    let e = check(
        &key(),
        c.token.as_bytes(),
        call("m2", "orders.cancel", &args),
        NOW + 300,
    );
    assert_eq!(e, Err(ConfirmationError::Expired));
}

#[test]
fn every_altered_byte_is_refused() {
    let args = v(r#"{"id":1}"#);
    let c = issued(&args);
    let raw = URL_SAFE_NO_PAD
        .decode(&c.token.as_bytes()[PREFIX.len()..])
        .unwrap();
    for i in 0..raw.len() {
        let mut bad = raw.clone();
        bad[i] ^= 1;
        let t = format!("{PREFIX}{}", URL_SAFE_NO_PAD.encode(&bad));
        let e = check(
            &key(),
            t.as_bytes(),
            call("m1", "orders.cancel", &args),
            NOW,
        )
        .unwrap_err();
        let want = if i == 0 {
            ConfirmationError::Malformed
        } else {
            ConfirmationError::BadMac
        };
        assert_eq!(e, want, "byte {i}");
    }
}

#[test]
fn malformed_tokens() {
    let args = v("{}");
    let c = issued(&args);
    let t = c.token.as_bytes();
    let check_ = |t: &[u8]| check(&key(), t, call("m1", "orders.cancel", &args), NOW);
    let mut wrong_prefix = t.to_vec();
    wrong_prefix[3] = b'x';
    let mut not_b64 = t.to_vec();
    not_b64[20] = b'+';
    let mut non_utf8 = t.to_vec();
    non_utf8[20] = 0xff;
    // The last character carries 2 spare bits: any other value than the
    // canonical one is refused (one string per token).
    let mut trailing = t.to_vec();
    let last = trailing.len() - 1;
    const B64: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let pos = B64.iter().position(|c| *c == trailing[last]).unwrap();
    assert_eq!(pos & 3, 0, "the spare bits of a canonical token are zero");
    trailing[last] = B64[pos ^ 1];
    let huge = vec![b'A'; 10 << 20];
    for bad in [
        &t[..t.len() - 1],
        &t[..PREFIX.len()],
        b"".as_slice(),
        &wrong_prefix,
        &not_b64,
        &non_utf8,
        &trailing,
        &huge,
        &[t, b"A"].concat(),
    ] {
        assert_eq!(check_(bad), Err(ConfirmationError::Malformed));
    }
}

#[test]
fn issue_refuses_bad_input_and_weak_keys() {
    assert_eq!(
        ConfirmationKey::new(&[1u8; 31]).unwrap_err(),
        ConfirmationError::KeyLength
    );
    assert_eq!(
        ConfirmationKey::new(&vec![1u8; 1025]).unwrap_err(),
        ConfirmationError::KeyLength
    );
    assert!(ConfirmationKey::new(&[1u8; 1024]).is_ok());
    let args = v("{}");
    let rng = CountingRng::new(0);
    let go = |p: &str, t: &str, now, ttl| issue(&key(), call(p, t, &args), now, ttl, &rng);
    assert_eq!(go("", "t", NOW, 300), Err(ConfirmationError::Principal));
    assert_eq!(
        go(&"p".repeat(1025), "t", NOW, 300),
        Err(ConfirmationError::Principal)
    );
    assert_eq!(go("p", "", NOW, 300), Err(ConfirmationError::Tool));
    assert_eq!(
        go("p", &"t".repeat(513), NOW, 300),
        Err(ConfirmationError::Tool)
    );
    assert_eq!(go("p", "t", NOW, 0), Err(ConfirmationError::Ttl));
    assert_eq!(go("p", "t", NOW, 901), Err(ConfirmationError::Ttl));
    assert!(go("p", "t", NOW, 900).is_ok());
    assert_eq!(go("p", "t", -1, 300), Err(ConfirmationError::Time));
    assert_eq!(
        go("p", "t", i64::MAX - 10, 300),
        Err(ConfirmationError::Time)
    );
    let nan = Value::Object(vec![("x".into(), Value::Float(f64::NAN))]);
    assert_eq!(
        issue(&key(), call("p", "t", &nan), NOW, 300, &rng),
        Err(ConfirmationError::Arguments)
    );
    assert_eq!(
        issue(&key(), call("p", "t", &args), NOW, 300, &FailingRng),
        Err(ConfirmationError::Randomness)
    );
    // check() refuses undigestable arguments whatever the token.
    assert_eq!(
        check(&key(), b"x", call("p", "t", &nan), NOW),
        Err(ConfirmationError::Arguments)
    );
}

#[test]
fn ids_are_random_and_tokens_differ() {
    let args = v("{}");
    let a = issue(
        &key(),
        call("m", "t", &args),
        NOW,
        300,
        &CountingRng::new(0),
    )
    .unwrap();
    let b = issue(
        &key(),
        call("m", "t", &args),
        NOW,
        300,
        &CountingRng::new(16),
    )
    .unwrap();
    assert_ne!(a.id, b.id);
    assert_ne!(a.token, b.token);
    assert_eq!(a.id.len(), 32);
}

#[test]
fn canonical_encoding() {
    let e = |t: &str| encode(&v(t)).unwrap();
    // Members sorted by key bytes, lists in order, nested objects too.
    assert_eq!(
        e(r#"{"b":1,"a":{"y":[2,1],"x":null}}"#),
        e(r#"{"a":{"x":null,"y":[2,1]},"b":1}"#)
    );
    assert_ne!(e(r#"{"a":[1,2]}"#), e(r#"{"a":[2,1]}"#));
    // Positions in any order are the list; other numeric-looking names are not.
    assert_eq!(e(r#"{"1":"b","0":"a"}"#), e(r#"["a","b"]"#));
    assert_eq!(e(r#"{"0":"a","1":"b"}"#), e(r#"["a","b"]"#));
    assert_ne!(e(r#"{"01":"a"}"#), e(r#"["a"]"#));
    assert_ne!(e(r#"{"1":"a"}"#), e(r#"["a"]"#));
    assert_ne!(e(r#"{"0":"a","2":"b"}"#), e(r#"["a","b"]"#));
    // The empty array is the one empty value.
    assert_eq!(e("{}"), e("[]"));
    assert_eq!(e("[]"), b"l\0\0\0\0\0\0\0\0".to_vec());
    // Exact bytes of a small object.
    let mut want = b"o".to_vec();
    want.extend_from_slice(&2u64.to_be_bytes());
    want.extend_from_slice(&1u64.to_be_bytes());
    want.extend_from_slice(b"a");
    want.push(b't');
    want.extend_from_slice(&1u64.to_be_bytes());
    want.extend_from_slice(b"b");
    want.push(b'i');
    want.extend_from_slice(&(-1i64).to_be_bytes());
    assert_eq!(e(r#"{"b":-1,"a":true}"#), want);
    // Types are kept apart.
    assert_ne!(e(r#"{"a":1}"#), e(r#"{"a":1.0}"#));
    assert_ne!(e(r#"{"a":"1"}"#), e(r#"{"a":1}"#));
    assert_ne!(e(r#"{"a":null}"#), e("{}"));
    assert_ne!(e(r#"{"a":0.0}"#), e(r#"{"a":-0.0}"#));
    // Strings are length-prefixed: no two splits share an encoding.
    assert_ne!(e(r#"["ab","c"]"#), e(r#"["a","bc"]"#));
    assert!(arguments::digest(&v("{}")).is_ok());
}

#[test]
fn the_walk_limits_apply() {
    let deep = format!("{}{}", "[".repeat(33), "]".repeat(33));
    let value: Value = json::parse(deep.as_bytes(), 64).unwrap();
    assert!(arguments::digest(&value).is_err());
    let ok = format!("{}{}", "[".repeat(32), "]".repeat(32));
    let value: Value = json::parse(ok.as_bytes(), 64).unwrap();
    assert!(arguments::digest(&value).is_ok());
    let long_key = Value::Object(vec![("k".repeat(129), Value::Null)]);
    assert!(arguments::digest(&long_key).is_err());
}

#[test]
fn reasons_are_one_table() {
    use crate::core::error::{ErrorKind, GuardError};
    assert_eq!(
        ConfirmationError::NotBound.reason(),
        "confirmation_not_bound"
    );
    assert_eq!(
        ConfirmationError::KeyLength.kind(),
        ErrorKind::Configuration
    );
    assert_eq!(
        ConfirmationError::ALL.len(),
        ConfirmationError::REASONS.len()
    );
    assert!(!format!("{:?}", key()).contains('7'));
}

/// The encoding written the obvious way (recursively, on an owned value),
/// as the module doc and tests/vectors/confirmations.py define it.
fn reference(v: &Value) -> Vec<u8> {
    fn len(out: &mut Vec<u8>, n: usize) {
        out.extend_from_slice(&(n as u64).to_be_bytes());
    }
    let mut out = Vec::new();
    match v {
        Value::Null => out.push(b'n'),
        Value::Bool(b) => out.push(if *b { b't' } else { b'f' }),
        Value::Int(i) => {
            out.push(b'i');
            out.extend_from_slice(&i.to_be_bytes());
        }
        Value::Float(x) => {
            out.push(b'd');
            out.extend_from_slice(&x.to_bits().to_be_bytes());
        }
        Value::Str(s) => {
            out.push(b's');
            len(&mut out, s.len());
            out.extend_from_slice(s.as_bytes());
        }
        Value::List(items) => {
            out.push(b'l');
            len(&mut out, items.len());
            for i in items {
                out.extend(reference(i));
            }
        }
        Value::Object(members) => {
            let index = |k: &str| {
                (k == "0"
                    || (!k.starts_with('0')
                        && !k.is_empty()
                        && k.bytes().all(|b| b.is_ascii_digit())))
                .then(|| k.parse::<i64>().ok())
                .flatten()
            };
            let mut idx: Vec<(i64, &Value)> = members
                .iter()
                .filter_map(|(k, v)| index(k).map(|n| (n, v)))
                .collect();
            idx.sort_by_key(|(n, _)| *n);
            if idx.len() == members.len()
                && idx.iter().enumerate().all(|(p, (n, _))| p as i64 == *n)
            {
                out.push(b'l');
                len(&mut out, idx.len());
                for (_, v) in idx {
                    out.extend(reference(v));
                }
            } else {
                let mut m: Vec<(Vec<u8>, Vec<u8>)> = members
                    .iter()
                    .map(|(k, v)| (k.as_bytes().to_vec(), reference(v)))
                    .collect();
                m.sort();
                out.push(b'o');
                len(&mut out, m.len());
                for (k, v) in m {
                    len(&mut out, k.len());
                    out.extend(k);
                    out.extend(v);
                }
            }
        }
    }
    out
}

fn shuffled(v: &Value, seed: u64) -> Value {
    match v {
        Value::List(items) => Value::List(items.iter().map(|x| shuffled(x, seed)).collect()),
        Value::Object(members) => {
            let mut m: Vec<(String, Value)> = members
                .iter()
                .map(|(k, x)| (k.clone(), shuffled(x, seed)))
                .collect();
            let n = m.len().max(1) as u64;
            m.rotate_left((seed % n) as usize);
            if seed & 1 == 1 {
                m.reverse();
            }
            Value::Object(m)
        }
        other => other.clone(),
    }
}

fn value_strategy() -> impl proptest::strategy::Strategy<Value = Value> {
    use proptest::prelude::*;
    let key = prop_oneof![
        Just("0".to_owned()),
        Just("1".to_owned()),
        Just("2".to_owned()),
        "[a-c01]{0,3}"
    ];
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        (-3i64..3).prop_map(Value::Int),
        prop_oneof![Just(0.0f64), Just(-0.0f64), Just(1.5f64)].prop_map(Value::Float),
        "[ab]{0,2}".prop_map(Value::Str),
    ];
    leaf.prop_recursive(4, 32, 5, move |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..5).prop_map(Value::List),
            proptest::collection::btree_map(key.clone(), inner, 0..5)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

proptest::proptest! {
    #[test]
    fn the_encoder_matches_the_reference_in_any_key_order(v in value_strategy(), seed in 0u64..16) {
        let want = reference(&v);
        proptest::prop_assert_eq!(&encode(&v).unwrap(), &want);
        proptest::prop_assert_eq!(&encode(&shuffled(&v, seed)).unwrap(), &want);
    }
}
