//! The rate limiter core: first its capacity (printed figures, not timings),
//! then criterion timings of one GCRA step, key fingerprinting and table hits.
//!
//! Capacity, at a frozen clock (every key stays live, the worst case):
//! 1. how full a table gets before its first `table_full`;
//! 2. an anonymous flood of ten times the table size against spent and new
//!    token keys in the default 131 072-slot table, in `refuse` and `evict`
//!    mode: `table_full` refusals and evictions (limit resets) of token keys,
//!    with the principal/anonymous split and, for comparison in the same run,
//!    with every key in one shared region.
//!
//! Run: `cargo bench --no-default-features --bench ratelimit`
//! (`MCP_GUARD_BENCH_BIG=1` adds the 4 Mi- and 16 Mi-slot tables to 1.)

use std::time::Instant;

use criterion::{black_box, Criterion};
use mcp_guard::core::ratelimit::gcra::{step, MICROS_PER_SEC};
use mcp_guard::core::ratelimit::table::DEFAULT_PROBES;
use mcp_guard::core::ratelimit::{HashKey, Namespace, Rate, Refusal, Space, Table, WhenFull};
use portable_atomic::AtomicU128;

const NOW: u64 = 1_800_000_000 * MICROS_PER_SEC;

fn words(n: usize) -> Vec<AtomicU128> {
    (0..n).map(|_| AtomicU128::new(0)).collect()
}

/// Keys stored before the first `table_full` in an `n`-slot table.
fn first_refusal(n: usize, seed: u64) -> Option<usize> {
    let s = words(n);
    let t = Table::new(&s, DEFAULT_PROBES, WhenFull::Refuse).ok()?;
    let rate = Rate::per_seconds(10, 60).ok()?;
    let key = HashKey::from_parts(seed, 7);
    let ns = key.namespace_id("");
    let mut stored = 0;
    loop {
        let fp = key.fingerprint(ns, "p", &(stored as u64).to_le_bytes());
        match t.hit(fp, &rate, NOW, 1) {
            Ok(d) if d.refusal == Some(Refusal::TableFull) => return Some(stored),
            Ok(_) => stored += 1,
            Err(_) => return None,
        }
    }
}

fn report_first_refusal() {
    println!("1. occupancy at the first table_full (frozen clock, {DEFAULT_PROBES} buckets of 4 slots per key)");
    let mut sizes = vec![4096, 65_536, 131_072, 1 << 20];
    if std::env::var("MCP_GUARD_BENCH_BIG").is_ok_and(|v| v == "1") {
        sizes.extend([1 << 22, 1 << 24]);
    }
    for n in sizes {
        let runs: Vec<String> = (1..=3)
            .filter_map(|seed| first_refusal(n, seed))
            .map(|k| format!("{:.1} %", 100.0 * k as f64 / n as f64))
            .collect();
        println!("   {n:>9} slots: {}", runs.join(", "));
    }
}

#[derive(Default)]
struct Flood {
    spent_table_full: u64,
    flood_table_full: u64,
    spent_reset: u64,
    spent_refused_full: u64,
    new_table_full: u64,
}

const SPENT: u32 = 50_000;
const NEW: u32 = 5_000;

/// 50 000 token keys spend their whole limit, then ten times the table size
/// of fresh `ip:` keys hit once each at the same cost (so, at a frozen clock,
/// they expire no sooner than the token keys: the worst case for `evict`),
/// then every spent token key and 5 000 new ones hit again.
fn flood(hit: &dyn Fn(&[u8], u64) -> Option<Refusal>, slots: usize) -> Flood {
    let mut f = Flood::default();
    for i in 0..SPENT {
        let r = hit(format!("token:{i}").as_bytes(), 2);
        f.spent_table_full += u64::from(r == Some(Refusal::TableFull));
    }
    for i in 0..(10 * slots as u64) {
        let r = hit(format!("ip:{i}").as_bytes(), 2);
        f.flood_table_full += u64::from(r == Some(Refusal::TableFull));
    }
    for i in 0..SPENT {
        match hit(format!("token:{i}").as_bytes(), 1) {
            None => f.spent_reset += 1,
            Some(Refusal::TableFull) => f.spent_refused_full += 1,
            Some(_) => {}
        }
    }
    for i in SPENT..SPENT + NEW {
        let r = hit(format!("token:{i}").as_bytes(), 1);
        f.new_table_full += u64::from(r == Some(Refusal::TableFull));
    }
    f
}

fn report_flood() {
    let n = 131_072;
    println!(
        "2. {SPENT} spent token keys, then a flood of {} fresh ip: keys, in a {n}-slot table",
        10 * n
    );
    let Ok(rate) = Rate::per_seconds(2, 60) else {
        return;
    };
    for when_full in [WhenFull::Refuse, WhenFull::EvictSoonestExpiring] {
        let key = HashKey::from_parts(11, 12);
        let (dir, slots) = (words(1), words(n));
        let Ok(space) = Space::open(
            &dir,
            &slots,
            &key,
            &Namespace::default(),
            DEFAULT_PROBES,
            when_full,
        ) else {
            return;
        };
        let split = flood(
            &|k, cost| {
                space
                    .hit(&key, "p", &rate, k, NOW, cost)
                    .map_or(Some(Refusal::TableFull), |d| d.refusal)
            },
            n,
        );
        let one = words(n);
        let Ok(table) = Table::new(&one, DEFAULT_PROBES, when_full) else {
            return;
        };
        let ns = key.namespace_id("");
        let shared = flood(
            &|k, cost| {
                table
                    .hit(key.fingerprint(ns, "p", k), &rate, NOW, cost)
                    .map_or(Some(Refusal::TableFull), |d| d.refusal)
            },
            n,
        );
        for (label, f) in [
            ("principal/anonymous split", split),
            ("one region for all keys  ", shared),
        ] {
            println!(
                "   {:<6} {label}: token keys: table_full while spending {}, spent keys reset by the flood {}, \
                 table_full on spent keys {}, table_full on {NEW} new keys {}; flood table_full {}",
                when_full.as_str(),
                f.spent_table_full,
                f.spent_reset,
                f.spent_refused_full,
                f.new_table_full,
                f.flood_table_full
            );
        }
    }
}

fn bench_ratelimit(c: &mut Criterion) {
    let Ok(rate) = Rate::new(1_000_000_000, 366 * 86_400 * MICROS_PER_SEC) else {
        return;
    };
    let slots = words(1 << 17);
    let Ok(table) = Table::new(&slots, DEFAULT_PROBES, WhenFull::Refuse) else {
        return;
    };
    let key = HashKey::from_parts(1, 2);
    let ns = key.namespace_id("");

    c.bench_function("gcra::step", |b| {
        b.iter(|| step(&rate, black_box(NOW + 5), black_box(NOW), 1))
    });
    c.bench_function("fingerprint (28-byte key)", |b| {
        b.iter(|| key.fingerprint(ns, "catalogue", black_box(b"token:AbCdEfGhIjKlMnOpQrStUv")))
    });
    let big = vec![b'k'; 1 << 20];
    c.bench_function("fingerprint (1 MiB key)", |b| {
        b.iter(|| key.fingerprint(ns, "catalogue", black_box(&big)))
    });
    let fp = key.fingerprint(ns, "catalogue", b"token:hot");
    c.bench_function("table hit (hot key)", |b| {
        b.iter(|| table.hit(black_box(fp), &rate, NOW, 1))
    });
    // What the binding does per hit: the namespace's two shares over the
    // cached region, the key's class, its fingerprint, the hit.
    let (dir, shared) = (words(1), words(1 << 17));
    let Ok(region) =
        mcp_guard::core::ratelimit::space::Directory::new(&dir, shared.len()).region(ns, 0)
    else {
        return;
    };
    c.bench_function(
        "space hit (hot key: shares, class, fingerprint, hit)",
        |b| {
            b.iter(|| {
                Space::new(&shared, ns, region, DEFAULT_PROBES, WhenFull::Refuse)
                    .and_then(|s| s.hit(&key, "catalogue", &rate, black_box(b"token:hot"), NOW, 1))
            })
        },
    );
    let fps: Vec<u64> = (0..50_000u32)
        .map(|i| key.fingerprint(ns, "catalogue", &i.to_le_bytes()))
        .collect();
    let mut i = 0;
    c.bench_function("table hit (50 000 keys, 38% full)", |b| {
        b.iter(|| {
            i = (i + 1) % fps.len();
            table.hit(fps[i], &rate, NOW, 1)
        })
    });
    // 90 % full at a frozen clock: live keys sit deeper in their sequences.
    let full = words(1 << 17);
    let Ok(full_table) = Table::new(&full, DEFAULT_PROBES, WhenFull::Refuse) else {
        return;
    };
    let live: Vec<u64> = (0..117_964u32)
        .map(|i| key.fingerprint(ns, "catalogue", &i.to_le_bytes()))
        .filter(|fp| full_table.hit(*fp, &rate, NOW, 1).is_ok())
        .collect();
    let mut i = 0;
    c.bench_function("table hit (live keys of a 90% full table)", |b| {
        b.iter(|| {
            i = (i + 1) % live.len();
            full_table.hit(live[i], &rate, NOW, 1)
        })
    });
    // Every slot used once and expired since (a long-running server; the
    // slot layout is fingerprint << 64 | TAT): a new key finds no empty slot
    // and reads its whole sequence (256 slots) before it takes an expired one.
    let used: Vec<AtomicU128> = (0..(1u64 << 17))
        .map(|i| {
            AtomicU128::new(
                (u128::from(i.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1) << 64) | u128::from(NOW),
            )
        })
        .collect();
    let Ok(used_table) = Table::new(&used, DEFAULT_PROBES, WhenFull::Refuse) else {
        return;
    };
    let later = NOW + MICROS_PER_SEC;
    let mut n = 0u64;
    c.bench_function("table hit (new key, no empty slot left)", |b| {
        b.iter(|| {
            n += 1;
            used_table.hit(
                key.fingerprint(ns, "fresh", &n.to_le_bytes()),
                &rate,
                later,
                1,
            )
        })
    });
}

fn main() {
    let t0 = Instant::now();
    report_first_refusal();
    report_flood();
    println!("(capacity figures: {:.1} s)\n", t0.elapsed().as_secs_f64());
    let mut c = Criterion::default().configure_from_args();
    bench_ratelimit(&mut c);
    c.final_summary();
}
