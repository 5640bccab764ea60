//! Reads the known-answer files of `tests/vectors/` (format: README.md there).
//! Included by the Rust test files with `#[path = "vectors/reader.rs"] mod vectors;`;
//! `tests/php/Support/Vectors.php` reads the same files for PHPUnit.

#![allow(dead_code)] // each test file uses the accessors it needs

use std::cell::RefCell;
use std::collections::BTreeSet;
use std::path::PathBuf;

/// One test: the `Name = value` lines of one block.
pub struct Case {
    /// File and line where the block starts, for failure messages.
    pub at: String,
    fields: Vec<(String, Value)>,
    used: RefCell<BTreeSet<String>>,
}

#[derive(Clone)]
enum Value {
    /// `"..."`: bytes, escapes decoded.
    Quoted(Vec<u8>),
    /// Anything else: the text as written.
    Bare(String),
}

impl Case {
    fn value(&self, name: &str) -> Option<&Value> {
        let v = self.fields.iter().find(|(k, _)| k == name).map(|(_, v)| v);
        if v.is_some() {
            self.used.borrow_mut().insert(name.to_owned());
        }
        v
    }

    /// The kind of test (`Test = …`).
    pub fn kind(&self) -> String {
        self.text("Test")
    }

    /// Whether the block has `name`.
    pub fn has(&self, name: &str) -> bool {
        self.value(name).is_some()
    }

    /// A bare value as text (`Error = malformed`, `Now = 1000`).
    pub fn text(&self, name: &str) -> String {
        self.opt_text(name)
            .unwrap_or_else(|| panic!("{}: no {name}", self.at))
    }

    /// A bare value as text, if present.
    pub fn opt_text(&self, name: &str) -> Option<String> {
        match self.value(name)? {
            Value::Bare(s) => Some(s.clone()),
            Value::Quoted(_) => panic!("{}: {name} must be bare", self.at),
        }
    }

    /// A value as bytes: a quoted string as written (escapes decoded), a bare
    /// value as hex.
    pub fn bytes(&self, name: &str) -> Vec<u8> {
        self.opt_bytes(name)
            .unwrap_or_else(|| panic!("{}: no {name}", self.at))
    }

    /// [`Case::bytes`], if present.
    pub fn opt_bytes(&self, name: &str) -> Option<Vec<u8>> {
        match self.value(name)? {
            Value::Quoted(b) => Some(b.clone()),
            Value::Bare(s) => {
                Some(unhex(s).unwrap_or_else(|| panic!("{}: {name} is not hex", self.at)))
            }
        }
    }

    /// A bare value as an integer, if present.
    pub fn opt_int(&self, name: &str) -> Option<i64> {
        self.opt_text(name).map(|s| {
            s.parse()
                .unwrap_or_else(|_| panic!("{}: {name} is not an integer", self.at))
        })
    }

    /// Every field must have been read: a misspelt name is a failure, not a
    /// silently skipped check.
    pub fn finish(&self) {
        let used = self.used.borrow();
        for (k, _) in &self.fields {
            assert!(used.contains(k), "{}: field {k} was not used", self.at);
        }
    }
}

fn unhex(s: &str) -> Option<Vec<u8>> {
    if !s.len().is_multiple_of(2) {
        return None;
    }
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(s.get(i..i + 2)?, 16).ok())
        .collect()
}

fn unquote(s: &str, at: &str) -> Vec<u8> {
    let inner = s
        .strip_prefix('"')
        .and_then(|r| r.strip_suffix('"'))
        .unwrap_or_else(|| panic!("{at}: unterminated string"));
    let mut out = Vec::new();
    let mut bytes = inner.bytes();
    while let Some(b) = bytes.next() {
        if b != b'\\' {
            out.push(b);
            continue;
        }
        match bytes.next() {
            Some(b'n') => out.push(b'\n'),
            Some(b'r') => out.push(b'\r'),
            Some(b't') => out.push(b'\t'),
            Some(b'0') => out.push(0),
            Some(b'\\') => out.push(b'\\'),
            Some(b'"') => out.push(b'"'),
            Some(b'x') => {
                let hi = bytes.next().map(char::from);
                let lo = bytes.next().map(char::from);
                let pair: String = [hi, lo].iter().flatten().collect();
                out.push(u8::from_str_radix(&pair, 16).unwrap_or_else(|_| panic!("{at}: bad \\x")));
            }
            _ => panic!("{at}: unknown escape"),
        }
    }
    out
}

/// Every test of `tests/vectors/<file>`, in order.
pub fn read(file: &str) -> Vec<Case> {
    let path: PathBuf = [env!("CARGO_MANIFEST_DIR"), "tests", "vectors", file]
        .iter()
        .collect();
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut cases = Vec::new();
    let mut current: Option<Case> = None;
    for (n, line) in text.lines().enumerate() {
        let at = format!("{file}:{}", n + 1);
        let line = line.trim_end();
        if line.starts_with('#') {
            continue;
        }
        if line.is_empty() {
            cases.extend(current.take());
            continue;
        }
        let (k, v) = line
            .split_once(" = ")
            .unwrap_or_else(|| panic!("{at}: expected `Name = value`"));
        let value = if v.starts_with('"') {
            Value::Quoted(unquote(v, &at))
        } else {
            Value::Bare(v.to_owned())
        };
        let case = current.get_or_insert_with(|| Case {
            at: at.clone(),
            fields: Vec::new(),
            used: RefCell::new(BTreeSet::new()),
        });
        assert!(
            case.fields.iter().all(|(name, _)| name != k),
            "{at}: {k} twice in one test"
        );
        case.fields.push((k.to_owned(), value));
    }
    cases.extend(current);
    assert!(!cases.is_empty(), "{file}: no tests");
    cases
}

/// `bytes` with byte `i` XOR 0x01: the tampered copies a runner checks as
/// well as the vector itself.
pub fn flip(bytes: &[u8], i: usize) -> Vec<u8> {
    let mut out = bytes.to_vec();
    out[i] ^= 0x01;
    out
}
