//! The hash chain over the records, the chain head and its MAC, and the
//! streaming verifier.
//!
//! * Row `n` stores `hash_n = SHA-256(label ‖ n ‖ hash_{n-1} ‖ record_n)`,
//!   through [`crate::core::digest`] under [`CHAIN_LABEL`] (each part
//!   length-prefixed; `n` as 8 bytes big-endian; `hash_{n-1}` as its 32
//!   bytes). The first row links to [`GENESIS`], 32 zero bytes. The record
//!   names `seq` and `prev` itself as well, so a row moved to another place
//!   is told apart from an edited one.
//! * The head `(seq, hash)` of the newest row lives apart from the rows and
//!   is updated in the same transaction as the insert: rows cut from the end
//!   leave a head that names a row that is not there ([`ChainError::TailCut`]).
//! * With an audit key (≥ 32 bytes, from the host's configuration, never in
//!   the database) the head carries `HMAC-SHA-256(key, HEAD_LABEL ‖ seq ‖
//!   hash)`: someone who can write the database but does not hold the key
//!   cannot make a head that matches a changed or shortened chain.
//!
//! The [`Verifier`] is fed rows in sequence order, keeps 80 bytes of state
//! and allocates nothing per row.

use ring::hmac;

use super::event::{parse_hex, Event, EventType, Outcome, MAX_NUMBER};
use super::record::{self, RecordView};
use super::{AuditError, ChainError};
use crate::core::digest::{self, Hash};

/// The digest label of a row's hash.
pub const CHAIN_LABEL: &str = "mcp_guard audit chain v1";
/// What the head MAC is computed over, before `seq` (8 bytes big-endian) and
/// the head hash (32 bytes).
pub const HEAD_LABEL: &[u8] = b"mcp_guard audit head v1\0";
/// The `prev` of the first row.
pub const GENESIS: Hash = [0; 32];
/// Shortest audit key.
pub const MIN_KEY_BYTES: usize = 32;

/// The hash of row `seq` holding `record`, after the row whose hash is `prev`.
pub fn link_hash(seq: u64, prev: &Hash, record: &[u8]) -> Hash {
    digest::of_parts(CHAIN_LABEL, &[&seq.to_be_bytes(), prev, record])
}

/// The audit key that authenticates the chain head.
#[derive(Clone)]
pub struct HeadKey(hmac::Key);

impl std::fmt::Debug for HeadKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("HeadKey(hidden)")
    }
}

impl HeadKey {
    /// A key of at least 32 bytes.
    pub fn new(key: &[u8]) -> Result<Self, AuditError> {
        if key.len() < MIN_KEY_BYTES {
            return Err(AuditError::WeakKey);
        }
        Ok(Self(hmac::Key::new(hmac::HMAC_SHA256, key)))
    }
}

/// The MAC of the head `(seq, hash)` under `key`.
pub fn head_mac(key: &HeadKey, seq: u64, hash: &Hash) -> Hash {
    let mut ctx = hmac::Context::with_key(&key.0);
    ctx.update(HEAD_LABEL);
    ctx.update(&seq.to_be_bytes());
    ctx.update(hash);
    let mut out = [0u8; 32];
    out.copy_from_slice(ctx.sign().as_ref());
    out
}

fn mac_ok(key: &HeadKey, seq: u64, hash: &Hash, mac: &[u8]) -> bool {
    let mut msg = [0u8; HEAD_LABEL.len() + 8 + 32];
    let (label, rest) = msg.split_at_mut(HEAD_LABEL.len());
    label.copy_from_slice(HEAD_LABEL);
    let (s, h) = rest.split_at_mut(8);
    s.copy_from_slice(&seq.to_be_bytes());
    h.copy_from_slice(hash);
    // ring compares in constant time.
    hmac::verify(&key.0, &msg, mac).is_ok()
}

/// One row ready to store: its sequence number, the hash it links to, its
/// record and its hash.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Link {
    /// The sequence number (1 for the first row).
    pub seq: u64,
    /// The previous row's hash ([`GENESIS`] for the first row).
    pub prev: Hash,
    /// The canonical record.
    pub record: String,
    /// This row's hash.
    pub hash: Hash,
}

/// Links `event` as row `seq` after the row whose hash is `prev`: `prev` is
/// `None` exactly for the first row (`seq` 1).
pub fn link(event: &Event, seq: u64, prev: Option<&Hash>) -> Result<Link, AuditError> {
    let prev = match (seq, prev) {
        (1, None) => GENESIS,
        (2..=MAX_NUMBER, Some(p)) => *p,
        _ => return Err(AuditError::OutOfRange),
    };
    let record = record::write(event, seq, &prev);
    let hash = link_hash(seq, &prev, record.as_bytes());
    Ok(Link {
        seq,
        prev,
        record,
        hash,
    })
}

/// The chain head as stored: the newest row's sequence number and hash, and
/// the MAC (when an audit key is configured).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Head<'a> {
    /// The newest row's sequence number.
    pub seq: u64,
    /// Its hash, as stored (64 hex digits).
    pub hash: &'a [u8],
    /// The MAC as stored (64 hex digits), if any.
    pub mac: Option<&'a [u8]>,
}

/// Where and why a chain is broken.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Broken {
    /// The first row that is not right (for a head problem: the row the
    /// head should name, see [`ChainError`]).
    pub seq: u64,
    /// Why.
    pub reason: ChainError,
}

/// The columns a store keeps beside the record (for its queries), which the
/// verifier checks against the record.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Columns<'a> {
    /// Unix time in microseconds.
    pub at_us: u64,
    /// The type's name.
    pub kind: &'a [u8],
    /// The outcome's name.
    pub outcome: &'a [u8],
    /// The principal.
    pub principal: Option<&'a [u8]>,
    /// The tool.
    pub tool: Option<&'a [u8]>,
}

impl Columns<'_> {
    fn matches(&self, r: &RecordView<'_>) -> bool {
        let kind = EventType::from_name(self.kind) == Some(r.kind);
        let outcome = Outcome::from_name(self.outcome) == Some(r.outcome);
        kind && outcome
            && self.at_us == r.at_us
            && self.principal == r.principal.map(str::as_bytes)
            && self.tool == r.tool.map(str::as_bytes)
    }
}

/// Checks a chain fed row by row, in sequence order from row 1, then its
/// head. Once broken it stays broken: later rows are not looked at.
#[derive(Debug)]
pub struct Verifier {
    key: Option<HeadKey>,
    /// The last row verified (0: none yet) and its hash.
    last: u64,
    prev: Hash,
    broken: Option<Broken>,
}

impl Verifier {
    /// A verifier; with `key`, the head's MAC is required and checked.
    pub fn new(key: Option<HeadKey>) -> Self {
        Self {
            key,
            last: 0,
            prev: GENESIS,
            broken: None,
        }
    }

    /// Rows verified so far.
    pub fn verified(&self) -> u64 {
        self.last
    }

    /// The first break found, if any.
    pub fn broken(&self) -> Option<Broken> {
        self.broken
    }

    fn fail<T>(&mut self, seq: u64, reason: ChainError) -> Result<T, Broken> {
        let b = Broken { seq, reason };
        self.broken = Some(b);
        Err(b)
    }

    /// Feeds the next row: its sequence number, record and stored hash (64
    /// hex digits).
    pub fn feed(&mut self, seq: u64, record: &[u8], hash: &[u8]) -> Result<(), Broken> {
        self.feed_row(seq, record, hash, None)
    }

    /// [`Verifier::feed`], also checking the columns stored beside the record.
    pub fn feed_row(
        &mut self,
        seq: u64,
        record: &[u8],
        hash: &[u8],
        columns: Option<&Columns<'_>>,
    ) -> Result<(), Broken> {
        if let Some(b) = self.broken {
            return Err(b);
        }
        let expected = self.last.saturating_add(1);
        if seq != expected {
            let reason = if seq > expected {
                ChainError::Missing
            } else {
                ChainError::Reordered
            };
            return self.fail(expected, reason);
        }
        let Ok(view) = record::read(record) else {
            return self.fail(seq, ChainError::Malformed);
        };
        let Some(stored) = parse_hex(hash) else {
            return self.fail(seq, ChainError::Malformed);
        };
        if view.seq != seq {
            return self.fail(seq, ChainError::Reordered);
        }
        if view.prev != self.prev {
            // The record links to another hash than the row before holds.
            // If this row is intact as written (its hash verifies over the
            // prev it names), the row before was replaced and its hash
            // recomputed; otherwise this row was edited.
            if seq > 1 && link_hash(seq, &view.prev, record) == stored {
                self.last = seq - 2;
                return self.fail(seq - 1, ChainError::Forged);
            }
            return self.fail(seq, ChainError::Edited);
        }
        if link_hash(seq, &self.prev, record) != stored {
            return self.fail(seq, ChainError::Edited);
        }
        if columns.is_some_and(|c| !c.matches(&view)) {
            return self.fail(seq, ChainError::EditedColumn);
        }
        self.last = seq;
        self.prev = stored;
        Ok(())
    }

    /// Checks the head against the rows fed: `None` when the store has no
    /// head. Returns the number of rows verified.
    pub fn finish(&mut self, head: Option<Head<'_>>) -> Result<u64, Broken> {
        if let Some(b) = self.broken {
            return Err(b);
        }
        let Some(head) = head else {
            if self.last == 0 {
                return Ok(0);
            }
            return self.fail(self.last, ChainError::NoHead);
        };
        let Some(hash) = parse_hex(head.hash) else {
            return self.fail(head.seq, ChainError::ForgedHead);
        };
        if let Some(key) = &self.key {
            let authentic = head
                .mac
                .and_then(parse_hex)
                .is_some_and(|mac| mac_ok(key, head.seq, &hash, &mac));
            if !authentic {
                return self.fail(head.seq, ChainError::ForgedHead);
            }
        }
        if head.seq > self.last {
            return self.fail(self.last.saturating_add(1), ChainError::TailCut);
        }
        if head.seq < self.last {
            return self.fail(head.seq.saturating_add(1), ChainError::BeyondHead);
        }
        if hash != self.prev {
            return self.fail(head.seq, ChainError::ForgedHead);
        }
        Ok(self.last)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn event(i: u64) -> Event {
        let mut e = Event::new(EventType::ToolAllowed, 1_800_000_000_000_000 + i).unwrap();
        e.set_principal(format!("member:{i}").as_bytes()).unwrap();
        e.set_tool(b"product_list").unwrap();
        e
    }

    /// Rows 1..=n as (seq, record, hash hex).
    fn chain(n: u64) -> Vec<(u64, String, String)> {
        let mut rows = Vec::new();
        let mut prev: Option<Hash> = None;
        for seq in 1..=n {
            let l = link(&event(seq), seq, prev.as_ref()).unwrap();
            prev = Some(l.hash);
            rows.push((seq, l.record, digest::hex(&l.hash)));
        }
        rows
    }

    fn verify(
        rows: &[(u64, String, String)],
        head: Option<(u64, &str, Option<&str>)>,
        key: Option<&[u8]>,
    ) -> Result<u64, Broken> {
        let mut v = Verifier::new(key.map(|k| HeadKey::new(k).unwrap()));
        for (seq, record, hash) in rows {
            if v.feed(*seq, record.as_bytes(), hash.as_bytes()).is_err() {
                break;
            }
        }
        v.finish(head.map(|(seq, hash, mac)| Head {
            seq,
            hash: hash.as_bytes(),
            mac: mac.map(str::as_bytes),
        }))
    }

    fn head_of(rows: &[(u64, String, String)]) -> Option<(u64, &str, Option<&str>)> {
        rows.last().map(|(s, _, h)| (*s, h.as_str(), None))
    }

    fn broken(seq: u64, reason: ChainError) -> Result<u64, Broken> {
        Err(Broken { seq, reason })
    }

    #[test]
    fn an_intact_chain_verifies() {
        let rows = chain(10);
        assert_eq!(verify(&rows, head_of(&rows), None), Ok(10));
        assert_eq!(verify(&[], None, None), Ok(0));
    }

    #[test]
    fn link_refuses_a_wrong_start() {
        assert_eq!(link(&event(1), 0, None), Err(AuditError::OutOfRange));
        assert_eq!(
            link(&event(1), 1, Some(&[1; 32])),
            Err(AuditError::OutOfRange)
        );
        assert_eq!(link(&event(1), 2, None), Err(AuditError::OutOfRange));
        assert_eq!(
            link(&event(1), MAX_NUMBER + 1, Some(&[1; 32])),
            Err(AuditError::OutOfRange)
        );
    }

    #[test]
    fn names_the_first_broken_row() {
        let rows = chain(10);
        let head = head_of(&rows);
        // An edited record.
        let mut r = rows.clone();
        r[4].1 = r[4].1.replace("member:5", "member:6");
        assert_eq!(verify(&r, head, None), broken(5, ChainError::Edited));
        // An edited hash.
        let mut r = rows.clone();
        r[4].2 = digest::hex(&[7; 32]);
        assert_eq!(verify(&r, head, None), broken(5, ChainError::Edited));
        // A hash that is no hash.
        let mut r = rows.clone();
        r[4].2 = "zz".into();
        assert_eq!(verify(&r, head, None), broken(5, ChainError::Malformed));
        // A record that is no record.
        let mut r = rows.clone();
        r[4].1 = "{}".into();
        assert_eq!(verify(&r, head, None), broken(5, ChainError::Malformed));
        // An edited record whose hash was recomputed: the next row still
        // links to the original.
        let mut r = rows.clone();
        let forged = link(
            &event(99),
            5,
            Some(&parse_hex(rows[3].2.as_bytes()).unwrap()),
        )
        .unwrap();
        r[4].1 = forged.record;
        r[4].2 = digest::hex(&forged.hash);
        assert_eq!(verify(&r, head, None), broken(5, ChainError::Forged));
        // A deleted middle row.
        let mut r = rows.clone();
        r.remove(4);
        assert_eq!(verify(&r, head, None), broken(5, ChainError::Missing));
        // Two rows swapped in place (their seq column kept).
        let mut r = rows.clone();
        let (a, b) = (r[4].clone(), r[5].clone());
        r[4] = (5, b.1, b.2);
        r[5] = (6, a.1, a.2);
        assert_eq!(verify(&r, head, None), broken(5, ChainError::Reordered));
        // Rows read out of order.
        let mut r = rows.clone();
        r.swap(4, 5);
        assert_eq!(verify(&r, head, None), broken(5, ChainError::Missing));
        let mut r = rows.clone();
        r.insert(5, rows[4].clone());
        assert_eq!(verify(&r, head, None), broken(6, ChainError::Reordered));
        // A row renumbered after a deletion.
        let mut r = rows.clone();
        r.remove(4);
        for row in r.iter_mut().skip(4) {
            row.0 -= 1;
        }
        assert_eq!(verify(&r, head, None), broken(5, ChainError::Reordered));
        // The first row edited.
        let mut r = rows.clone();
        r[0].1 = r[0].1.replace("member:1", "member:2");
        assert_eq!(verify(&r, head, None), broken(1, ChainError::Edited));
    }

    #[test]
    fn the_head_reveals_a_cut_tail() {
        let rows = chain(10);
        let head = head_of(&rows);
        assert_eq!(
            verify(&rows[..8], head, None),
            broken(9, ChainError::TailCut)
        );
        assert_eq!(verify(&[], head, None), broken(1, ChainError::TailCut));
        assert_eq!(verify(&rows, None, None), broken(10, ChainError::NoHead));
        let h8 = rows[7].2.as_str();
        assert_eq!(
            verify(&rows, Some((8, h8, None)), None),
            broken(9, ChainError::BeyondHead)
        );
        assert_eq!(
            verify(&rows, Some((10, h8, None)), None),
            broken(10, ChainError::ForgedHead)
        );
        assert_eq!(
            verify(&rows, Some((10, "x", None)), None),
            broken(10, ChainError::ForgedHead)
        );
        // Without a key, a head rewritten to match the cut is not detected:
        // that is what the key is for.
        assert_eq!(verify(&rows[..8], Some((8, h8, None)), None), Ok(8));
    }

    #[test]
    fn a_keyed_head_cannot_be_rewritten_without_the_key() {
        let key = [9u8; 32];
        let k = HeadKey::new(&key).unwrap();
        let rows = chain(10);
        let h10 = parse_hex(rows[9].2.as_bytes()).unwrap();
        let mac10 = digest::hex(&head_mac(&k, 10, &h10));
        let head = Some((10, rows[9].2.as_str(), Some(mac10.as_str())));
        assert_eq!(verify(&rows, head, Some(&key)), Ok(10));
        // Cut and rewritten without the key: a stale MAC, a made-up one, none.
        let h8 = rows[7].2.as_str();
        assert_eq!(
            verify(&rows[..8], Some((8, h8, Some(mac10.as_str()))), Some(&key)),
            broken(8, ChainError::ForgedHead)
        );
        let other = digest::hex(&head_mac(
            &HeadKey::new(&[8u8; 32]).unwrap(),
            8,
            &parse_hex(h8.as_bytes()).unwrap(),
        ));
        assert_eq!(
            verify(&rows[..8], Some((8, h8, Some(other.as_str()))), Some(&key)),
            broken(8, ChainError::ForgedHead)
        );
        assert_eq!(
            verify(&rows[..8], Some((8, h8, None)), Some(&key)),
            broken(8, ChainError::ForgedHead)
        );
        // The cut with the authentic head left in place.
        assert_eq!(
            verify(&rows[..8], head, Some(&key)),
            broken(9, ChainError::TailCut)
        );
        // With the key, the head of the cut chain verifies: the key holder
        // can rewrite.
        let mac8 = digest::hex(&head_mac(&k, 8, &parse_hex(h8.as_bytes()).unwrap()));
        assert_eq!(
            verify(&rows[..8], Some((8, h8, Some(mac8.as_str()))), Some(&key)),
            Ok(8)
        );
        assert_eq!(HeadKey::new(&[1; 31]).unwrap_err(), AuditError::WeakKey);
    }

    #[test]
    fn columns_are_checked_against_the_record() {
        let rows = chain(2);
        let mut v = Verifier::new(None);
        let cols = Columns {
            at_us: 1_800_000_000_000_001,
            kind: b"tool_allowed",
            outcome: b"allowed",
            principal: Some(b"member:1"),
            tool: Some(b"product_list"),
        };
        assert!(v
            .feed_row(1, rows[0].1.as_bytes(), rows[0].2.as_bytes(), Some(&cols))
            .is_ok());
        let lie = Columns {
            principal: Some(b"member:7"),
            at_us: 1_800_000_000_000_002,
            ..cols
        };
        assert_eq!(
            v.feed_row(2, rows[1].1.as_bytes(), rows[1].2.as_bytes(), Some(&lie)),
            Err(Broken {
                seq: 2,
                reason: ChainError::EditedColumn
            })
        );
        // Broken stays broken.
        assert!(v.feed(3, b"", b"").is_err());
        assert_eq!(v.verified(), 1);
    }
}
