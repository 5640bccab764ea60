//! The audit chain against `tests/vectors/audit_chain.json` (computed with
//! Python's hashlib by `tests/vectors/audit_chain.py`, independently of the
//! core): every event gives the vector's record and hash, the head MAC
//! matches, the verifier accepts the chain, and one flipped bit of any
//! record or hash is refused at its row.

use mcp_guard::core::audit::{self, chain, Event, EventType, HeadKey, Outcome, Verifier};
use mcp_guard::core::digest;
use mcp_guard::core::policy::{self, Limits};
use serde_json::Value;

fn vector() -> Value {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/vectors/audit_chain.json"
    );
    serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap()
}

fn unhex(s: &str) -> Vec<u8> {
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap())
        .collect()
}

fn event(kind: &str, fields: &serde_json::Map<String, Value>, arguments: Option<&str>) -> Event {
    let kind = EventType::from_name(kind.as_bytes()).unwrap();
    let mut e = Event::new(kind, fields["at"].as_u64().unwrap()).unwrap();
    for (k, v) in fields {
        let s = || v.as_str().unwrap().as_bytes();
        match k.as_str() {
            "at" => {}
            "principal" => e.set_principal(s()).unwrap(),
            "tokenId" => e.set_token_id(s()).unwrap(),
            "clientId" => e.set_client_id(s()).unwrap(),
            "tool" => e.set_tool(s()).unwrap(),
            "reason" => e.set_reason(s()).unwrap(),
            "ip" => e.set_ip(s()).unwrap(),
            "protocol" => e.set_protocol(s()).unwrap(),
            "latencyUs" => e.set_latency_us(v.as_u64().unwrap()).unwrap(),
            "outcome" => e.set_outcome(Outcome::from_name(s()).unwrap()).unwrap(),
            other => panic!("unknown field {other} in the vector"),
        }
    }
    if let Some(text) = arguments {
        // Parsed by the core's reader, which keeps the key order.
        let value = policy::json::parse_arguments(text.as_bytes(), &Limits::default()).unwrap();
        e.set_arguments(&value).unwrap();
    }
    e
}

#[test]
fn records_hashes_and_head_match_the_vector() {
    let v = vector();
    let rows = v["rows"].as_array().unwrap();
    assert!(rows.len() >= 4);
    let mut prev: Option<digest::Hash> = None;
    for row in rows {
        let seq = row["seq"].as_u64().unwrap();
        let e = event(
            row["type"].as_str().unwrap(),
            row["fields"].as_object().unwrap(),
            row["argumentsJson"].as_str(),
        );
        if let Some(d) = row["argumentsDigest"].as_str() {
            assert_eq!(digest::hex(e.arguments_digest().unwrap()), d, "row {seq}");
        }
        let l = chain::link(&e, seq, prev.as_ref()).unwrap();
        assert_eq!(l.record, row["record"].as_str().unwrap(), "row {seq}");
        assert_eq!(
            digest::hex(&l.prev),
            row["prev"].as_str().unwrap(),
            "row {seq}"
        );
        assert_eq!(
            digest::hex(&l.hash),
            row["hash"].as_str().unwrap(),
            "row {seq}"
        );
        // The record reads back to the same event.
        assert_eq!(
            audit::record::read(l.record.as_bytes()).unwrap().to_event(),
            e
        );
        prev = Some(l.hash);
    }
    let key = HeadKey::new(&unhex(v["key"].as_str().unwrap())).unwrap();
    let head = &v["head"];
    let seq = head["seq"].as_u64().unwrap();
    assert_eq!(digest::hex(&prev.unwrap()), head["hash"].as_str().unwrap());
    assert_eq!(
        digest::hex(&chain::head_mac(&key, seq, &prev.unwrap())),
        head["mac"].as_str().unwrap()
    );
}

fn verify(v: &Value, rows: &[(u64, Vec<u8>, Vec<u8>)]) -> Result<u64, audit::Broken> {
    let key = HeadKey::new(&unhex(v["key"].as_str().unwrap())).unwrap();
    let mut ver = Verifier::new(Some(key));
    for (seq, record, hash) in rows {
        if ver.feed(*seq, record, hash).is_err() {
            break;
        }
    }
    let head = &v["head"];
    ver.finish(Some(chain::Head {
        seq: head["seq"].as_u64().unwrap(),
        hash: head["hash"].as_str().unwrap().as_bytes(),
        mac: Some(head["mac"].as_str().unwrap().as_bytes()),
    }))
}

#[test]
fn the_verifier_accepts_the_vector_and_refuses_every_flipped_bit() {
    let v = vector();
    let rows: Vec<(u64, Vec<u8>, Vec<u8>)> = v["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["seq"].as_u64().unwrap(),
                r["record"].as_str().unwrap().as_bytes().to_vec(),
                r["hash"].as_str().unwrap().as_bytes().to_vec(),
            )
        })
        .collect();
    assert_eq!(verify(&v, &rows), Ok(rows.len() as u64));
    for i in 0..rows.len() {
        for field in [1, 2] {
            let len = if field == 1 {
                rows[i].1.len()
            } else {
                rows[i].2.len()
            };
            for at in 0..len {
                let mut t = rows.clone();
                let bytes = if field == 1 { &mut t[i].1 } else { &mut t[i].2 };
                bytes[at] ^= 0x01;
                let broken = verify(&v, &t).unwrap_err();
                // The flipped row, or (a record whose own link still holds)
                // never a later one.
                assert!(
                    broken.seq <= rows[i].0,
                    "row {} byte {at}: {broken:?}",
                    i + 1
                );
            }
        }
    }
    // The head's MAC, flipped.
    let mut tampered = v.clone();
    let mac = tampered["head"]["mac"]
        .as_str()
        .unwrap()
        .replacen('0', "1", 1);
    tampered["head"]["mac"] = Value::String(mac);
    assert_eq!(
        verify(&tampered, &rows).unwrap_err().reason,
        audit::ChainError::ForgedHead
    );
}
