//! The per-worker cache of parsed key sets: the core's one [`Lru`], keyed by
//! the [`digest`](crate::core::digest) of a set's source and the options it
//! was parsed with. Building the same `KeySet` on the next request costs a
//! digest and a lookup instead of a parse.

use std::sync::Arc;

use super::keys::KeySet;
use crate::core::cache::Lru;

/// Default number of sets kept per worker.
pub const DEFAULT_MAX_ENTRIES: usize = 32;
/// Default total source bytes kept per worker (also the largest source that
/// is digested for the cache: a larger one is parsed, or refused, uncached).
pub const DEFAULT_MAX_BYTES: usize = 1024 * 1024;
/// The digest key space of key sets.
pub const DIGEST_LABEL: &str = "jwt key set";

/// The cache of parsed key sets.
pub type KeySetCache = Lru<Arc<KeySet>>;

/// An empty cache with the default bounds.
pub const fn new_cache() -> KeySetCache {
    Lru::new(DEFAULT_MAX_ENTRIES, DEFAULT_MAX_BYTES)
}
