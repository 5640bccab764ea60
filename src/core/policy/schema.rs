//! Compiled field types and the argument checker.

use std::sync::Arc;

use regex::Regex;

use super::number::Number;
use super::scope::Forbidden;
use super::value::{Reason, Refusal, Segment, Value};

/// The type of one field, compiled.
#[derive(Debug, Clone)]
pub(crate) enum Kind {
    Str {
        min_chars: usize,
        max_chars: Option<usize>,
        pattern: Option<Regex>,
    },
    Int {
        min: Option<i64>,
        max: Option<i64>,
    },
    /// Integers and finite floats, bounds compared exactly.
    Number {
        min: Option<Number>,
        max: Option<Number>,
    },
    Bool,
    Enum(Vec<String>),
    List {
        items: Box<Field>,
        min_items: usize,
        max_items: Option<usize>,
    },
    Object(Fields),
}

/// One declared field.
#[derive(Debug, Clone)]
pub(crate) struct Field {
    pub kind: Kind,
    pub required: bool,
    pub nullable: bool,
    /// What `type_mismatch` reports as expected (derived from the manifest).
    pub expected: Arc<str>,
}

/// The fields of an object, sorted by name for binary search.
#[derive(Debug, Clone, Default)]
pub(crate) struct Fields {
    pub list: Vec<(String, Field)>,
}

impl Fields {
    fn find(&self, key: &str) -> Option<(usize, &Field)> {
        // Small objects (the usual tool) are scanned comparing lengths first,
        // which skips most byte comparisons; larger ones are binary-searched.
        if self.list.len() <= 16 {
            let kb = key.as_bytes();
            return self
                .list
                .iter()
                .enumerate()
                .find(|(_, (name, _))| name.len() == kb.len() && name.as_bytes() == kb)
                .map(|(i, (_, f))| (i, f));
        }
        self.list
            .binary_search_by(|(name, _)| name.as_str().cmp(key))
            .ok()
            .and_then(|i| self.list.get(i).map(|(_, f)| (i, f)))
    }
}

/// Which declared fields were seen in one object.
enum Seen {
    Small(u64),
    Large(Vec<bool>),
}

impl Seen {
    fn new(n: usize) -> Self {
        if n <= 64 {
            Self::Small(0)
        } else {
            Self::Large(vec![false; n])
        }
    }

    /// Marks `i`; false when it was already marked (a key given twice).
    fn mark(&mut self, i: usize) -> bool {
        match self {
            Self::Small(bits) => {
                let bit = 1u64 << (i & 63);
                let fresh = *bits & bit == 0;
                *bits |= bit;
                fresh
            }
            Self::Large(v) => match v.get_mut(i) {
                Some(slot) => !std::mem::replace(slot, true),
                None => false,
            },
        }
    }

    fn has(&self, i: usize) -> bool {
        match self {
            Self::Small(bits) => *bits & (1u64 << (i & 63)) != 0,
            Self::Large(v) => v.get(i).copied().unwrap_or(false),
        }
    }
}

fn mismatch(field: &Field) -> Refusal {
    Refusal::at_root(Reason::TypeMismatch).with_expected(field.expected.clone())
}

/// Entries of an object value (an empty list counts as an empty object).
fn entries(value: &Value) -> Option<&[(String, Value)]> {
    match value {
        Value::Object(e) => Some(e),
        Value::List(l) if l.is_empty() => Some(&[]),
        _ => None,
    }
}

/// Checks an object against its fields. `forbidden` is `Some` for write and
/// destructive tools. Keys are looked at before values, so a never-writable
/// key is reported as `forbidden_field` even next to other mistakes.
pub(crate) fn check_object(
    fields: &Fields,
    entries: &[(String, Value)],
    forbidden: Option<&Forbidden>,
) -> Result<(), Refusal> {
    let mut unknown: Option<&str> = None;
    let mut seen = Seen::new(fields.list.len());
    for (key, _) in entries {
        match fields.find(key) {
            Some((i, _)) => {
                if !seen.mark(i) && unknown.is_none() {
                    unknown = Some(key);
                }
            }
            None => {
                if forbidden.is_some_and(|f| f.contains(key)) {
                    return Err(
                        Refusal::at_root(Reason::ForbiddenField).within(Segment::Key(key.clone()))
                    );
                }
                if unknown.is_none() {
                    unknown = Some(key);
                }
            }
        }
    }
    if let Some(key) = unknown {
        return Err(Refusal::at_root(Reason::UnknownField).within(Segment::Key(key.to_owned())));
    }
    for (key, value) in entries {
        if let Some((_, field)) = fields.find(key) {
            check_value(field, value, forbidden)
                .map_err(|r| r.within(Segment::Key(key.clone())))?;
        }
    }
    for (i, (name, field)) in fields.list.iter().enumerate() {
        if field.required && !seen.has(i) {
            return Err(Refusal::at_root(Reason::MissingField).within(Segment::Key(name.clone())));
        }
    }
    Ok(())
}

fn check_value(field: &Field, value: &Value, forbidden: Option<&Forbidden>) -> Result<(), Refusal> {
    if matches!(value, Value::Null) {
        return if field.nullable {
            Ok(())
        } else {
            Err(mismatch(field))
        };
    }
    match &field.kind {
        Kind::Str {
            min_chars,
            max_chars,
            pattern,
        } => {
            let Value::Str(s) = value else {
                return Err(mismatch(field));
            };
            // A character is at least one byte: fewer bytes than `min_chars`
            // is too short, and characters are only counted when the byte
            // length alone cannot decide.
            if s.len() < *min_chars {
                return Err(mismatch(field));
            }
            if *min_chars > 0 || max_chars.is_some_and(|m| s.len() > m) {
                let n = s.chars().count();
                if n < *min_chars || max_chars.is_some_and(|m| n > m) {
                    return Err(mismatch(field));
                }
            }
            if pattern.as_ref().is_some_and(|p| !p.is_match(s)) {
                return Err(mismatch(field));
            }
            Ok(())
        }
        Kind::Int { min, max } => match value {
            Value::Int(i) if min.is_none_or(|m| *i >= m) && max.is_none_or(|m| *i <= m) => Ok(()),
            _ => Err(mismatch(field)),
        },
        Kind::Number { min, max } => {
            let n = match value {
                Value::Int(i) => Some(Number::Int(*i)),
                Value::Float(x) => Number::float(*x),
                _ => None,
            };
            match n {
                Some(n) if n.within(*min, *max) => Ok(()),
                _ => Err(mismatch(field)),
            }
        }
        Kind::Bool => match value {
            Value::Bool(_) => Ok(()),
            _ => Err(mismatch(field)),
        },
        Kind::Enum(values) => match value {
            Value::Str(s) if values.iter().any(|v| v == s) => Ok(()),
            _ => Err(mismatch(field)),
        },
        Kind::List {
            items,
            min_items,
            max_items,
        } => {
            let list: &[Value] = match value {
                Value::List(l) => l,
                Value::Object(e) if e.is_empty() => &[],
                _ => return Err(mismatch(field)),
            };
            if list.len() < *min_items || max_items.is_some_and(|m| list.len() > m) {
                return Err(mismatch(field));
            }
            for (i, item) in list.iter().enumerate() {
                check_value(items, item, forbidden).map_err(|r| r.within(Segment::Index(i)))?;
            }
            Ok(())
        }
        Kind::Object(fields) => {
            let Some(e) = entries(value) else {
                return Err(mismatch(field));
            };
            check_object(fields, e, forbidden)
        }
    }
}

/// Checks the whole arguments value of a tool (`fields` empty for a read tool
/// that declares none: then no argument is accepted).
pub(crate) fn check_arguments(
    fields: &Fields,
    args: &Value,
    forbidden: Option<&Forbidden>,
) -> Result<(), Refusal> {
    let Some(e) = entries(args) else {
        return Err(Refusal::at_root(Reason::TypeMismatch).with_expected(Arc::from("object")));
    };
    check_object(fields, e, forbidden)
}
