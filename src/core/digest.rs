//! The one digest of mcp_guard: a labelled, length-prefixed SHA-256 of a
//! source and the options it was read with. It keys every per-worker cache
//! (parsed key sets, compiled manifests) and names a manifest in audit logs.
//!
//! The encoding is unambiguous: the label (its own key space per use), then
//! every part as its length (8 bytes, big-endian) and its bytes; a value
//! walked in place (a PHP array) is encoded as typed, length-prefixed events
//! ([`Digest`] is a [`Sink`] of the one walk). Two different inputs can only
//! share a digest through a SHA-256 collision.
//!
//! A digest is bounded: [`Digest::bounded`] stops hashing once its input
//! passes the bound, and [`Digest::finish`] then answers `None`, so a 10 MB
//! source costs a length comparison, not a SHA-256 pass. Callers that know
//! the size up front check it before calling.

use ring::digest::{Context, SHA256};

use crate::core::json::view::{EntryKey, Scalar, Sink};

/// A finished digest.
pub type Hash = [u8; 32];

/// Bytes gathered before they go to SHA-256: a walked value arrives as many
/// 1–9 byte events, and each `Context::update` call costs more than the
/// bytes it hashes.
const BUFFER: usize = 512;

/// A SHA-256 being fed.
pub struct Digest {
    ctx: Context,
    buf: Vec<u8>,
    used: usize,
    max: usize,
}

impl std::fmt::Debug for Digest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Digest")
            .field("used", &self.used)
            .field("max", &self.max)
            .finish()
    }
}

impl Digest {
    /// A digest in the key space `label`, with no bound on its input.
    pub fn new(label: &str) -> Self {
        Self::bounded(label, usize::MAX)
    }

    /// A digest in the key space `label` that gives up (answers `None`) once
    /// more than `max_bytes` of input were fed.
    pub fn bounded(label: &str, max_bytes: usize) -> Self {
        let mut d = Self {
            ctx: Context::new(&SHA256),
            buf: Vec::with_capacity(BUFFER),
            used: 0,
            max: max_bytes,
        };
        d.ctx.update(b"mcp_guard digest v1\0");
        d.ctx.update(&(label.len() as u64).to_be_bytes());
        d.ctx.update(label.as_bytes());
        d
    }

    fn feed(&mut self, bytes: &[u8]) {
        self.used = self.used.saturating_add(bytes.len());
        if self.used > self.max {
            return;
        }
        if self.buf.len() + bytes.len() > BUFFER {
            self.ctx.update(&self.buf);
            self.buf.clear();
        }
        if bytes.len() >= BUFFER {
            self.ctx.update(bytes);
        } else {
            self.buf.extend_from_slice(bytes);
        }
    }

    /// Adds one part: its length, then its bytes.
    pub fn part(&mut self, bytes: &[u8]) -> &mut Self {
        // The bound is checked on the whole part before any of it is hashed.
        if self.used.saturating_add(bytes.len()) > self.max {
            self.used = usize::MAX;
            return self;
        }
        self.feed(&(bytes.len() as u64).to_be_bytes());
        self.feed(bytes);
        self
    }

    /// Adds a flag as a one-byte part.
    pub fn flag(&mut self, on: bool) -> &mut Self {
        self.part(&[u8::from(on)])
    }

    /// Adds an optional part: a flag for its presence, then the part.
    pub fn optional(&mut self, bytes: Option<&[u8]>) -> &mut Self {
        self.flag(bytes.is_some());
        self.part(bytes.unwrap_or_default())
    }

    /// Whether the input is still within the bound.
    pub fn within_bound(&self) -> bool {
        self.used <= self.max
    }

    /// The SHA-256, or `None` when the input went over the bound.
    pub fn finish(self) -> Option<Hash> {
        if !self.within_bound() {
            return None;
        }
        let mut ctx = self.ctx;
        ctx.update(&self.buf);
        let mut out = [0u8; 32];
        out.copy_from_slice(ctx.finish().as_ref());
        Some(out)
    }
}

/// The digest of `parts` in the key space `label` (unbounded). The same
/// bytes as [`Digest::part`] feeds, straight into SHA-256: the parts are
/// whole already, so nothing is buffered or allocated (the audit verifier
/// calls this once per row).
pub fn of_parts(label: &str, parts: &[&[u8]]) -> Hash {
    let mut ctx = Context::new(&SHA256);
    ctx.update(b"mcp_guard digest v1\0");
    ctx.update(&(label.len() as u64).to_be_bytes());
    ctx.update(label.as_bytes());
    for p in parts {
        ctx.update(&(p.len() as u64).to_be_bytes());
        ctx.update(p);
    }
    let mut out = [0u8; 32];
    out.copy_from_slice(ctx.finish().as_ref());
    out
}

/// Lower-case hex of a digest (for audit logs).
pub fn hex(hash: &Hash) -> String {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(64);
    for b in hash {
        out.push(char::from(HEX[usize::from(b >> 4)]));
        out.push(char::from(HEX[usize::from(b & 15)]));
    }
    out
}

/// Values walked in place are encoded as tagged events: `n` null, `t`/`f`,
/// `i` + 8 bytes, `d` + the float's bits, `s` + a part, `a` + the entry
/// count, then per entry `I` (a list position), `K` + an integer key or `S` +
/// a name part, and `e` when the array closes.
impl Sink for Digest {
    fn scalar(&mut self, value: Scalar<'_>) {
        match value {
            Scalar::Null => self.feed(b"n"),
            Scalar::Bool(b) => self.feed(if b { b"t" } else { b"f" }),
            Scalar::Int(i) => {
                self.feed(b"i");
                self.feed(&i.to_be_bytes());
            }
            Scalar::Float(x) => {
                self.feed(b"d");
                self.feed(&x.to_bits().to_be_bytes());
            }
            Scalar::Str(s) => {
                self.feed(b"s");
                self.part(s.as_bytes());
            }
        }
    }

    fn open(&mut self, len: usize) {
        self.feed(b"a");
        self.feed(&(len as u64).to_be_bytes());
    }

    fn key(&mut self, name: Option<EntryKey<'_>>) {
        match name {
            None => self.feed(b"I"),
            Some(EntryKey::Index(n)) => {
                self.feed(b"K");
                self.feed(&n.to_be_bytes());
            }
            Some(EntryKey::Name(s)) => {
                self.feed(b"S");
                self.part(s.as_bytes());
            }
        }
    }

    fn close(&mut self, _list: bool) {
        self.feed(b"e");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parts_are_length_prefixed_and_labelled() {
        assert_ne!(of_parts("x", &[b"ab", b"c"]), of_parts("x", &[b"a", b"bc"]));
        assert_ne!(of_parts("x", &[b"ab"]), of_parts("y", &[b"ab"]));
        assert_ne!(of_parts("x", &[]), of_parts("x", &[b""]));
        assert_eq!(of_parts("x", &[b"ab"]), of_parts("x", &[b"ab"]));
        let mut a = Digest::new("x");
        a.optional(None);
        let mut b = Digest::new("x");
        b.optional(Some(b""));
        assert_ne!(a.finish(), b.finish());
    }

    #[test]
    fn the_bound_is_checked_before_hashing() {
        let mut d = Digest::bounded("x", 16);
        d.part(&[0; 8]);
        assert!(d.within_bound());
        d.part(&[0; 100]);
        assert!(!d.within_bound());
        assert_eq!(d.finish(), None);
        let mut d = Digest::bounded("x", 16);
        d.part(&[0; 8]);
        assert!(d.finish().is_some());
    }

    #[test]
    fn buffering_does_not_change_the_hash() {
        // The same bytes in many small parts or in one large one (past the
        // buffer) give the hash of one contiguous feed.
        let big = vec![7u8; 3 * BUFFER + 5];
        let mut a = Digest::new("t");
        a.part(&big);
        let mut ctx = Context::new(&SHA256);
        ctx.update(b"mcp_guard digest v1\0");
        ctx.update(&1u64.to_be_bytes());
        ctx.update(b"t");
        ctx.update(&(big.len() as u64).to_be_bytes());
        ctx.update(&big);
        assert_eq!(a.finish().unwrap().as_slice(), ctx.finish().as_ref());
        let mut small = Digest::new("t");
        let mut once = Digest::new("t");
        let mut all = Vec::new();
        for i in 0..1000u32 {
            let b = i.to_be_bytes();
            small.part(&b);
            all.extend_from_slice(&4u64.to_be_bytes());
            all.extend_from_slice(&b);
        }
        once.feed(&all);
        assert_eq!(small.finish(), once.finish());
    }

    #[test]
    fn of_parts_is_the_digest_of_its_parts() {
        let parts: [&[u8]; 4] = [b"", b"a", &[7; 600], b"xyz"];
        let mut d = Digest::new("lbl");
        for p in parts {
            d.part(p);
        }
        assert_eq!(Some(of_parts("lbl", &parts)), d.finish());
    }

    #[test]
    fn known_answer() {
        // Computed independently with Python's hashlib over
        // b"mcp_guard digest v1\0" + (1).to_bytes(8, "big") + b"t"
        // + (3).to_bytes(8, "big") + b"abc".
        assert_eq!(
            hex(&of_parts("t", &[b"abc"])),
            "7ff79a9d4e59fe18978577c41c1b21c3a3cf7bb52816de08d7cc6fbe4267e8cf"
        );
    }
}
