//! Tool-call arguments given as JSON text (read by the shared strict reader
//! [`crate::core::json`], then measured against the [`Limits`]), and the
//! digests that key the compiled-manifest cache.

use ring::digest;

use super::value::{Budget, Limits, Reason, Refusal, Value};
use crate::core::json::{self as strict, JsonError};

/// Parses tool-call arguments given as JSON text: refused as `too_large`
/// before parsing when the text is over the byte limit (so the parsed value
/// is bounded too), then measured against every limit.
pub fn parse_arguments(text: &[u8], limits: &Limits) -> Result<Value, Refusal> {
    if text.len() > limits.max_bytes {
        return Err(Refusal::at_root(Reason::TooLarge));
    }
    // Nesting past the depth limit is refused while parsing, before it is
    // built; the rest of the limits are measured on the parsed value.
    let value = strict::parse(text, limits.max_depth).map_err(|e| match e {
        JsonError::TooDeep { .. } => Refusal::at_root(Reason::TooLarge),
        JsonError::Syntax { .. } | JsonError::DuplicateKey { .. } => Budget::unsupported(),
    })?;
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

    /// The parsing rules are tested in `crate::core::json`; this checks what
    /// arguments text maps them to.
    #[test]
    fn arguments_text_refusals() {
        let l = Limits::default();
        assert_eq!(
            parse_arguments(br#"{"a":[1,2.5,"x",null,true]}"#, &l).unwrap(),
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
        let unsupported = Budget::unsupported();
        assert_eq!(
            parse_arguments(br#"{"w":1,"w":2}"#, &l),
            Err(unsupported.clone())
        );
        assert_eq!(
            parse_arguments(br#"{"a":1} x"#, &l),
            Err(unsupported.clone())
        );
        assert_eq!(parse_arguments(b"\xff", &l), Err(unsupported));
        let too_large = Err(Refusal::at_root(Reason::TooLarge));
        let deep = "[".repeat(100_000);
        assert_eq!(parse_arguments(deep.as_bytes(), &l), too_large);
        // The arguments object is depth 1: depth 8 passes, 9 does not.
        let ok = format!("{}{}", "[".repeat(l.max_depth), "]".repeat(l.max_depth));
        assert!(parse_arguments(ok.as_bytes(), &l).is_ok());
        let over = format!("[{ok}]");
        assert_eq!(parse_arguments(over.as_bytes(), &l), too_large);
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
