//! A bounded cache of parsed key sets, keyed by the SHA-256 of their source
//! (and of the options they were parsed with). The PHP bindings keep one per
//! worker thread, so building the same `KeySet` on the next request costs a
//! hash and a lookup instead of a parse.
//!
//! Bounded twice: at most `max_entries` sets and `max_bytes` of source;
//! least recently used sets go first. A source larger than `max_bytes` is
//! parsed but not kept. Failures are never cached.

use std::sync::Arc;

use ring::digest;

use super::keys::KeySet;
use super::JwtError;

/// Default number of sets kept per worker.
pub const DEFAULT_MAX_ENTRIES: usize = 32;
/// Default total source bytes kept per worker.
pub const DEFAULT_MAX_BYTES: usize = 1024 * 1024;

/// A cache key: SHA-256 over length-prefixed parts.
pub type Digest = [u8; 32];

/// SHA-256 over the parts, each prefixed with its length, so that no two
/// different (source, options) tuples share a digest by concatenation.
pub fn digest(parts: &[&[u8]]) -> Digest {
    let mut ctx = digest::Context::new(&digest::SHA256);
    for p in parts {
        ctx.update(&(p.len() as u64).to_be_bytes());
        ctx.update(p);
    }
    let mut out = [0u8; 32];
    out.copy_from_slice(ctx.finish().as_ref());
    out
}

struct Entry {
    digest: Digest,
    cost: usize,
    set: Arc<KeySet>,
}

/// Counters, for `KeySet::cacheStats()` and tests.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Stats {
    /// Sets held.
    pub entries: usize,
    /// Source bytes held.
    pub bytes: usize,
    /// Lookups answered from the cache.
    pub hits: u64,
    /// Lookups that parsed.
    pub misses: u64,
}

/// The cache. Entries are kept in recency order, most recent last.
pub struct KeySetCache {
    entries: Vec<Entry>,
    max_entries: usize,
    max_bytes: usize,
    stats: Stats,
}

impl KeySetCache {
    /// An empty cache with the given bounds.
    pub const fn new(max_entries: usize, max_bytes: usize) -> Self {
        Self {
            entries: Vec::new(),
            max_entries,
            max_bytes,
            stats: Stats {
                entries: 0,
                bytes: 0,
                hits: 0,
                misses: 0,
            },
        }
    }

    /// The set for `digest`, parsing with `parse` on a miss. `cost` is the
    /// source length.
    pub fn get_or_parse(
        &mut self,
        digest: Digest,
        cost: usize,
        parse: impl FnOnce() -> Result<KeySet, JwtError>,
    ) -> Result<Arc<KeySet>, JwtError> {
        if let Some(pos) = self.entries.iter().position(|e| e.digest == digest) {
            self.stats.hits += 1;
            let entry = self.entries.remove(pos);
            let set = Arc::clone(&entry.set);
            self.entries.push(entry);
            return Ok(set);
        }
        self.stats.misses += 1;
        let set = Arc::new(parse()?);
        if cost <= self.max_bytes && self.max_entries > 0 {
            while self.entries.len() >= self.max_entries || self.stats.bytes + cost > self.max_bytes
            {
                if self.entries.is_empty() {
                    break;
                }
                let old = self.entries.remove(0);
                self.stats.bytes -= old.cost;
            }
            self.stats.bytes += cost;
            self.entries.push(Entry {
                digest,
                cost,
                set: Arc::clone(&set),
            });
        }
        self.stats.entries = self.entries.len();
        Ok(set)
    }

    /// Drops every set (counters are kept).
    pub fn clear(&mut self) {
        self.entries.clear();
        self.stats.entries = 0;
        self.stats.bytes = 0;
    }

    /// The counters.
    pub fn stats(&self) -> Stats {
        self.stats
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::jwt::Alg;

    fn set() -> Result<KeySet, JwtError> {
        KeySet::from_secret(&[1; 32], Alg::HS256, None)
    }

    #[test]
    fn hits_evicts_lru_and_stays_bounded() {
        let mut c = KeySetCache::new(2, 100);
        let (a, b, d) = (digest(&[b"a"]), digest(&[b"b"]), digest(&[b"d"]));
        let first = c.get_or_parse(a, 10, set).unwrap();
        let again = c.get_or_parse(a, 10, || panic!("must not parse")).unwrap();
        assert!(Arc::ptr_eq(&first, &again));
        c.get_or_parse(b, 10, set).unwrap();
        c.get_or_parse(a, 10, set).unwrap(); // a is now most recent
        c.get_or_parse(d, 10, set).unwrap(); // evicts b
        assert_eq!(c.stats().entries, 2);
        let mut parsed = false;
        c.get_or_parse(b, 10, || {
            parsed = true;
            set()
        })
        .unwrap();
        assert!(parsed);
        // Byte bound: a 95-byte source pushes the others out; a 101-byte one is not kept.
        c.get_or_parse(digest(&[b"big"]), 95, set).unwrap();
        assert_eq!(c.stats().bytes, 95);
        c.get_or_parse(digest(&[b"huge"]), 101, set).unwrap();
        assert!(c.stats().bytes <= 100);
        // Failures are not cached.
        assert!(c
            .get_or_parse(digest(&[b"bad"]), 1, || Err(JwtError::InvalidKey))
            .is_err());
        assert!(c.get_or_parse(digest(&[b"bad"]), 1, set).is_ok());
        c.clear();
        assert_eq!(c.stats().entries, 0);
    }

    #[test]
    fn digest_is_length_prefixed() {
        assert_ne!(digest(&[b"ab", b"c"]), digest(&[b"a", b"bc"]));
    }
}
