//! Criterion benchmarks of the per-request token path: header parsing, format
//! and checksum check, and full verification (plain and peppered).
//!
//! Run: `cargo bench --no-default-features --bench tokens`

use criterion::{black_box, criterion_group, criterion_main, Criterion};
use mcp_guard::core::credentials;
use mcp_guard::core::rng::SystemRng;
use mcp_guard::core::token::{self, Pepper, StoredToken, TokenConfig};

const NOW: i64 = 1_800_000_000;

fn bench_tokens(c: &mut Criterion) {
    let plain = TokenConfig::default();
    let peppered = TokenConfig {
        pepper: Pepper::new(&[42u8; 32]).ok(),
        ..TokenConfig::default()
    };
    let rng = SystemRng::new();
    let Ok(t) = token::issue(&plain, &rng, NOW, None) else {
        return;
    };
    let Ok(tp) = token::issue(&peppered, &rng, NOW, None) else {
        return;
    };
    let header = format!("Bearer {}", t.plaintext);

    c.bench_function("credentials::parse bearer", |b| {
        b.iter(|| credentials::parse(Some(black_box(header.as_bytes()))))
    });
    c.bench_function("token::parse (format + checksum)", |b| {
        b.iter(|| token::parse(black_box(t.plaintext.as_bytes()), &plain.prefix))
    });
    c.bench_function("token::verify sha256", |b| {
        b.iter(|| {
            token::verify(
                &plain,
                black_box(t.plaintext.as_bytes()),
                Some(StoredToken {
                    hash: black_box(&t.hash),
                    expires_at: t.expires_at,
                    revoked_at: None,
                }),
                NOW,
            )
        })
    });
    c.bench_function("token::verify hmac-sha256", |b| {
        b.iter(|| {
            token::verify(
                &peppered,
                black_box(tp.plaintext.as_bytes()),
                Some(StoredToken {
                    hash: black_box(&tp.hash),
                    expires_at: tp.expires_at,
                    revoked_at: None,
                }),
                NOW,
            )
        })
    });
    c.bench_function("token::issue (system rng)", |b| {
        b.iter(|| token::issue(&plain, &rng, NOW, None))
    });
}

criterion_group!(benches, bench_tokens);
criterion_main!(benches);
