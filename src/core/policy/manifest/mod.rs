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

mod field;
mod read;
mod tool;

use std::collections::{BTreeMap, HashMap};

use super::scope::{self, Action, Forbidden, BUILTIN_ALIASES, BUILTIN_ROLES};
use super::value::{Limits, Segment, Value};
use super::{Bits, Policy, PolicyError, Problem};
use crate::core::json::view::{self, ViewError};
use crate::core::json::{self, JsonError};
use read::{
    boolean, child, count, err, get, index, is_field_name, is_tool_name, list, map, object,
    required, string, Entries,
};
use tool::Compiler;

/// Largest manifest text accepted.
pub const MAX_MANIFEST_BYTES: usize = 1024 * 1024;
/// Most tools in one manifest.
pub const MAX_TOOLS: usize = 1024;
/// Most fields in one object of a tool.
pub const MAX_FIELDS: usize = 256;
/// Deepest nesting of object and list fields.
pub const MAX_FIELD_DEPTH: usize = 8;
/// Most values of an enum.
pub const MAX_ENUM_VALUES: usize = 256;
/// Longest pattern, in bytes.
pub const MAX_PATTERN_LEN: usize = 1024;

/// The keys of the manifest's top level.
const TOP_KEYS: [&str; 7] = [
    "version",
    "tools",
    "writes_enabled",
    "forbidden_fields",
    "limits",
    "roles",
    "aliases",
];

/// The root path.
const ROOT: &[Segment] = &[];

/// Compiles JSON text.
pub fn compile_json(text: &[u8]) -> Result<Policy, PolicyError> {
    if text.len() > MAX_MANIFEST_BYTES {
        return Err(err(Problem::TooLarge, ROOT));
    }
    let value = json::parse(text, MANIFEST_VALUE_LIMITS.max_depth).map_err(json_error)?;
    compile(&value)
}

/// The compile error of manifest text the strict reader refused.
fn json_error(e: JsonError) -> PolicyError {
    let (problem, path) = match e {
        JsonError::Syntax { line, column } => (
            Problem::InvalidJson,
            format!("line {line}, column {column}"),
        ),
        // As deep as a manifest given as a PHP array may be.
        JsonError::TooDeep { line, column } => {
            (Problem::TooLarge, format!("line {line}, column {column}"))
        }
        JsonError::DuplicateKey { key } => (Problem::DuplicateKey, format!("key {key:?}")),
        // The reader itself gives neither (they come from callers' checks).
        JsonError::WrongKind | JsonError::Unwritable => (Problem::InvalidJson, String::new()),
    };
    PolicyError::Manifest { problem, path }
}

/// Compiles a manifest value.
pub fn compile(value: &Value) -> Result<Policy, PolicyError> {
    let e = object(value, ROOT, &TOP_KEYS)?;
    version(e)?;
    let writes_enabled = boolean(e, "writes_enabled", ROOT, false)?;
    let forbidden = forbidden_fields(e)?;
    let limits = limits(e)?;
    let mut c = Compiler {
        forbidden,
        aliases: aliases(e)?,
        required: Vec::new(),
    };
    let roles = roles(e, &c)?;
    let tools = tools(e, &mut c)?;
    Ok(Policy {
        tools,
        writes_enabled,
        limits,
        grants: grants(&c.required).into(),
        forbidden: c.forbidden,
        aliases: c.aliases.into(),
        roles,
    })
}

/// `version`: 1.
fn version(e: &Entries) -> Result<(), PolicyError> {
    match required(e, "version", ROOT)? {
        Value::Int(1) => Ok(()),
        _ => Err(err(Problem::UnsupportedVersion, &child(ROOT, "version"))),
    }
}

/// `forbidden_fields`: names added to the built-in never-writable list.
fn forbidden_fields(e: &Entries) -> Result<Forbidden, PolicyError> {
    let mut forbidden = Forbidden::default();
    if let Some(v) = get(e, "forbidden_fields") {
        let p = child(ROOT, "forbidden_fields");
        for (i, name) in list(v, &p)?.iter().enumerate() {
            let ip = index(&p, i);
            let name = string(name, &ip)?;
            if !is_field_name(name) {
                return Err(err(Problem::InvalidName, &ip));
            }
            forbidden.add(name);
        }
    }
    Ok(forbidden)
}

/// `limits`: each in `1 ..=` its [`Limits::CEILING`].
fn limits(e: &Entries) -> Result<Limits, PolicyError> {
    let mut limits = Limits::default();
    let Some(v) = get(e, "limits") else {
        return Ok(limits);
    };
    let p = child(ROOT, "limits");
    let l = object(
        v,
        &p,
        &["max_bytes", "max_depth", "max_string_bytes", "max_items"],
    )?;
    let set = |key: &str, ceiling: usize, slot: &mut usize| -> Result<(), PolicyError> {
        match count(l, key, &p, ceiling)? {
            Some(0) => Err(err(Problem::InvalidLimit, &child(&p, key))),
            Some(n) => {
                *slot = n;
                Ok(())
            }
            None => Ok(()),
        }
    };
    let c = Limits::CEILING;
    set("max_bytes", c.max_bytes, &mut limits.max_bytes)?;
    set("max_depth", c.max_depth, &mut limits.max_depth)?;
    set(
        "max_string_bytes",
        c.max_string_bytes,
        &mut limits.max_string_bytes,
    )?;
    set("max_items", c.max_items, &mut limits.max_items)?;
    Ok(limits)
}

/// The built-in aliases plus `aliases` (presented scope → canonical scope).
fn aliases(e: &Entries) -> Result<HashMap<String, String>, PolicyError> {
    let mut aliases: HashMap<String, String> = BUILTIN_ALIASES
        .iter()
        .map(|(a, c)| ((*a).to_owned(), (*c).to_owned()))
        .collect();
    let Some(v) = get(e, "aliases") else {
        return Ok(aliases);
    };
    let p = child(ROOT, "aliases");
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
    Ok(aliases)
}

/// The built-in roles plus `roles` (name → canonical scopes).
fn roles(e: &Entries, c: &Compiler) -> Result<BTreeMap<String, Vec<String>>, PolicyError> {
    let mut roles: BTreeMap<String, Vec<String>> = BUILTIN_ROLES
        .iter()
        .map(|(r, s)| ((*r).to_owned(), s.iter().map(|x| (*x).to_owned()).collect()))
        .collect();
    let Some(v) = get(e, "roles") else {
        return Ok(roles);
    };
    let p = child(ROOT, "roles");
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
            let s = c.canonical(s, &index(&rp, i))?;
            if !out.contains(&s) {
                out.push(s);
            }
        }
        roles.insert(name.clone(), out);
    }
    Ok(roles)
}

/// `tools`: name → tool.
fn tools(e: &Entries, c: &mut Compiler) -> Result<BTreeMap<String, super::Tool>, PolicyError> {
    let tp = child(ROOT, "tools");
    let raw = map(required(e, "tools", ROOT)?, &tp)?;
    if raw.len() > MAX_TOOLS {
        return Err(err(Problem::TooLarge, &tp));
    }
    let mut tools = BTreeMap::new();
    for (name, spec) in raw {
        let p = child(&tp, name);
        if !is_tool_name(name) {
            return Err(err(Problem::InvalidName, &p));
        }
        let tool = c.tool(spec, &p)?;
        tools.insert(name.clone(), tool);
    }
    Ok(tools)
}

/// What each canonical scope satisfies among the `required` scopes: itself,
/// and a global action every `<resource>:<action>` of the same action.
fn grants(required: &[String]) -> HashMap<String, Bits> {
    let mut grants: HashMap<String, Bits> = HashMap::new();
    for (i, r) in required.iter().enumerate() {
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
    grants
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
/// non-finite number, a PHP object inside), at the walk's path.
pub fn unreadable(e: &ViewError) -> PolicyError {
    let problem = match e.problem() {
        view::Problem::TooLarge(_) => Problem::TooLarge,
        view::Problem::NotUtf8Key => Problem::InvalidName,
        _ => Problem::InvalidValue,
    };
    PolicyError::Manifest {
        problem,
        path: e.pointer(),
    }
}
