//! Tool-call arguments given as JSON text (read by the shared strict reader
//! [`crate::core::json`], then measured against the [`Limits`]), and the
//! digests (through [`crate::core::digest`]) that key the compiled-manifest cache.

use super::manifest::MANIFEST_VALUE_LIMITS;
use super::value::{measure, Limits, Reason, Refusal, Value};
use crate::core::digest::{self, Digest, Hash};
use crate::core::json::view::{self, Budget, View, ViewError};
use crate::core::json::{self as strict, JsonError};

/// What JSON text that is not one acceptable document is refused as.
fn unsupported() -> Refusal {
    Refusal::from_view(&ViewError::new(view::Problem::Unsupported))
}

/// Parses tool-call arguments given as JSON text: refused as `too_large`
/// before parsing when the text is over the byte limit (so the parsed value
/// is bounded too), then measured against every limit.
pub fn parse_arguments(text: &[u8], limits: &Limits) -> Result<Value, Refusal> {
    if text.len() > limits.max_bytes {
        return Err(Refusal::at_root(Reason::TooLarge));
    }
    // Nesting past the depth limit is refused while parsing, before it is
    // built; the rest of the limits are measured on the parsed value.
    let value = strict::parse(text, limits.max_depth).map_err(|e| match e {
        JsonError::TooDeep { .. } => Refusal::at_root(Reason::TooLarge),
        JsonError::Syntax { .. }
        | JsonError::DuplicateKey { .. }
        | JsonError::WrongKind
        | JsonError::Unwritable => unsupported(),
    })?;
    measure(&value, limits)?;
    Ok(value)
}

/// The digest key space of manifests given as JSON text.
pub const TEXT_LABEL: &str = "policy manifest json";
/// The digest key space of manifests given as values (PHP arrays), walked
/// in place.
pub const VALUE_LABEL: &str = "policy manifest value";

/// The digest of manifest text (the cache key and `Policy::hash()`).
pub fn digest_text(text: &[u8]) -> Hash {
    digest::of_parts(TEXT_LABEL, &[text])
}

/// The digest of a manifest value, walked in place within the manifest
/// limits, and what the walk cost (its size, for the cache's byte bound);
/// the walk's refusal when the value cannot be a manifest.
pub fn digest_value<V: View + ?Sized>(value: &V) -> Result<(Hash, usize), ViewError> {
    let mut d = Digest::new(VALUE_LABEL);
    let mut budget = Budget::new(MANIFEST_VALUE_LIMITS.view());
    view::walk(value, &mut budget, &mut d)?;
    // Unbounded digest: the walk's budget is the bound.
    Ok((d.finish().unwrap_or([0; 32]), budget.used()))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The parsing rules are tested in `crate::core::json`; this checks what
    /// arguments text maps them to.
    #[test]
    fn arguments_text_refusals() {
        let l = Limits::default();
        assert_eq!(
            parse_arguments(br#"{"a":[1,2.5,"x",null,true]}"#, &l).unwrap(),
            Value::Object(vec![(
                "a".into(),
                Value::List(vec![
                    Value::Int(1),
                    Value::Float(2.5),
                    Value::Str("x".into()),
                    Value::Null,
                    Value::Bool(true)
                ])
            )])
        );
        let unsupported = unsupported();
        assert_eq!(
            parse_arguments(br#"{"w":1,"w":2}"#, &l),
            Err(unsupported.clone())
        );
        assert_eq!(
            parse_arguments(br#"{"a":1} x"#, &l),
            Err(unsupported.clone())
        );
        assert_eq!(parse_arguments(b"\xff", &l), Err(unsupported));
        let too_large = Err(Refusal::at_root(Reason::TooLarge));
        let deep = "[".repeat(100_000);
        assert_eq!(parse_arguments(deep.as_bytes(), &l), too_large);
        // The arguments object is depth 1: depth 8 passes, 9 does not.
        let ok = format!("{}{}", "[".repeat(l.max_depth), "]".repeat(l.max_depth));
        assert!(parse_arguments(ok.as_bytes(), &l).is_ok());
        let over = format!("[{ok}]");
        assert_eq!(parse_arguments(over.as_bytes(), &l), too_large);
    }

    #[test]
    fn digests_differ() {
        let a = Value::List(vec![Value::Str("ab".into())]);
        let b = Value::List(vec![Value::Str("a".into()), Value::Str("b".into())]);
        let c = Value::Object(vec![("0".into(), Value::Str("ab".into()))]);
        let d = |v: &Value| digest_value(v).unwrap().0;
        assert!(d(&a) != d(&b) && d(&a) != d(&c) && d(&b) != d(&c));
        assert_ne!(d(&Value::Int(1)), d(&Value::Float(1.0)));
        assert_eq!(d(&a), d(&a.clone()));
        assert_ne!(digest_text(b"[]"), d(&Value::List(vec![])));
        let deep = (0..100).fold(Value::Null, |v, _| Value::List(vec![v]));
        assert!(digest_value(&deep).is_err());
    }
}
