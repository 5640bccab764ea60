//! The argument values a tool call carries, the limits they must stay within,
//! and the refusal a policy decision gives.
//!
//! Values are built by whoever reads the request (the PHP binding walks the
//! PHP array, [`super::json`] parses JSON text) through a [`Budget`], which
//! checks every limit *before* the string is copied or the nested array is
//! entered: a 10 MB string or a 10 000-deep array is refused having cost a
//! length comparison.

use std::fmt;
use std::sync::Arc;

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

/// One step of a path into the arguments (or the manifest).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Segment {
    /// An object key.
    Key(String),
    /// A list index.
    Index(usize),
}

/// Renders a path as a JSON Pointer (RFC 6901: `~` → `~0`, `/` → `~1`); the
/// empty path is `""` (the whole document).
pub fn pointer(path: &[Segment]) -> String {
    let mut out = String::new();
    for seg in path {
        out.push('/');
        match seg {
            Segment::Key(k) => {
                for c in k.chars() {
                    match c {
                        '~' => out.push_str("~0"),
                        '/' => out.push_str("~1"),
                        c => out.push(c),
                    }
                }
            }
            Segment::Index(i) => out.push_str(&i.to_string()),
        }
    }
    out
}

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

/// Counts what a value costs while it is being built, and refuses before the
/// limit is passed.
#[derive(Debug)]
pub struct Budget {
    limits: Limits,
    used: usize,
}

/// Bytes charged per scalar and per container entry.
const ENTRY_COST: usize = 8;

impl Budget {
    /// A fresh budget.
    pub fn new(limits: Limits) -> Self {
        Self { limits, used: 0 }
    }

    /// The limits in force.
    pub fn limits(&self) -> &Limits {
        &self.limits
    }

    fn charge(&mut self, bytes: usize) -> Result<(), Refusal> {
        self.used = self.used.saturating_add(bytes);
        if self.used > self.limits.max_bytes {
            Err(Refusal::at_root(Reason::TooLarge))
        } else {
            Ok(())
        }
    }

    /// Before entering a list or object of `items` entries at `depth` (the
    /// arguments object is depth 1).
    pub fn container(&mut self, depth: usize, items: usize) -> Result<(), Refusal> {
        if depth > self.limits.max_depth || items > self.limits.max_items {
            return Err(Refusal::at_root(Reason::TooLarge));
        }
        self.charge(items.saturating_mul(ENTRY_COST))
    }

    /// Before copying a string of `len` bytes.
    pub fn string(&mut self, len: usize) -> Result<(), Refusal> {
        if len > self.limits.max_string_bytes {
            return Err(Refusal::at_root(Reason::TooLarge));
        }
        self.charge(len)
    }

    /// Before copying an object key of `len` bytes.
    pub fn key(&mut self, len: usize) -> Result<(), Refusal> {
        if len > MAX_KEY_BYTES {
            return Err(Refusal::at_root(Reason::TooLarge));
        }
        self.charge(len)
    }

    /// A scalar (null, bool, int, float).
    pub fn scalar(&mut self) -> Result<(), Refusal> {
        self.charge(ENTRY_COST)
    }

    /// A string value that is not UTF-8.
    pub fn not_utf8_string() -> Refusal {
        Refusal::at_root(Reason::TypeMismatch).with_expected(Arc::from("string"))
    }

    /// An object key that is not UTF-8 (never a field of any manifest).
    pub fn not_utf8_key() -> Refusal {
        Refusal::at_root(Reason::UnknownField)
    }

    /// A value of a kind arguments cannot hold (a PHP object, resource, …).
    pub fn unsupported() -> Refusal {
        Refusal::at_root(Reason::TypeMismatch).with_expected(Arc::from("json"))
    }

    /// Checks an already built value against the limits (depth first, before
    /// descending), as if it had been built through this budget.
    pub fn measure(&mut self, value: &Value, depth: usize) -> Result<(), Refusal> {
        match value {
            Value::Null | Value::Bool(_) | Value::Int(_) | Value::Float(_) => self.scalar(),
            Value::Str(s) => self.string(s.len()),
            Value::List(items) => {
                self.container(depth, items.len())?;
                for (i, item) in items.iter().enumerate() {
                    self.measure(item, depth + 1)
                        .map_err(|r| r.within(Segment::Index(i)))?;
                }
                Ok(())
            }
            Value::Object(entries) => {
                self.container(depth, entries.len())?;
                for (k, v) in entries {
                    self.key(k.len())?;
                    self.measure(v, depth + 1)
                        .map_err(|r| r.within(Segment::Key(k.clone())))?;
                }
                Ok(())
            }
        }
    }
}

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
    fn budget_refuses_before_copying() {
        let mut b = Budget::new(Limits::default());
        assert_eq!(
            b.string(10 * 1024 * 1024).unwrap_err().reason(),
            Reason::TooLarge
        );
        assert!(b.container(9, 1).is_err());
        assert!(b.container(8, 1001).is_err());
        assert!(b.key(129).is_err());
        assert!(b.container(1, 10).is_ok());
    }

    #[test]
    fn measure_refuses_deep_nesting_with_path() {
        let mut v = Value::Int(1);
        for _ in 0..20 {
            v = Value::List(vec![v]);
        }
        let top = Value::Object(vec![("a".into(), v)]);
        let r = Budget::new(Limits::default()).measure(&top, 1).unwrap_err();
        assert_eq!(r.reason(), Reason::TooLarge);
        // The object is depth 1, so the container refused (depth 9) is at /a/0…0 (7 indexes).
        assert_eq!(r.path().unwrap(), "/a/0/0/0/0/0/0/0");
    }
}
