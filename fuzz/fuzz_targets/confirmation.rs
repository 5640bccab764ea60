//! Confirmations on arbitrary bytes: as a presented token against a fixed
//! call (never a panic; nothing but the one real token is accepted), and as
//! JSON arguments (the digest never depends on object key order, a
//! confirmation issued for them checks for them and for no changed copy).
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use mcp_guard::core::confirm::{self, arguments, Call, ConfirmationKey};
use mcp_guard::core::json;
use mcp_guard::core::policy::Value;
use mcp_guard::core::rng::testing::CountingRng;

const NOW: i64 = 1_800_000_000;

struct Fixture {
    key: ConfirmationKey,
    args: Value,
    real: String,
}

fn call<'a>(args: &'a Value) -> Call<'a, Value> {
    Call {
        principal: b"member:42",
        tool: b"orders.cancel",
        arguments: args,
    }
}

fn fixture() -> &'static Fixture {
    static F: OnceLock<Fixture> = OnceLock::new();
    F.get_or_init(|| {
        let key = ConfirmationKey::new(&[7; 32]).expect("32 bytes");
        let args = Value::Object(vec![("order_id".into(), Value::Int(1042))]);
        let real = confirm::issue(&key, call(&args), NOW, 300, &CountingRng::new(1))
            .expect("issue")
            .token;
        Fixture { key, args, real }
    })
}

/// The same value with every object's members in reverse order.
fn reversed(v: &Value) -> Value {
    match v {
        Value::List(items) => Value::List(items.iter().map(reversed).collect()),
        Value::Object(members) => Value::Object(
            members
                .iter()
                .rev()
                .map(|(k, v)| (k.clone(), reversed(v)))
                .collect(),
        ),
        other => other.clone(),
    }
}

fuzz_target!(|data: &[u8]| {
    let f = fixture();
    if confirm::check(&f.key, data, call(&f.args), NOW).is_ok() {
        assert_eq!(data, f.real.as_bytes());
    }
    let Ok(value) = json::parse::<Value>(data, 40) else {
        return;
    };
    let Ok(digest) = arguments::digest(&value) else {
        return;
    };
    assert_eq!(arguments::digest(&reversed(&value)).ok(), Some(digest));
    let issued =
        confirm::issue(&f.key, call(&value), NOW, 60, &CountingRng::new(3)).expect("issue");
    assert!(confirm::check(&f.key, issued.token.as_bytes(), call(&value), NOW + 59).is_ok());
    assert!(confirm::check(
        &f.key,
        issued.token.as_bytes(),
        call(&reversed(&value)),
        NOW
    )
    .is_ok());
    let wrapped = Value::Object(vec![("x".into(), value)]);
    assert!(confirm::check(&f.key, issued.token.as_bytes(), call(&wrapped), NOW).is_err());
});
