//! Manifest compilation on arbitrary bytes: never a panic, and a manifest that
//! compiles answers every query without panicking either.
#![no_main]

use libfuzzer_sys::fuzz_target;
use mcp_guard::core::policy::{Policy, Value};

fuzz_target!(|data: &[u8]| {
    let Ok(policy) = Policy::compile_json(data) else {
        return;
    };
    let grant = policy
        .scope_set([b"discover".as_slice(), b"read", b"write", b"mcp.write"])
        .expect("four scopes are within the limit");
    let names: Vec<String> = policy.tool_names().into_iter().map(str::to_owned).collect();
    for name in &names {
        let _ = policy.required_scopes(name).expect("a listed tool exists");
        let _ = policy.authorize(&grant, name.as_bytes(), &Value::Object(Vec::new()));
    }
    let visible = policy.visible_tools(&grant);
    assert!(visible.iter().all(|t| names.iter().any(|n| n == t)));
    // Never-writable names stay never-writable whatever the manifest says.
    assert!(policy.is_forbidden_field("password"));
    assert!(policy.is_forbidden_field("is_active"));
});
