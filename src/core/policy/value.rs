//! The argument values a tool call carries, the limits they must stay within,
//! and the refusal a policy decision gives.
//!
//! Values are built by whoever reads the request (the PHP binding walks the
//! PHP array, [`super::json`] parses JSON text) through the one walk
//! ([`crate::core::json::view`]) and its budget, which
//! checks every limit *before* the string is copied or the nested array is
//! entered: a 10 MB string or a 10 000-deep array is refused having cost a
//! length comparison.

use std::fmt;
use std::sync::Arc;

use crate::core::json::view::{self, Key, Node, Problem, View, ViewError};

/// One argument value. Strings and keys are valid UTF-8 by construction; the
/// builder refuses anything else with a reason.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// JSON `null` / PHP `null`.
    Null,
    /// A boolean.
    Bool(bool),
    /// An integer (PHP `int`, a JSON number without fraction or exponent).
    Int(i64),
    /// A floating-point number (PHP `float`, any other JSON number).
    Float(f64),
    /// A UTF-8 string.
    Str(String),
    /// A list (a PHP array with keys 0, 1, 2, …; a JSON array). An empty PHP
    /// array is an empty list, and an empty list is also accepted where an
    /// object is expected.
    List(Vec<Value>),
    /// An object (any other PHP array; a JSON object), in input order.
    Object(Vec<(String, Value)>),
}

impl crate::core::json::Build for Value {
    fn null() -> Self {
        Self::Null
    }

    fn bool(b: bool) -> Self {
        Self::Bool(b)
    }

    fn int(i: i64) -> Self {
        Self::Int(i)
    }

    fn float(x: f64) -> Self {
        Self::Float(x)
    }

    fn string(s: String) -> Self {
        Self::Str(s)
    }

    fn array(items: Vec<Self>) -> Self {
        Self::List(items)
    }

    fn object(members: Vec<(String, Self)>) -> Self {
        Self::Object(members)
    }
}

/// Limits on the arguments of one call. Secure by default; a manifest may
/// change them within [`Limits::CEILING`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Total size: string and key bytes plus 8 bytes per scalar and per
    /// container entry. Default 256 KiB.
    pub max_bytes: usize,
    /// Nesting depth; the arguments object itself is depth 1. Default 8.
    pub max_depth: usize,
    /// Longest single string, in bytes. Default 64 KiB.
    pub max_string_bytes: usize,
    /// Most entries in one list or object. Default 1000.
    pub max_items: usize,
}

/// Longest key of an argument object, in bytes (fixed).
pub const MAX_KEY_BYTES: usize = 128;

impl Default for Limits {
    fn default() -> Self {
        Self {
            max_bytes: 256 * 1024,
            max_depth: 8,
            max_string_bytes: 64 * 1024,
            max_items: 1000,
        }
    }
}

impl Limits {
    /// The highest values a manifest may set.
    pub const CEILING: Limits = Limits {
        max_bytes: 16 * 1024 * 1024,
        max_depth: 32,
        max_string_bytes: 16 * 1024 * 1024,
        max_items: 100_000,
    };
}

pub use crate::core::json::view::{pointer, Segment};

/// Why a call was refused. The strings of [`Reason::as_str`] are stable.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Reason {
    /// The manifest does not name the tool (or the name is not UTF-8).
    UnknownTool,
    /// The caller lacks a scope the tool requires.
    InsufficientScope,
    /// A write or destructive tool, and the manifest does not enable writes.
    WritesDisabled,
    /// The tool is disabled (a destructive tool without its own `enabled: true`).
    ToolDisabled,
    /// An argument the tool does not list (or a key that is not UTF-8, or a
    /// key given twice).
    UnknownField,
    /// A never-writable field (password, role, …) in a write or destructive call.
    ForbiddenField,
    /// An argument of the wrong type or outside its declared constraints.
    TypeMismatch,
    /// A required argument is absent.
    MissingField,
    /// The arguments exceed a size, depth, length or count limit.
    TooLarge,
}

impl Reason {
    /// The machine-readable reason code.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::UnknownTool => "unknown_tool",
            Self::InsufficientScope => "insufficient_scope",
            Self::WritesDisabled => "writes_disabled",
            Self::ToolDisabled => "tool_disabled",
            Self::UnknownField => "unknown_field",
            Self::ForbiddenField => "forbidden_field",
            Self::TypeMismatch => "type_mismatch",
            Self::MissingField => "missing_field",
            Self::TooLarge => "too_large",
        }
    }
}

/// A refused call: the reason, and where it applies. Never holds an argument
/// value, only keys and indexes of the path and text derived from the
/// manifest.
#[derive(Debug, Clone, PartialEq)]
pub struct Refusal {
    reason: Reason,
    path: Option<Vec<Segment>>,
    expected: Option<Arc<str>>,
    required_scopes: Arc<[String]>,
}

impl Refusal {
    /// A refusal without a path.
    pub fn new(reason: Reason) -> Self {
        Self {
            reason,
            path: None,
            expected: None,
            required_scopes: Arc::from(Vec::new()),
        }
    }

    /// A refusal at the root of the arguments (the path is then `""`).
    pub fn at_root(reason: Reason) -> Self {
        Self {
            path: Some(Vec::new()),
            ..Self::new(reason)
        }
    }

    pub(crate) fn with_expected(mut self, expected: Arc<str>) -> Self {
        self.expected = Some(expected);
        self
    }

    pub(crate) fn with_scopes(mut self, scopes: Arc<[String]>) -> Self {
        self.required_scopes = scopes;
        self
    }

    /// Puts `seg` in front of the path (called while unwinding out of a
    /// nested value, so the happy path never builds a path).
    #[must_use]
    pub fn within(mut self, seg: Segment) -> Self {
        if let Some(path) = self.path.as_mut() {
            path.insert(0, seg);
        }
        self
    }

    /// The reason.
    pub fn reason(&self) -> Reason {
        self.reason
    }

    /// The JSON Pointer of the offending argument (field reasons and
    /// `too_large`), `None` for tool-level reasons.
    pub fn path(&self) -> Option<String> {
        self.path.as_deref().map(pointer)
    }

    /// For `type_mismatch`: what the manifest expects there (e.g.
    /// `string(max_length=64)`), never the value that was sent.
    pub fn expected(&self) -> Option<&str> {
        self.expected.as_deref()
    }

    /// For `insufficient_scope`: every scope the tool requires.
    pub fn required_scopes(&self) -> &[String] {
        &self.required_scopes
    }
}

impl fmt::Display for Refusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "The tool call was refused ({}).", self.reason.as_str())
    }
}

impl std::error::Error for Refusal {}

impl Limits {
    /// These limits as the one walk's limits (keys: [`MAX_KEY_BYTES`]).
    pub fn view(&self) -> view::Limits {
        view::Limits {
            max_bytes: self.max_bytes,
            max_depth: self.max_depth,
            max_string_bytes: self.max_string_bytes,
            max_items: self.max_items,
            max_key_bytes: MAX_KEY_BYTES,
            // A typed field refuses them and says which number it expected.
            allow_non_finite: true,
        }
    }
}

impl Refusal {
    /// The refusal for a value the walk refused, at the same path: over a
    /// limit is `too_large`; a non-UTF-8 string, a non-finite number or a
    /// non-JSON value is `type_mismatch`; a non-UTF-8 key is `unknown_field`
    /// (it can never be a field of any manifest).
    pub fn from_view(e: &ViewError) -> Self {
        let base = match e.problem() {
            Problem::TooLarge(_) => Refusal::at_root(Reason::TooLarge),
            Problem::NotUtf8String => {
                Refusal::at_root(Reason::TypeMismatch).with_expected(Arc::from("string"))
            }
            Problem::NotUtf8Key => Refusal::at_root(Reason::UnknownField),
            _ => Refusal::at_root(Reason::TypeMismatch).with_expected(Arc::from("json")),
        };
        e.path()
            .iter()
            .rev()
            .fold(base, |r, seg| r.within(seg.clone()))
    }
}

/// Checks a value (a PHP array, a parsed value) against `limits` in place,
/// copying nothing, as the walk that builds it would.
pub fn measure<V: View + ?Sized>(value: &V, limits: &Limits) -> Result<(), Refusal> {
    view::measure(value, &mut view::Budget::new(limits.view())).map_err(|e| Refusal::from_view(&e))
}

/// A built value can be looked at in place like a PHP one.
impl View for Value {
    type Child = Value;

    fn node(&self) -> Node<'_> {
        match self {
            Value::Null => Node::Null,
            Value::Bool(b) => Node::Bool(*b),
            Value::Int(i) => Node::Int(*i),
            Value::Float(x) => Node::Float(*x),
            Value::Str(s) => Node::Str(s.as_bytes()),
            Value::List(items) => Node::Array(items.len()),
            Value::Object(entries) => Node::Array(entries.len()),
        }
    }

    fn entries<E>(&self, mut f: impl FnMut(Key<'_>, &Value) -> Result<(), E>) -> Result<(), E> {
        match self {
            Value::List(items) => {
                for (i, item) in items.iter().enumerate() {
                    f(Key::Index(i64::try_from(i).unwrap_or(i64::MAX)), item)?;
                }
            }
            Value::Object(entries) => {
                for (k, v) in entries {
                    f(Key::Name(k.as_bytes()), v)?;
                }
            }
            _ => {}
        }
        Ok(())
    }

    /// Objects of at most [`LOOKUP_SCAN_MAX`] entries are scanned (cheaper
    /// than reading them twice); larger ones cannot look up, so a caller
    /// reads their entries once instead of scanning per field.
    fn lookup(&self, name: &str) -> Option<Option<&Value>> {
        match self {
            Value::Object(entries) if entries.len() <= LOOKUP_SCAN_MAX => Some(
                entries
                    .iter()
                    .find(|(k, _)| k.len() == name.len() && k == name)
                    .map(|(_, v)| v),
            ),
            Value::Object(_) => None,
            // A list's entries are named by their positions.
            Value::List(items) => Some(
                name.parse::<usize>()
                    .ok()
                    .filter(|i| i.to_string() == name)
                    .and_then(|i| items.get(i)),
            ),
            _ => Some(None),
        }
    }
}

/// Largest object [`Value`] looks keys up in by scanning.
pub const LOOKUP_SCAN_MAX: usize = 32;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pointer_escapes() {
        let p = [
            Segment::Key("a/b".into()),
            Segment::Index(3),
            Segment::Key("~x".into()),
        ];
        assert_eq!(pointer(&p), "/a~1b/3/~0x");
        assert_eq!(pointer(&[]), "");
    }

    #[test]
    fn view_refusals_map_to_reasons() {
        let big = Value::Str("a".repeat(64 * 1024 + 1));
        assert_eq!(
            measure(&big, &Limits::default()).unwrap_err().reason(),
            Reason::TooLarge
        );
        let many = Value::List(vec![Value::Null; 1001]);
        assert!(measure(&many, &Limits::default()).is_err());
        let key = Value::Object(vec![("k".repeat(129), Value::Null)]);
        assert!(measure(&key, &Limits::default()).is_err());
        // NaN passes the walk for arguments: the typed field refuses it.
        let nan = Value::Object(vec![("x".into(), Value::Float(f64::NAN))]);
        assert!(measure(&nan, &Limits::default()).is_ok());
        let bad = Value::Object(vec![("x".into(), Value::Str("a".repeat(70_000)))]);
        let r = measure(&bad, &Limits::default()).unwrap_err();
        assert_eq!(
            (r.reason(), r.path().unwrap()),
            (Reason::TooLarge, "/x".into())
        );
        assert!(measure(&Value::List(vec![Value::Int(1)]), &Limits::default()).is_ok());
    }

    #[test]
    fn measure_refuses_deep_nesting_with_path() {
        let mut v = Value::Int(1);
        for _ in 0..20 {
            v = Value::List(vec![v]);
        }
        let top = Value::Object(vec![("a".into(), v)]);
        let r = measure(&top, &Limits::default()).unwrap_err();
        assert_eq!(r.reason(), Reason::TooLarge);
        // The object is depth 1, so the container refused (depth 9) is at /a/0…0 (7 indexes).
        assert_eq!(r.path().unwrap(), "/a/0/0/0/0/0/0/0");
    }
}
