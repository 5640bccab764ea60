//! Tools, and the scopes that tools and roles name.

use std::collections::HashMap;
use std::sync::Arc;

use super::field::FieldCompiler;
use super::read::{boolean, child, description, err, get, index, list, object, required, string};
use crate::core::policy::schema::Fields;
use crate::core::policy::scope::{self, Action, Forbidden};
use crate::core::policy::value::{Segment, Value};
use crate::core::policy::{Bits, PolicyError, Problem, Tool, ToolClass, MAX_DISTINCT_SCOPES};

/// The keys of a tool.
const TOOL_KEYS: [&str; 5] = ["class", "scopes", "enabled", "fields", "description"];

/// What the compiler collects across the manifest.
pub(super) struct Compiler {
    pub forbidden: Forbidden,
    /// Presented alias → canonical scope (built-in and manifest aliases).
    pub aliases: HashMap<String, String>,
    /// Distinct required scopes, in order of first use.
    pub required: Vec<String>,
}

/// The scopes a tool requires, compiled.
struct ToolScopes {
    /// Each scope once, canonical, in manifest order.
    scopes: Vec<String>,
    /// Their indexes among the manifest's required scopes.
    need: Bits,
    /// Whether one of them is a `write` or `<resource>:write` scope.
    has_write: bool,
}

impl Compiler {
    /// A canonical scope (aliases resolved) or `manifest_unknown_scope`.
    pub(super) fn canonical(&self, v: &Value, path: &[Segment]) -> Result<String, PolicyError> {
        let s = string(v, path)?;
        let s = self.aliases.get(s).map_or(s, String::as_str);
        if scope::parse_canonical(s).is_some() {
            Ok(s.to_owned())
        } else {
            Err(err(Problem::UnknownScope, path))
        }
    }

    /// The index of a required scope (at most [`MAX_DISTINCT_SCOPES`]).
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

    /// A tool's `scopes`: a non-empty list of canonical scopes or aliases.
    fn tool_scopes(
        &mut self,
        v: Option<&Value>,
        path: &[Segment],
    ) -> Result<ToolScopes, PolicyError> {
        let raw = match v {
            None => return Err(err(Problem::MissingScope, path)),
            Some(v) => list(v, path)?,
        };
        if raw.is_empty() {
            return Err(err(Problem::MissingScope, path));
        }
        let mut out = ToolScopes {
            scopes: Vec::new(),
            need: Bits::default(),
            has_write: false,
        };
        for (i, s) in raw.iter().enumerate() {
            let p = index(path, i);
            let s = self.canonical(s, &p)?;
            if matches!(scope::parse_canonical(&s), Some((_, Action::Write))) {
                out.has_write = true;
            }
            out.need.set(self.scope_index(&s, &p)?);
            if !out.scopes.contains(&s) {
                out.scopes.push(s);
            }
        }
        Ok(out)
    }

    /// One tool.
    pub(super) fn tool(&mut self, v: &Value, path: &[Segment]) -> Result<Tool, PolicyError> {
        let e = object(v, path, &TOOL_KEYS)?;
        let class = class(required(e, "class", path)?, &child(path, "class"))?;
        description(e, path)?;
        let spath = child(path, "scopes");
        let scopes = self.tool_scopes(get(e, "scopes"), &spath)?;
        if class.writes() && !scopes.has_write {
            return Err(err(Problem::WriteScopeRequired, &spath));
        }
        let enabled = boolean(e, "enabled", path, class != ToolClass::Destructive)?;
        let fpath = child(path, "fields");
        let fields = match get(e, "fields") {
            Some(v) => FieldCompiler {
                forbidden: class.writes().then_some(&self.forbidden),
            }
            .fields(v, &fpath, 1)?,
            None => Fields::default(),
        };
        if class.writes() && fields.list.is_empty() {
            return Err(err(Problem::MissingFields, &fpath));
        }
        Ok(Tool {
            class,
            enabled,
            need: scopes.need,
            scopes: Arc::from(scopes.scopes),
            fields,
        })
    }
}

/// A tool's `class`.
fn class(v: &Value, path: &[Segment]) -> Result<ToolClass, PolicyError> {
    match v {
        Value::Str(s) if s == "read" => Ok(ToolClass::Read),
        Value::Str(s) if s == "write" => Ok(ToolClass::Write),
        Value::Str(s) if s == "destructive" => Ok(ToolClass::Destructive),
        _ => Err(err(Problem::InvalidValue, path)),
    }
}
