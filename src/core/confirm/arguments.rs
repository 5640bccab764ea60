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

/// One member of an open array, as offsets into the buffer: its key's
/// length-prefixed bytes at `key..val` (empty for a member known only by
/// its position), its encoded value at `val..end`.
#[derive(Clone, Copy)]
struct Member {
    key: usize,
    val: usize,
    end: usize,
}

/// An open array: where its 9-byte header was reserved, where its members
/// begin on the member stack, and where the next member's key was written.
struct Frame {
    header: usize,
    first: usize,
    pending: Option<usize>,
}

/// Writes the encoding as the walk reports the value. Keys are written in
/// place, before their value; an array's header is reserved when it opens
/// and filled in when it closes. Only an object whose members are not in
/// canonical order (or an array that turns out to be a list written with
/// keys) is rewritten, through one scratch buffer.
#[derive(Default)]
struct Canonical {
    out: Vec<u8>,
    members: Vec<Member>,
    frames: Vec<Frame>,
    scratch: Vec<u8>,
}

const HEADER: usize = 9;

fn put_len(out: &mut Vec<u8>, n: usize) {
    out.extend_from_slice(&(n as u64).to_be_bytes());
}

impl Canonical {
    /// A value was written at `start..`: it becomes a member of the open array.
    fn done(&mut self, start: usize) {
        let end = self.out.len();
        if let Some(frame) = self.frames.last_mut() {
            let key = frame.pending.take().unwrap_or(start);
            self.members.push(Member {
                key,
                val: start,
                end,
            });
        }
    }

    fn patch_header(&mut self, at: usize, tag: u8, count: usize) {
        let mut h = [0u8; HEADER];
        h[0] = tag;
        h[1..].copy_from_slice(&(count as u64).to_be_bytes());
        if let Some(slot) = self.out.get_mut(at..at + HEADER) {
            slot.copy_from_slice(&h);
        }
    }
}

/// The key bytes of a member within `buf` (its length prefix skipped).
fn key_in<'a>(buf: &'a [u8], m: &Member, base: usize) -> &'a [u8] {
    let from = (m.key + 8).min(m.val).saturating_sub(base);
    buf.get(from..m.val.saturating_sub(base))
        .unwrap_or_default()
}

fn value_in<'a>(buf: &'a [u8], m: &Member, base: usize) -> &'a [u8] {
    buf.get(m.val.saturating_sub(base)..m.end.saturating_sub(base))
        .unwrap_or_default()
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
                put_len(&mut self.out, s.len());
                self.out.extend_from_slice(s.as_bytes());
            }
        }
        self.done(start);
    }

    fn open(&mut self, _len: usize) {
        let header = self.out.len();
        self.out.extend_from_slice(&[0u8; HEADER]);
        self.frames.push(Frame {
            header,
            first: self.members.len(),
            pending: None,
        });
    }

    fn key(&mut self, name: Option<EntryKey<'_>>) {
        let Some(frame) = self.frames.last_mut() else {
            return;
        };
        frame.pending = None;
        let start = self.out.len();
        match name {
            None => return,
            Some(EntryKey::Name(s)) => {
                put_len(&mut self.out, s.len());
                self.out.extend_from_slice(s.as_bytes());
            }
            Some(EntryKey::Index(n)) => {
                let s = n.to_string();
                put_len(&mut self.out, s.len());
                self.out.extend_from_slice(s.as_bytes());
            }
        }
        frame.pending = Some(start);
    }

    fn close(&mut self, _list: bool) {
        let Some(frame) = self.frames.pop() else {
            return;
        };
        let first = frame.first.min(self.members.len());
        let count = self.members.len() - first;
        let all_positional = self.members[first..].iter().all(|m| m.key == m.val);
        if all_positional {
            // A list, written in order: nothing moves.
            self.patch_header(frame.header, b'l', count);
        } else {
            self.close_keyed(frame.header, first, count);
        }
        self.members.truncate(first);
        self.done(frame.header);
    }
}

impl Canonical {
    /// Closes an array some of whose members were written with keys.
    fn close_keyed(&mut self, header: usize, first: usize, count: usize) {
        let base = header + HEADER;
        let mut ms: Vec<(Member, usize)> = self.members[first..]
            .iter()
            .copied()
            .enumerate()
            .map(|(i, m)| (m, i))
            .collect();
        // Positions in any order are the list.
        let mut indexed: Vec<(u64, Member)> = Vec::with_capacity(count);
        for (m, i) in &ms {
            let n = if m.key == m.val {
                u64::try_from(*i).ok()
            } else {
                index_of(key_in(&self.out, m, 0))
            };
            match n {
                Some(n) => indexed.push((n, *m)),
                None => break,
            }
        }
        let is_list = indexed.len() == count && {
            indexed.sort_unstable_by_key(|(n, _)| *n);
            indexed
                .iter()
                .enumerate()
                .all(|(pos, (n, _))| u64::try_from(pos).is_ok_and(|p| p == *n))
        };
        if is_list {
            self.scratch.clear();
            self.scratch
                .extend_from_slice(self.out.get(base..).unwrap_or_default());
            self.out.truncate(base);
            for (_, m) in &indexed {
                self.out.extend_from_slice(value_in(&self.scratch, m, base));
            }
            self.patch_header(header, b'l', count);
            return;
        }
        // An object: members by key bytes, then value bytes.
        let positional = ms.iter().any(|(m, _)| m.key == m.val);
        let out = &self.out;
        let in_order = !positional
            && ms.windows(2).all(|w| {
                let (a, b) = (&w[0].0, &w[1].0);
                (key_in(out, a, 0), value_in(out, a, 0)) <= (key_in(out, b, 0), value_in(out, b, 0))
            });
        if !in_order {
            self.scratch.clear();
            self.scratch
                .extend_from_slice(self.out.get(base..).unwrap_or_default());
            let scratch = &self.scratch;
            // A member known by its position is named by it.
            let names: Vec<Option<String>> = ms
                .iter()
                .map(|(m, i)| (m.key == m.val).then(|| i.to_string()))
                .collect();
            let name = |k: usize, m: &Member| -> &[u8] {
                match names.get(k).and_then(Option::as_ref) {
                    Some(s) => s.as_bytes(),
                    None => key_in(scratch, m, base),
                }
            };
            ms.sort_by(|(a, ka), (b, kb)| {
                (name(*ka, a), value_in(scratch, a, base))
                    .cmp(&(name(*kb, b), value_in(scratch, b, base)))
            });
            self.out.truncate(base);
            for (m, k) in &ms {
                let key = name(*k, m);
                put_len(&mut self.out, key.len());
                self.out.extend_from_slice(key);
                self.out.extend_from_slice(value_in(scratch, m, base));
            }
        }
        self.patch_header(header, b'o', count);
    }
}

/// A key that PHP would store as the integer `n >= 0` (a canonical decimal:
/// no sign, no leading zero, within `i64`).
fn index_of(key: &[u8]) -> Option<u64> {
    let canonical = !key.is_empty()
        && key.iter().all(u8::is_ascii_digit)
        && (key.len() == 1 || key.first() != Some(&b'0'));
    if !canonical {
        return None;
    }
    std::str::from_utf8(key)
        .ok()?
        .parse::<i64>()
        .ok()
        .and_then(|n| u64::try_from(n).ok())
}
