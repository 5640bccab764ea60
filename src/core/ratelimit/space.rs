//! How the shared table is cut up: one region per *namespace* (a PHP-FPM pool
//! or site, named by the host), and inside each region one share per *key
//! class*, so that nothing done in one region can read, spend, fill or evict
//! the state of another.
//!
//! # Namespaces
//!
//! The mapping starts with a directory of [`DIRECTORY_ENTRIES`] words. Entry
//! `j` is `0` (free) or `(namespace id << 64) | (start << 32) | len`: the
//! region `start .. start + len` of the slots belongs to that namespace for the
//! life of the mapping. Entries are claimed in order with one
//! compare-and-swap each, and entry `j` always starts where entry `j - 1`
//! ends, so regions never overlap, a claim is never half-done (a process
//! killed at any instruction leaves the entry free or claimed) and nothing is
//! ever locked. The first hit of a namespace (in any worker) claims its region
//! with the size that worker's settings ask for; later claims of the same
//! namespace find the entry and use it as it is.
//!
//! A namespace id is a SipHash of its name under the table's secret key, so
//! neither the directory nor a fingerprint holds a name, and nobody can choose
//! two names with one id.
//!
//! # Key classes
//!
//! A region is split in two halves: [`KeyClass::Principal`] for the keys of
//! authenticated callers (`token:…` and `user:…`, as
//! [`super::principal_key`] builds them) and [`KeyClass::Anonymous`] for every
//! other key (`ip:…`, the host's own keys). A flood of new anonymous keys
//! (anyone on the internet can make them, one per address) can at most fill
//! the anonymous half: principal keys never get `table_full` from it and, in
//! `evict` mode, are never evicted by it.

use portable_atomic::{AtomicU128, Ordering};

use super::gcra::{Decision, Rate};
use super::table::{HashKey, NamespaceId, Table, Usage, WhenFull, BUCKET_SLOTS};
use super::{check_policy_name, RateLimitError};

/// Namespaces one table can hold (the directory takes 16 bytes per entry:
/// 64 KiB).
pub const DIRECTORY_ENTRIES: usize = 4096;

/// The smallest region a namespace may ask for.
pub const MIN_NAMESPACE_SLOTS: usize = 64;

/// The largest region a namespace may ask for (the largest table).
pub const MAX_NAMESPACE_SLOTS: usize = 1 << 24;

/// The share of a namespace's region a key lives in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyClass {
    /// `token:…` and `user:…` keys: one per authenticated principal.
    Principal,
    /// Every other key (`ip:…` and the host's own keys).
    Anonymous,
}

impl KeyClass {
    /// The class of `key`, from its prefix.
    pub fn of(key: &[u8]) -> Self {
        if key.starts_with(b"token:") || key.starts_with(b"user:") {
            Self::Principal
        } else {
            Self::Anonymous
        }
    }
}

/// A namespace as the host configured it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Namespace {
    name: String,
    slots: usize,
}

impl Namespace {
    /// Parses the two settings: `name` is empty (the default namespace) or
    /// `[a-z0-9_.-]{1,64}`; `slots` is `0` (the whole table) or
    /// `MIN_NAMESPACE_SLOTS ..= MAX_NAMESPACE_SLOTS`, surrounding whitespace
    /// allowed. Anything else is [`RateLimitError::InvalidNamespace`]: a
    /// misconfigured pool is refused, never merged into the default namespace.
    pub fn parse(name: &[u8], slots: &[u8]) -> Result<Self, RateLimitError> {
        let name = std::str::from_utf8(name).map_err(|_| RateLimitError::InvalidNamespace)?;
        if !name.is_empty() {
            check_policy_name(name).map_err(|_| RateLimitError::InvalidNamespace)?;
        }
        let slots = std::str::from_utf8(slots)
            .ok()
            .map(str::trim)
            .filter(|s| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()))
            .and_then(|s| s.parse::<usize>().ok())
            .filter(|n| *n == 0 || (MIN_NAMESPACE_SLOTS..=MAX_NAMESPACE_SLOTS).contains(n))
            .ok_or(RateLimitError::InvalidNamespace)?;
        Ok(Self {
            name: name.to_owned(),
            slots,
        })
    }

    /// The name (`""` for the default namespace).
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The slots asked for (`0` = the whole table).
    pub fn slots(&self) -> usize {
        self.slots
    }
}

/// A namespace's slots: `start .. start + len` of the table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Region {
    /// First slot.
    pub start: usize,
    /// Number of slots.
    pub len: usize,
}

fn pack(id: NamespaceId, start: usize, len: usize) -> u128 {
    (u128::from(id.get()) << 64) | ((start as u128) << 32) | len as u128
}

fn unpack(v: u128) -> (u64, usize, usize) {
    (
        (v >> 64) as u64,
        ((v >> 32) as u32) as usize,
        (v as u32) as usize,
    )
}

/// The namespace directory at the head of the mapping.
#[derive(Debug)]
pub struct Directory<'a> {
    entries: &'a [AtomicU128],
    table_slots: usize,
}

impl<'a> Directory<'a> {
    /// The directory `entries` of a table of `table_slots` slots.
    pub fn new(entries: &'a [AtomicU128], table_slots: usize) -> Self {
        Self {
            entries,
            table_slots,
        }
    }

    /// The region of namespace `id`: the one claimed before, or, at its first
    /// use, `want` slots claimed now (`0` = the whole table; rounded down to
    /// whole buckets). [`RateLimitError::NamespaceUnavailable`] when the rest
    /// of the table is too small or the directory is full: the host gave out
    /// more than the table holds.
    pub fn region(&self, id: NamespaceId, want: usize) -> Result<Region, RateLimitError> {
        let whole = self.table_slots - self.table_slots % BUCKET_SLOTS;
        let want = match want {
            0 => whole,
            n => n - n % BUCKET_SLOTS,
        };
        let mut end = 0usize;
        for entry in self.entries {
            let mut v = entry.load(Ordering::Acquire);
            if v == 0 {
                if want == 0 || end.saturating_add(want) > whole {
                    return Err(RateLimitError::NamespaceUnavailable);
                }
                match entry.compare_exchange(
                    0,
                    pack(id, end, want),
                    Ordering::AcqRel,
                    Ordering::Acquire,
                ) {
                    Ok(_) => {
                        return Ok(Region {
                            start: end,
                            len: want,
                        })
                    }
                    // Another worker claimed this entry first (perhaps for
                    // this very namespace): read what it wrote.
                    Err(seen) => v = seen,
                }
            }
            let (entry_id, start, len) = unpack(v);
            // Only this module writes entries, always in order; anything else
            // means the memory was overwritten: refuse rather than trust it.
            if start != end || len == 0 || start.saturating_add(len) > whole {
                return Err(RateLimitError::TableUnavailable);
            }
            if entry_id == id.get() {
                return Ok(Region { start, len });
            }
            end = start + len;
        }
        Err(RateLimitError::NamespaceUnavailable)
    }

    /// Namespaces claimed so far.
    pub fn claimed(&self) -> usize {
        self.entries
            .iter()
            .take_while(|e| e.load(Ordering::Acquire) != 0)
            .count()
    }
}

/// Slot counts of one namespace, per class.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SpaceUsage {
    /// The namespace's region.
    pub region: Region,
    /// The principal share.
    pub principal: Usage,
    /// The anonymous share.
    pub anonymous: Usage,
}

impl SpaceUsage {
    /// Both shares together.
    pub fn total(&self) -> Usage {
        Usage {
            slots: self.principal.slots + self.anonymous.slots,
            occupied: self.principal.occupied + self.anonymous.occupied,
            live: self.principal.live + self.anonymous.live,
        }
    }
}

/// One namespace's view of the table: its two shares.
#[derive(Debug)]
pub struct Space<'a> {
    id: NamespaceId,
    region: Region,
    principal: Table<'a>,
    anonymous: Table<'a>,
}

impl<'a> Space<'a> {
    /// The shares of `region` of `slots`: the principal half (rounded down to
    /// whole buckets) and the anonymous rest.
    pub fn new(
        slots: &'a [AtomicU128],
        id: NamespaceId,
        region: Region,
        probes: usize,
        when_full: WhenFull,
    ) -> Result<Self, RateLimitError> {
        let mine = slots
            .get(region.start..region.start.saturating_add(region.len))
            .ok_or(RateLimitError::TableUnavailable)?;
        let half = mine.len() / 2;
        let (principal, anonymous) = mine.split_at(half - half % BUCKET_SLOTS);
        Ok(Self {
            id,
            region,
            principal: Table::new(principal, probes, when_full)?,
            anonymous: Table::new(anonymous, probes, when_full)?,
        })
    }

    /// Opens namespace `ns` of a mapped table (its directory and slots),
    /// claiming its region at its first use.
    pub fn open(
        directory: &'a [AtomicU128],
        slots: &'a [AtomicU128],
        key: &HashKey,
        ns: &Namespace,
        probes: usize,
        when_full: WhenFull,
    ) -> Result<Self, RateLimitError> {
        let id = key.namespace_id(ns.name());
        let region = Directory::new(directory, slots.len()).region(id, ns.slots())?;
        Self::new(slots, id, region, probes, when_full)
    }

    /// The table holding keys of `class`.
    pub fn table(&self, class: KeyClass) -> &Table<'a> {
        match class {
            KeyClass::Principal => &self.principal,
            KeyClass::Anonymous => &self.anonymous,
        }
    }

    /// Records one hit of `cost` on `key` under the rate `policy` at `now_us`,
    /// in the share of the key's class.
    pub fn hit(
        &self,
        hash: &HashKey,
        policy: &str,
        rate: &Rate,
        key: &[u8],
        now_us: u64,
        cost: u64,
    ) -> Result<Decision, RateLimitError> {
        let fp = hash.fingerprint(self.id, policy, key);
        self.table(KeyClass::of(key)).hit(fp, rate, now_us, cost)
    }

    /// The namespace's region.
    pub fn region(&self) -> Region {
        self.region
    }

    /// Slots of each share, at `now_us`.
    pub fn usage(&self, now_us: u64) -> SpaceUsage {
        SpaceUsage {
            region: self.region,
            principal: self.principal.usage(now_us),
            anonymous: self.anonymous.usage(now_us),
        }
    }

    /// Most slots one key's sequence covers.
    pub fn window(&self) -> usize {
        self.principal.window().max(self.anonymous.window())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::ratelimit::gcra::MICROS_PER_SEC;
    use crate::core::ratelimit::table::DEFAULT_PROBES;
    use crate::core::ratelimit::Refusal;

    const NOW: u64 = 1_800_000_000 * MICROS_PER_SEC;

    fn words(n: usize) -> Vec<AtomicU128> {
        (0..n).map(|_| AtomicU128::new(0)).collect()
    }

    fn ns(name: &str, slots: usize) -> Namespace {
        Namespace::parse(name.as_bytes(), slots.to_string().as_bytes()).unwrap()
    }

    #[test]
    fn key_classes_come_from_the_prefix() {
        assert_eq!(KeyClass::of(b"token:abc"), KeyClass::Principal);
        assert_eq!(KeyClass::of(b"user:42"), KeyClass::Principal);
        for k in [
            &b"ip:192.0.2.1"[..],
            b"",
            b"token",
            b"Token:x",
            b"xtoken:a",
            b"users:1",
        ] {
            assert_eq!(KeyClass::of(k), KeyClass::Anonymous);
        }
    }

    #[test]
    fn namespace_settings_are_validated() {
        assert_eq!(Namespace::parse(b"", b"0").unwrap(), Namespace::default());
        let n = Namespace::parse(b"shop-a.example_1", b" 4096 ").unwrap();
        assert_eq!((n.name(), n.slots()), ("shop-a.example_1", 4096));
        for (name, slots) in [
            (&b"Shop"[..], &b"0"[..]),
            (b"a b", b"0"),
            (b"\xff", b"0"),
            (&[b'a'; 65], b"0"),
            (b"a", b""),
            (b"a", b"63"),
            (b"a", b"-64"),
            (b"a", b"+64"),
            (b"a", b"1e3"),
            (b"a", b"16777217"),
            (b"a", b"99999999999999999999999"),
        ] {
            assert_eq!(
                Namespace::parse(name, slots),
                Err(RateLimitError::InvalidNamespace),
                "{name:?} {slots:?}"
            );
        }
    }

    #[test]
    fn regions_are_claimed_in_order_and_never_overlap() {
        let dir = words(4);
        let d = Directory::new(&dir, 1000);
        let k = HashKey::from_parts(1, 2);
        let (a, b, c) = (
            k.namespace_id("a"),
            k.namespace_id("b"),
            k.namespace_id("c"),
        );
        assert_eq!(d.region(a, 100).unwrap(), Region { start: 0, len: 100 });
        // Rounded down to whole buckets.
        assert_eq!(
            d.region(b, 503).unwrap(),
            Region {
                start: 100,
                len: 500
            }
        );
        // A second claim finds the first one, whatever size it asks for.
        assert_eq!(d.region(a, 64).unwrap(), Region { start: 0, len: 100 });
        assert_eq!(d.region(a, 0).unwrap(), Region { start: 0, len: 100 });
        // What does not fit is refused, and claims nothing.
        assert_eq!(d.region(c, 404), Err(RateLimitError::NamespaceUnavailable));
        assert_eq!(d.region(c, 0), Err(RateLimitError::NamespaceUnavailable));
        assert_eq!(d.claimed(), 2);
        assert_eq!(
            d.region(c, 400).unwrap(),
            Region {
                start: 600,
                len: 400
            }
        );
        assert_eq!(d.claimed(), 3);
    }

    #[test]
    fn the_whole_table_is_one_namespace_when_asked_for() {
        let dir = words(4);
        let d = Directory::new(&dir, 1001);
        let k = HashKey::from_parts(1, 2);
        assert_eq!(
            d.region(k.namespace_id(""), 0).unwrap(),
            Region {
                start: 0,
                len: 1000
            }
        );
        assert_eq!(
            d.region(k.namespace_id("late"), 64),
            Err(RateLimitError::NamespaceUnavailable)
        );
    }

    #[test]
    fn a_full_directory_refuses_new_namespaces() {
        let dir = words(2);
        let d = Directory::new(&dir, 10_000);
        let k = HashKey::from_parts(1, 2);
        assert!(d.region(k.namespace_id("a"), 64).is_ok());
        assert!(d.region(k.namespace_id("b"), 64).is_ok());
        assert_eq!(
            d.region(k.namespace_id("c"), 64),
            Err(RateLimitError::NamespaceUnavailable)
        );
        assert!(d.region(k.namespace_id("a"), 64).is_ok());
    }

    #[test]
    fn an_overwritten_directory_is_refused() {
        let dir = words(2);
        let k = HashKey::from_parts(1, 2);
        // An entry that does not start where the previous one ended.
        dir[0].store(pack(k.namespace_id("x"), 8, 64), Ordering::Relaxed);
        let d = Directory::new(&dir, 1000);
        assert_eq!(
            d.region(k.namespace_id("a"), 64),
            Err(RateLimitError::TableUnavailable)
        );
    }

    /// Many threads claim many namespaces at once: every namespace gets one
    /// region, the same in every thread, and no two regions overlap.
    #[test]
    fn concurrent_claims_agree() {
        let dir = std::sync::Arc::new(words(64));
        let k = HashKey::from_parts(5, 6);
        let threads: Vec<_> = (0..8)
            .map(|t| {
                let dir = std::sync::Arc::clone(&dir);
                std::thread::spawn(move || {
                    let d = Directory::new(&dir, 64 * 128);
                    (0..40)
                        .map(|i| {
                            let name = format!("ns{}", (i * 7 + t) % 40);
                            (name.clone(), d.region(k.namespace_id(&name), 128).unwrap())
                        })
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        let mut seen = std::collections::HashMap::new();
        for th in threads {
            for (name, region) in th.join().unwrap() {
                assert_eq!(*seen.entry(name).or_insert(region), region);
            }
        }
        assert_eq!(seen.len(), 40);
        let mut regions: Vec<_> = seen.values().copied().collect();
        regions.sort_by_key(|r| r.start);
        for pair in regions.windows(2) {
            assert_eq!(pair[0].start + pair[0].len, pair[1].start);
        }
    }

    /// Two namespaces: the same key and policy are two states, and filling
    /// one namespace (both classes) leaves the other untouched.
    #[test]
    fn namespaces_are_isolated() {
        let dir = words(8);
        let slots = words(4096);
        let k = HashKey::from_parts(3, 4);
        let open = |n: &Namespace| {
            Space::open(&dir, &slots, &k, n, DEFAULT_PROBES, WhenFull::Refuse).unwrap()
        };
        let (a, b) = (open(&ns("a", 256)), open(&ns("b", 256)));
        let rate = Rate::per_seconds(2, 60).unwrap();
        for key in [&b"ip:192.0.2.1"[..], b"user:42", b"token:abc"] {
            assert!(a.hit(&k, "p", &rate, key, NOW, 2).unwrap().allowed());
            assert!(!a.hit(&k, "p", &rate, key, NOW, 1).unwrap().allowed());
            assert_eq!(b.hit(&k, "p", &rate, key, NOW, 2).unwrap().remaining, 0);
        }
        let before = b.usage(NOW);
        let mut full = 0;
        for i in 0..10_000u32 {
            for prefix in ["ip:", "token:"] {
                let key = format!("{prefix}{i}");
                let d = a.hit(&k, "p", &rate, key.as_bytes(), NOW, 1).unwrap();
                full += usize::from(d.refusal == Some(Refusal::TableFull));
            }
        }
        assert_eq!(full, 2 * 10_000 - 256 + 3);
        assert_eq!(a.usage(NOW).total().occupied, 256);
        assert_eq!(b.usage(NOW), before);
        for i in 0..100u32 {
            let key = format!("ip:{i}");
            assert!(b
                .hit(&k, "p", &rate, key.as_bytes(), NOW, 1)
                .unwrap()
                .allowed());
        }
    }

    /// A flood of anonymous keys fills only the anonymous half: principal
    /// keys keep their state and new ones still get a slot, in both modes.
    #[test]
    fn an_anonymous_flood_cannot_touch_principal_keys() {
        for when_full in [WhenFull::Refuse, WhenFull::EvictSoonestExpiring] {
            let dir = words(1);
            let slots = words(1024);
            let k = HashKey::from_parts(9, 9);
            let s = Space::open(
                &dir,
                &slots,
                &k,
                &Namespace::default(),
                DEFAULT_PROBES,
                when_full,
            )
            .unwrap();
            let rate = Rate::per_seconds(2, 60).unwrap();
            for i in 0..256u32 {
                let key = format!("token:{i}");
                assert!(s
                    .hit(&k, "p", &rate, key.as_bytes(), NOW, 2)
                    .unwrap()
                    .allowed());
            }
            for i in 0..10_240u32 {
                let key = format!("ip:{i}");
                let _ = s.hit(&k, "p", &rate, key.as_bytes(), NOW, 1).unwrap();
            }
            for i in 0..256u32 {
                let key = format!("token:{i}");
                let d = s.hit(&k, "p", &rate, key.as_bytes(), NOW, 1).unwrap();
                assert_eq!(d.refusal, Some(Refusal::RateLimited), "{when_full:?} {key}");
            }
            // New principal keys still find slots (up to 400 of 512 here).
            for i in 256..400u32 {
                let key = format!("user:{i}");
                assert!(s
                    .hit(&k, "p", &rate, key.as_bytes(), NOW, 1)
                    .unwrap()
                    .allowed());
            }
            assert_eq!(s.usage(NOW).anonymous.occupied, 512);
        }
    }
}
