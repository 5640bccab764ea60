//! Argument checking on arbitrary JSON against a fixed manifest: never a
//! panic, an allowed call never carries a key the manifest does not list or
//! a never-writable one, and the two ways in give one answer: a parsed value
//! (which looks its keys up, as a PHP array does, so an allowed call takes
//! the single traversal) and JSON text (`authorize_json`, the exact path).
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use mcp_guard::core::policy::json::parse_arguments;
use mcp_guard::core::policy::{Policy, ScopeSet, Value};

const MANIFEST: &str = r#"{
  "version": 1, "writes_enabled": true,
  "tools": {
    "products.update": { "class": "write", "scopes": ["write"], "fields": {
      "id": { "type": "integer", "min": 1, "required": true },
      "name": { "type": "string", "max_length": 16, "pattern": "[A-Za-z ]*" },
      "price": { "type": "number", "min": 0 },
      "state": { "type": "enum", "values": ["draft", "published"] },
      "visible": { "type": "boolean", "nullable": true },
      "tags": { "type": "list", "items": { "type": "string" }, "max_items": 4 },
      "seo": { "type": "object", "fields": { "title": { "type": "string", "required": true } } }
    } },
    "products.search": { "class": "read", "scopes": ["read"],
      "fields": { "query": { "type": "string" } } }
  }
}"#;

const TOP: [&str; 7] = ["id", "name", "price", "state", "visible", "tags", "seo"];

fn setup() -> &'static (Policy, ScopeSet) {
    static P: OnceLock<(Policy, ScopeSet)> = OnceLock::new();
    P.get_or_init(|| {
        let p = Policy::compile_json(MANIFEST.as_bytes()).expect("the manifest compiles");
        let g = p.scope_set([b"read".as_slice(), b"write"]).expect("two scopes");
        (p, g)
    })
}

fuzz_target!(|data: &[u8]| {
    let (policy, grant) = setup();
    let Ok(args) = parse_arguments(data, policy.limits()) else {
        return;
    };
    let decided = policy.authorize(grant, b"products.update", &args);
    assert_eq!(
        decided,
        policy.authorize_json(grant, b"products.update", data),
        "the single traversal and the exact path decided otherwise"
    );
    if decided.is_ok() {
        let Value::Object(entries) = &args else {
            assert!(matches!(&args, Value::List(l) if l.is_empty()));
            return;
        };
        for (k, v) in entries {
            assert!(TOP.contains(&k.as_str()), "undeclared key allowed");
            assert!(!policy.is_forbidden_field(k));
            if let (true, Value::Object(seo)) = (k == "seo", v) {
                assert!(seo.iter().all(|(sk, _)| sk == "title"));
            }
        }
    }
    let _ = policy.authorize(grant, b"products.search", &args);
});
