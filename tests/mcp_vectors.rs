//! The MCP envelope vectors (tests/vectors/mcp_envelope.json, shared with
//! tests/php/Server/Mcp/EnvelopeVectorsTest.php): every case is read with
//! its headers and must give exactly the refusal or the messages listed.
//! Each accepted case is also tampered (its `jsonrpc` changed) and must then
//! be refused, so a reader that accepts everything fails here.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use mcp_guard::core::error::GuardError;
use mcp_guard::core::mcp::{self, Headers, Id, Limits};
use mcp_guard::core::policy::Value;

fn member<'a>(v: &'a Value, name: &str) -> Option<&'a Value> {
    match v {
        Value::Object(entries) => entries.iter().find(|(k, _)| k == name).map(|(_, v)| v),
        _ => None,
    }
}

fn text<'a>(v: &'a Value, name: &str) -> Option<&'a str> {
    match member(v, name) {
        Some(Value::Str(s)) => Some(s),
        _ => None,
    }
}

fn id_of(v: Option<&Value>) -> Option<Id> {
    match v {
        None | Some(Value::Null) => None,
        Some(Value::Int(i)) => Some(Id::Int(*i)),
        Some(Value::Str(s)) => Some(Id::Str(s.clone())),
        Some(other) => panic!("an id is an int, a string or null: {other:?}"),
    }
}

fn limits(case: &Value) -> Limits {
    match member(case, "maxBatch") {
        Some(Value::Int(n)) => Limits::with_max_batch(usize::try_from(*n).unwrap()).unwrap(),
        None => Limits::default(),
        other => panic!("{other:?}"),
    }
}

#[test]
fn envelope_vectors() {
    let file = std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/vectors/mcp_envelope.json"
    ))
    .unwrap();
    let doc: Value = mcp_guard::core::json::parse(&file, 64).unwrap();
    let Some(Value::List(cases)) = member(&doc, "cases") else {
        panic!("cases is a list")
    };
    assert!(cases.len() >= 90, "the vector file lost cases");
    let (mut refused, mut accepted) = (0, 0);
    for case in cases {
        let name = text(case, "name").unwrap();
        let body = member(case, "body").unwrap();
        let h = member(case, "headers").unwrap();
        let headers = Headers {
            protocol_version: text(h, "MCP-Protocol-Version").map(str::as_bytes),
            method: text(h, "Mcp-Method").map(str::as_bytes),
            name: text(h, "Mcp-Name").map(str::as_bytes),
        };
        let got = mcp::read(body, &headers, &limits(case));
        if let Some(want) = member(case, "refused") {
            refused += 1;
            let r = got.expect_err(name);
            assert_eq!(r.kind().reason(), text(want, "reason").unwrap(), "{name}");
            assert_eq!(
                Some(&Value::Int(i64::from(r.kind().http_status()))),
                member(want, "status"),
                "{name}"
            );
            assert_eq!(
                Some(&Value::Int(r.kind().json_rpc_code())),
                member(want, "code"),
                "{name}"
            );
            assert_eq!(r.id(), id_of(member(want, "id")).as_ref(), "{name}");
            match (r.unsupported_data(), member(case, "supported")) {
                (None, None) => {}
                (Some((supported, requested)), Some(Value::List(want))) => {
                    let names: Vec<Value> = supported
                        .iter()
                        .map(|v| Value::Str(v.as_str().to_owned()))
                        .collect();
                    assert_eq!(&names, want, "{name}");
                    assert_eq!(Some(requested), text(case, "requested"), "{name}");
                }
                other => panic!("{name}: {other:?}"),
            }
            continue;
        }
        accepted += 1;
        let want = member(case, "accepted").expect(name);
        let incoming = got.unwrap_or_else(|r| panic!("{name}: refused {:?}", r.kind()));
        assert_eq!(
            Some(incoming.version().as_str()),
            text(want, "version"),
            "{name}"
        );
        assert_eq!(
            Some(&Value::Bool(incoming.is_batch())),
            member(want, "batch"),
            "{name}"
        );
        let Some(Value::List(messages)) = member(want, "messages") else {
            panic!("{name}")
        };
        assert_eq!(incoming.messages().len(), messages.len(), "{name}");
        for (m, w) in incoming.messages().iter().zip(messages) {
            assert_eq!(Some(m.method()), text(w, "method"), "{name}");
            assert_eq!(m.id(), id_of(member(w, "id")).as_ref(), "{name}");
            assert_eq!(m.tool(), text(w, "tool"), "{name}");
        }
        // Tampered: jsonrpc "2.1" in the (first) message is refused.
        let tampered = tamper(body);
        let r = mcp::read(&tampered, &headers, &limits(case)).expect_err(name);
        assert_eq!(
            r.kind().reason(),
            "bad_jsonrpc_version",
            "{name} (tampered)"
        );
    }
    assert!(
        refused >= 60 && accepted >= 20,
        "{refused} refused, {accepted} accepted"
    );
}

fn tamper(body: &Value) -> Value {
    match body {
        Value::Object(entries) => Value::Object(
            entries
                .iter()
                .map(|(k, v)| {
                    let v = if k == "jsonrpc" {
                        Value::Str("2.1".into())
                    } else {
                        v.clone()
                    };
                    (k.clone(), v)
                })
                .collect(),
        ),
        Value::List(items) => {
            let mut items = items.clone();
            if let Some(first) = items.first_mut() {
                *first = tamper(first);
            }
            Value::List(items)
        }
        other => other.clone(),
    }
}
