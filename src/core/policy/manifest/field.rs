//! Field declarations: the keys every field takes, then one compiler per
//! field type, each returning the compiled [`Kind`] and the text a
//! `type_mismatch` reports as expected.

use std::cmp::Ordering;
use std::sync::Arc;

use regex::{Regex, RegexBuilder};

use super::read::{
    boolean, child, count_range, description, err, get, index, is_field_name, list, map, required,
    string, Entries,
};
use super::{MAX_ENUM_VALUES, MAX_FIELDS, MAX_FIELD_DEPTH, MAX_PATTERN_LEN};
use crate::core::policy::number::Number;
use crate::core::policy::schema::{Field, Fields, Kind};
use crate::core::policy::scope::Forbidden;
use crate::core::policy::value::{Limits, Segment, Value};
use crate::core::policy::{PolicyError, Problem};

/// Longest enum value, in bytes.
const MAX_ENUM_VALUE_LEN: usize = 256;
/// Compiled-size budget of one pattern.
const PATTERN_SIZE_LIMIT: usize = 1 << 20;
/// The keys of every field, whatever its type.
const COMMON_KEYS: [&str; 4] = ["type", "required", "nullable", "description"];

/// The field types of the format.
#[derive(Debug, Clone, Copy)]
enum Type {
    Str,
    Int,
    Number,
    Bool,
    Enum,
    List,
    Object,
}

impl Type {
    fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "string" => Self::Str,
            "integer" => Self::Int,
            "number" => Self::Number,
            "boolean" => Self::Bool,
            "enum" => Self::Enum,
            "list" => Self::List,
            "object" => Self::Object,
            _ => return None,
        })
    }

    /// The keys this type takes besides [`COMMON_KEYS`].
    fn keys(self) -> &'static [&'static str] {
        match self {
            Self::Str => &["min_length", "max_length", "pattern"],
            Self::Int | Self::Number => &["min", "max"],
            Self::Bool => &[],
            Self::Enum => &["values"],
            Self::List => &["items", "min_items", "max_items"],
            Self::Object => &["fields"],
        }
    }
}

/// Compiles the fields of one tool: `forbidden` is `Some` for write and
/// destructive tools (whose fields, at any depth, may never be a
/// never-writable name).
#[derive(Clone, Copy)]
pub(super) struct FieldCompiler<'a> {
    pub forbidden: Option<&'a Forbidden>,
}

/// A compiled type and what `type_mismatch` reports as expected.
type Compiled = (Kind, String);

impl FieldCompiler<'_> {
    /// The fields of an object (a tool's `fields`, an object field's
    /// `fields`) at nesting `depth` (a tool's own fields are depth 1).
    pub(super) fn fields(
        self,
        v: &Value,
        path: &[Segment],
        depth: usize,
    ) -> Result<Fields, PolicyError> {
        if depth > MAX_FIELD_DEPTH {
            return Err(err(Problem::TooLarge, path));
        }
        let e = map(v, path)?;
        if e.len() > MAX_FIELDS {
            return Err(err(Problem::TooLarge, path));
        }
        let mut list = Vec::with_capacity(e.len());
        for (name, spec) in e {
            let p = child(path, name);
            if !is_field_name(name) {
                return Err(err(Problem::InvalidName, &p));
            }
            if self.forbidden.is_some_and(|f| f.contains(name)) {
                return Err(err(Problem::ForbiddenField, &p));
            }
            list.push((name.clone(), self.field(spec, &p, depth)?));
        }
        list.sort_by(|a, b| a.0.cmp(&b.0));
        Ok(Fields { list })
    }

    /// One field: its type, the keys that type takes, the common keys.
    fn field(self, v: &Value, path: &[Segment], depth: usize) -> Result<Field, PolicyError> {
        let e = map(v, path)?;
        let tpath = child(path, "type");
        let ty = Type::parse(string(required(e, "type", path)?, &tpath)?)
            .ok_or_else(|| err(Problem::UnknownType, &tpath))?;
        if let Some((k, _)) = e
            .iter()
            .find(|(k, _)| !COMMON_KEYS.contains(&k.as_str()) && !ty.keys().contains(&k.as_str()))
        {
            return Err(err(Problem::UnknownKey, &child(path, k)));
        }
        description(e, path)?;
        let required = boolean(e, "required", path, false)?;
        let nullable = boolean(e, "nullable", path, false)?;
        let (kind, mut expected) = match ty {
            Type::Str => string_field(e, path)?,
            Type::Int => integer_field(e, path)?,
            Type::Number => number_field(e, path)?,
            Type::Bool => (Kind::Bool, "boolean".to_owned()),
            Type::Enum => enum_field(e, path)?,
            Type::List => self.list_field(e, path, depth)?,
            Type::Object => self.object_field(e, path, depth)?,
        };
        if nullable {
            expected.push_str("|null");
        }
        Ok(Field {
            kind,
            required,
            nullable,
            expected: Arc::from(expected),
        })
    }

    /// `list`: `items` (a field, one level deeper), `min_items`, `max_items`.
    fn list_field(
        self,
        e: &Entries,
        path: &[Segment],
        depth: usize,
    ) -> Result<Compiled, PolicyError> {
        let ipath = child(path, "items");
        let items = required(e, "items", path)?;
        if depth >= MAX_FIELD_DEPTH {
            return Err(err(Problem::TooLarge, &ipath));
        }
        let items = self.field(items, &ipath, depth + 1)?;
        let ceiling = Limits::CEILING.max_items;
        let (min, max) = count_range(e, ("min_items", "max_items"), path, ceiling)?;
        let mut params = Vec::new();
        if min > 0 {
            params.push(format!("min_items={min}"));
        }
        if let Some(m) = max {
            params.push(format!("max_items={m}"));
        }
        let expected = with_params(&format!("list<{}>", items.expected), &params);
        let kind = Kind::List {
            items: Box::new(items),
            min_items: min,
            max_items: max,
        };
        Ok((kind, expected))
    }

    /// `object`: `fields` (required), one level deeper.
    fn object_field(
        self,
        e: &Entries,
        path: &[Segment],
        depth: usize,
    ) -> Result<Compiled, PolicyError> {
        let fields = required(e, "fields", path)?;
        let fields = self.fields(fields, &child(path, "fields"), depth + 1)?;
        Ok((Kind::Object(fields), "object".to_owned()))
    }
}

/// `string`: `min_length`, `max_length` (characters), `pattern`.
fn string_field(e: &Entries, path: &[Segment]) -> Result<Compiled, PolicyError> {
    let ceiling = Limits::CEILING.max_string_bytes;
    let (min, max) = count_range(e, ("min_length", "max_length"), path, ceiling)?;
    let pattern = match get(e, "pattern") {
        Some(p) => Some(pattern(p, &child(path, "pattern"))?),
        None => None,
    };
    let mut params = Vec::new();
    if min > 0 {
        params.push(format!("min_length={min}"));
    }
    if let Some(m) = max {
        params.push(format!("max_length={m}"));
    }
    if pattern.is_some() {
        params.push("pattern".to_owned());
    }
    let kind = Kind::Str {
        min_chars: min,
        max_chars: max,
        pattern,
    };
    Ok((kind, with_params("string", &params)))
}

/// A `pattern`: a linear-time regular expression matched against the whole
/// string, within a compiled-size budget.
fn pattern(v: &Value, path: &[Segment]) -> Result<Regex, PolicyError> {
    let p = string(v, path)?;
    if p.len() > MAX_PATTERN_LEN {
        return Err(err(Problem::InvalidPattern, path));
    }
    let build = |src: &str| {
        RegexBuilder::new(src)
            .size_limit(PATTERN_SIZE_LIMIT)
            .dfa_size_limit(PATTERN_SIZE_LIMIT)
            .nest_limit(64)
            .build()
            .map_err(|_| err(Problem::InvalidPattern, path))
    };
    // Validated alone first: `a)|(?:.*` is not a pattern, though wrapped it
    // would parse (and match anything).
    build(p)?;
    build(&format!("^(?:{p})$"))
}

/// `integer`: `min`, `max` (integers).
fn integer_field(e: &Entries, path: &[Segment]) -> Result<Compiled, PolicyError> {
    let bound = |k: &str| match get(e, k) {
        None => Ok(None),
        Some(Value::Int(i)) => Ok(Some(*i)),
        Some(_) => Err(err(Problem::InvalidValue, &child(path, k))),
    };
    let (min, max) = (bound("min")?, bound("max")?);
    if let (Some(a), Some(b)) = (min, max) {
        if a > b {
            return Err(err(Problem::InvalidLimit, &child(path, "max")));
        }
    }
    let expected = with_params("integer", &bounds(min, max));
    Ok((Kind::Int { min, max }, expected))
}

/// `number`: `min`, `max` (integers or finite floats, kept as written and
/// compared exactly, see [`Number`]).
fn number_field(e: &Entries, path: &[Segment]) -> Result<Compiled, PolicyError> {
    let bound = |k: &str| match get(e, k) {
        None => Ok(None),
        Some(Value::Int(i)) => Ok(Some(Number::Int(*i))),
        Some(Value::Float(x)) => Number::float(*x)
            .map(Some)
            .ok_or_else(|| err(Problem::InvalidValue, &child(path, k))),
        Some(_) => Err(err(Problem::InvalidValue, &child(path, k))),
    };
    let (min, max) = (bound("min")?, bound("max")?);
    if let (Some(a), Some(b)) = (min, max) {
        if a.cmp(b) == Ordering::Greater {
            return Err(err(Problem::InvalidLimit, &child(path, "max")));
        }
    }
    let expected = with_params("number", &bounds(min, max));
    Ok((Kind::Number { min, max }, expected))
}

/// `enum`: `values`, a non-empty list of distinct strings.
fn enum_field(e: &Entries, path: &[Segment]) -> Result<Compiled, PolicyError> {
    let vpath = child(path, "values");
    let raw = list(required(e, "values", path)?, &vpath)?;
    if raw.is_empty() || raw.len() > MAX_ENUM_VALUES {
        return Err(err(Problem::InvalidValue, &vpath));
    }
    let mut values: Vec<String> = Vec::with_capacity(raw.len());
    for (i, v) in raw.iter().enumerate() {
        let p = index(&vpath, i);
        let s = string(v, &p)?;
        if s.len() > MAX_ENUM_VALUE_LEN || values.iter().any(|x| x == s) {
            return Err(err(Problem::InvalidValue, &p));
        }
        values.push(s.to_owned());
    }
    let expected = format!("enum({})", values.join("|"));
    Ok((Kind::Enum(values), expected))
}

fn with_params(base: &str, params: &[String]) -> String {
    if params.is_empty() {
        base.to_owned()
    } else {
        format!("{base}({})", params.join(","))
    }
}

fn bounds<T: std::fmt::Display>(min: Option<T>, max: Option<T>) -> Vec<String> {
    let mut v = Vec::new();
    if let Some(m) = min {
        v.push(format!("min={m}"));
    }
    if let Some(m) = max {
        v.push(format!("max={m}"));
    }
    v
}
