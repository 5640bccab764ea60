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
//! required fields (`missing_field`). The first failure refuses the whole call,
//! and no argument is looked at before the tool-level checks pass.
//!
//! What a caller may learn about tools follows the `discover` scope: without
//! it, `tools/list` ([`Policy::visible_tools`]) is empty and every call to a
//! tool the caller cannot make (scope missing, writes disabled, tool
//! disabled) is refused `unknown_tool` without scopes, exactly like a name the
//! manifest does not define. With `discover`, the refusal gives the real
//! reason, and `insufficient_scope` names the tool's scopes for the 403
//! challenge (step-up authorization).
//!
//! See [`manifest`] for the manifest format and [`scope`] for scopes, roles,
//! aliases and the never-writable field list.

pub mod json;
pub mod manifest;
mod number;
mod schema;
pub mod scope;
pub mod value;

use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::sync::Arc;

use super::error::{ErrorKind, GuardError};
use crate::core::json::view::View;
use schema::Fields;
use scope::{Action, Forbidden};
pub use value::{measure, Limits, Reason, Refusal, Segment, Value};

/// The most scopes one call may present.
pub const MAX_PRESENTED_SCOPES: usize = 256;
/// Longest presented scope looked at; longer ones grant nothing.
pub const MAX_SCOPE_LEN: usize = 128;

crate::error_table! {
    /// Why a manifest does not compile. The `reason()` strings are stable;
    /// the message is the part of [`PolicyError::Manifest`]'s message that
    /// says what is wrong (that message also says where).
    pub enum Problem {
        /// The text is not JSON.
        InvalidJson => Configuration, "manifest_invalid_json", "it is not valid JSON";
        /// An object has the same key twice.
        DuplicateKey => Configuration, "manifest_duplicate_key", "a key is given twice";
        /// The manifest is over 1 MiB, nested too deep, or has too many tools,
        /// fields or enum values.
        TooLarge => Configuration, "manifest_too_large", "it is too large or nested too deep";
        /// A key the format does not define (a typo must not be ignored).
        UnknownKey => Configuration, "manifest_unknown_key", "unknown key";
        /// A key the format requires is absent (`version`, `tools`, `class`, `type`, …).
        MissingKey => Configuration, "manifest_missing_key", "a required key is missing";
        /// A value of the wrong JSON type or outside its allowed set.
        InvalidValue => Configuration, "manifest_invalid_value", "invalid value";
        /// `version` is not 1.
        UnsupportedVersion => Configuration, "manifest_unsupported_version", "unsupported version (expected 1)";
        /// A tool, field, role or alias name outside its allowed syntax.
        InvalidName => Configuration, "manifest_invalid_name", "invalid name";
        /// A scope that is not canonical (nor an alias of one).
        UnknownScope => Configuration, "manifest_unknown_scope", "unknown scope";
        /// A tool without a scope.
        MissingScope => Configuration, "manifest_missing_scope", "the tool requires no scope";
        /// A write or destructive tool that does not require a `write` scope.
        WriteScopeRequired => Configuration, "manifest_write_scope_required", "a write or destructive tool must require a write scope";
        /// A write or destructive tool without fields.
        MissingFields => Configuration, "manifest_missing_fields", "a write or destructive tool must list its fields";
        /// A field type the compiler does not know.
        UnknownType => Configuration, "manifest_unknown_type", "unknown field type";
        /// A write or destructive tool lists a never-writable field.
        ForbiddenField => Configuration, "manifest_forbidden_field", "this field can never be writable";
        /// A field pattern that is not a valid (linear-time) regular expression.
        InvalidPattern => Configuration, "manifest_invalid_pattern", "invalid pattern";
        /// A limit or bound out of range (min above max, over the ceiling, …).
        InvalidLimit => Configuration, "manifest_invalid_limit", "limit out of range";
        /// A manifest role or alias reuses a built-in name.
        Redefined => Configuration, "manifest_redefined", "a built-in role or alias cannot be redefined";
    }
}

crate::error_table! {
    /// A question the policy cannot answer: a name it does not define, or
    /// too many scopes presented. A bug in the calling code (an exception),
    /// never a decision about a call (those are [`Refusal`]s).
    pub enum QueryError {
        /// A role the policy does not define.
        UnknownRole => InvalidArgument, "unknown_role", "The role is not defined by the policy.";
        /// A tool the policy does not define (for `required_scopes`, `tool_class`).
        UnknownTool => InvalidArgument, "unknown_tool", "The tool is not defined by the policy.";
        /// More than [`MAX_PRESENTED_SCOPES`] scopes were presented.
        TooManyScopes => InvalidArgument, "too_many_scopes", "Too many scopes were presented.";
    }
}

/// A manifest that does not compile: the server's configuration is unusable
/// (an exception, unlike refusals, which are decisions).
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
}

/// Longest path put into an error message.
const MAX_PATH_SHOWN: usize = 200;

impl fmt::Display for PolicyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let Self::Manifest { problem, path } = self;
        let mut shown: String = path.chars().take(MAX_PATH_SHOWN).collect();
        if shown.len() < path.len() {
            shown.push('…');
        }
        let at = if shown.is_empty() { "(root)" } else { &shown };
        write!(
            f,
            "The policy manifest is invalid at {at}: {}.",
            problem.message()
        )
    }
}

impl std::error::Error for PolicyError {}

impl GuardError for PolicyError {
    fn kind(&self) -> ErrorKind {
        let Self::Manifest { problem, .. } = self;
        problem.kind()
    }

    fn reason(&self) -> &'static str {
        let Self::Manifest { problem, .. } = self;
        problem.reason()
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

    fn intersect(&mut self, other: &Bits) {
        for (a, b) in self.0.iter_mut().zip(other.0.iter()) {
            *a &= *b;
        }
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

/// A caller's presented scopes, resolved against one policy ([`Policy::scope_set`]):
/// which of the policy's required scopes they satisfy, and whether they
/// include `discover`. Only meaningful with the policy that built it.
#[derive(Debug, Clone, Default)]
pub struct ScopeSet {
    bits: Bits,
    discover: bool,
}

impl ScopeSet {
    /// What both sets grant: a token's scopes held by a member whose role
    /// grants `other`. The hierarchy is already resolved in each set (a
    /// global `read` satisfies every `<resource>:read` a tool requires), so
    /// a token with `read` held by a role granting `entries:read` keeps
    /// exactly the tools that need `entries:read`.
    #[must_use]
    pub fn intersect(mut self, other: &ScopeSet) -> ScopeSet {
        self.bits.intersect(&other.bits);
        self.discover &= other.discover;
        self
    }

    /// Whether the set includes a `discover` scope (without one, nothing is
    /// listed and every refused tool is `unknown_tool`).
    pub fn discovers(&self) -> bool {
        self.discover
    }
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
    ) -> Result<(), QueryError>
    where
        I: IntoIterator<Item = &'s [u8]>,
    {
        for (n, raw) in scopes.into_iter().enumerate() {
            if n >= MAX_PRESENTED_SCOPES {
                return Err(QueryError::TooManyScopes);
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

    /// The presented scopes resolved against this policy: what they grant.
    /// Aliases are resolved; scopes that are not canonical, not UTF-8 or over
    /// [`MAX_SCOPE_LEN`] bytes grant nothing.
    pub fn scope_set<'s, I>(&self, scopes: I) -> Result<ScopeSet, QueryError>
    where
        I: IntoIterator<Item = &'s [u8]>,
    {
        let mut set = ScopeSet::default();
        self.each_presented(scopes, |s, action| {
            if action == Action::Discover {
                set.discover = true;
            }
            if let Some(bits) = self.grants.get(s) {
                set.bits.union(bits);
            }
        })?;
        Ok(set)
    }

    /// The canonical form of presented scopes: aliases resolved, everything
    /// else dropped, sorted, without duplicates.
    pub fn canonical_scopes<'s, I>(&self, scopes: I) -> Result<Vec<String>, QueryError>
    where
        I: IntoIterator<Item = &'s [u8]>,
    {
        let mut out: Vec<String> = Vec::new();
        self.each_presented(scopes, |s, _| out.push(s.to_owned()))?;
        out.sort();
        out.dedup();
        Ok(out)
    }

    /// Whether `scopes` may call `tool` at all: its scopes held, writes
    /// enabled where it needs them, the tool enabled.
    fn within_reach(&self, scopes: &ScopeSet, tool: &Tool) -> bool {
        scopes.bits.covers(&tool.need)
            && (self.writes_enabled || !tool.class.writes())
            && tool.enabled
    }

    /// The tool-level checks of a call, in the documented order, before any
    /// argument is looked at: `unknown_tool`, `insufficient_scope` (with the
    /// tool's scopes), `writes_disabled`, `tool_disabled`.
    ///
    /// A caller without a `discover` scope learns nothing about tools it
    /// cannot call: every tool-level refusal is then `unknown_tool` without
    /// scopes, exactly as for a name the manifest does not define (and as
    /// [`Policy::visible_tools`] lists nothing for it). With `discover` the
    /// caller gets the real reason, and `insufficient_scope` carries the
    /// scopes the 403 challenge names.
    fn admit(&self, scopes: &ScopeSet, tool: &[u8]) -> Result<&Tool, Refusal> {
        let unknown = || Refusal::new(Reason::UnknownTool);
        let tool = std::str::from_utf8(tool)
            .ok()
            .and_then(|name| self.tools.get(name))
            .ok_or_else(unknown)?;
        if !scopes.discover && !self.within_reach(scopes, tool) {
            return Err(unknown());
        }
        if !scopes.bits.covers(&tool.need) {
            return Err(Refusal::new(Reason::InsufficientScope).with_scopes(tool.scopes.clone()));
        }
        if tool.class.writes() && !self.writes_enabled {
            return Err(Refusal::new(Reason::WritesDisabled));
        }
        if !tool.enabled {
            return Err(Refusal::new(Reason::ToolDisabled));
        }
        Ok(tool)
    }

    /// Decides one tool call. `Ok(())` allows it; a [`Refusal`] says why not.
    ///
    /// The order is the one of the module documentation: the tool-level
    /// checks (see [`Policy::visible_tools`] for what a caller without
    /// `discover` is told), then the limits, then the fields. The arguments
    /// are not looked at until the tool may be called.
    ///
    /// `args` is looked at in place (a PHP array through the binding's
    /// [`View`], or a [`Value`]): it is measured against the limits, then
    /// checked against the tool's fields, and never copied.
    pub fn authorize<V: View + ?Sized>(
        &self,
        scopes: &ScopeSet,
        tool: &[u8],
        args: &V,
    ) -> Result<(), Refusal> {
        let tool = self.admit(scopes, tool)?;
        if schema::allowed_at_once(&tool.fields, &self.limits, args) {
            return Ok(());
        }
        measure(args, &self.limits)?;
        let forbidden = tool.class.writes().then_some(&self.forbidden);
        schema::check_arguments(&tool.fields, args, forbidden)
    }

    /// [`Policy::authorize`] for arguments given as JSON text: the tool-level
    /// checks come first, then the text is parsed within the limits
    /// ([`json::parse_arguments`]), then the fields are checked.
    pub fn authorize_json(
        &self,
        scopes: &ScopeSet,
        tool: &[u8],
        args: &[u8],
    ) -> Result<(), Refusal> {
        let tool = self.admit(scopes, tool)?;
        let args = json::parse_arguments(args, &self.limits)?;
        let forbidden = tool.class.writes().then_some(&self.forbidden);
        schema::check_arguments(&tool.fields, &args, forbidden)
    }

    /// The tools the scopes may call (enabled, writes enabled where needed,
    /// scopes held), sorted by name — for `tools/list`. Empty unless the
    /// scopes include `discover`; without one, [`Policy::authorize`]
    /// refuses every tool the caller cannot call as `unknown_tool`, so
    /// nothing tells such a caller which tools exist.
    pub fn visible_tools(&self, scopes: &ScopeSet) -> Vec<&str> {
        if !scopes.discover {
            return Vec::new();
        }
        self.tools
            .iter()
            .filter(|(_, t)| self.within_reach(scopes, t))
            .map(|(name, _)| name.as_str())
            .collect()
    }

    /// The scopes a tool requires (for the 403 `insufficient_scope` challenge).
    pub fn required_scopes(&self, tool: &str) -> Result<&[String], QueryError> {
        self.tools
            .get(tool)
            .map(|t| &*t.scopes)
            .ok_or(QueryError::UnknownTool)
    }

    /// A tool's class.
    pub fn tool_class(&self, tool: &str) -> Result<ToolClass, QueryError> {
        self.tools
            .get(tool)
            .map(|t| t.class)
            .ok_or(QueryError::UnknownTool)
    }

    /// Every tool name, sorted.
    pub fn tool_names(&self) -> Vec<&str> {
        self.tools.keys().map(String::as_str).collect()
    }

    /// The scopes a role grants (built-in or manifest role).
    pub fn scopes_for_role(&self, role: &str) -> Result<&[String], QueryError> {
        self.roles
            .get(role)
            .map(Vec::as_slice)
            .ok_or(QueryError::UnknownRole)
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
