//! The manifest format and its compiler.
//!
//! Every object of the manifest accepts exactly the keys listed here; any
//! other key is an error (`manifest_unknown_key`), so a misspelt key can never
//! be silently ignored. Where an object is expected, an empty list is accepted
//! too (PHP's `[]`).
//!
//! Top level:
//!
//! | key | type | default | meaning |
//! |---|---|---|---|
//! | `version` | `1` | required | format version |
//! | `tools` | object name → tool | required | every callable tool; anything else is `unknown_tool` |
//! | `writes_enabled` | bool | `false` | write and destructive tools are refused (`writes_disabled`) until true |
//! | `forbidden_fields` | list of names | `[]` | added to the built-in never-writable list |
//! | `limits` | object | see [`Limits`] | `max_bytes`, `max_depth`, `max_string_bytes`, `max_items` (1 ..= [`Limits::CEILING`]) |
//! | `roles` | object name → list of scopes | `{}` | roles besides `viewer` and `editor` |
//! | `aliases` | object presented scope → canonical scope | `{}` | aliases besides the built-in ones |
//!
//! Tool (name: 1–128 of `A-Z a-z 0-9 _ - .`, as MCP tool names):
//!
//! | key | type | default | meaning |
//! |---|---|---|---|
//! | `class` | `read` / `write` / `destructive` | required | |
//! | `scopes` | non-empty list of canonical scopes (or aliases) | required | all are needed; write and destructive tools must require a `write` or `<resource>:write` scope |
//! | `enabled` | bool | `true`, but `false` for `destructive` | `tool_disabled` when false |
//! | `fields` | object name → field | none (no argument accepted) | required and non-empty for write and destructive tools |
//! | `description` | string | | for humans; not used |
//!
//! Field (name `[A-Za-z_][A-Za-z0-9_-]{0,63}`): `type` (required), `required`
//! (bool, default false), `nullable` (bool, default false: an explicit `null`
//! is a type mismatch), `description`, and per type:
//!
//! | type | keys | accepts |
//! |---|---|---|
//! | `string` | `min_length`, `max_length` (characters), `pattern` (whole-string match, linear-time regex) | UTF-8 strings |
//! | `integer` | `min`, `max` | integers (no floats, no numeric strings) |
//! | `number` | `min`, `max` | integers and finite floats |
//! | `boolean` | | `true` / `false` |
//! | `enum` | `values` (non-empty list of strings) | one of the values |
//! | `list` | `items` (a field, required), `min_items`, `max_items` | lists |
//! | `object` | `fields` (required) | objects with those fields |
//!
//! No value is ever coerced (`"5"` is not an integer).

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use regex::RegexBuilder;

use super::number::Number;
use super::schema::{Field, Fields, Kind};
use super::scope::{self, Action, Forbidden, BUILTIN_ALIASES, BUILTIN_ROLES};
use super::value::{pointer, Limits, Segment, Value};
use super::{Bits, Policy, PolicyError, Problem, Tool, ToolClass, MAX_DISTINCT_SCOPES};
use crate::core::json::{self, JsonError};

/// Largest manifest text accepted.
pub const MAX_MANIFEST_BYTES: usize = 1024 * 1024;
/// Most tools in one manifest.
pub const MAX_TOOLS: usize = 1024;
/// Most fields in one object of a tool.
pub const MAX_FIELDS: usize = 256;
/// Deepest nesting of object and list fields.
pub const MAX_FIELD_DEPTH: usize = 8;
/// Most values of an enum, and longest value.
pub const MAX_ENUM_VALUES: usize = 256;
const MAX_ENUM_VALUE_LEN: usize = 256;
/// Longest pattern, in bytes.
pub const MAX_PATTERN_LEN: usize = 1024;
/// Compiled-size budget of one pattern.
const PATTERN_SIZE_LIMIT: usize = 1 << 20;

type Path = Vec<Segment>;
type Entries = [(String, Value)];

fn err(problem: Problem, path: &[Segment]) -> PolicyError {
    PolicyError::Manifest {
        problem,
        path: pointer(path),
    }
}

fn child(path: &[Segment], key: &str) -> Path {
    let mut p = path.to_vec();
    p.push(Segment::Key(key.to_owned()));
    p
}

/// An object with only `allowed` keys.
fn object<'a>(
    v: &'a Value,
    path: &[Segment],
    allowed: &[&str],
) -> Result<&'a Entries, PolicyError> {
    let e = map(v, path)?;
    if let Some((k, _)) = e.iter().find(|(k, _)| !allowed.contains(&k.as_str())) {
        return Err(err(Problem::UnknownKey, &child(path, k)));
    }
    Ok(e)
}

/// An object with any keys.
fn map<'a>(v: &'a Value, path: &[Segment]) -> Result<&'a Entries, PolicyError> {
    match v {
        Value::Object(e) => Ok(e),
        Value::List(l) if l.is_empty() => Ok(&[]),
        _ => Err(err(Problem::InvalidValue, path)),
    }
}

fn get<'a>(e: &'a Entries, key: &str) -> Option<&'a Value> {
    e.iter().find(|(k, _)| k == key).map(|(_, v)| v)
}

fn boolean(e: &Entries, key: &str, path: &[Segment], default: bool) -> Result<bool, PolicyError> {
    match get(e, key) {
        None => Ok(default),
        Some(Value::Bool(b)) => Ok(*b),
        Some(_) => Err(err(Problem::InvalidValue, &child(path, key))),
    }
}

fn string<'a>(v: &'a Value, path: &[Segment]) -> Result<&'a str, PolicyError> {
    match v {
        Value::Str(s) => Ok(s),
        _ => Err(err(Problem::InvalidValue, path)),
    }
}

fn list<'a>(v: &'a Value, path: &[Segment]) -> Result<&'a [Value], PolicyError> {
    match v {
        Value::List(l) => Ok(l),
        _ => Err(err(Problem::InvalidValue, path)),
    }
}

/// A count (length, items, limit) in `0 ..= ceiling`.
fn count(
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

fn is_tool_name(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 128
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.'))
}

fn is_field_name(s: &str) -> bool {
    let b = s.as_bytes();
    !b.is_empty()
        && b.len() <= 64
        && b.first()
            .is_some_and(|c| c.is_ascii_alphabetic() || *c == b'_')
        && b.iter()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, b'_' | b'-'))
}

/// Compiles JSON text.
pub fn compile_json(text: &[u8]) -> Result<Policy, PolicyError> {
    if text.len() > MAX_MANIFEST_BYTES {
        return Err(err(Problem::TooLarge, &[]));
    }
    let value = json::parse(text, MANIFEST_VALUE_LIMITS.max_depth).map_err(|e| match e {
        JsonError::Syntax { line, column } => PolicyError::Manifest {
            problem: Problem::InvalidJson,
            path: format!("line {line}, column {column}"),
        },
        // As deep as a manifest given as a PHP array may be.
        JsonError::TooDeep { line, column } => PolicyError::Manifest {
            problem: Problem::TooLarge,
            path: format!("line {line}, column {column}"),
        },
        JsonError::DuplicateKey { key } => PolicyError::Manifest {
            problem: Problem::DuplicateKey,
            path: format!("key {key:?}"),
        },
    })?;
    compile(&value)
}

struct Compiler {
    forbidden: Forbidden,
    aliases: HashMap<String, String>,
    /// Distinct required scopes, in order of first use.
    required: Vec<String>,
}

impl Compiler {
    /// A canonical scope (aliases resolved) or `manifest_unknown_scope`.
    fn canonical(&self, v: &Value, path: &[Segment]) -> Result<String, PolicyError> {
        let s = string(v, path)?;
        let s = self.aliases.get(s).map_or(s, String::as_str);
        if scope::parse_canonical(s).is_some() {
            Ok(s.to_owned())
        } else {
            Err(err(Problem::UnknownScope, path))
        }
    }

    fn scope_index(&mut self, s: &str, path: &[Segment]) -> Result<usize, PolicyError> {
        if let Some(i) = self.required.iter().position(|r| r == s) {
            return Ok(i);
        }
        if self.required.len() >= MAX_DISTINCT_SCOPES {
            return Err(err(Problem::TooLarge, path));
        }
        self.required.push(s.to_owned());
        Ok(self.required.len() - 1)
    }

    fn tool(&mut self, v: &Value, path: &[Segment]) -> Result<Tool, PolicyError> {
        let e = object(
            v,
            path,
            &["class", "scopes", "enabled", "fields", "description"],
        )?;
        let class = match get(e, "class") {
            None => return Err(err(Problem::MissingKey, &child(path, "class"))),
            Some(Value::Str(s)) if s == "read" => ToolClass::Read,
            Some(Value::Str(s)) if s == "write" => ToolClass::Write,
            Some(Value::Str(s)) if s == "destructive" => ToolClass::Destructive,
            Some(_) => return Err(err(Problem::InvalidValue, &child(path, "class"))),
        };
        if let Some(d) = get(e, "description") {
            string(d, &child(path, "description"))?;
        }
        let spath = child(path, "scopes");
        let raw_scopes = match get(e, "scopes") {
            None => return Err(err(Problem::MissingScope, &spath)),
            Some(v) => list(v, &spath)?,
        };
        if raw_scopes.is_empty() {
            return Err(err(Problem::MissingScope, &spath));
        }
        let mut scopes: Vec<String> = Vec::new();
        let mut need = Bits::default();
        let mut has_write = false;
        for (i, s) in raw_scopes.iter().enumerate() {
            let mut p = spath.clone();
            p.push(Segment::Index(i));
            let s = self.canonical(s, &p)?;
            if matches!(scope::parse_canonical(&s), Some((_, Action::Write))) {
                has_write = true;
            }
            need.set(self.scope_index(&s, &p)?);
            if !scopes.contains(&s) {
                scopes.push(s);
            }
        }
        if class.writes() && !has_write {
            return Err(err(Problem::WriteScopeRequired, &spath));
        }
        let enabled = boolean(e, "enabled", path, class != ToolClass::Destructive)?;
        let fpath = child(path, "fields");
        let fields = match get(e, "fields") {
            Some(v) => self.fields(v, &fpath, class.writes(), 1)?,
            None => Fields::default(),
        };
        if class.writes() && fields.list.is_empty() {
            return Err(err(Problem::MissingFields, &fpath));
        }
        Ok(Tool {
            class,
            enabled,
            need,
            scopes: Arc::from(scopes),
            fields,
        })
    }

    fn fields(
        &self,
        v: &Value,
        path: &[Segment],
        writes: bool,
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
            if writes && self.forbidden.contains(name) {
                return Err(err(Problem::ForbiddenField, &p));
            }
            list.push((name.clone(), self.field(spec, &p, writes, depth)?));
        }
        list.sort_by(|a, b| a.0.cmp(&b.0));
        Ok(Fields { list })
    }

    fn field(
        &self,
        v: &Value,
        path: &[Segment],
        writes: bool,
        depth: usize,
    ) -> Result<Field, PolicyError> {
        const COMMON: [&str; 4] = ["type", "required", "nullable", "description"];
        let e = map(v, path)?;
        let tpath = child(path, "type");
        let ty = match get(e, "type") {
            None => return Err(err(Problem::MissingKey, &tpath)),
            Some(t) => string(t, &tpath)?,
        };
        let extra: &[&str] = match ty {
            "string" => &["min_length", "max_length", "pattern"],
            "integer" | "number" => &["min", "max"],
            "boolean" => &[],
            "enum" => &["values"],
            "list" => &["items", "min_items", "max_items"],
            "object" => &["fields"],
            _ => return Err(err(Problem::UnknownType, &tpath)),
        };
        if let Some((k, _)) = e
            .iter()
            .find(|(k, _)| !COMMON.contains(&k.as_str()) && !extra.contains(&k.as_str()))
        {
            return Err(err(Problem::UnknownKey, &child(path, k)));
        }
        if let Some(d) = get(e, "description") {
            string(d, &child(path, "description"))?;
        }
        let required = boolean(e, "required", path, false)?;
        let nullable = boolean(e, "nullable", path, false)?;
        let ceiling = Limits::CEILING.max_string_bytes;
        let (kind, expected) = match ty {
            "string" => {
                let min = count(e, "min_length", path, ceiling)?.unwrap_or(0);
                let max = count(e, "max_length", path, ceiling)?;
                if max.is_some_and(|m| m < min) {
                    return Err(err(Problem::InvalidLimit, &child(path, "max_length")));
                }
                let pattern = match get(e, "pattern") {
                    None => None,
                    Some(p) => {
                        let pp = child(path, "pattern");
                        let p = string(p, &pp)?;
                        if p.len() > MAX_PATTERN_LEN {
                            return Err(err(Problem::InvalidPattern, &pp));
                        }
                        let build = |src: &str| {
                            RegexBuilder::new(src)
                                .size_limit(PATTERN_SIZE_LIMIT)
                                .dfa_size_limit(PATTERN_SIZE_LIMIT)
                                .nest_limit(64)
                                .build()
                                .map_err(|_| err(Problem::InvalidPattern, &pp))
                        };
                        // Validated alone first: `a)|(?:.*` is not a pattern,
                        // though wrapped it would parse (and match anything).
                        build(p)?;
                        Some(build(&format!("^(?:{p})$"))?)
                    }
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
                (
                    Kind::Str {
                        min_chars: min,
                        max_chars: max,
                        pattern,
                    },
                    with_params("string", &params),
                )
            }
            "integer" => {
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
                (
                    Kind::Int { min, max },
                    with_params("integer", &bounds(min, max)),
                )
            }
            "number" => {
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
                    if a.cmp(b) == std::cmp::Ordering::Greater {
                        return Err(err(Problem::InvalidLimit, &child(path, "max")));
                    }
                }
                (
                    Kind::Number { min, max },
                    with_params("number", &bounds(min, max)),
                )
            }
            "boolean" => (Kind::Bool, "boolean".to_owned()),
            "enum" => {
                let vpath = child(path, "values");
                let raw = match get(e, "values") {
                    None => return Err(err(Problem::MissingKey, &vpath)),
                    Some(v) => list(v, &vpath)?,
                };
                if raw.is_empty() || raw.len() > MAX_ENUM_VALUES {
                    return Err(err(Problem::InvalidValue, &vpath));
                }
                let mut values: Vec<String> = Vec::with_capacity(raw.len());
                for (i, v) in raw.iter().enumerate() {
                    let mut p = vpath.clone();
                    p.push(Segment::Index(i));
                    let s = string(v, &p)?;
                    if s.len() > MAX_ENUM_VALUE_LEN || values.iter().any(|x| x == s) {
                        return Err(err(Problem::InvalidValue, &p));
                    }
                    values.push(s.to_owned());
                }
                let expected = format!("enum({})", values.join("|"));
                (Kind::Enum(values), expected)
            }
            "list" => {
                let ipath = child(path, "items");
                let items = match get(e, "items") {
                    None => return Err(err(Problem::MissingKey, &ipath)),
                    Some(v) => {
                        if depth >= MAX_FIELD_DEPTH {
                            return Err(err(Problem::TooLarge, &ipath));
                        }
                        self.field(v, &ipath, writes, depth + 1)?
                    }
                };
                let ceiling = Limits::CEILING.max_items;
                let min = count(e, "min_items", path, ceiling)?.unwrap_or(0);
                let max = count(e, "max_items", path, ceiling)?;
                if max.is_some_and(|m| m < min) {
                    return Err(err(Problem::InvalidLimit, &child(path, "max_items")));
                }
                let mut params = Vec::new();
                if min > 0 {
                    params.push(format!("min_items={min}"));
                }
                if let Some(m) = max {
                    params.push(format!("max_items={m}"));
                }
                let expected = with_params(&format!("list<{}>", items.expected), &params);
                (
                    Kind::List {
                        items: Box::new(items),
                        min_items: min,
                        max_items: max,
                    },
                    expected,
                )
            }
            _ => {
                // "object": the only type left.
                let fpath = child(path, "fields");
                let fields = match get(e, "fields") {
                    None => return Err(err(Problem::MissingKey, &fpath)),
                    Some(v) => self.fields(v, &fpath, writes, depth + 1)?,
                };
                (Kind::Object(fields), "object".to_owned())
            }
        };
        let expected = if nullable {
            format!("{expected}|null")
        } else {
            expected
        };
        Ok(Field {
            kind,
            required,
            nullable,
            expected: Arc::from(expected),
        })
    }
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

/// Compiles a manifest value.
pub fn compile(value: &Value) -> Result<Policy, PolicyError> {
    let root: &[Segment] = &[];
    let e = object(
        value,
        root,
        &[
            "version",
            "tools",
            "writes_enabled",
            "forbidden_fields",
            "limits",
            "roles",
            "aliases",
        ],
    )?;
    match get(e, "version") {
        None => return Err(err(Problem::MissingKey, &child(root, "version"))),
        Some(Value::Int(1)) => {}
        Some(_) => return Err(err(Problem::UnsupportedVersion, &child(root, "version"))),
    }
    let writes_enabled = boolean(e, "writes_enabled", root, false)?;

    let mut forbidden = Forbidden::default();
    if let Some(v) = get(e, "forbidden_fields") {
        let p = child(root, "forbidden_fields");
        for (i, name) in list(v, &p)?.iter().enumerate() {
            let mut ip = p.clone();
            ip.push(Segment::Index(i));
            let name = string(name, &ip)?;
            if !is_field_name(name) {
                return Err(err(Problem::InvalidName, &ip));
            }
            forbidden.add(name);
        }
    }

    let mut limits = Limits::default();
    if let Some(v) = get(e, "limits") {
        let p = child(root, "limits");
        let l = object(
            v,
            &p,
            &["max_bytes", "max_depth", "max_string_bytes", "max_items"],
        )?;
        let c = Limits::CEILING;
        let set = |key: &str, ceiling: usize, slot: &mut usize| -> Result<(), PolicyError> {
            if let Some(n) = count(l, key, &p, ceiling)? {
                if n == 0 {
                    return Err(err(Problem::InvalidLimit, &child(&p, key)));
                }
                *slot = n;
            }
            Ok(())
        };
        set("max_bytes", c.max_bytes, &mut limits.max_bytes)?;
        set("max_depth", c.max_depth, &mut limits.max_depth)?;
        set(
            "max_string_bytes",
            c.max_string_bytes,
            &mut limits.max_string_bytes,
        )?;
        set("max_items", c.max_items, &mut limits.max_items)?;
    }

    let mut aliases: HashMap<String, String> = BUILTIN_ALIASES
        .iter()
        .map(|(a, c)| ((*a).to_owned(), (*c).to_owned()))
        .collect();
    if let Some(v) = get(e, "aliases") {
        let p = child(root, "aliases");
        for (name, target) in map(v, &p)? {
            let ap = child(&p, name);
            if !scope::is_alias_name(name) {
                return Err(err(Problem::InvalidName, &ap));
            }
            if aliases.contains_key(name) || scope::parse_canonical(name).is_some() {
                return Err(err(Problem::Redefined, &ap));
            }
            let t = string(target, &ap)?;
            if scope::parse_canonical(t).is_none() {
                return Err(err(Problem::UnknownScope, &ap));
            }
            aliases.insert(name.clone(), t.to_owned());
        }
    }

    let mut c = Compiler {
        forbidden,
        aliases,
        required: Vec::new(),
    };

    let mut roles: BTreeMap<String, Vec<String>> = BUILTIN_ROLES
        .iter()
        .map(|(r, s)| ((*r).to_owned(), s.iter().map(|x| (*x).to_owned()).collect()))
        .collect();
    if let Some(v) = get(e, "roles") {
        let p = child(root, "roles");
        for (name, scopes) in map(v, &p)? {
            let rp = child(&p, name);
            if !scope::is_role_name(name) {
                return Err(err(Problem::InvalidName, &rp));
            }
            if roles.contains_key(name) {
                return Err(err(Problem::Redefined, &rp));
            }
            let mut out = Vec::new();
            for (i, s) in list(scopes, &rp)?.iter().enumerate() {
                let mut ip = rp.clone();
                ip.push(Segment::Index(i));
                let s = c.canonical(s, &ip)?;
                if !out.contains(&s) {
                    out.push(s);
                }
            }
            roles.insert(name.clone(), out);
        }
    }

    let tp = child(root, "tools");
    let raw_tools = match get(e, "tools") {
        None => return Err(err(Problem::MissingKey, &tp)),
        Some(v) => map(v, &tp)?,
    };
    if raw_tools.len() > MAX_TOOLS {
        return Err(err(Problem::TooLarge, &tp));
    }
    let mut tools = BTreeMap::new();
    for (name, spec) in raw_tools {
        let p = child(&tp, name);
        if !is_tool_name(name) {
            return Err(err(Problem::InvalidName, &p));
        }
        let tool = c.tool(spec, &p)?;
        tools.insert(name.clone(), tool);
    }

    // What each canonical scope satisfies: itself, and a global action every
    // `<resource>:<action>` of the same action.
    let mut grants: HashMap<String, Bits> = HashMap::new();
    for (i, r) in c.required.iter().enumerate() {
        grants.entry(r.clone()).or_default().set(i);
        if let Some((Some(_), action)) = scope::parse_canonical(r) {
            let global = match action {
                Action::Discover => "discover",
                Action::Read => "read",
                Action::Write => "write",
            };
            grants.entry(global.to_owned()).or_default().set(i);
        }
    }

    Ok(Policy {
        tools,
        writes_enabled,
        limits,
        forbidden: c.forbidden,
        grants: grants.into(),
        aliases: c.aliases.into(),
        roles,
    })
}

/// Limits for reading a manifest given as a value (a PHP array walked by the
/// binding): the same bounds as JSON text.
pub const MANIFEST_VALUE_LIMITS: Limits = Limits {
    max_bytes: MAX_MANIFEST_BYTES,
    max_depth: 40,
    max_string_bytes: 64 * 1024,
    max_items: 100_000,
};

/// The compile error for a manifest value that could not even be read within
/// [`MANIFEST_VALUE_LIMITS`] (too big, too deep, a non-UTF-8 string or key, a
/// PHP object inside).
pub fn unreadable(refusal: &super::value::Refusal) -> PolicyError {
    use super::value::Reason;
    let problem = match refusal.reason() {
        Reason::TooLarge => Problem::TooLarge,
        Reason::UnknownField => Problem::InvalidName,
        _ => Problem::InvalidValue,
    };
    PolicyError::Manifest {
        problem,
        path: refusal.path().unwrap_or_default(),
    }
}
