//! The one per-worker cache of mcp_guard: a small LRU bounded by entries and
//! by bytes, keyed by a [`digest`](crate::core::digest) of the source and its
//! options. The bindings keep one per worker thread for each kind of parsed
//! object (key sets, compiled manifests), so building the same object on the
//! next request costs a digest and a lookup instead of a parse.
//!
//! A value larger than the byte bound is returned but not kept; failures are
//! never cached.

use crate::core::digest::Hash;

/// Counters, for `cacheStats()` and tests.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Stats {
    /// Values held.
    pub entries: usize,
    /// Bytes (of source) held.
    pub bytes: usize,
    /// Lookups answered from the cache.
    pub hits: u64,
    /// Lookups that had to build.
    pub misses: u64,
}

struct Entry<V> {
    key: Hash,
    cost: usize,
    value: V,
}

/// The cache. Entries are kept in recency order, most recent last; the
/// bounds are small (tens of entries), so a linear scan beats hashing.
pub struct Lru<V> {
    entries: Vec<Entry<V>>,
    max_entries: usize,
    max_bytes: usize,
    stats: Stats,
}

impl<V: Clone> Lru<V> {
    /// An empty cache holding at most `max_entries` values and `max_bytes`
    /// of source.
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

    /// The value for `key`, built with `make` on a miss (and kept when its
    /// `cost`, the source length, fits the byte bound).
    pub fn get_or_try_insert<E>(
        &mut self,
        key: Hash,
        cost: usize,
        make: impl FnOnce() -> Result<V, E>,
    ) -> Result<V, E> {
        if let Some(pos) = self.entries.iter().position(|e| e.key == key) {
            self.stats.hits += 1;
            let entry = self.entries.remove(pos);
            let value = entry.value.clone();
            self.entries.push(entry);
            return Ok(value);
        }
        self.stats.misses += 1;
        let value = make()?;
        if cost <= self.max_bytes && self.max_entries > 0 {
            while !self.entries.is_empty()
                && (self.entries.len() >= self.max_entries
                    || self.stats.bytes.saturating_add(cost) > self.max_bytes)
            {
                let old = self.entries.remove(0);
                self.stats.bytes -= old.cost;
            }
            self.stats.bytes += cost;
            self.entries.push(Entry {
                key,
                cost,
                value: value.clone(),
            });
        }
        self.stats.entries = self.entries.len();
        Ok(value)
    }

    /// Drops every value (the counters are kept).
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
    use crate::core::digest::of_parts;

    fn ok(v: u32) -> impl FnOnce() -> Result<u32, ()> {
        move || Ok(v)
    }

    #[test]
    fn hits_evicts_lru_and_stays_bounded() {
        let mut c = Lru::new(2, 100);
        let (a, b, d) = (
            of_parts("t", &[b"a"]),
            of_parts("t", &[b"b"]),
            of_parts("t", &[b"d"]),
        );
        assert_eq!(c.get_or_try_insert(a, 10, ok(1)), Ok(1));
        assert_eq!(
            c.get_or_try_insert(a, 10, || -> Result<u32, ()> { Err(()) }),
            Ok(1)
        );
        c.get_or_try_insert(b, 10, ok(2)).unwrap();
        c.get_or_try_insert(a, 10, ok(9)).unwrap(); // a is now most recent
        c.get_or_try_insert(d, 10, ok(3)).unwrap(); // evicts b
        assert_eq!(c.stats().entries, 2);
        assert_eq!(c.get_or_try_insert(b, 10, ok(4)), Ok(4)); // rebuilt
        assert_eq!(c.stats().hits, 2);
        // The byte bound: a 95-byte source pushes the others out; a 101-byte
        // one is returned but not kept.
        c.get_or_try_insert(of_parts("t", &[b"big"]), 95, ok(5))
            .unwrap();
        assert_eq!(c.stats().bytes, 95);
        assert_eq!(
            c.get_or_try_insert(of_parts("t", &[b"huge"]), 101, ok(6)),
            Ok(6)
        );
        assert!(c.stats().bytes <= 100);
        assert_eq!(c.stats().entries, 1);
        // Failures are not cached.
        let bad = of_parts("t", &[b"bad"]);
        assert_eq!(c.get_or_try_insert(bad, 1, || Err::<u32, ()>(())), Err(()));
        assert_eq!(c.get_or_try_insert(bad, 1, ok(7)), Ok(7));
        c.clear();
        assert_eq!((c.stats().entries, c.stats().bytes), (0, 0));
    }

    #[test]
    fn a_cache_of_nothing_keeps_nothing() {
        let mut c = Lru::new(0, 100);
        let k = of_parts("t", &[b"k"]);
        c.get_or_try_insert(k, 1, ok(1)).unwrap();
        assert_eq!(c.get_or_try_insert(k, 1, ok(2)), Ok(2));
        assert_eq!(c.stats().entries, 0);
    }
}
