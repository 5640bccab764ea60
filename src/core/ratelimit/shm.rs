//! The table's memory: one `MAP_SHARED | MAP_ANONYMOUS` mapping, made at module
//! start-up. The PHP-FPM master (and `php -S` with `PHP_CLI_SERVER_WORKERS`)
//! runs module start-up before it forks its workers, so every worker inherits
//! the same physical pages and every hit of every worker lands in one table.
//!
//! The mapping holds the namespace directory ([`DIRECTORY_ENTRIES`] words,
//! see [`super::space`]) followed by the slots.
//!
//! This is the only module of mcp_guard with `unsafe` code: the `mmap` /
//! `munmap` calls and the one view of the mapping as a slice of atomics.
//! The crate denies `unsafe_code`; this module alone allows it.
#![allow(unsafe_code)]

use std::ptr::NonNull;

use portable_atomic::AtomicU128;

use super::space::DIRECTORY_ENTRIES;
use super::RateLimitError;

/// Size of one slot in bytes.
pub const SLOT_BYTES: usize = std::mem::size_of::<AtomicU128>();

/// Fewest slots accepted.
pub const MIN_SLOTS: usize = 64;

/// Most slots accepted: 16 Mi slots, 256 MiB.
pub const MAX_SLOTS: usize = 1 << 24;

/// Default number of slots: 131 072 (2 MiB).
pub const DEFAULT_SLOTS: usize = 1 << 17;

/// A shared anonymous mapping holding the directory and `len` zeroed 128-bit
/// slots, unmapped on drop.
#[derive(Debug)]
pub struct SharedSlots {
    ptr: NonNull<AtomicU128>,
    /// Words in the mapping: directory and slots.
    words: usize,
    bytes: usize,
    creator_pid: u32,
}

// SAFETY: the mapping is plain memory accessed only through atomics (the slice
// handed out is `&[AtomicU128]`, which is `Sync`); the pointer is never freed
// while a `&SharedSlots` exists (munmap happens in `drop`, which takes the
// value by `&mut` after every borrow ended).
unsafe impl Send for SharedSlots {}
// SAFETY: see `Send`: all shared access is through atomic operations.
unsafe impl Sync for SharedSlots {}

impl SharedSlots {
    /// Maps the directory and `len` slots (`MIN_SLOTS..=MAX_SLOTS`),
    /// zero-filled by the kernel.
    pub fn map(len: usize) -> Result<Self, RateLimitError> {
        if !(MIN_SLOTS..=MAX_SLOTS).contains(&len) {
            return Err(RateLimitError::TableUnavailable);
        }
        let words = len + DIRECTORY_ENTRIES;
        let bytes = words
            .checked_mul(SLOT_BYTES)
            .ok_or(RateLimitError::TableUnavailable)?;
        // SAFETY: an anonymous mapping (fd -1, offset 0) at an address the
        // kernel chooses: it cannot alias any existing Rust object. The result
        // is checked against MAP_FAILED before use.
        let raw = unsafe {
            libc::mmap(
                std::ptr::null_mut(),
                bytes,
                libc::PROT_READ | libc::PROT_WRITE,
                libc::MAP_SHARED | libc::MAP_ANONYMOUS,
                -1,
                0,
            )
        };
        if raw == libc::MAP_FAILED {
            return Err(RateLimitError::TableUnavailable);
        }
        let ptr = NonNull::new(raw.cast::<AtomicU128>()).ok_or(RateLimitError::TableUnavailable)?;
        Ok(Self {
            ptr,
            words,
            bytes,
            creator_pid: std::process::id(),
        })
    }

    /// The whole mapping as words.
    fn words(&self) -> &[AtomicU128] {
        // SAFETY: `ptr` is the start of a live mapping of `words * 16` bytes,
        // page-aligned (so aligned for AtomicU128, which is 16-byte aligned and
        // has the size and validity of u128: all-zero bytes are a valid value).
        // The mapping stays until `drop`, which cannot run while this borrow
        // lives. Other processes write it concurrently, which is fine because
        // every access goes through atomic operations.
        unsafe { std::slice::from_raw_parts(self.ptr.as_ptr(), self.words) }
    }

    /// The namespace directory (the first [`DIRECTORY_ENTRIES`] words).
    pub fn directory(&self) -> &[AtomicU128] {
        self.words().split_at(DIRECTORY_ENTRIES).0
    }

    /// The slots (every word after the directory; a multiple of four words
    /// from the page-aligned start, so every bucket is one cache line).
    pub fn slots(&self) -> &[AtomicU128] {
        self.words().split_at(DIRECTORY_ENTRIES).1
    }

    /// The pid of the process that made the mapping (module start-up).
    pub fn creator_pid(&self) -> u32 {
        self.creator_pid
    }

    /// Whether this process inherited the mapping through `fork` (a PHP-FPM
    /// worker forked by the master that ran module start-up): then the table is
    /// shared with every sibling worker. `false` in the process that made it:
    /// the CLI, or a worker that loaded the extension itself (per-pool
    /// `php_admin_value[extension]`), whose limits are then per process.
    pub fn inherited(&self) -> bool {
        std::process::id() != self.creator_pid
    }
}

impl Drop for SharedSlots {
    fn drop(&mut self) {
        // SAFETY: `ptr`/`bytes` are exactly what mmap returned and no borrow
        // of the slots outlives `self`. A failure (impossible for a valid
        // mapping) only leaks address space until exit.
        unsafe {
            libc::munmap(self.ptr.as_ptr().cast(), self.bytes);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::ratelimit::gcra::MICROS_PER_SEC;
    use crate::core::ratelimit::table::DEFAULT_PROBES;
    use crate::core::ratelimit::{HashKey, Namespace, Rate, Space, WhenFull};

    const NOW: u64 = 1_800_000_000 * MICROS_PER_SEC;

    #[test]
    fn size_bounds() {
        assert!(SharedSlots::map(MIN_SLOTS - 1).is_err());
        assert!(SharedSlots::map(MAX_SLOTS + 1).is_err());
        let s = SharedSlots::map(MIN_SLOTS).unwrap();
        assert_eq!(s.slots().len(), MIN_SLOTS);
        assert_eq!(s.directory().len(), DIRECTORY_ENTRIES);
        assert!(!s.inherited());
        assert_eq!(s.creator_pid(), std::process::id());
    }

    /// A forked child spends the key's whole limit in the mapping; the parent
    /// then sees it spent: the memory really is shared across processes.
    #[test]
    fn a_forked_child_shares_the_table() {
        let shared = SharedSlots::map(1024).unwrap();
        let p = Rate::per_seconds(5, 60).unwrap();
        let key = HashKey::from_parts(7, 7);
        let ns = Namespace::default();
        let open = || {
            Space::open(
                shared.directory(),
                shared.slots(),
                &key,
                &ns,
                DEFAULT_PROBES,
                WhenFull::Refuse,
            )
        };
        // SAFETY: the child only runs atomics on the mapping and `_exit`s; it
        // never returns into the test harness.
        let pid = unsafe { libc::fork() };
        assert!(pid >= 0);
        if pid == 0 {
            // The child also claims the namespace's region: the parent must
            // find that claim in the shared directory.
            let ok = match open() {
                Ok(t) => (0..5).all(|_| {
                    t.hit(&key, "p", &p, b"k", NOW, 1)
                        .is_ok_and(|d| d.allowed())
                }),
                Err(_) => false,
            };
            // SAFETY: ends the child without running the parent's destructors.
            unsafe { libc::_exit(if ok { 0 } else { 1 }) };
        }
        let mut status = 0;
        // SAFETY: waits for the child we just forked.
        let waited = unsafe { libc::waitpid(pid, &mut status, 0) };
        assert_eq!(waited, pid);
        assert!(libc::WIFEXITED(status) && libc::WEXITSTATUS(status) == 0);
        let t = open().unwrap();
        assert!(!t.hit(&key, "p", &p, b"k", NOW, 1).unwrap().allowed());
        assert_eq!(t.usage(NOW).total().live, 1);
    }
}
