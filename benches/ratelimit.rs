//! Criterion benchmarks of the rate limiter core: one GCRA step, one table hit
//! (hot key, and spread over many keys), and key fingerprinting.
//!
//! Run: `cargo bench --no-default-features --bench ratelimit`

use criterion::{black_box, criterion_group, criterion_main, Criterion};
use mcp_guard::core::ratelimit::gcra::{step, MICROS_PER_SEC};
use mcp_guard::core::ratelimit::{HashKey, Policy, Table, WhenFull};
use portable_atomic::AtomicU128;

const NOW: u64 = 1_800_000_000 * MICROS_PER_SEC;

fn bench_ratelimit(c: &mut Criterion) {
    let Ok(policy) = Policy::new(1_000_000_000, 366 * 86_400 * MICROS_PER_SEC) else {
        return;
    };
    let slots: Vec<AtomicU128> = (0..(1 << 17)).map(|_| AtomicU128::new(0)).collect();
    let Ok(table) = Table::new(&slots, 32, WhenFull::Refuse) else {
        return;
    };
    let key = HashKey::from_parts(1, 2);

    c.bench_function("gcra::step", |b| {
        b.iter(|| step(&policy, black_box(NOW + 5), black_box(NOW), 1))
    });
    c.bench_function("fingerprint (28-byte key)", |b| {
        b.iter(|| key.fingerprint("catalogue", black_box(b"token:AbCdEfGhIjKlMnOpQrStUv")))
    });
    let big = vec![b'k'; 1 << 20];
    c.bench_function("fingerprint (1 MiB key)", |b| {
        b.iter(|| key.fingerprint("catalogue", black_box(&big)))
    });
    let fp = key.fingerprint("catalogue", b"token:hot");
    c.bench_function("table hit (hot key)", |b| {
        b.iter(|| table.hit(black_box(fp), &policy, NOW, 1))
    });
    let fps: Vec<u64> = (0..50_000u32)
        .map(|i| key.fingerprint("catalogue", &i.to_le_bytes()))
        .collect();
    let mut i = 0;
    c.bench_function("table hit (50 000 keys, 38% full)", |b| {
        b.iter(|| {
            i = (i + 1) % fps.len();
            table.hit(fps[i], &policy, NOW, 1)
        })
    });
}

criterion_group!(benches, bench_ratelimit);
criterion_main!(benches);
