//! Tool policy: numeric bounds, the order of refusals (what a caller learns
//! about tools it may not see), and the never-writable field list.

use mcp_guard::core::policy::json::parse_arguments;
use mcp_guard::core::policy::{Limits, Policy, Reason, Value};

fn number_policy(bounds: &str) -> Policy {
    let json = format!(
        r#"{{"version":1,"tools":{{"t":{{"class":"read","scopes":["read"],
            "fields":{{"n":{{"type":"number",{bounds}}},"i":{{"type":"integer",{bounds}}}}}}}}}}}"#
    );
    Policy::compile_json(json.as_bytes()).unwrap()
}

/// Whether field `field` (`n`: number, `i`: integer) accepts `value`.
fn accepts(p: &Policy, field: &str, value: Value) -> bool {
    let g = p.scope_set([b"read".as_slice()]).unwrap();
    let args = Value::Object(vec![(field.to_owned(), value)]);
    match p.authorize(&g, b"t", &args) {
        Ok(()) => true,
        Err(r) => {
            assert_eq!(r.reason(), Reason::TypeMismatch);
            false
        }
    }
}

const TWO_53: i64 = 1 << 53;

/// Integer bounds compared as floats: `max` 2^53 let 2^53 + 1 through, `max`
/// 1e18 let 1e18 + 64 through and `min` −2^53 let −2^53 − 1 through, because
/// both sides were rounded to the nearest `f64` first. CWE-1339 (insufficient
/// precision of a real number), CWE-681 (incorrect conversion between numeric
/// types); RFC 8259 §6 (numbers beyond 2^53 are not exact as IEEE doubles,
/// so they must not be compared as such). Every comparison is now exact:
/// integer with integer, float with float, and an integer against a float by
/// the float's integral part first.
#[test]
fn attack_integer_bounds_rounded_through_floats() {
    let p = number_policy(&format!(r#""max":{TWO_53}"#));
    for f in ["n", "i"] {
        assert!(accepts(&p, f, Value::Int(TWO_53)), "{f}");
        assert!(!accepts(&p, f, Value::Int(TWO_53 + 1)), "{f}");
        assert!(!accepts(&p, f, Value::Int(i64::MAX)), "{f}");
    }
    // A float value equal to the bound passes; the next float above does not.
    assert!(accepts(&p, "n", Value::Float(TWO_53 as f64)));
    assert!(!accepts(&p, "n", Value::Float((TWO_53 + 2) as f64)));

    let p = number_policy(&format!(r#""min":-{TWO_53}"#));
    for f in ["n", "i"] {
        assert!(accepts(&p, f, Value::Int(-TWO_53)), "{f}");
        assert!(!accepts(&p, f, Value::Int(-TWO_53 - 1)), "{f}");
        assert!(!accepts(&p, f, Value::Int(i64::MIN)), "{f}");
    }

    // 1e18 is a float bound (an exponent): the integer 1e18 + 64 rounds to
    // 1e18 as a double, yet it is above the bound.
    let p = Policy::compile_json(
        br#"{"version":1,"tools":{"t":{"class":"read","scopes":["read"],
            "fields":{"n":{"type":"number","max":1e18}}}}}"#,
    )
    .unwrap();
    let e18 = 1_000_000_000_000_000_000_i64;
    assert!(accepts(&p, "n", Value::Int(e18)));
    assert!(!accepts(&p, "n", Value::Int(e18 + 1)));
    assert!(!accepts(&p, "n", Value::Int(e18 + 64)));
    assert!(accepts(&p, "n", Value::Int(e18 - 1)));
    assert!(accepts(&p, "n", Value::Float(1e18)));
    assert!(!accepts(&p, "n", Value::Float(1.000_000_000_000_000_1e18)));
}

/// The mixed cases of the same class: an integer value against a float bound
/// with a fraction, a float value against an integer bound, bounds beyond the
/// `i64` range, negative zero, and the same through JSON-text arguments.
#[test]
fn attack_integer_bounds_mixed_int_and_float() {
    // Float bounds with a fraction on a `number` field.
    let p = Policy::compile_json(
        br#"{"version":1,"tools":{"t":{"class":"read","scopes":["read"],
            "fields":{"n":{"type":"number","min":0.5,"max":2.5},
                      "big":{"type":"number","min":-1e300,"max":1e300},
                      "z":{"type":"number","min":0,"max":0},
                      "nz":{"type":"number","min":-0.0,"max":-0.0}}}}}"#,
    )
    .unwrap();
    assert!(!accepts(&p, "n", Value::Int(0)));
    assert!(accepts(&p, "n", Value::Int(1)));
    assert!(accepts(&p, "n", Value::Int(2)));
    assert!(!accepts(&p, "n", Value::Int(3)));
    assert!(accepts(&p, "n", Value::Float(0.5)));
    assert!(!accepts(&p, "n", Value::Float(0.499_999_999_999_999_94)));
    assert!(!accepts(&p, "n", Value::Float(2.500_000_000_000_000_4)));
    // Bounds beyond the i64 range hold every integer, and no more.
    assert!(accepts(&p, "big", Value::Int(i64::MAX)));
    assert!(accepts(&p, "big", Value::Int(i64::MIN)));
    assert!(!accepts(&p, "big", Value::Float(f64::MAX)));
    // Negative zero equals zero, on either side.
    for f in ["z", "nz"] {
        assert!(accepts(&p, f, Value::Int(0)), "{f}");
        assert!(accepts(&p, f, Value::Float(0.0)), "{f}");
        assert!(accepts(&p, f, Value::Float(-0.0)), "{f}");
        assert!(!accepts(&p, f, Value::Float(f64::MIN_POSITIVE)), "{f}");
        assert!(!accepts(&p, f, Value::Float(-f64::MIN_POSITIVE)), "{f}");
        assert!(!accepts(&p, f, Value::Int(1)), "{f}");
        assert!(!accepts(&p, f, Value::Int(-1)), "{f}");
    }
    // Non-finite values are never numbers.
    for x in [f64::NAN, f64::INFINITY, f64::NEG_INFINITY] {
        assert!(!accepts(&p, "big", Value::Float(x)));
    }

    // An integer bound against float values just beside it.
    let p = number_policy(&format!(r#""min":-3,"max":{TWO_53}"#));
    assert!(accepts(&p, "n", Value::Float(-3.0)));
    assert!(!accepts(&p, "n", Value::Float(-3.000_000_000_000_000_4)));
    assert!(accepts(&p, "n", Value::Float(-2.999_999_999_999_999_6)));
    assert!(!accepts(&p, "n", Value::Float(9_007_199_254_740_994.0)));
    // An integer field never takes a float, even an integral one.
    assert!(!accepts(&p, "i", Value::Float(1.0)));

    // The same through arguments given as JSON text.
    let g = p.scope_set([b"read".as_slice()]).unwrap();
    let text = format!(r#"{{"n":{}}}"#, TWO_53 + 1);
    let args = parse_arguments(text.as_bytes(), &Limits::default()).unwrap();
    assert_eq!(
        p.authorize(&g, b"t", &args).unwrap_err().reason(),
        Reason::TypeMismatch
    );
}

/// A bound that is not a finite number (a PHP `NAN` or `INF` in a manifest
/// given as an array; JSON text cannot spell one) makes every comparison
/// false, so `max: NAN` would accept everything: the manifest is refused.
/// A bound range in the wrong order is refused exactly too (2^53 + 1 above
/// 2^53, though both round to the same double).
#[test]
fn attack_non_finite_or_inverted_number_bounds_refused() {
    let manifest = |field: Value| {
        Value::Object(vec![
            ("version".into(), Value::Int(1)),
            (
                "tools".into(),
                Value::Object(vec![(
                    "t".into(),
                    Value::Object(vec![
                        ("class".into(), Value::Str("read".into())),
                        (
                            "scopes".into(),
                            Value::List(vec![Value::Str("read".into())]),
                        ),
                        ("fields".into(), Value::Object(vec![("n".into(), field)])),
                    ]),
                )]),
            ),
        ])
    };
    let number = |key: &str, bound: Value| {
        Value::Object(vec![
            ("type".into(), Value::Str("number".into())),
            (key.into(), bound),
        ])
    };
    for key in ["min", "max"] {
        for x in [f64::NAN, f64::INFINITY, f64::NEG_INFINITY] {
            let e = Policy::compile(&manifest(number(key, Value::Float(x)))).unwrap_err();
            assert_eq!(
                e.to_string(),
                format!(
                    "The policy manifest is invalid at /tools/t/fields/n/{key}: invalid value."
                )
            );
        }
        assert!(Policy::compile(&manifest(number(key, Value::Float(-0.0)))).is_ok());
    }
    for (min, max) in [
        (format!("{}", TWO_53 + 1), format!("{TWO_53}")),
        ("1e18".to_owned(), "999999999999999999".to_owned()),
        ("1000000000000000001".to_owned(), "1e18".to_owned()),
        ("0.5".to_owned(), "0".to_owned()),
    ] {
        let json = format!(
            r#"{{"version":1,"tools":{{"t":{{"class":"read","scopes":["read"],
                "fields":{{"n":{{"type":"number","min":{min},"max":{max}}}}}}}}}}}"#
        );
        let e = Policy::compile_json(json.as_bytes()).unwrap_err();
        assert!(
            e.to_string()
                .contains("/tools/t/fields/n/max: limit out of range"),
            "{min} {max}: {e}"
        );
    }
}

/// The shop fields of `attack_shop_secret_and_privilege_fields_writable`.
const SHOP_SECRET_AND_PRIVILEGE_FIELDS: &[&str] = &[
    // PrestaShop Customer
    "secure_key",
    "passwd",
    "last_passwd_gen",
    "reset_password_token",
    "reset_password_validity",
    "id_default_group",
    "groupBox",
    "is_guest",
    "active",
    "deleted",
    "email",
    "outstanding_allow_amount",
    "max_payment_days",
    // PrestaShop Employee
    "id_profile",
    // Statamic user
    "super",
    "roles",
    "groups",
    "password",
    "password_hash",
    "remember_token",
    "email_verified_at",
    "two_factor",
    "two_factor_secret",
    "two_factor_recovery_codes",
    "two_factor_confirmed_at",
    "recovery_codes",
    "passkeys",
    "credential",
    "provider_user_id",
    // Statamic role
    "permissions",
];

/// Every field of the PrestaShop 8/9 `Customer`, `Employee` and `Address`
/// models and of Statamic's users (file and Eloquent drivers, with two-factor
/// authentication, passkeys and OAuth connections) that is a secret or grants
/// privilege, as the platform spells it. Each must be never-writable: a write
/// manifest listing it does not compile, and a write call carrying it is
/// refused whatever the manifest says. CWE-915 (improperly controlled
/// modification of dynamically-determined object attributes: mass
/// assignment), OWASP API Security Top 10 2023 API3 (broken object property
/// level authorization).
#[test]
fn attack_shop_secret_and_privilege_fields_writable() {
    for name in SHOP_SECRET_AND_PRIVILEGE_FIELDS {
        let declared = format!(
            r#"{{"version":1,"writes_enabled":true,"tools":{{"customers.update":{{"class":"write",
                "scopes":["customers:write"],"fields":{{"id":{{"type":"integer"}},"{name}":{{"type":"string"}}}}}}}}}}"#
        );
        let e = Policy::compile_json(declared.as_bytes()).unwrap_err();
        assert!(
            e.to_string().contains(&format!(
                "/tools/customers.update/fields/{name}: this field can never be writable"
            )),
            "{name}: {e}"
        );
        let p = Policy::compile_json(
            br#"{"version":1,"writes_enabled":true,"tools":{"customers.update":{"class":"write",
                "scopes":["customers:write"],"fields":{"id":{"type":"integer"}}}}}"#,
        )
        .unwrap();
        assert!(p.is_forbidden_field(name), "{name}");
        let g = p.scope_set([b"customers:write".as_slice()]).unwrap();
        let args = Value::Object(vec![
            ("id".into(), Value::Int(1)),
            ((*name).to_owned(), Value::Str("x".into())),
        ]);
        let r = p.authorize(&g, b"customers.update", &args).unwrap_err();
        assert_eq!(
            (r.reason(), r.path()),
            (Reason::ForbiddenField, Some(format!("/{name}"))),
            "{name}"
        );
    }
}

const ORDER_MANIFEST: &str = r#"{
  "version": 1, "writes_enabled": true,
  "tools": {
    "products.search": { "class": "read", "scopes": ["read"],
      "fields": { "query": { "type": "string", "max_length": 50 } } },
    "products.update": { "class": "write", "scopes": ["products:write"],
      "fields": { "id": { "type": "integer", "required": true } } },
    "products.delete": { "class": "destructive", "scopes": ["write"],
      "fields": { "id": { "type": "integer", "required": true } } }
  }
}"#;

fn refusal_for(p: &Policy, scopes: &[&str], tool: &str, args: &Value) -> (Reason, Vec<String>) {
    let g = p.scope_set(scopes.iter().map(|s| s.as_bytes())).unwrap();
    let r = p.authorize(&g, tool.as_bytes(), args).unwrap_err();
    (r.reason(), r.required_scopes().to_vec())
}

/// A caller without `discover` must learn nothing about which tools exist:
/// `tools/list` shows it nothing, so a call to a tool it cannot use is
/// refused exactly as a call to a tool that does not exist (`unknown_tool`,
/// no scopes), never `insufficient_scope` with the tool's scopes, nor
/// `writes_disabled` / `tool_disabled`. With `discover` the caller may know
/// the catalogue: it gets the real reason, and `insufficient_scope` carries
/// the scopes for the 403 step-up challenge. CWE-203 / CWE-204 (observable
/// response discrepancy); MCP authorization spec, scope challenge
/// (`WWW-Authenticate: Bearer error="insufficient_scope", scope=…`).
#[test]
fn attack_tool_existence_oracle_without_discover() {
    let p = Policy::compile_json(ORDER_MANIFEST.as_bytes()).unwrap();
    let off = Policy::compile_json(
        ORDER_MANIFEST
            .replace(r#""writes_enabled": true"#, r#""writes_enabled": false"#)
            .as_bytes(),
    )
    .unwrap();
    let id = Value::Object(vec![("id".into(), Value::Int(1))]);
    let unknown = (Reason::UnknownTool, Vec::new());
    // Without discover: every tool out of reach looks like no tool at all.
    for scopes in [&["read"][..], &[], &["junk"], &["mcp.read"]] {
        assert_eq!(refusal_for(&p, scopes, "products.update", &id), unknown);
        assert_eq!(refusal_for(&p, scopes, "nope", &id), unknown);
    }
    assert_eq!(refusal_for(&p, &["write"], "products.delete", &id), unknown);
    assert_eq!(
        refusal_for(&off, &["products:write"], "products.update", &id),
        unknown
    );
    assert!(p
        .visible_tools(&p.scope_set([b"write".as_slice()]).unwrap())
        .is_empty());
    // A tool within reach still answers (its fields are checked as usual).
    assert_eq!(
        refusal_for(
            &p,
            &["products:write"],
            "products.update",
            &Value::Object(vec![])
        )
        .0,
        Reason::MissingField
    );
    // With discover: the real reason, and the scopes for the challenge.
    assert_eq!(
        refusal_for(&p, &["discover", "read"], "products.update", &id),
        (Reason::InsufficientScope, vec!["products:write".to_owned()])
    );
    assert_eq!(
        refusal_for(&p, &["mcp.discover", "write"], "products.delete", &id).0,
        Reason::ToolDisabled
    );
    assert_eq!(
        refusal_for(&off, &["discover", "write"], "products.update", &id).0,
        Reason::WritesDisabled
    );
    assert_eq!(
        refusal_for(&p, &["discover", "write"], "nope", &id),
        unknown
    );
}

/// The documented order of refusals (unknown tool, scope, writes enabled, tool
/// enabled, limits, fields): the arguments are looked at only once the tool
/// may be called, so an oversized or ill-typed argument never hides the
/// tool-level reason (and the 403 challenge keeps its scopes). The class:
/// a check order that lets unauthenticated input reach deeper code first
/// (CWE-696, incorrect behavior order).
#[test]
fn attack_arguments_checked_before_the_tool() {
    let p = Policy::compile_json(ORDER_MANIFEST.as_bytes()).unwrap();
    let big = Value::Object(vec![("query".into(), Value::Str("x".repeat(70 * 1024)))]);
    let ill = Value::Object(vec![("id".into(), Value::Str("x".into()))]);
    let mut deep = Value::Int(1);
    for _ in 0..100 {
        deep = Value::List(vec![deep]);
    }
    let deep = Value::Object(vec![("id".into(), deep)]);
    for args in [&big, &ill, &deep] {
        assert_eq!(
            refusal_for(&p, &["discover", "write"], "nope", args).0,
            Reason::UnknownTool
        );
        assert_eq!(
            refusal_for(&p, &["discover", "read"], "products.update", args),
            (Reason::InsufficientScope, vec!["products:write".to_owned()])
        );
        assert_eq!(
            refusal_for(&p, &["discover", "write"], "products.delete", args).0,
            Reason::ToolDisabled
        );
    }
    // Once the tool may be called, the limits come before the fields.
    assert_eq!(
        refusal_for(&p, &["read"], "products.search", &big).0,
        Reason::TooLarge
    );
}
