//! JSON text → [`Value`], refusing duplicate keys (`{"writes_enabled": false,
//! "writes_enabled": true}` must not mean whichever the parser kept), and a
//! canonical digest of a [`Value`] for the compiled-manifest cache.

use std::collections::HashSet;
use std::fmt;

use ring::digest;
use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};

use super::value::{Budget, Limits, Reason, Refusal, Value};

/// Why JSON text could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum JsonError {
    /// Not JSON (or nested deeper than the parser's recursion limit of 128).
    Syntax { line: usize, column: usize },
    /// An object has the same key twice.
    DuplicateKey { key: String },
}

struct Parsed(Value);

const DUPLICATE_PREFIX: &str = "\u{0}duplicate:";

impl<'de> Deserialize<'de> for Parsed {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(ValueVisitor).map(Parsed)
    }
}

struct ValueVisitor;

impl<'de> Visitor<'de> for ValueVisitor {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }

    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(Value::Int(v))
    }

    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        // Above i64::MAX: not an integer we can hold; keep it as a number so
        // an `integer` field refuses it.
        Ok(i64::try_from(v).map_or(Value::Float(v as f64), Value::Int))
    }

    fn visit_f64<E>(self, v: f64) -> Result<Value, E> {
        Ok(Value::Float(v))
    }

    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::Str(v.to_owned()))
    }

    fn visit_string<E>(self, v: String) -> Result<Value, E> {
        Ok(Value::Str(v))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::new();
        while let Some(Parsed(v)) = seq.next_element()? {
            items.push(v);
        }
        Ok(Value::List(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut entries: Vec<(String, Value)> = Vec::new();
        let mut seen: HashSet<String> = HashSet::new();
        while let Some(key) = map.next_key::<String>()? {
            if !seen.insert(key.clone()) {
                return Err(de::Error::custom(format!("{DUPLICATE_PREFIX}{key}")));
            }
            let Parsed(v) = map.next_value()?;
            entries.push((key, v));
        }
        Ok(Value::Object(entries))
    }
}

/// Parses JSON text. The caller bounds the text's size first.
pub fn parse(text: &[u8]) -> Result<Value, JsonError> {
    let mut de = serde_json::Deserializer::from_slice(text);
    let parsed = Parsed::deserialize(&mut de).and_then(|p| de.end().map(|()| p));
    match parsed {
        Ok(Parsed(v)) => Ok(v),
        Err(e) => {
            let msg = e.to_string();
            if let Some(rest) = msg.strip_prefix(DUPLICATE_PREFIX) {
                // serde_json appends " at line L column C".
                let key = rest.rsplit_once(" at line ").map_or(rest, |(k, _)| k);
                Err(JsonError::DuplicateKey {
                    key: key.to_owned(),
                })
            } else {
                Err(JsonError::Syntax {
                    line: e.line(),
                    column: e.column(),
                })
            }
        }
    }
}

/// Parses tool-call arguments given as JSON text: refused as `too_large`
/// before parsing when the text is over the byte limit (so the parsed value
/// is bounded too), then measured against every limit.
pub fn parse_arguments(text: &[u8], limits: &Limits) -> Result<Value, Refusal> {
    if text.len() > limits.max_bytes {
        return Err(Refusal::at_root(Reason::TooLarge));
    }
    let value = parse(text).map_err(|_| Budget::unsupported())?;
    Budget::new(*limits).measure(&value, 1)?;
    Ok(value)
}

/// SHA-256 over an unambiguous encoding of `value` (a type tag, lengths, then
/// content), the cache key of a manifest given as a PHP array.
pub fn digest_value(value: &Value) -> [u8; 32] {
    fn feed(ctx: &mut digest::Context, v: &Value) {
        match v {
            Value::Null => ctx.update(b"n"),
            Value::Bool(b) => ctx.update(if *b { b"t" } else { b"f" }),
            Value::Int(i) => {
                ctx.update(b"i");
                ctx.update(&i.to_le_bytes());
            }
            Value::Float(x) => {
                ctx.update(b"d");
                ctx.update(&x.to_bits().to_le_bytes());
            }
            Value::Str(s) => {
                ctx.update(b"s");
                ctx.update(&(s.len() as u64).to_le_bytes());
                ctx.update(s.as_bytes());
            }
            Value::List(items) => {
                ctx.update(b"l");
                ctx.update(&(items.len() as u64).to_le_bytes());
                for item in items {
                    feed(ctx, item);
                }
            }
            Value::Object(entries) => {
                ctx.update(b"o");
                ctx.update(&(entries.len() as u64).to_le_bytes());
                for (k, item) in entries {
                    ctx.update(&(k.len() as u64).to_le_bytes());
                    ctx.update(k.as_bytes());
                    feed(ctx, item);
                }
            }
        }
    }
    let mut ctx = digest::Context::new(&digest::SHA256);
    ctx.update(b"mcp_guard policy value v1\0");
    feed(&mut ctx, value);
    let mut out = [0u8; 32];
    out.copy_from_slice(ctx.finish().as_ref());
    out
}

/// A streaming, unambiguous encoding of a PHP-array document (type tags,
/// lengths, then content), hashed once at the end: the cache key of a
/// manifest given as a PHP array, computed without building a [`Value`]. The
/// binding feeds it while walking the array; [`SourceDigest::finish`] returns
/// `None` when the document went over [`SourceDigest::MAX_BYTES`] (then the
/// caller compiles without the cache, and the compiler refuses it).
#[derive(Debug)]
pub struct SourceDigest {
    buf: Vec<u8>,
}

impl Default for SourceDigest {
    fn default() -> Self {
        Self::new()
    }
}

impl SourceDigest {
    /// Largest encoding hashed (twice the largest manifest text).
    pub const MAX_BYTES: usize = 2 * 1024 * 1024;

    /// An empty digest.
    pub fn new() -> Self {
        let mut buf = Vec::with_capacity(4096);
        buf.extend_from_slice(b"mcp_guard policy array v1\0");
        Self { buf }
    }

    fn len(&mut self, n: usize) {
        self.buf.extend_from_slice(&(n as u64).to_le_bytes());
    }

    /// `null`.
    pub fn null(&mut self) {
        self.buf.push(b'n');
    }

    /// A boolean.
    pub fn bool(&mut self, b: bool) {
        self.buf.push(if b { b't' } else { b'f' });
    }

    /// An integer.
    pub fn int(&mut self, i: i64) {
        self.buf.push(b'i');
        self.buf.extend_from_slice(&i.to_le_bytes());
    }

    /// A float (by its bits).
    pub fn float(&mut self, x: f64) {
        self.buf.push(b'd');
        self.buf.extend_from_slice(&x.to_bits().to_le_bytes());
    }

    /// A string (any bytes).
    pub fn str(&mut self, s: &[u8]) {
        self.buf.push(b's');
        self.len(s.len());
        self.buf.extend_from_slice(s);
    }

    /// An array of `n` entries; each entry is a key then a value.
    pub fn array(&mut self, n: usize) {
        self.buf.push(b'a');
        self.len(n);
    }

    /// An integer key.
    pub fn key_int(&mut self, i: i64) {
        self.buf.push(b'I');
        self.buf.extend_from_slice(&i.to_le_bytes());
    }

    /// A string key.
    pub fn key_str(&mut self, s: &[u8]) {
        self.buf.push(b'S');
        self.len(s.len());
        self.buf.extend_from_slice(s);
    }

    /// Whether the encoding is still within [`Self::MAX_BYTES`].
    pub fn within_bounds(&self) -> bool {
        self.buf.len() <= Self::MAX_BYTES
    }

    /// The SHA-256, or `None` when the document was too large to key.
    pub fn finish(&self) -> Option<[u8; 32]> {
        if !self.within_bounds() {
            return None;
        }
        let mut out = [0u8; 32];
        out.copy_from_slice(digest::digest(&digest::SHA256, &self.buf).as_ref());
        Some(out)
    }
}

/// SHA-256 of manifest text (a key space apart from [`digest_value`]).
pub fn digest_text(text: &[u8]) -> [u8; 32] {
    let mut ctx = digest::Context::new(&digest::SHA256);
    ctx.update(b"mcp_guard policy json v1\0");
    ctx.update(text);
    let mut out = [0u8; 32];
    out.copy_from_slice(ctx.finish().as_ref());
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_refuses_duplicates() {
        assert_eq!(
            parse(br#"{"a":[1,2.5,"x",null,true]}"#).unwrap(),
            Value::Object(vec![(
                "a".into(),
                Value::List(vec![
                    Value::Int(1),
                    Value::Float(2.5),
                    Value::Str("x".into()),
                    Value::Null,
                    Value::Bool(true)
                ])
            )])
        );
        assert_eq!(
            parse(br#"{"w":false,"w":true}"#).unwrap_err(),
            JsonError::DuplicateKey { key: "w".into() }
        );
        assert!(matches!(
            parse(br#"{"a":1} x"#).unwrap_err(),
            JsonError::Syntax { .. }
        ));
        assert!(parse(b"\xff").is_err());
    }

    #[test]
    fn deep_json_is_an_error_not_a_crash() {
        let text = "[".repeat(100_000);
        assert!(parse(text.as_bytes()).is_err());
    }

    #[test]
    fn source_digest_is_unambiguous() {
        let run = |f: &dyn Fn(&mut SourceDigest)| {
            let mut d = SourceDigest::new();
            f(&mut d);
            d.finish().unwrap()
        };
        // ["ab"] vs ["a", "b"]; key "1" vs key 1; int 1 vs float 1.0.
        let a = run(&|d| {
            d.array(1);
            d.key_int(0);
            d.str(b"ab");
        });
        let b = run(&|d| {
            d.array(2);
            d.key_int(0);
            d.str(b"a");
            d.key_int(1);
            d.str(b"b");
        });
        let c = run(&|d| {
            d.array(1);
            d.key_str(b"0");
            d.str(b"ab");
        });
        let e = run(&|d| d.int(1));
        let f = run(&|d| d.float(1.0));
        assert!(a != b && a != c && b != c && e != f);
        assert_eq!(
            a,
            run(&|d| {
                d.array(1);
                d.key_int(0);
                d.str(b"ab");
            })
        );
        let mut big = SourceDigest::new();
        big.str(&vec![0u8; SourceDigest::MAX_BYTES]);
        assert!(big.finish().is_none());
    }

    #[test]
    fn digests_differ() {
        let a = Value::List(vec![Value::Str("ab".into())]);
        let b = Value::List(vec![Value::Str("a".into()), Value::Str("b".into())]);
        assert_ne!(digest_value(&a), digest_value(&b));
        assert_ne!(
            digest_value(&Value::Int(1)),
            digest_value(&Value::Float(1.0))
        );
    }
}
