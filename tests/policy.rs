//! Tool policy: manifest compilation, every refusal reason, scopes, roles and
//! aliases, and property tests (no field outside the manifest is ever allowed;
//! adding scopes never turns an allowed call into a refused one).

use mcp_guard::core::error::{ErrorKind, GuardError};
use mcp_guard::core::json::view::{Key, Node, View};
use mcp_guard::core::policy::json::parse_arguments;
use mcp_guard::core::policy::{Limits, Policy, PolicyError, QueryError, Reason, Value};
use proptest::prelude::*;

const MANIFEST: &str = r#"{
  "version": 1,
  "writes_enabled": true,
  "forbidden_fields": ["vat_number"],
  "aliases": { "shop.products": "products:write" },
  "roles": { "catalog": ["discover", "read", "products:write"] },
  "tools": {
    "products.search": { "class": "read", "scopes": ["read"],
      "fields": { "query": { "type": "string", "max_length": 50 },
                  "limit": { "type": "integer", "min": 1, "max": 100 } } },
    "ping": { "class": "read", "scopes": ["discover"] },
    "products.update": { "class": "write", "scopes": ["products:write"],
      "fields": {
        "id": { "type": "integer", "min": 1, "required": true },
        "name": { "type": "string", "min_length": 1, "max_length": 8 },
        "reference": { "type": "string", "pattern": "[A-Z]{2}-[0-9]{3}" },
        "price": { "type": "number", "min": 0, "max": 1000 },
        "visible": { "type": "boolean" },
        "state": { "type": "enum", "values": ["draft", "published"] },
        "tags": { "type": "list", "items": { "type": "string", "max_length": 5 }, "max_items": 3 },
        "note": { "type": "string", "nullable": true },
        "seo": { "type": "object", "fields": {
          "title": { "type": "string", "max_length": 10, "required": true } } }
      } },
    "products.delete": { "class": "destructive", "scopes": ["write"],
      "fields": { "id": { "type": "integer", "required": true } } },
    "orders.cancel": { "class": "destructive", "scopes": ["orders:write"], "enabled": true,
      "fields": { "id": { "type": "integer", "required": true } } }
  }
}"#;

fn policy() -> Policy {
    Policy::compile_json(MANIFEST.as_bytes()).unwrap()
}

fn args(json: &str) -> Value {
    parse_arguments(json.as_bytes(), &Limits::default()).unwrap()
}

fn scopes(p: &Policy, s: &[&str]) -> mcp_guard::core::policy::ScopeSet {
    p.scope_set(s.iter().map(|x| x.as_bytes())).unwrap()
}

fn refusal(
    p: &Policy,
    s: &[&str],
    tool: &str,
    a: &str,
) -> (Reason, Option<String>, Option<String>) {
    let r = p
        .authorize(&scopes(p, s), tool.as_bytes(), &args(a))
        .unwrap_err();
    (r.reason(), r.path(), r.expected().map(str::to_owned))
}

const EDIT: &[&str] = &["discover", "read", "write"];

#[test]
fn allows_a_valid_write() {
    let p = policy();
    let ok = r#"{"id":7,"name":"Mug","reference":"AB-123","price":9.5,"visible":true,
        "state":"draft","tags":["a","b"],"note":null,"seo":{"title":"Mug"}}"#;
    p.authorize(&scopes(&p, EDIT), b"products.update", &args(ok))
        .unwrap();
    p.authorize(&scopes(&p, &["read"]), b"products.search", &args("{}"))
        .unwrap();
    p.authorize(&scopes(&p, &["read"]), b"products.search", &args("[]"))
        .unwrap();
}

#[test]
fn every_reason_code() {
    let p = policy();
    let r = refusal(&p, EDIT, "products.nuke", "{}");
    assert_eq!(r.0, Reason::UnknownTool);
    assert_eq!(r.1, None);

    let refused = p
        .authorize(
            &scopes(&p, &["discover", "read"]),
            b"products.update",
            &args(r#"{"id":1}"#),
        )
        .unwrap_err();
    assert_eq!(refused.reason(), Reason::InsufficientScope);
    assert_eq!(refused.required_scopes(), ["products:write".to_owned()]);
    // Without discover, a tool out of reach is not even named.
    assert_eq!(
        refusal(&p, &["read"], "products.update", r#"{"id":1}"#).0,
        Reason::UnknownTool
    );

    assert_eq!(
        refusal(&p, EDIT, "products.delete", r#"{"id":1}"#).0,
        Reason::ToolDisabled
    );

    let off = Policy::compile_json(
        MANIFEST
            .replace(r#""writes_enabled": true"#, r#""writes_enabled": false"#)
            .as_bytes(),
    )
    .unwrap();
    assert_eq!(
        refusal(&off, EDIT, "products.update", r#"{"id":1}"#).0,
        Reason::WritesDisabled
    );
    assert_eq!(
        refusal(&off, EDIT, "orders.cancel", r#"{"id":1}"#).0,
        Reason::WritesDisabled
    );
    off.authorize(&scopes(&off, EDIT), b"products.search", &args("{}"))
        .unwrap();

    assert_eq!(
        refusal(&p, EDIT, "products.update", r#"{"id":1,"colour":"red"}"#),
        (Reason::UnknownField, Some("/colour".into()), None)
    );
    assert_eq!(
        refusal(
            &p,
            EDIT,
            "products.update",
            r#"{"id":1,"seo":{"title":"x","extra":1}}"#
        )
        .1,
        Some("/seo/extra".into())
    );
    assert_eq!(
        refusal(
            &p,
            EDIT,
            "products.update",
            r#"{"name":5,"id":1,"password":"x"}"#
        ),
        (Reason::ForbiddenField, Some("/password".into()), None)
    );
    assert_eq!(
        refusal(
            &p,
            EDIT,
            "products.update",
            r#"{"id":1,"seo":{"title":"x","is_active":true}}"#
        )
        .1,
        Some("/seo/is_active".into())
    );
    assert_eq!(
        refusal(&p, EDIT, "products.update", r#"{"id":1,"VatNumber":"x"}"#).0,
        Reason::ForbiddenField
    );
    assert_eq!(
        refusal(&p, EDIT, "products.update", r#"{"id":"7"}"#),
        (
            Reason::TypeMismatch,
            Some("/id".into()),
            Some("integer(min=1)".into())
        )
    );
    assert_eq!(
        refusal(&p, EDIT, "products.update", r#"{"name":"x"}"#),
        (Reason::MissingField, Some("/id".into()), None)
    );
    assert_eq!(
        refusal(&p, EDIT, "products.update", r#"{"id":1,"seo":{}}"#),
        (Reason::MissingField, Some("/seo/title".into()), None)
    );
    let big = format!(r#"{{"id":1,"name":"{}"}}"#, "x".repeat(70_000));
    let r = p
        .authorize(
            &scopes(&p, EDIT),
            b"products.update",
            &Value::Object(vec![
                ("id".into(), Value::Int(1)),
                ("name".into(), Value::Str("x".repeat(70_000))),
            ]),
        )
        .unwrap_err();
    assert_eq!(
        (r.reason(), r.path()),
        (Reason::TooLarge, Some("/name".into()))
    );
    assert!(parse_arguments(big.as_bytes(), &Limits::default()).is_err());
}

#[test]
fn type_constraints() {
    let p = policy();
    let mismatch = |a: &str| refusal(&p, EDIT, "products.update", a);
    for (a, path, expected) in [
        (r#"{"id":0}"#, "/id", "integer(min=1)"),
        (r#"{"id":1.0}"#, "/id", "integer(min=1)"),
        (
            r#"{"id":1,"name":""}"#,
            "/name",
            "string(min_length=1,max_length=8)",
        ),
        (
            r#"{"id":1,"name":"ééééééééé"}"#,
            "/name",
            "string(min_length=1,max_length=8)",
        ),
        (
            r#"{"id":1,"reference":"AB-1234"}"#,
            "/reference",
            "string(pattern)",
        ),
        (
            r#"{"id":1,"reference":"xAB-123"}"#,
            "/reference",
            "string(pattern)",
        ),
        (r#"{"id":1,"price":-1}"#, "/price", "number(min=0,max=1000)"),
        (
            r#"{"id":1,"price":"1"}"#,
            "/price",
            "number(min=0,max=1000)",
        ),
        (r#"{"id":1,"visible":1}"#, "/visible", "boolean"),
        (
            r#"{"id":1,"state":"gone"}"#,
            "/state",
            "enum(draft|published)",
        ),
        (
            r#"{"id":1,"tags":["a","b","c","d"]}"#,
            "/tags",
            "list<string(max_length=5)>(max_items=3)",
        ),
        (
            r#"{"id":1,"tags":["a",7]}"#,
            "/tags/1",
            "string(max_length=5)",
        ),
        (
            r#"{"id":1,"tags":"a"}"#,
            "/tags",
            "list<string(max_length=5)>(max_items=3)",
        ),
        (r#"{"id":1,"seo":"x"}"#, "/seo", "object"),
        (r#"{"id":null}"#, "/id", "integer(min=1)"),
    ] {
        let r = mismatch(a);
        assert_eq!(r.0, Reason::TypeMismatch, "{a}");
        assert_eq!(r.1.as_deref(), Some(path), "{a}");
        assert_eq!(r.2.as_deref(), Some(expected), "{a}");
    }
    // Eight two-byte characters fit max_length 8 (characters, not bytes).
    p.authorize(
        &scopes(&p, EDIT),
        b"products.update",
        &args(r#"{"id":1,"name":"éééééééé"}"#),
    )
    .unwrap();
    let r = p
        .authorize(&scopes(&p, EDIT), b"products.update", &args("[1]"))
        .unwrap_err();
    assert_eq!(
        (r.reason(), r.path()),
        (Reason::TypeMismatch, Some(String::new()))
    );
}

#[test]
fn read_tool_without_fields_takes_no_argument() {
    let p = policy();
    assert_eq!(
        refusal(&p, &["discover"], "ping", r#"{"x":1}"#).0,
        Reason::UnknownField
    );
    // Never-writable names are not special in reads: just unknown here.
    assert_eq!(
        refusal(&p, &["read"], "products.search", r#"{"password":1}"#).0,
        Reason::UnknownField
    );
}

#[test]
fn scopes_aliases_and_roles() {
    let p = policy();
    // Global write covers products:write; the resource scope does not cover global write.
    assert!(p
        .authorize(
            &scopes(&p, &["write"]),
            b"products.update",
            &args(r#"{"id":1}"#)
        )
        .is_ok());
    assert!(p
        .authorize(
            &scopes(&p, &["products:write"]),
            b"products.update",
            &args(r#"{"id":1}"#)
        )
        .is_ok());
    assert!(p
        .authorize(
            &scopes(&p, &["shop.products"]),
            b"products.update",
            &args(r#"{"id":1}"#)
        )
        .is_ok());
    assert_eq!(
        refusal(
            &p,
            &["discover", "products:write"],
            "orders.cancel",
            r#"{"id":1}"#
        )
        .0,
        Reason::InsufficientScope
    );
    assert_eq!(
        refusal(&p, &["products:write"], "orders.cancel", r#"{"id":1}"#).0,
        Reason::UnknownTool
    );
    // PrestaShop aliases.
    assert!(p
        .authorize(&scopes(&p, &["mcp.read"]), b"products.search", &args("{}"))
        .is_ok());
    // Wildcards and junk grant nothing.
    for junk in ["*", "READ", "read ", "admin", "mcp.*"] {
        assert_eq!(
            refusal(&p, &["discover", junk], "products.search", "{}").0,
            Reason::InsufficientScope,
            "{junk}"
        );
        assert_eq!(
            refusal(&p, &[junk], "products.search", "{}").0,
            Reason::UnknownTool,
            "{junk}"
        );
    }
    assert_eq!(p.scopes_for_role("viewer").unwrap(), ["discover", "read"]);
    assert_eq!(
        p.scopes_for_role("editor").unwrap(),
        ["discover", "read", "write"]
    );
    assert_eq!(
        p.scopes_for_role("catalog").unwrap(),
        ["discover", "read", "products:write"]
    );
    assert_eq!(
        p.scopes_for_role("root").unwrap_err(),
        QueryError::UnknownRole
    );
    let viewer: Vec<&[u8]> = vec![b"discover", b"read"];
    assert_eq!(
        p.visible_tools(&p.scope_set(viewer).unwrap()),
        ["ping", "products.search"]
    );
    assert_eq!(
        p.visible_tools(&scopes(&p, &["mcp.discover", "mcp.read", "mcp.write"])),
        [
            "orders.cancel",
            "ping",
            "products.search",
            "products.update"
        ]
    );
    // Without discover, nothing is listed.
    assert!(p.visible_tools(&scopes(&p, &["read", "write"])).is_empty());
    assert_eq!(
        p.required_scopes("orders.cancel").unwrap(),
        ["orders:write"]
    );
    assert_eq!(p.required_scopes("x").unwrap_err(), QueryError::UnknownTool);
    assert_eq!(
        p.canonical_scopes([b"mcp.read".as_slice(), b"read", b"*", b"entries:read"])
            .unwrap(),
        ["entries:read", "read"]
    );
    let many: Vec<&[u8]> = vec![b"read"; 300];
    assert_eq!(p.scope_set(many).unwrap_err(), QueryError::TooManyScopes);
}

fn compile_err(json: &str) -> (String, String) {
    match Policy::compile_json(json.as_bytes()).unwrap_err() {
        e @ PolicyError::Manifest { .. } => {
            assert_eq!(e.kind(), ErrorKind::Configuration);
            let PolicyError::Manifest { path, .. } = &e else {
                unreachable!()
            };
            (e.reason().to_owned(), path.clone())
        }
        other => panic!("{other:?}"),
    }
}

/// The manifest-error vectors (tests/vectors/policy_manifest_errors.json,
/// shared with PolicyTest.php): text cases as they are; patch cases as one
/// change to a base manifest that compiles, checked as JSON text and as a
/// value, with the exact reason and path.
#[test]
fn manifest_error_vectors() {
    let file = std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/vectors/policy_manifest_errors.json"
    ))
    .unwrap();
    let doc: Value = mcp_guard::core::json::parse(&file, 64).unwrap();
    let base = member(&doc, "base").clone();
    Policy::compile(&base).unwrap();
    Policy::compile_json(to_json(&base).as_bytes()).unwrap();
    let Value::List(cases) = member(&doc, "cases") else {
        panic!("cases is a list")
    };
    assert!(cases.len() >= 60, "the vector file lost cases");
    for case in cases {
        let name = text(member(case, "name"));
        let want = (
            text(member(case, "reason")).to_owned(),
            text(member(case, "path")).to_owned(),
        );
        if let Some(t) = find(case, "text") {
            assert_eq!(compile_err(text(t)), want, "{name}");
            continue;
        }
        let Value::List(ops) = member(case, "patch") else {
            panic!("{name}: a case has text or a patch")
        };
        let mut m = base.clone();
        for op in ops {
            patch(&mut m, op);
        }
        assert_eq!(compile_err(&to_json(&m)), want, "{name} (text)");
        match Policy::compile(&m).unwrap_err() {
            e @ PolicyError::Manifest { .. } => {
                let PolicyError::Manifest { path, .. } = &e else {
                    unreachable!()
                };
                assert_eq!(
                    (e.reason().to_owned(), path.clone()),
                    want,
                    "{name} (value)"
                );
            }
            other => panic!("{name}: {other:?}"),
        }
    }
}

fn find<'a>(v: &'a Value, key: &str) -> Option<&'a Value> {
    match v {
        Value::Object(e) => e.iter().find(|(k, _)| k == key).map(|(_, v)| v),
        _ => None,
    }
}

fn member<'a>(v: &'a Value, key: &str) -> &'a Value {
    find(v, key).unwrap_or_else(|| panic!("no {key}"))
}

fn text(v: &Value) -> &str {
    match v {
        Value::Str(s) => s,
        other => panic!("not a string: {other:?}"),
    }
}

/// Applies one RFC 6902 operation (`add`, `replace`, `remove`; object members
/// and list items) to `doc`.
fn patch(doc: &mut Value, op: &Value) {
    let kind = text(member(op, "op"));
    let pointer = text(member(op, "path"));
    let mut steps: Vec<String> = pointer
        .split('/')
        .skip(1)
        .map(|s| s.replace("~1", "/").replace("~0", "~"))
        .collect();
    let last = steps.pop().expect("a pointer below the root");
    let mut at = doc;
    for step in &steps {
        at = match at {
            Value::Object(e) => &mut e.iter_mut().find(|(k, _)| k == step).expect(step).1,
            Value::List(l) => l.get_mut(step.parse::<usize>().unwrap()).expect(step),
            _ => panic!("{pointer}: {step} is not a container"),
        };
    }
    let value = find(op, "value").cloned();
    match (at, kind) {
        (Value::Object(e), "remove") => {
            let before = e.len();
            e.retain(|(k, _)| *k != last);
            assert_eq!(e.len() + 1, before, "{pointer}: nothing to remove");
        }
        (Value::Object(e), "add" | "replace") => {
            let value = value.expect("a value");
            match e.iter_mut().find(|(k, _)| *k == last) {
                Some(slot) => slot.1 = value,
                None => {
                    assert_eq!(kind, "add", "{pointer}: nothing to replace");
                    e.push((last, value));
                }
            }
        }
        (Value::List(l), "replace") => {
            *l.get_mut(last.parse::<usize>().unwrap()).expect(pointer) = value.expect("a value");
        }
        _ => panic!("{pointer}: unsupported {kind}"),
    }
}

/// JSON text of a value (strings escaped by serde_json, floats in Rust's
/// shortest round-trip form, which JSON reads back to the same double).
fn to_json(v: &Value) -> String {
    match v {
        Value::Null => "null".to_owned(),
        Value::Bool(b) => b.to_string(),
        Value::Int(i) => i.to_string(),
        Value::Float(x) => format!("{x:?}"),
        Value::Str(s) => serde_json::to_string(s).unwrap(),
        Value::List(l) => format!("[{}]", l.iter().map(to_json).collect::<Vec<_>>().join(",")),
        Value::Object(e) => format!(
            "{{{}}}",
            e.iter()
                .map(|(k, v)| format!("{}:{}", serde_json::to_string(k).unwrap(), to_json(v)))
                .collect::<Vec<_>>()
                .join(",")
        ),
    }
}

#[test]
fn manifest_limits() {
    let w = |fields: &str| {
        format!(
            r#"{{"version":1,"tools":{{"t":{{"class":"write","scopes":["write"],"fields":{fields}}}}}}}"#
        )
    };
    // A read tool may take a field named like a never-writable one (search by e-mail).
    Policy::compile_json(
        br#"{"version":1,"tools":{"c":{"class":"read","scopes":["customers:read"],"fields":{"email":{"type":"string"}}}}}"#,
    )
    .unwrap();
    // Too large and too deep manifests.
    let huge = format!(
        r#"{{"version":1,"tools":{{}},"x":"{}"}}"#,
        "a".repeat(2 << 20)
    );
    assert_eq!(compile_err(&huge).0, "manifest_too_large");
    let mut deep = r#"{"type":"boolean"}"#.to_owned();
    for _ in 0..10 {
        deep = format!(r#"{{"type":"object","fields":{{"a":{deep}}}}}"#);
    }
    assert_eq!(
        compile_err(&w(&format!(r#"{{"a":{deep}}}"#))).0,
        "manifest_too_large"
    );
}

#[test]
fn the_manifest_cannot_shrink_the_forbidden_list() {
    // No key removes a name; declaring one for a write tool does not compile.
    for json in [
        r#"{"version":1,"forbidden_fields":[],"tools":{"u":{"class":"write","scopes":["write"],"fields":{"password":{"type":"string"}}}}}"#,
        r#"{"version":1,"allowed_fields":["password"],"tools":{}}"#,
        r#"{"version":1,"tools":{"u":{"class":"write","scopes":["write"],"fields":{"new_password":{"type":"string"}}}}}"#,
    ] {
        assert!(Policy::compile_json(json.as_bytes()).is_err(), "{json}");
    }
}

#[test]
fn hostile_arguments() {
    let p = policy();
    let g = scopes(&p, EDIT);
    // 10 000 levels deep: refused by the limit check, no stack overflow.
    let mut v = Value::Int(1);
    for _ in 0..10_000 {
        v = Value::List(vec![v]);
    }
    let top = Value::Object(vec![("tags".into(), v)]);
    assert_eq!(
        p.authorize(&g, b"products.update", &top)
            .unwrap_err()
            .reason(),
        Reason::TooLarge
    );
    // Avoid a recursive drop of the deep value in the test itself.
    std::mem::forget(top);
    let many = Value::Object((0..2000).map(|i| (format!("k{i}"), Value::Null)).collect());
    assert_eq!(
        p.authorize(&g, b"products.update", &many)
            .unwrap_err()
            .reason(),
        Reason::TooLarge
    );
    assert_eq!(
        p.authorize(&g, b"products.\xff", &args("{}"))
            .unwrap_err()
            .reason(),
        Reason::UnknownTool
    );
}

// ---- properties ----

fn arb_scalar() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::Int),
        (-1e6f64..1e6).prop_map(Value::Float),
        "[a-zA-Z0-9 é-]{0,12}".prop_map(Value::Str),
    ]
}

fn arb_value() -> impl Strategy<Value = Value> {
    arb_scalar().prop_recursive(3, 24, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::List),
            prop::collection::vec(("[a-z_]{1,8}", inner), 0..4).prop_map(Value::Object),
        ]
    })
}

const DECLARED: [&str; 9] = [
    "id",
    "name",
    "reference",
    "price",
    "visible",
    "state",
    "tags",
    "note",
    "seo",
];
const SEO_DECLARED: [&str; 1] = ["title"];

/// Whether an object key anywhere (where the manifest defines objects) is not declared.
fn has_undeclared(v: &Value) -> bool {
    let Value::Object(e) = v else { return false };
    e.iter().any(|(k, v)| {
        !DECLARED.contains(&k.as_str())
            || (k == "seo"
                && matches!(v, Value::Object(se) if se.iter().any(|(sk, _)| !SEO_DECLARED.contains(&sk.as_str()))))
    })
}

fn arb_args() -> impl Strategy<Value = Value> {
    let key = prop_oneof![
        prop::sample::select(DECLARED.to_vec()).prop_map(str::to_owned),
        "[a-z_]{1,8}",
    ];
    let val = prop_oneof![
        arb_value(),
        Just(Value::Int(5)),
        Just(Value::Str("Mug".into())),
        prop::collection::vec(("[a-z]{1,6}", arb_scalar()), 0..3).prop_map(Value::Object),
        Just(Value::Object(vec![(
            "title".into(),
            Value::Str("t".into())
        )])),
    ];
    prop::collection::vec((key, val), 0..6).prop_map(|mut e| {
        let mut seen = std::collections::HashSet::new();
        e.retain(|(k, _)| seen.insert(k.clone()));
        Value::Object(e)
    })
}

const ALL_SCOPES: [&str; 9] = [
    "discover",
    "read",
    "write",
    "products:write",
    "orders:write",
    "mcp.read",
    "shop.products",
    "*",
    "junk",
];

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn no_field_outside_the_manifest_is_ever_allowed(a in arb_args()) {
        let p = policy();
        let allowed = p.authorize(&scopes(&p, EDIT), b"products.update", &a).is_ok();
        if has_undeclared(&a) {
            prop_assert!(!allowed);
        }
        // A read tool that declares no field takes no argument at all.
        if matches!(&a, Value::Object(e) if !e.is_empty()) {
            prop_assert!(p.authorize(&scopes(&p, EDIT), b"ping", &a).is_err());
        }
    }

    #[test]
    fn adding_scopes_never_refuses_an_allowed_call(
        a in arb_args(),
        base in prop::collection::vec(prop::sample::select(ALL_SCOPES.to_vec()), 0..4),
        more in prop::collection::vec(prop::sample::select(ALL_SCOPES.to_vec()), 0..4),
        tool in prop::sample::select(vec!["products.update", "products.search", "ping", "orders.cancel", "products.delete", "nope"]),
    ) {
        let p = policy();
        let g1 = scopes(&p, &base);
        let mut all = base.clone();
        all.extend(more);
        let g2 = scopes(&p, &all);
        if p.authorize(&g1, tool.as_bytes(), &a).is_ok() {
            prop_assert!(p.authorize(&g2, tool.as_bytes(), &a).is_ok());
        }
        let v1 = p.visible_tools(&g1);
        let v2 = p.visible_tools(&g2);
        prop_assert!(v1.iter().all(|t| v2.contains(t)));
    }

    /// A parsed value (small objects look their keys up: the single
    /// traversal) and its JSON text (`authorize_json`: the exact path) are
    /// decided alike.
    #[test]
    fn values_and_json_text_are_decided_alike(
        a in arb_args(),
        tool in prop::sample::select(vec!["products.update", "products.search", "ping"]),
    ) {
        let p = policy();
        let s = scopes(&p, EDIT);
        let text = to_json(&a);
        if parse_arguments(text.as_bytes(), p.limits()).as_ref() == Ok(&a) {
            prop_assert_eq!(
                p.authorize(&s, tool.as_bytes(), &a),
                p.authorize_json(&s, tool.as_bytes(), text.as_bytes())
            );
        }
    }

    #[test]
    fn arbitrary_json_never_panics(text in ".{0,200}") {
        let _ = Policy::compile_json(text.as_bytes());
        let _ = parse_arguments(text.as_bytes(), &Limits::default());
    }
}

#[test]
fn manifest_text_is_read_by_the_strict_json_reader() {
    // Duplicate keys, also spelled with escapes: refused, never last-wins.
    assert_eq!(
        compile_err(r#"{"version":1,"tools":{},"writes_enabled":false,"writes_enabled":true}"#),
        (
            "manifest_duplicate_key".to_owned(),
            r#"key "writes_enabled""#.to_owned()
        )
    );
    assert_eq!(
        compile_err(r#"{"version":1,"tools":{},"v\u0065rsion":1}"#).0,
        "manifest_duplicate_key"
    );
    // Nested past the bound of a manifest given as an array (40): too large,
    // refused while parsing; absurdly deep: the same, no stack overflow.
    let deep = |n: usize| {
        format!(
            r#"{{"version":1,"tools":{{}},"x":{}{}}}"#,
            "[".repeat(n),
            "]".repeat(n)
        )
    };
    assert_eq!(compile_err(&deep(39)).0, "manifest_unknown_key");
    assert_eq!(compile_err(&deep(40)).0, "manifest_too_large");
    assert_eq!(compile_err(&"[".repeat(100_000)).0, "manifest_too_large");
    // Trailing data, non-UTF-8, a lone surrogate: not JSON.
    for bad in [
        r#"{"version":1,"tools":{}} {}"#.as_bytes(),
        b"{\"version\":1,\"tools\":{},\"\xff\":1}",
        br#"{"version":1,"tools":{},"x":"\ud800"}"#,
    ] {
        match Policy::compile_json(bad).unwrap_err() {
            e @ PolicyError::Manifest { .. } => assert_eq!(e.reason(), "manifest_invalid_json"),
            other => panic!("{other:?}"),
        }
    }
}

// ---- the single-traversal path gives the exact path's answer ----

/// A PHP-like value (any keys, in any order, bytes that need not be UTF-8)
/// that can (`L = true`) or cannot look keys up, like a PHP array and a
/// plain list of entries.
#[derive(Debug, Clone)]
enum Php<const L: bool> {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(Vec<u8>),
    Arr(Vec<(PhpKey, Php<L>)>),
}

#[derive(Debug, Clone, PartialEq)]
enum PhpKey {
    I(i64),
    S(Vec<u8>),
}

impl<const L: bool> View for Php<L> {
    type Child = Php<L>;

    fn node(&self) -> Node<'_> {
        match self {
            Php::Null => Node::Null,
            Php::Bool(b) => Node::Bool(*b),
            Php::Int(i) => Node::Int(*i),
            Php::Float(x) => Node::Float(*x),
            Php::Str(s) => Node::Str(s),
            Php::Arr(e) => Node::Array(e.len()),
        }
    }

    fn entries<E>(&self, mut f: impl FnMut(Key<'_>, &Self) -> Result<(), E>) -> Result<(), E> {
        if let Php::Arr(e) = self {
            for (k, v) in e {
                match k {
                    PhpKey::I(i) => f(Key::Index(*i), v)?,
                    PhpKey::S(s) => f(Key::Name(s), v)?,
                }
            }
        }
        Ok(())
    }

    fn lookup(&self, name: &str) -> Option<Option<&Self>> {
        if !L {
            return None;
        }
        let Php::Arr(e) = self else {
            return Some(None);
        };
        let want = match name.parse::<i64>() {
            Ok(i) if i.to_string() == name => PhpKey::I(i),
            _ => PhpKey::S(name.as_bytes().to_vec()),
        };
        Some(e.iter().find(|(k, _)| *k == want).map(|(_, v)| v))
    }
}

impl<const L: bool> Php<L> {
    fn flip<const M: bool>(&self) -> Php<M> {
        match self {
            Php::Null => Php::Null,
            Php::Bool(b) => Php::Bool(*b),
            Php::Int(i) => Php::Int(*i),
            Php::Float(x) => Php::Float(*x),
            Php::Str(s) => Php::Str(s.clone()),
            Php::Arr(e) => Php::Arr(e.iter().map(|(k, v)| (k.clone(), v.flip())).collect()),
        }
    }
}

fn arb_php_scalar() -> impl Strategy<Value = Php<true>> {
    prop_oneof![
        Just(Php::Null),
        any::<bool>().prop_map(Php::Bool),
        prop_oneof![any::<i64>(), -3i64..2000].prop_map(Php::Int),
        prop_oneof![
            any::<f64>(),
            Just(f64::NAN),
            Just(f64::INFINITY),
            Just(-0.0),
            -10.0f64..2000.0
        ]
        .prop_map(Php::Float),
        prop_oneof![
            "[a-zA-Z0-9 é-]{0,12}".prop_map(String::into_bytes),
            Just(b"AB-123".to_vec()),
            Just(b"draft".to_vec()),
            Just(vec![0xff, 0xfe]),
            Just(vec![b'x'; 70_000]),
        ]
        .prop_map(Php::Str),
    ]
}

fn arb_php_key() -> impl Strategy<Value = PhpKey> {
    prop_oneof![
        4 => prop::sample::select(DECLARED.to_vec()).prop_map(|s| PhpKey::S(s.into())),
        1 => prop::sample::select(vec!["title", "password", "is_active", "x"]).prop_map(|s| PhpKey::S(s.into())),
        1 => Just(PhpKey::S(vec![b'k', 0xff])),
        1 => (0i64..3).prop_map(PhpKey::I),
    ]
}

fn arb_php() -> impl Strategy<Value = Php<true>> {
    arb_php_scalar().prop_recursive(4, 40, 5, |inner| {
        prop_oneof![
            // A list (keys 0, 1, 2, …).
            prop::collection::vec(inner.clone(), 0..5).prop_map(|items| {
                Php::Arr(
                    items
                        .into_iter()
                        .enumerate()
                        .map(|(i, v)| (PhpKey::I(i as i64), v))
                        .collect(),
                )
            }),
            // Any keys, unique as in PHP.
            prop::collection::vec((arb_php_key(), inner), 0..6).prop_map(|mut e| {
                let mut seen = Vec::new();
                e.retain(|(k, _)| {
                    let fresh = !seen.contains(k);
                    seen.push(k.clone());
                    fresh
                });
                Php::Arr(e)
            }),
        ]
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(4000))]

    /// Looking fields up (the PHP-array path) never changes a decision: the
    /// same result, refusal, path, expected type and scopes as reading the
    /// entries in order.
    #[test]
    fn lookups_never_change_a_decision(
        a in arb_php(),
        tool in prop::sample::select(vec!["products.update", "products.search", "ping", "orders.cancel"]),
        small in any::<bool>(),
    ) {
        let p = if small {
            Policy::compile_json(MANIFEST.replace(
                r#""aliases""#, r#""limits": {"max_bytes": 300, "max_depth": 3, "max_items": 4, "max_string_bytes": 16}, "aliases""#).as_bytes()).unwrap()
        } else {
            policy()
        };
        let s = scopes(&p, EDIT);
        let plain: Php<false> = a.flip();
        prop_assert_eq!(
            p.authorize(&s, tool.as_bytes(), &a),
            p.authorize(&s, tool.as_bytes(), &plain)
        );
    }
}

#[test]
fn lookups_take_the_single_traversal_for_allowed_calls() {
    // The generator above must reach allowed calls too, or it proves little:
    // a hand-made allowed call, with and without lookups.
    let p = policy();
    let s = scopes(&p, EDIT);
    let mut e = vec![
        (PhpKey::S(b"id".to_vec()), Php::Int(7)),
        (PhpKey::S(b"price".to_vec()), Php::Float(9.5)),
        (PhpKey::S(b"note".to_vec()), Php::Null),
        (
            PhpKey::S(b"tags".to_vec()),
            Php::Arr(vec![(PhpKey::I(0), Php::Str(b"a".to_vec()))]),
        ),
        (
            PhpKey::S(b"seo".to_vec()),
            Php::Arr(vec![(
                PhpKey::S(b"title".to_vec()),
                Php::Str(b"t".to_vec()),
            )]),
        ),
    ];
    let ok: Php<true> = Php::Arr(e.clone());
    assert_eq!(p.authorize(&s, b"products.update", &ok), Ok(()));
    assert_eq!(
        p.authorize(&s, b"products.update", &ok.flip::<false>()),
        Ok(())
    );
    // Tags out of order are not a list: refused the same way on both paths.
    e[3].1 = Php::Arr(vec![
        (PhpKey::I(1), Php::Str(b"a".to_vec())),
        (PhpKey::I(0), Php::Str(b"b".to_vec())),
    ]);
    let bad: Php<true> = Php::Arr(e);
    let r = p.authorize(&s, b"products.update", &bad).unwrap_err();
    assert_eq!(
        (r.reason(), r.path()),
        (Reason::TypeMismatch, Some("/tags".into()))
    );
    assert_eq!(
        Err(r),
        p.authorize(&s, b"products.update", &bad.flip::<false>())
    );
}

#[test]
fn lookups_charge_the_budget_exactly() {
    // An allowed call swept across every limit: the single traversal must
    // flip from refused to allowed at exactly the bound where the walk does.
    let key = |s: &str| PhpKey::S(s.as_bytes().to_vec());
    let args: Php<true> = Php::Arr(vec![
        (key("id"), Php::Int(7)),
        (key("note"), Php::Null),
        (key("price"), Php::Float(9.5)),
        (key("visible"), Php::Bool(true)),
        (key("name"), Php::Str(b"Mug".to_vec())),
        (key("state"), Php::Str(b"draft".to_vec())),
        (
            key("tags"),
            Php::Arr(vec![
                (PhpKey::I(0), Php::Str(b"ab".to_vec())),
                (PhpKey::I(1), Php::Str(b"c".to_vec())),
            ]),
        ),
        (
            key("seo"),
            Php::Arr(vec![(key("title"), Php::Str(b"t".to_vec()))]),
        ),
    ]);
    let plain: Php<false> = args.flip();
    for (limit, range) in [
        ("max_bytes", 1..=300),
        ("max_depth", 1..=4),
        ("max_items", 1..=9),
        ("max_string_bytes", 1..=6),
    ] {
        let (mut allowed, mut refused) = (0, 0);
        for n in range {
            let p = Policy::compile_json(
                MANIFEST
                    .replace(
                        r#""aliases""#,
                        &format!(r#""limits": {{"{limit}": {n}}}, "aliases""#),
                    )
                    .as_bytes(),
            )
            .unwrap();
            let s = scopes(&p, EDIT);
            let fast = p.authorize(&s, b"products.update", &args);
            assert_eq!(
                fast,
                p.authorize(&s, b"products.update", &plain),
                "{limit} {n}"
            );
            if fast.is_ok() {
                allowed += 1;
            } else {
                refused += 1;
            }
        }
        assert!(
            allowed > 0 && refused > 0,
            "{limit} never crossed its bound"
        );
    }
}
