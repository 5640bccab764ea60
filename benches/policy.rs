//! Criterion benchmarks of the per-call policy path: granting scopes and
//! authorizing a 10-field write, plus manifest compilation (paid once per
//! worker thanks to the cache).
//!
//! Run: `cargo bench --no-default-features --bench policy`

use criterion::{black_box, criterion_group, criterion_main, Criterion};
use mcp_guard::core::policy::{Policy, Value};

const MANIFEST: &str = r#"{
  "version": 1,
  "writes_enabled": true,
  "tools": {
    "products.update": { "class": "write", "scopes": ["products:write"],
      "fields": {
        "id": { "type": "integer", "min": 1, "required": true },
        "name": { "type": "string", "max_length": 128 },
        "reference": { "type": "string", "max_length": 64 },
        "price": { "type": "number", "min": 0 },
        "quantity": { "type": "integer", "min": 0 },
        "visible": { "type": "boolean" },
        "state": { "type": "enum", "values": ["draft", "published", "archived"] },
        "description": { "type": "string", "max_length": 4000 },
        "weight": { "type": "number", "min": 0 },
        "tags": { "type": "list", "items": { "type": "string", "max_length": 32 }, "max_items": 10 }
      } }
  }
}"#;

fn payload() -> Value {
    Value::Object(vec![
        ("id".into(), Value::Int(42)),
        ("name".into(), Value::Str("Blue mug".into())),
        ("reference".into(), Value::Str("MUG-42".into())),
        ("price".into(), Value::Float(12.5)),
        ("quantity".into(), Value::Int(10)),
        ("visible".into(), Value::Bool(true)),
        ("state".into(), Value::Str("published".into())),
        ("description".into(), Value::Str("A blue mug.".into())),
        ("weight".into(), Value::Float(0.3)),
        (
            "tags".into(),
            Value::List(vec![Value::Str("mug".into()), Value::Str("blue".into())]),
        ),
    ])
}

fn bench_policy(c: &mut Criterion) {
    let Ok(policy) = Policy::compile_json(MANIFEST.as_bytes()) else {
        return;
    };
    let scopes: [&[u8]; 3] = [b"discover", b"read", b"write"];
    let args = payload();
    c.bench_function("policy::scope_set (3 scopes)", |b| {
        b.iter(|| policy.scope_set(black_box(scopes)))
    });
    let Ok(grant) = policy.scope_set(scopes) else {
        return;
    };
    c.bench_function("policy::authorize (10-field write)", |b| {
        b.iter(|| policy.authorize(&grant, black_box(b"products.update"), black_box(&args)))
    });
    let text = br#"{"id":42,"name":"Blue mug","reference":"MUG-42","price":12.5,"quantity":10,
        "visible":true,"state":"published","description":"A blue mug.","weight":0.3,"tags":["mug","blue"]}"#;
    c.bench_function(
        "policy::authorize_json (10-field write, parse included)",
        |b| {
            b.iter(|| policy.authorize_json(&grant, black_box(b"products.update"), black_box(text)))
        },
    );
    c.bench_function("policy::compile_json (1 tool, 10 fields)", |b| {
        b.iter(|| Policy::compile_json(black_box(MANIFEST.as_bytes())))
    });
}

criterion_group!(benches, bench_policy);
criterion_main!(benches);
