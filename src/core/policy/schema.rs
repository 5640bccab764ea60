//! Compiled field types and the argument checker.
//!
//! The checker looks at the arguments in place through a [`View`] (a PHP
//! array, or a value parsed from JSON text): nothing is copied to check it.
//! An array reads as the one walk reads it ([`crate::core::json::view`]): a
//! list when its keys are `0, 1, 2, …` in order, else an object whose
//! integer keys are their decimal names; the empty array is the empty list,
//! also accepted where an object is expected.
//!
//! Two paths give one answer. [`allowed_at_once`] looks each declared field
//! up by name (a hash lookup in a PHP array) and charges the same budget as
//! the walk while it checks, in a single traversal; it only ever says "the
//! call is allowed". When it cannot say so (a refusal, or a view without
//! lookups) the exact path runs: the limits over the whole value, then the
//! fields in argument order, which gives the refusal and its path.

use std::borrow::Cow;
use std::sync::Arc;

use regex::Regex;

use super::number::Number;
use super::scope::Forbidden;
use super::value::{Limits, Reason, Refusal, Segment};
use crate::core::json::view::{Budget, Key, Node, View};

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

/// Whether an array's keys are `0, 1, 2, …` in order (stops at the first
/// key that is not).
fn is_list<V: View + ?Sized>(v: &V) -> bool {
    let mut position: i64 = 0;
    v.entries(|key, _| match key {
        Key::Index(n) if n == position => {
            position = position.saturating_add(1);
            Ok(())
        }
        _ => Err(()),
    })
    .is_ok()
}

/// Whether `v` reads as an object: an array that is not a non-empty list.
fn is_object<V: View + ?Sized>(v: &V) -> bool {
    match v.node() {
        Node::Array(0) => true,
        Node::Array(_) => !is_list(v),
        _ => false,
    }
}

/// An entry's key as a field name: a UTF-8 name, or an integer key's decimal
/// form; `None` for a name that is not UTF-8 (never a field).
fn key_name(key: Key<'_>) -> Option<Cow<'_, str>> {
    match key {
        Key::Name(bytes) => std::str::from_utf8(bytes).ok().map(Cow::Borrowed),
        Key::Index(n) => Some(Cow::Owned(n.to_string())),
    }
}

/// A refusal at an entry of the object being checked (`None`: a key that is
/// not UTF-8, reported at the object itself).
fn at_key(reason: Reason, key: Option<String>) -> Refusal {
    let r = Refusal::at_root(reason);
    match key {
        Some(name) => r.within(Segment::Key(name)),
        None => r,
    }
}

/// Checks an object's keys: the first never-writable key refuses at once
/// (`forbidden_field`, whatever else is wrong); otherwise the first unknown
/// or repeated key is `unknown_field`. Returns which fields were seen.
fn check_keys<V: View + ?Sized>(
    fields: &Fields,
    obj: &V,
    forbidden: Option<&Forbidden>,
) -> Result<Seen, Refusal> {
    let mut seen = Seen::new(fields.list.len());
    let mut unknown: Option<Option<String>> = None;
    obj.entries(|key, _| {
        let Some(name) = key_name(key) else {
            unknown.get_or_insert(None);
            return Ok(());
        };
        let fresh = match fields.find(&name) {
            // A key given twice (possible in a value built by hand) is unknown.
            Some((i, _)) => seen.mark(i),
            None if forbidden.is_some_and(|f| f.contains(&name)) => {
                return Err(at_key(Reason::ForbiddenField, Some(name.into_owned())));
            }
            None => false,
        };
        if !fresh {
            unknown.get_or_insert_with(|| Some(name.into_owned()));
        }
        Ok(())
    })?;
    match unknown {
        Some(key) => Err(at_key(Reason::UnknownField, key)),
        None => Ok(seen),
    }
}

/// Checks an object against its fields. `forbidden` is `Some` for write and
/// destructive tools. Keys are looked at before values, so a never-writable
/// key is reported as `forbidden_field` even next to other mistakes.
fn check_object<V: View + ?Sized>(
    fields: &Fields,
    obj: &V,
    forbidden: Option<&Forbidden>,
) -> Result<(), Refusal> {
    let seen = check_keys(fields, obj, forbidden)?;
    obj.entries(|key, value| {
        let Some(name) = key_name(key) else {
            return Ok(());
        };
        match fields.find(&name) {
            Some((_, field)) => check_value(field, value, forbidden)
                .map_err(|r| r.within(Segment::Key(name.into_owned()))),
            None => Ok(()),
        }
    })?;
    for (i, (name, field)) in fields.list.iter().enumerate() {
        if field.required && !seen.has(i) {
            return Err(Refusal::at_root(Reason::MissingField).within(Segment::Key(name.clone())));
        }
    }
    Ok(())
}

/// A string against `string` constraints (`s` is UTF-8).
fn check_str(
    field: &Field,
    s: &str,
    min_chars: usize,
    max_chars: Option<usize>,
    pattern: Option<&Regex>,
) -> Result<(), Refusal> {
    // A character is at least one byte: fewer bytes than `min_chars` is too
    // short, and characters are only counted when the byte length alone
    // cannot decide.
    if s.len() < min_chars {
        return Err(mismatch(field));
    }
    if min_chars > 0 || max_chars.is_some_and(|m| s.len() > m) {
        let n = s.chars().count();
        if n < min_chars || max_chars.is_some_and(|m| n > m) {
            return Err(mismatch(field));
        }
    }
    if pattern.is_some_and(|p| !p.is_match(s)) {
        return Err(mismatch(field));
    }
    Ok(())
}

/// A list against `list` constraints, each item against `items`.
fn check_list<V: View + ?Sized>(
    field: &Field,
    list: &V,
    (items, min_items, max_items): (&Field, usize, Option<usize>),
    forbidden: Option<&Forbidden>,
) -> Result<(), Refusal> {
    let len = match list.node() {
        Node::Array(len) if len == 0 || is_list(list) => len,
        _ => return Err(mismatch(field)),
    };
    if len < min_items || max_items.is_some_and(|m| len > m) {
        return Err(mismatch(field));
    }
    let mut i = 0;
    list.entries(|_, item| {
        let at = i;
        i += 1;
        check_value(items, item, forbidden).map_err(|r| r.within(Segment::Index(at)))
    })
}

fn check_value<V: View + ?Sized>(
    field: &Field,
    value: &V,
    forbidden: Option<&Forbidden>,
) -> Result<(), Refusal> {
    let node = value.node();
    if node == Node::Null {
        return if field.nullable {
            Ok(())
        } else {
            Err(mismatch(field))
        };
    }
    let ok = match (&field.kind, node) {
        (
            Kind::Str {
                min_chars,
                max_chars,
                pattern,
            },
            Node::Str(bytes),
        ) => {
            let s = std::str::from_utf8(bytes).map_err(|_| mismatch(field))?;
            return check_str(field, s, *min_chars, *max_chars, pattern.as_ref());
        }
        (Kind::Int { min, max }, Node::Int(i)) => {
            min.is_none_or(|m| i >= m) && max.is_none_or(|m| i <= m)
        }
        (Kind::Number { min, max }, Node::Int(i)) => Number::Int(i).within(*min, *max),
        (Kind::Number { min, max }, Node::Float(x)) => {
            Number::float(x).is_some_and(|n| n.within(*min, *max))
        }
        (Kind::Bool, Node::Bool(_)) => true,
        (Kind::Enum(values), Node::Str(bytes)) => values.iter().any(|v| v.as_bytes() == bytes),
        (
            Kind::List {
                items,
                min_items,
                max_items,
            },
            Node::Array(_),
        ) => return check_list(field, value, (items, *min_items, *max_items), forbidden),
        (Kind::Object(fields), Node::Array(_)) if is_object(value) => {
            return check_object(fields, value, forbidden)
        }
        _ => false,
    };
    if ok {
        Ok(())
    } else {
        Err(mismatch(field))
    }
}

/// Checks the whole arguments value of a tool (`fields` empty for a read tool
/// that declares none: then no argument is accepted).
pub(crate) fn check_arguments<V: View + ?Sized>(
    fields: &Fields,
    args: &V,
    forbidden: Option<&Forbidden>,
) -> Result<(), Refusal> {
    if !is_object(args) {
        return Err(Refusal::at_root(Reason::TypeMismatch).with_expected(Arc::from("object")));
    }
    check_object(fields, args, forbidden)
}

/// The single-traversal path: `true` when the arguments are within the
/// limits and satisfy the fields, established by looking each declared field
/// up by name and charging `limits` exactly as the walk
/// ([`crate::core::json::view::measure`]) would. It visits every value of
/// arguments that are allowed (all their keys are declared fields, whose
/// checks descend into every list and object), so `true` here means both
/// passes of the exact path succeed. Never a refusal: `false` (anything
/// wrong, a key it did not find, a view without lookups) sends the caller to
/// the exact path.
pub(crate) fn allowed_at_once<V: View + ?Sized>(
    fields: &Fields,
    limits: &Limits,
    args: &V,
) -> bool {
    let Node::Array(len) = args.node() else {
        return false;
    };
    let mut budget = Budget::new(limits.view());
    budget.container(1, len).is_ok() && object_at_once(fields, args, len, 1, &mut budget)
}

/// An object of `len` entries at `depth` (its container already charged):
/// every declared field looked up, and no entry left over.
fn object_at_once<V: View + ?Sized>(
    fields: &Fields,
    obj: &V,
    len: usize,
    depth: usize,
    budget: &mut Budget,
) -> bool {
    let mut found = 0usize;
    for (name, field) in &fields.list {
        match obj.lookup(name) {
            None => return false,
            Some(None) if field.required => return false,
            Some(None) => {}
            Some(Some(value)) => {
                found += 1;
                if budget.key(name.len()).is_err()
                    || !value_at_once(field, value, depth + 1, budget)
                {
                    return false;
                }
            }
        }
    }
    // Keys are unique, so every entry was a declared field (never a
    // never-writable one: those do not compile) and none is unknown.
    found == len
}

/// A list of `len` entries at `depth` (its container already charged).
fn list_at_once<V: View + ?Sized>(
    (items, min_items, max_items): (&Field, usize, Option<usize>),
    list: &V,
    len: usize,
    depth: usize,
    budget: &mut Budget,
) -> bool {
    if len < min_items || max_items.is_some_and(|m| len > m) {
        return false;
    }
    let mut position: i64 = 0;
    list.entries(|key, item| {
        // Keys 0, 1, 2, … in order, or it is not a list.
        if key != Key::Index(position) || !value_at_once(items, item, depth + 1, budget) {
            return Err(());
        }
        position = position.saturating_add(1);
        Ok(())
    })
    .is_ok()
}

/// One value at `depth`: charged as the walk charges it, then checked.
fn value_at_once<V: View + ?Sized>(
    field: &Field,
    value: &V,
    depth: usize,
    budget: &mut Budget,
) -> bool {
    match value.node() {
        Node::Null => budget.scalar().is_ok() && field.nullable,
        Node::Bool(_) => budget.scalar().is_ok() && matches!(field.kind, Kind::Bool),
        Node::Int(i) => {
            budget.scalar().is_ok()
                && match &field.kind {
                    Kind::Int { min, max } => {
                        min.is_none_or(|m| i >= m) && max.is_none_or(|m| i <= m)
                    }
                    Kind::Number { min, max } => Number::Int(i).within(*min, *max),
                    _ => false,
                }
        }
        Node::Float(x) => {
            budget.scalar().is_ok()
                && match &field.kind {
                    Kind::Number { min, max } => {
                        Number::float(x).is_some_and(|n| n.within(*min, *max))
                    }
                    _ => false,
                }
        }
        Node::Str(bytes) => {
            if budget.string(bytes.len()).is_err() {
                return false;
            }
            match &field.kind {
                Kind::Str {
                    min_chars,
                    max_chars,
                    pattern,
                } => std::str::from_utf8(bytes).is_ok_and(|s| {
                    check_str(field, s, *min_chars, *max_chars, pattern.as_ref()).is_ok()
                }),
                // Equal to a (UTF-8) enum value, so UTF-8 itself.
                Kind::Enum(values) => values.iter().any(|v| v.as_bytes() == bytes),
                _ => false,
            }
        }
        Node::Array(len) => {
            if budget.container(depth, len).is_err() {
                return false;
            }
            match &field.kind {
                Kind::List {
                    items,
                    min_items,
                    max_items,
                } => list_at_once((items, *min_items, *max_items), value, len, depth, budget),
                Kind::Object(fields) => object_at_once(fields, value, len, depth, budget),
                _ => false,
            }
        }
        Node::Unsupported => false,
    }
}
