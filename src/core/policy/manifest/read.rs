//! Typed reads of manifest values: each returns the value or the error at
//! its path, so the compiler never looks at a value of the wrong type.

use crate::core::policy::value::{pointer, Segment, Value};
use crate::core::policy::{PolicyError, Problem};

pub(super) type Path = Vec<Segment>;
pub(super) type Entries = [(String, Value)];

/// The error `problem` at `path`.
pub(super) fn err(problem: Problem, path: &[Segment]) -> PolicyError {
    PolicyError::Manifest {
        problem,
        path: pointer(path),
    }
}

/// `path` + `/key`.
pub(super) fn child(path: &[Segment], key: &str) -> Path {
    let mut p = path.to_vec();
    p.push(Segment::Key(key.to_owned()));
    p
}

/// `path` + `/i`.
pub(super) fn index(path: &[Segment], i: usize) -> Path {
    let mut p = path.to_vec();
    p.push(Segment::Index(i));
    p
}

/// An object with only `allowed` keys.
pub(super) fn object<'a>(
    v: &'a Value,
    path: &[Segment],
    allowed: &[&str],
) -> Result<&'a Entries, PolicyError> {
    let e = map(v, path)?;
    only_keys(e, path, allowed)?;
    Ok(e)
}

/// Refuses the first key of `e` that is not in `allowed`.
pub(super) fn only_keys(
    e: &Entries,
    path: &[Segment],
    allowed: &[&str],
) -> Result<(), PolicyError> {
    match e.iter().find(|(k, _)| !allowed.contains(&k.as_str())) {
        Some((k, _)) => Err(err(Problem::UnknownKey, &child(path, k))),
        None => Ok(()),
    }
}

/// An object with any keys (an empty list counts as an empty object).
pub(super) fn map<'a>(v: &'a Value, path: &[Segment]) -> Result<&'a Entries, PolicyError> {
    match v {
        Value::Object(e) => Ok(e),
        Value::List(l) if l.is_empty() => Ok(&[]),
        _ => Err(err(Problem::InvalidValue, path)),
    }
}

/// The value of `key`, if present.
pub(super) fn get<'a>(e: &'a Entries, key: &str) -> Option<&'a Value> {
    e.iter().find(|(k, _)| k == key).map(|(_, v)| v)
}

/// The value of a key the format requires (`manifest_missing_key` when absent).
pub(super) fn required<'a>(
    e: &'a Entries,
    key: &str,
    path: &[Segment],
) -> Result<&'a Value, PolicyError> {
    get(e, key).ok_or_else(|| err(Problem::MissingKey, &child(path, key)))
}

/// An optional boolean.
pub(super) fn boolean(
    e: &Entries,
    key: &str,
    path: &[Segment],
    default: bool,
) -> Result<bool, PolicyError> {
    match get(e, key) {
        None => Ok(default),
        Some(Value::Bool(b)) => Ok(*b),
        Some(_) => Err(err(Problem::InvalidValue, &child(path, key))),
    }
}

/// A string.
pub(super) fn string<'a>(v: &'a Value, path: &[Segment]) -> Result<&'a str, PolicyError> {
    match v {
        Value::Str(s) => Ok(s),
        _ => Err(err(Problem::InvalidValue, path)),
    }
}

/// An optional string (`description`): checked for its type, then unused.
pub(super) fn description(e: &Entries, path: &[Segment]) -> Result<(), PolicyError> {
    match get(e, "description") {
        Some(d) => string(d, &child(path, "description")).map(|_| ()),
        None => Ok(()),
    }
}

/// A list.
pub(super) fn list<'a>(v: &'a Value, path: &[Segment]) -> Result<&'a [Value], PolicyError> {
    match v {
        Value::List(l) => Ok(l),
        _ => Err(err(Problem::InvalidValue, path)),
    }
}

/// An optional count (length, items, limit) in `0 ..= ceiling`.
pub(super) fn count(
    e: &Entries,
    key: &str,
    path: &[Segment],
    ceiling: usize,
) -> Result<Option<usize>, PolicyError> {
    match get(e, key) {
        None => Ok(None),
        Some(Value::Int(i)) => usize::try_from(*i)
            .ok()
            .filter(|n| *n <= ceiling)
            .map(Some)
            .ok_or_else(|| err(Problem::InvalidLimit, &child(path, key))),
        Some(_) => Err(err(Problem::InvalidValue, &child(path, key))),
    }
}

/// An optional `min` ..= `max` pair of counts (`manifest_invalid_limit` at
/// `max_key` when max is below min); min defaults to 0.
pub(super) fn count_range(
    e: &Entries,
    (min_key, max_key): (&str, &str),
    path: &[Segment],
    ceiling: usize,
) -> Result<(usize, Option<usize>), PolicyError> {
    let min = count(e, min_key, path, ceiling)?.unwrap_or(0);
    let max = count(e, max_key, path, ceiling)?;
    if max.is_some_and(|m| m < min) {
        return Err(err(Problem::InvalidLimit, &child(path, max_key)));
    }
    Ok((min, max))
}

/// A tool name: 1–128 of `A-Z a-z 0-9 _ - .` (as MCP tool names).
pub(super) fn is_tool_name(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 128
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.'))
}

/// A field name: `[A-Za-z_][A-Za-z0-9_-]{0,63}`.
pub(super) fn is_field_name(s: &str) -> bool {
    let b = s.as_bytes();
    !b.is_empty()
        && b.len() <= 64
        && b.first()
            .is_some_and(|c| c.is_ascii_alphabetic() || *c == b'_')
        && b.iter()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, b'_' | b'-'))
}
