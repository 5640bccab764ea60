//! Runs `tests/vectors/resource_cases.json` (also read by
//! `tests/php/Extension/ResourceTest.php`). Every key of every case is used;
//! an unknown key or section fails.

use std::collections::BTreeSet;

use serde_json::{Map, Value};

use super::challenge::{self, MetadataUrl};
use super::origin::{OriginDecision, Origins, Preflight, DEFAULT_MAX_AGE_SECS};
use super::transport::{Transport, TransportFacts};
use super::{Refusal, ResourceError};
use crate::core::error::GuardError;

const OWN: &[u8] = b"https://shop.example/mcp";

struct Case<'a> {
    fields: &'a Map<String, Value>,
    used: BTreeSet<&'static str>,
    at: String,
}

impl<'a> Case<'a> {
    fn get(&mut self, k: &'static str) -> Option<&'a Value> {
        self.used.insert(k);
        self.fields.get(k).filter(|v| !v.is_null())
    }
    fn str(&mut self, k: &'static str) -> Option<&'a str> {
        self.get(k)
            .map(|v| v.as_str().unwrap_or_else(|| panic!("{}: {k}", self.at)))
    }
    fn list(&mut self, k: &'static str) -> Option<Vec<&'a [u8]>> {
        self.get(k).map(|v| {
            v.as_array()
                .unwrap()
                .iter()
                .map(|s| s.as_str().unwrap().as_bytes())
                .collect()
        })
    }
    fn done(self) {
        for k in self.fields.keys() {
            assert!(
                self.used.contains(k.as_str()),
                "{}: unused key {k}",
                self.at
            );
        }
    }
}

fn refusal(reason: &str) -> Refusal {
    *Refusal::ALL
        .iter()
        .find(|r| r.reason() == reason)
        .unwrap_or_else(|| panic!("unknown reason {reason}"))
}

fn cases(section: &'static str) -> Vec<Case<'static>> {
    static TEXT: &str = include_str!("../../../tests/vectors/resource_cases.json");
    static DOC: std::sync::OnceLock<Value> = std::sync::OnceLock::new();
    let doc = DOC.get_or_init(|| serde_json::from_str(TEXT).unwrap());
    let keys: BTreeSet<&str> = doc
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    let known: BTreeSet<&str> = [
        "about",
        "origin",
        "preflight",
        "transport",
        "challenge",
        "configuration",
    ]
    .into();
    assert_eq!(keys, known, "sections of resource_cases.json");
    doc[section]
        .as_array()
        .unwrap()
        .iter()
        .enumerate()
        .map(|(i, v)| {
            let mut c = Case {
                fields: v.as_object().unwrap(),
                used: BTreeSet::new(),
                at: format!("{section}[{i}]"),
            };
            assert!(c.str("source").is_some(), "{}: no source", c.at);
            c
        })
        .collect()
}

fn headers_of(pairs: &[(&str, &str)]) -> Map<String, Value> {
    pairs
        .iter()
        .map(|(k, v)| ((*k).to_owned(), Value::String((*v).to_owned())))
        .collect()
}

#[test]
fn origin_vectors() {
    for mut c in cases("origin") {
        let allowed = c.list("allowed").unwrap();
        let o = Origins::new(OWN, allowed, DEFAULT_MAX_AGE_SECS).unwrap();
        let d = o.check(c.str("origin").map(str::as_bytes));
        let expect = c.str("expect").unwrap();
        match (expect, d) {
            ("no_origin", OriginDecision::NoOrigin)
            | ("same_origin", OriginDecision::SameOrigin)
            | ("cross", OriginDecision::Cross(_)) => {}
            (r, OriginDecision::Refused(got)) => {
                assert_eq!(got, refusal(r), "{}", c.at);
                assert_eq!(
                    c.get("status").and_then(Value::as_u64),
                    Some(u64::from(got.status())),
                    "{}",
                    c.at
                );
            }
            _ => panic!("{}: {expect} but {d:?}", c.at),
        }
        let want = c.get("headers").unwrap().as_object().unwrap();
        assert_eq!(&headers_of(&o.headers(d)), want, "{}", c.at);
        c.done();
    }
}

#[test]
fn preflight_vectors() {
    for mut c in cases("preflight") {
        let o = Origins::new(OWN, c.list("allowed").unwrap(), DEFAULT_MAX_AGE_SECS).unwrap();
        let p = o.preflight(
            c.str("method").unwrap().as_bytes(),
            c.str("origin").map(str::as_bytes),
            c.str("requestMethod").map(str::as_bytes),
            c.str("requestHeaders").map(str::as_bytes),
        );
        let expect = c.str("expect").unwrap();
        let status = c.get("status").and_then(Value::as_u64);
        match (expect, p) {
            ("not_preflight", Preflight::NotPreflight) => assert_eq!(status, None),
            ("allowed", Preflight::Allowed(who)) => {
                assert_eq!(status, Some(204));
                let h = o.preflight_headers(who);
                assert_eq!(h[0].1, c.str("origin").unwrap().to_ascii_lowercase());
            }
            (r, Preflight::Refused(got)) => {
                assert_eq!(got, refusal(r), "{}", c.at);
                assert_eq!(status, Some(u64::from(got.status())), "{}", c.at);
            }
            _ => panic!("{}: {expect} but {p:?}", c.at),
        }
        c.done();
    }
}

#[test]
fn transport_vectors() {
    for mut c in cases("transport") {
        let t = Transport::new(
            c.list("proxies").unwrap(),
            c.get("dangerous").and_then(Value::as_bool).unwrap_or(false),
        )
        .unwrap();
        let server = c.get("server").unwrap().as_object().unwrap();
        let known = [
            "HTTPS",
            "REMOTE_ADDR",
            "HTTP_HOST",
            "HTTP_X_FORWARDED_PROTO",
            "HTTP_X_FORWARDED_FOR",
            "HTTP_FORWARDED",
        ];
        assert!(
            server.keys().all(|k| known.contains(&k.as_str())),
            "{}",
            c.at
        );
        let s = |k: &str| server.get(k).and_then(Value::as_str).map(str::as_bytes);
        let v = t.inspect(&TransportFacts {
            https: s("HTTPS"),
            remote_addr: s("REMOTE_ADDR"),
            host: s("HTTP_HOST"),
            x_forwarded_proto: s("HTTP_X_FORWARDED_PROTO"),
            x_forwarded_for: s("HTTP_X_FORWARDED_FOR"),
            forwarded: s("HTTP_FORWARDED"),
        });
        assert_eq!(
            Some(v.secure),
            c.get("secure").and_then(Value::as_bool),
            "{}",
            c.at
        );
        assert_eq!(
            v.client_ip.map(|i| i.to_string()).as_deref(),
            c.str("clientIp"),
            "{}",
            c.at
        );
        assert_eq!(v.refusal, c.str("reason").map(refusal), "{}", c.at);
        assert_eq!(
            v.refusal.map(|r| u64::from(r.status())),
            c.get("status").and_then(Value::as_u64),
            "{}",
            c.at
        );
        c.done();
    }
}

#[test]
fn challenge_vectors() {
    for mut c in cases("challenge") {
        let kind = c.str("kind").unwrap();
        let scopes = c.list("scopes");
        let invalid = c.get("invalidToken").and_then(Value::as_bool);
        let url = MetadataUrl::parse(c.str("url").unwrap().as_bytes());
        let got: Result<String, ResourceError> = url.and_then(|u| match kind {
            "unauthorized" => challenge::unauthorized(&u, scopes, invalid.unwrap()),
            "insufficient_scope" => challenge::insufficient_scope(&u, scopes.unwrap()),
            k => panic!("{}: kind {k}", c.at),
        });
        match (c.str("expect"), c.str("error")) {
            (Some(text), None) => {
                assert_eq!(got.as_deref(), Ok(text), "{}", c.at);
            }
            (None, Some(reason)) => {
                assert_eq!(got.map_err(|e| e.reason()), Err(reason), "{}", c.at)
            }
            _ => panic!("{}: expect xor error", c.at),
        }
        c.done();
    }
}

#[test]
fn configuration_vectors() {
    for mut c in cases("configuration") {
        let value = c.str("value").unwrap().as_bytes();
        let got = match c.str("kind").unwrap() {
            "origin" => Origins::new(OWN, [value], 0).err(),
            "proxy" => Transport::new([value], false).err(),
            k => panic!("{}: kind {k}", c.at),
        };
        assert_eq!(got.map(|e| e.reason()), c.str("error"), "{}", c.at);
        c.done();
    }
}
