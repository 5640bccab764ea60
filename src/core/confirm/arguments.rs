//! The digest of a tool call's arguments, computed while the one walk reads
//! them in place (a PHP array is never converted), independent of object key
//! order.
//!
//! JSON objects are unordered (RFC 8259 §4), and a client that serialises the
//! same arguments again may order their keys differently; PHP keeps an
//! array's insertion order. So the digest is taken over a canonical encoding
//! in which **object members are sorted** by their key's UTF-8 bytes while
//! **lists keep their order**. Every other difference counts: `1` (an integer)
//! and `1.0` (a float) differ, as do `"1"` and `1`, `null` and a missing key,
//! `0.0` and `-0.0`. The empty array is the empty list, which is also the
//! empty object (PHP cannot tell them apart; see [`crate::core::json::view`]).
//!
//! The canonical encoding, which `tests/vectors/confirmations.json`
//! recomputes independently (`u64` is 8 bytes big-endian):
//!
//! | value | bytes |
//! |---|---|
//! | null, true, false | `n`, `t`, `f` |
//! | integer | `i` + `i64` |
//! | float (finite) | `d` + the IEEE-754 bits as `u64` |
//! | string | `s` + `u64` length + UTF-8 bytes |
//! | list | `l` + `u64` count + each value in order |
//! | object | `o` + `u64` count + per member, sorted by key bytes (then by value bytes): `u64` key length + key + value |
//!
//! An array whose keys are exactly the positions `0 … n-1`, **in any order**,
//! is a list in position order (PHP stores `{"0":"a","1":"b"}` decoded as the
//! list `["a","b"]`, so `{"1":"b","0":"a"}` must be that list too); a key
//! counts as a position when it is an integer or a canonical decimal name
//! (`"0"`, `"12"`; not `"01"`, `"-1"`, `"+1"`). Any other array is an object;
//! an integer key is named by its decimal form, as in JSON. The digest is
//! [`digest::of_parts`]`(`[`LABEL`]`, [encoding])`. Sorting needs the members
//! of one object at a time: the encoding is gathered in one buffer, and each
//! object's members are reordered within it when the object closes (bounded
//! by the walk's [`ARGUMENT_LIMITS`], checked before anything is copied).

use crate::core::digest::{self, Hash};
use crate::core::json::view::{self, Budget, EntryKey, Scalar, Sink, View, ViewError};
use crate::core::policy::Limits as PolicyLimits;

/// The digest key space of tool arguments.
pub const LABEL: &str = "tool arguments v1";

/// The walk's limits: the most any tool's policy may accept
/// ([`PolicyLimits::CEILING`]: 16 MiB, depth 32, 100 000 entries, keys of
/// 128 bytes), with NaN and infinities refused (no JSON text holds them).
pub const ARGUMENT_LIMITS: view::Limits = view::Limits {
    max_bytes: PolicyLimits::CEILING.max_bytes,
    max_depth: PolicyLimits::CEILING.max_depth,
    max_string_bytes: PolicyLimits::CEILING.max_string_bytes,
    max_items: PolicyLimits::CEILING.max_items,
    max_key_bytes: crate::core::policy::value::MAX_KEY_BYTES,
    allow_non_finite: false,
};

/// The order-insensitive digest of `arguments` (see the module doc), or the
/// walk's refusal (over [`ARGUMENT_LIMITS`], a string or key that is not
/// UTF-8, a NaN, a PHP object).
pub fn digest<V: View + ?Sized>(arguments: &V) -> Result<Hash, ViewError> {
    let bytes = encode(arguments)?;
    Ok(digest::of_parts(LABEL, &[&bytes]))
}

/// The canonical encoding itself (for tests and the vector file).
pub fn encode<V: View + ?Sized>(arguments: &V) -> Result<Vec<u8>, ViewError> {
    let mut sink = Canonical::default();
    view::walk(arguments, &mut Budget::new(ARGUMENT_LIMITS), &mut sink)?;
    Ok(sink.out)
}

/// One member of an open array: its key (`None`: its position) and where its
/// encoded value lies in the buffer.
struct Member {
    key: Option<String>,
    start: usize,
    end: usize,
}

struct Frame {
    start: usize,
    members: Vec<Member>,
    pending: Option<String>,
}

#[derive(Default)]
struct Canonical {
    out: Vec<u8>,
    stack: Vec<Frame>,
}

impl Canonical {
    /// A value was written at `start..`: it becomes a member of the open array.
    fn done(&mut self, start: usize) {
        let end = self.out.len();
        if let Some(frame) = self.stack.last_mut() {
            let key = frame.pending.take();
            frame.members.push(Member { key, start, end });
        }
    }

    fn len_of(n: usize) -> [u8; 8] {
        (n as u64).to_be_bytes()
    }
}

impl Sink for Canonical {
    fn scalar(&mut self, value: Scalar<'_>) {
        let start = self.out.len();
        match value {
            Scalar::Null => self.out.push(b'n'),
            Scalar::Bool(b) => self.out.push(if b { b't' } else { b'f' }),
            Scalar::Int(i) => {
                self.out.push(b'i');
                self.out.extend_from_slice(&i.to_be_bytes());
            }
            Scalar::Float(x) => {
                self.out.push(b'd');
                self.out.extend_from_slice(&x.to_bits().to_be_bytes());
            }
            Scalar::Str(s) => {
                self.out.push(b's');
                self.out.extend_from_slice(&Self::len_of(s.len()));
                self.out.extend_from_slice(s.as_bytes());
            }
        }
        self.done(start);
    }

    fn open(&mut self, len: usize) {
        self.stack.push(Frame {
            start: self.out.len(),
            // The walk checked `len` against its item limit before this call.
            members: Vec::with_capacity(len),
            pending: None,
        });
    }

    fn key(&mut self, name: Option<EntryKey<'_>>) {
        if let Some(frame) = self.stack.last_mut() {
            frame.pending = name.map(|k| match k {
                EntryKey::Index(n) => n.to_string(),
                EntryKey::Name(s) => s.to_owned(),
            });
        }
    }

    fn close(&mut self, _list: bool) {
        let Some(mut frame) = self.stack.pop() else {
            return;
        };
        // Members read while the array still looked like a list are named
        // by their position.
        for (i, m) in frame.members.iter_mut().enumerate() {
            if m.key.is_none() {
                m.key = Some(i.to_string());
            }
        }
        // The members' bytes, moved out of the buffer and written back in
        // canonical order behind the array's header.
        let base = frame.start;
        let body = self.out.split_off(base);
        let at = |m: &Member| {
            body.get(m.start.saturating_sub(base)..m.end.saturating_sub(base))
                .unwrap_or_default()
        };
        let name = |m: &Member| m.key.as_deref().unwrap_or_default().as_bytes().to_vec();
        let count = frame.members.len();
        let list = is_list(&mut frame.members);
        if !list {
            frame.members.sort_by(|a, b| {
                let (ka, kb) = (a.key.as_deref(), b.key.as_deref());
                ka.cmp(&kb).then_with(|| at(a).cmp(at(b)))
            });
        }
        self.out.push(if list { b'l' } else { b'o' });
        self.out.extend_from_slice(&Self::len_of(count));
        for m in &frame.members {
            if !list {
                let key = name(m);
                self.out.extend_from_slice(&Self::len_of(key.len()));
                self.out.extend_from_slice(&key);
            }
            self.out.extend_from_slice(at(m));
        }
        self.done(base);
    }
}

/// A key that PHP would store as the integer `n >= 0` (a canonical decimal:
/// no sign, no leading zero, within `i64`).
fn index_of(key: &str) -> Option<u64> {
    let b = key.as_bytes();
    let canonical = !b.is_empty()
        && b.iter().all(u8::is_ascii_digit)
        && (b.len() == 1 || b.first() != Some(&b'0'));
    if !canonical {
        return None;
    }
    key.parse::<i64>().ok().and_then(|n| u64::try_from(n).ok())
}

/// Whether the members' keys are exactly the positions `0 … n-1`, in any
/// order (as PHP would store them; `{"1":"b","0":"a"}` is the list
/// `["a","b"]`); if so the members are put in position order.
fn is_list(members: &mut [Member]) -> bool {
    let mut indexed: Vec<(u64, usize)> = Vec::with_capacity(members.len());
    for (i, m) in members.iter().enumerate() {
        match index_of(m.key.as_deref().unwrap_or_default()) {
            Some(n) => indexed.push((n, i)),
            None => return false,
        }
    }
    indexed.sort_unstable();
    if !indexed
        .iter()
        .enumerate()
        .all(|(pos, (n, _))| u64::try_from(pos).is_ok_and(|p| p == *n))
    {
        return false;
    }
    // Position order (most often the order they came in).
    members.sort_by_key(|m| index_of(m.key.as_deref().unwrap_or_default()).unwrap_or(u64::MAX));
    true
}
