//! Tool policy: a deny-by-default manifest compiled once, then one decision per
//! tool call.
//!
//! ```json
//! {
//!   "version": 1,
//!   "writes_enabled": true,
//!   "tools": {
//!     "products.search": { "class": "read", "scopes": ["read"],
//!                          "fields": { "query": { "type": "string", "max_length": 200 } } },
//!     "products.update": { "class": "write", "scopes": ["products:write"],
//!                          "fields": { "id": { "type": "integer", "min": 1, "required": true },
//!                                      "price": { "type": "number", "min": 0 } } }
//!   }
//! }
//! ```
//!
//! A decision ([`Policy::authorize`]) checks, in this order: the tool exists
//! (`unknown_tool`), the caller holds every scope it requires
//! (`insufficient_scope`), writes are enabled for write and destructive tools
//! (`writes_disabled`), the tool is enabled (`tool_disabled`; destructive tools
//! are disabled until the manifest says `"enabled": true`), the arguments are
//! within the limits (`too_large`), then the arguments against the tool's
//! fields: never-writable keys (`forbidden_field`), keys the tool does not list
//! (`unknown_field`), each value's type and constraints (`type_mismatch`), and
//! required fields (`missing_field`). The first failure refuses the whole call.
//!
//! See [`manifest`] for the manifest format and [`scope`] for scopes, roles,
//! aliases and the never-writable field list.

pub mod json;
pub mod manifest;
mod schema;
pub mod scope;
pub mod value;

use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::sync::Arc;

use super::error::{ErrorKind, GuardError};
use schema::Fields;
use scope::{Action, Forbidden};
pub use value::{measure, Limits, Reason, Refusal, Segment, Value};

/// The most scopes one call may present.
pub const MAX_PRESENTED_SCOPES: usize = 256;
/// Longest presented scope looked at; longer ones grant nothing.
pub const MAX_SCOPE_LEN: usize = 128;

/// Why a manifest does not compile. The `reason()` strings are stable.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Problem {
    /// The text is not JSON.
    InvalidJson,
    /// An object has the same key twice.
    DuplicateKey,
    /// The manifest is over 1 MiB, nested too deep, or has too many tools,
    /// fields or enum values.
    TooLarge,
    /// A key the format does not define (a typo must not be ignored).
    UnknownKey,
    /// A key the format requires is absent (`version`, `tools`, `class`, `type`, …).
    MissingKey,
    /// A value of the wrong JSON type or outside its allowed set.
    InvalidValue,
    /// `version` is not 1.
    UnsupportedVersion,
    /// A tool, field, role or alias name outside its allowed syntax.
    InvalidName,
    /// A scope that is not canonical (nor an alias of one).
    UnknownScope,
    /// A tool without a scope.
    MissingScope,
    /// A write or destructive tool that does not require a `write` scope.
    WriteScopeRequired,
    /// A write or destructive tool without fields.
    MissingFields,
    /// A field type the compiler does not know.
    UnknownType,
    /// A write or destructive tool lists a never-writable field.
    ForbiddenField,
    /// A field pattern that is not a valid (linear-time) regular expression.
    InvalidPattern,
    /// A limit or bound out of range (min above max, over the ceiling, …).
    InvalidLimit,
    /// A manifest role or alias reuses a built-in name.
    Redefined,
}

impl Problem {
    /// The machine-readable reason.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::InvalidJson => "manifest_invalid_json",
            Self::DuplicateKey => "manifest_duplicate_key",
            Self::TooLarge => "manifest_too_large",
            Self::UnknownKey => "manifest_unknown_key",
            Self::MissingKey => "manifest_missing_key",
            Self::InvalidValue => "manifest_invalid_value",
            Self::UnsupportedVersion => "manifest_unsupported_version",
            Self::InvalidName => "manifest_invalid_name",
            Self::UnknownScope => "manifest_unknown_scope",
            Self::MissingScope => "manifest_missing_scope",
            Self::WriteScopeRequired => "manifest_write_scope_required",
            Self::MissingFields => "manifest_missing_fields",
            Self::UnknownType => "manifest_unknown_type",
            Self::ForbiddenField => "manifest_forbidden_field",
            Self::InvalidPattern => "manifest_invalid_pattern",
            Self::InvalidLimit => "manifest_invalid_limit",
            Self::Redefined => "manifest_redefined",
        }
    }

    fn text(self) -> &'static str {
        match self {
            Self::InvalidJson => "it is not valid JSON",
            Self::DuplicateKey => "a key is given twice",
            Self::TooLarge => "it is too large or nested too deep",
            Self::UnknownKey => "unknown key",
            Self::MissingKey => "a required key is missing",
            Self::InvalidValue => "invalid value",
            Self::UnsupportedVersion => "unsupported version (expected 1)",
            Self::InvalidName => "invalid name",
            Self::UnknownScope => "unknown scope",
            Self::MissingScope => "the tool requires no scope",
            Self::WriteScopeRequired => "a write or destructive tool must require a write scope",
            Self::MissingFields => "a write or destructive tool must list its fields",
            Self::UnknownType => "unknown field type",
            Self::ForbiddenField => "this field can never be writable",
            Self::InvalidPattern => "invalid pattern",
            Self::InvalidLimit => "limit out of range",
            Self::Redefined => "a built-in role or alias cannot be redefined",
        }
    }
}

/// Policy errors (exceptions, unlike refusals, which are decisions).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum PolicyError {
    /// The manifest does not compile. `path` is a JSON Pointer to the
    /// offending key (`line L, column C` for JSON syntax errors); it names
    /// manifest keys only, never a value.
    Manifest {
        /// What is wrong.
        problem: Problem,
        /// Where.
        path: String,
    },
    /// A role the policy does not define.
    UnknownRole,
    /// A tool the policy does not define (for `required_scopes`).
    UnknownTool,
    /// More than [`MAX_PRESENTED_SCOPES`] scopes were presented.
    TooManyScopes,
}

/// Longest path put into an error message.
const MAX_PATH_SHOWN: usize = 200;

impl fmt::Display for PolicyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Manifest { problem, path } => {
                let mut shown: String = path.chars().take(MAX_PATH_SHOWN).collect();
                if shown.len() < path.len() {
                    shown.push('…');
                }
                let at = if shown.is_empty() { "(root)" } else { &shown };
                write!(
                    f,
                    "The policy manifest is invalid at {at}: {}.",
                    problem.text()
                )
            }
            Self::UnknownRole => f.write_str("The role is not defined by the policy."),
            Self::UnknownTool => f.write_str("The tool is not defined by the policy."),
            Self::TooManyScopes => f.write_str("Too many scopes were presented."),
        }
    }
}

impl std::error::Error for PolicyError {}

impl GuardError for PolicyError {
    fn kind(&self) -> ErrorKind {
        match self {
            Self::Manifest { .. } => ErrorKind::Configuration,
            Self::UnknownRole | Self::UnknownTool | Self::TooManyScopes => {
                ErrorKind::InvalidArgument
            }
        }
    }

    fn reason(&self) -> &'static str {
        match self {
            Self::Manifest { problem, .. } => problem.as_str(),
            Self::UnknownRole => "unknown_role",
            Self::UnknownTool => "unknown_tool",
            Self::TooManyScopes => "too_many_scopes",
        }
    }
}

/// Class of a tool.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ToolClass {
    /// Reads only. Enabled by default.
    Read,
    /// Changes data. Needs `writes_enabled`.
    Write,
    /// Deletes or otherwise cannot be undone. Needs `writes_enabled` and its
    /// own `"enabled": true`.
    Destructive,
}

impl ToolClass {
    /// `read`, `write` or `destructive`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Read => "read",
            Self::Write => "write",
            Self::Destructive => "destructive",
        }
    }

    fn writes(self) -> bool {
        !matches!(self, Self::Read)
    }
}

/// At most 256 distinct scopes are required across a manifest's tools.
pub const MAX_DISTINCT_SCOPES: usize = 256;

/// A set of required-scope indexes.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct Bits([u64; 4]);

impl Bits {
    fn set(&mut self, i: usize) {
        if let Some(w) = self.0.get_mut(i / 64) {
            *w |= 1u64 << (i % 64);
        }
    }

    fn union(&mut self, other: &Bits) {
        for (a, b) in self.0.iter_mut().zip(other.0.iter()) {
            *a |= *b;
        }
    }

    fn covers(&self, need: &Bits) -> bool {
        self.0.iter().zip(need.0.iter()).all(|(h, n)| h & n == *n)
    }
}

/// A small string-keyed table, sorted by key: a few entries are scanned
/// comparing lengths first (cheaper than hashing a short key), more are
/// binary-searched.
#[derive(Debug, Clone, Default)]
struct Lookup<V>(Vec<(String, V)>);

impl<V> Lookup<V> {
    fn get(&self, key: &str) -> Option<&V> {
        if self.0.len() <= 16 {
            let kb = key.as_bytes();
            return self
                .0
                .iter()
                .find(|(k, _)| k.len() == kb.len() && k.as_bytes() == kb)
                .map(|(_, v)| v);
        }
        self.0
            .binary_search_by(|(k, _)| k.as_str().cmp(key))
            .ok()
            .and_then(|i| self.0.get(i))
            .map(|(_, v)| v)
    }
}

impl<V> From<HashMap<String, V>> for Lookup<V> {
    fn from(map: HashMap<String, V>) -> Self {
        let mut v: Vec<(String, V)> = map.into_iter().collect();
        v.sort_by(|a, b| a.0.cmp(&b.0));
        Self(v)
    }
}

#[derive(Debug, Clone)]
struct Tool {
    class: ToolClass,
    enabled: bool,
    need: Bits,
    scopes: Arc<[String]>,
    fields: Fields,
}

/// What a caller's presented scopes grant under one policy.
#[derive(Debug, Clone, Default)]
pub struct Grant {
    bits: Bits,
    discover: bool,
}

/// A compiled policy. Immutable; share it behind an `Arc`.
#[derive(Debug, Clone)]
pub struct Policy {
    tools: BTreeMap<String, Tool>,
    writes_enabled: bool,
    limits: Limits,
    forbidden: Forbidden,
    /// Canonical scope → the required scopes it satisfies.
    grants: Lookup<Bits>,
    /// Presented alias → canonical scope (built-in and manifest aliases).
    aliases: Lookup<String>,
    /// Role → scopes (built-in and manifest roles).
    roles: BTreeMap<String, Vec<String>>,
}

impl Policy {
    /// Compiles a manifest given as JSON text (at most 1 MiB).
    pub fn compile_json(text: &[u8]) -> Result<Self, PolicyError> {
        manifest::compile_json(text)
    }

    /// Compiles a manifest given as a value (a PHP array converted by the
    /// binding).
    pub fn compile(value: &Value) -> Result<Self, PolicyError> {
        manifest::compile(value)
    }

    /// The argument limits in force.
    pub fn limits(&self) -> &Limits {
        &self.limits
    }

    /// Whether the manifest enables write tools.
    pub fn writes_enabled(&self) -> bool {
        self.writes_enabled
    }

    /// Resolves an alias; other strings are returned as they are.
    fn resolve<'a>(&'a self, s: &'a str) -> &'a str {
        self.aliases.get(s).map_or(s, String::as_str)
    }

    /// Hands each presented scope that counts to `each`, canonical (alias
    /// resolved) with its action: at most [`MAX_PRESENTED_SCOPES`] may be
    /// presented (more is an error); a scope that is over [`MAX_SCOPE_LEN`]
    /// bytes, not UTF-8 or not canonical is skipped.
    fn each_presented<'s, I>(
        &self,
        scopes: I,
        mut each: impl FnMut(&str, Action),
    ) -> Result<(), PolicyError>
    where
        I: IntoIterator<Item = &'s [u8]>,
    {
        for (n, raw) in scopes.into_iter().enumerate() {
            if n >= MAX_PRESENTED_SCOPES {
                return Err(PolicyError::TooManyScopes);
            }
            if raw.len() > MAX_SCOPE_LEN {
                continue;
            }
            let Ok(s) = std::str::from_utf8(raw) else {
                continue;
            };
            let s = self.resolve(s);
            if let Some((_, action)) = scope::parse_canonical(s) {
                each(s, action);
            }
        }
        Ok(())
    }

    /// What the presented scopes grant. Aliases are resolved; scopes that are
    /// not canonical, not UTF-8 or over [`MAX_SCOPE_LEN`] bytes grant nothing.
    pub fn grant<'s, I>(&self, scopes: I) -> Result<Grant, PolicyError>
    where
        I: IntoIterator<Item = &'s [u8]>,
    {
        let mut g = Grant::default();
        self.each_presented(scopes, |s, action| {
            if action == Action::Discover {
                g.discover = true;
            }
            if let Some(bits) = self.grants.get(s) {
                g.bits.union(bits);
            }
        })?;
        Ok(g)
    }

    /// The canonical form of presented scopes: aliases resolved, everything
    /// else dropped, sorted, without duplicates.
    pub fn canonical_scopes<'s, I>(&self, scopes: I) -> Result<Vec<String>, PolicyError>
    where
        I: IntoIterator<Item = &'s [u8]>,
    {
        let mut out: Vec<String> = Vec::new();
        self.each_presented(scopes, |s, _| out.push(s.to_owned()))?;
        out.sort();
        out.dedup();
        Ok(out)
    }

    /// Decides one tool call. `Ok(())` allows it; a [`Refusal`] says why not.
    pub fn authorize(&self, grant: &Grant, tool: &[u8], args: &Value) -> Result<(), Refusal> {
        let tool = std::str::from_utf8(tool)
            .ok()
            .and_then(|name| self.tools.get(name))
            .ok_or_else(|| Refusal::new(Reason::UnknownTool))?;
        if !grant.bits.covers(&tool.need) {
            return Err(Refusal::new(Reason::InsufficientScope).with_scopes(tool.scopes.clone()));
        }
        if tool.class.writes() && !self.writes_enabled {
            return Err(Refusal::new(Reason::WritesDisabled));
        }
        if !tool.enabled {
            return Err(Refusal::new(Reason::ToolDisabled));
        }
        measure(args, &self.limits)?;
        let forbidden = tool.class.writes().then_some(&self.forbidden);
        schema::check_arguments(&tool.fields, args, forbidden)
    }

    /// The tools the grant may call (enabled, writes enabled where needed,
    /// scopes held), sorted by name — for `tools/list`. Empty unless the
    /// grant includes a `discover` scope.
    pub fn visible_tools(&self, grant: &Grant) -> Vec<&str> {
        if !grant.discover {
            return Vec::new();
        }
        self.tools
            .iter()
            .filter(|(_, t)| {
                t.enabled
                    && (self.writes_enabled || !t.class.writes())
                    && grant.bits.covers(&t.need)
            })
            .map(|(name, _)| name.as_str())
            .collect()
    }

    /// The scopes a tool requires (for the 403 `insufficient_scope` challenge).
    pub fn required_scopes(&self, tool: &str) -> Result<&[String], PolicyError> {
        self.tools
            .get(tool)
            .map(|t| &*t.scopes)
            .ok_or(PolicyError::UnknownTool)
    }

    /// A tool's class.
    pub fn tool_class(&self, tool: &str) -> Result<ToolClass, PolicyError> {
        self.tools
            .get(tool)
            .map(|t| t.class)
            .ok_or(PolicyError::UnknownTool)
    }

    /// Every tool name, sorted.
    pub fn tool_names(&self) -> Vec<&str> {
        self.tools.keys().map(String::as_str).collect()
    }

    /// The scopes a role grants (built-in or manifest role).
    pub fn scopes_for_role(&self, role: &str) -> Result<&[String], PolicyError> {
        self.roles
            .get(role)
            .map(Vec::as_slice)
            .ok_or(PolicyError::UnknownRole)
    }

    /// Every role name, sorted.
    pub fn role_names(&self) -> Vec<&str> {
        self.roles.keys().map(String::as_str).collect()
    }

    /// Whether a field name is never writable under this policy.
    pub fn is_forbidden_field(&self, name: &str) -> bool {
        self.forbidden.contains(name)
    }
}
