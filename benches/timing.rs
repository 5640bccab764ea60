//! dudect-style timing check of the core's secret comparisons (not a CI
//! assertion: timing on a shared machine is noisy; run it by hand):
//!
//!     cargo bench --no-default-features --bench timing
//!     MCP_GUARD_TIMING_SAMPLES=2000000 cargo bench --no-default-features --bench timing
//!
//! Method (Reparaz, Balasch, Verbauwhede, "Dude, is my code constant time?",
//! DATE 2017): two input classes that differ only in where the presented
//! secret stops matching — at the first byte or at the last — are measured in
//! random interleaving; each sample times a small batch of calls. Samples above
//! a few percentiles are cropped (dudect's pre-processing) and Welch's t-test
//! compares the classes. |t| above 4.5 is dudect's threshold for "the timing
//! depends on the class". A naive `==` on a long buffer is measured as a
//! control: it must show a leak, or the run had too little power to say
//! anything.

use std::hint::black_box;
use std::time::Instant;

use mcp_guard::core::rng::testing::CountingRng;
use mcp_guard::core::token::{self, Pepper, StoredToken, TokenConfig};

/// dudect's threshold on |t|.
const THRESHOLD: f64 = 4.5;
/// Calls per timed sample (a single call is close to the timer's resolution).
const BATCH: usize = 8;
const NOW: i64 = 1_800_000_000;

/// Running mean and variance (Welford), per class.
#[derive(Default, Clone, Copy)]
struct Moments {
    n: f64,
    mean: f64,
    m2: f64,
}

impl Moments {
    fn push(&mut self, x: f64) {
        self.n += 1.0;
        let d = x - self.mean;
        self.mean += d / self.n;
        self.m2 += d * (x - self.mean);
    }

    fn var(&self) -> f64 {
        if self.n < 2.0 {
            0.0
        } else {
            self.m2 / (self.n - 1.0)
        }
    }
}

/// Welch's t statistic of two samples.
fn welch_t(a: &Moments, b: &Moments) -> f64 {
    if a.n < 2.0 || b.n < 2.0 {
        return 0.0; // a crop left a class (almost) empty: no evidence either way
    }
    let se = (a.var() / a.n + b.var() / b.n).sqrt();
    if se == 0.0 {
        0.0
    } else {
        (a.mean - b.mean) / se
    }
}

/// xorshift64*: picks the class of each sample (no need for a CSPRNG here).
struct Coin(u64);

impl Coin {
    fn flip(&mut self) -> usize {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        (self.0.wrapping_mul(0x2545_f491_4f6c_dd1d) >> 63) as usize
    }
}

/// Measures `f(class)` over `samples` interleaved samples and prints the
/// largest |t| over the uncropped data and three crops. Returns that |t|.
fn check(name: &str, samples: usize, mut f: impl FnMut(usize)) -> f64 {
    // Warm-up: caches, branch predictors, CPU frequency.
    for i in 0..samples / 10 {
        f(i & 1);
    }
    let seed = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(1, |d| d.as_nanos() as u64)
        | 1;
    let mut coin = Coin(seed ^ 0x9e37_79b9_7f4a_7c15);
    let mut raw: Vec<(usize, f64)> = Vec::with_capacity(samples);
    for _ in 0..samples {
        let class = coin.flip();
        let t0 = Instant::now();
        for _ in 0..BATCH {
            f(class);
        }
        raw.push((class, t0.elapsed().as_nanos() as f64 / BATCH as f64));
    }
    let mut sorted: Vec<f64> = raw.iter().map(|&(_, t)| t).collect();
    sorted.sort_by(f64::total_cmp);
    let pct = |p: f64| sorted[((sorted.len() - 1) as f64 * p) as usize];
    let mut worst: f64 = 0.0;
    let mut line = String::new();
    for (label, cut) in [
        ("all", f64::INFINITY),
        ("p99", pct(0.99)),
        ("p90", pct(0.90)),
        ("p50", pct(0.50)),
    ] {
        let mut m = [Moments::default(); 2];
        for &(class, t) in &raw {
            if t <= cut {
                m[class].push(t);
            }
        }
        let t = welch_t(&m[0], &m[1]);
        worst = worst.max(t.abs());
        line.push_str(&format!(" {label}: t={t:+.2}"));
    }
    let mean = raw.iter().map(|&(_, t)| t).sum::<f64>() / raw.len() as f64;
    let verdict = if worst > THRESHOLD {
        "LEAK? (|t| > 4.5)"
    } else {
        "no leak detected"
    };
    println!("{name:<48} {mean:>8.1} ns/call {line}  max|t|={worst:.2}  {verdict}");
    worst
}

/// The stored `sha256:` hash of `t` with one hex digit changed at `pos`.
fn flip_hex(stored: &str, prefix: &str, pos: usize) -> String {
    let hex = stored.strip_prefix(prefix).unwrap_or(stored);
    let mut b = hex.as_bytes().to_vec();
    b[pos] = if b[pos] == b'0' { b'1' } else { b'0' };
    format!("{prefix}{}", String::from_utf8(b).unwrap_or_default())
}

fn main() {
    let samples: usize = std::env::var("MCP_GUARD_TIMING_SAMPLES")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(400_000);
    println!(
        "dudect-style check: {samples} samples of {BATCH} calls per target, class 0 = mismatch at the first byte, class 1 = at the last"
    );

    let plain = TokenConfig::default();
    let t = token::issue(&plain, &CountingRng::new(3), NOW, Some(60)).unwrap();
    let first = flip_hex(&t.hash, "sha256:", 0);
    let last = flip_hex(&t.hash, "sha256:", 63);
    let rows = [first.as_str(), last.as_str()].map(|h| StoredToken {
        hash: h,
        expires_at: None,
        revoked_at: None,
    });
    let mut results = Vec::new();
    results.push(check("token::verify, sha256 stored hash", samples, |c| {
        let r = token::verify(
            &plain,
            black_box(t.plaintext.as_bytes()),
            Some(rows[c]),
            NOW,
        );
        assert!(r.is_err());
    }));

    let peppered = TokenConfig {
        pepper: Some(Pepper::new(&[9u8; 32]).unwrap()),
        ..TokenConfig::default()
    };
    let tp = token::issue(&peppered, &CountingRng::new(4), NOW, Some(60)).unwrap();
    let cut = tp.hash.rfind(':').map_or(0, |i| i + 1);
    let (head, _) = tp.hash.split_at(cut);
    let pfirst = flip_hex(&tp.hash, head, 0);
    let plast = flip_hex(&tp.hash, head, 63);
    let prow = [pfirst.as_str(), plast.as_str()].map(|h| StoredToken {
        hash: h,
        expires_at: None,
        revoked_at: None,
    });
    results.push(check(
        "token::verify, hmac-sha256 (peppered)",
        samples,
        |c| {
            let r = token::verify(
                &peppered,
                black_box(tp.plaintext.as_bytes()),
                Some(prow[c]),
                NOW,
            );
            assert!(r.is_err());
        },
    ));

    let legacy = b"legacy-token-of-the-host";
    let digest = token::hash_for_storage(None, "legacy-token-of-the-host");
    let lfirst = flip_hex(&digest, "sha256:", 0);
    let llast = flip_hex(&digest, "sha256:", 63);
    let lhex = [&lfirst["sha256:".len()..], &llast["sha256:".len()..]];
    results.push(check("token::verify_legacy_sha256", samples, |c| {
        assert!(token::verify_legacy_sha256(black_box(legacy), lhex[c]).is_err());
    }));

    // Control: a naive comparison of 4 KiB buffers. It stops at the first
    // difference, so it should show a large |t|; if it does not, the run had
    // too little power and the lines above prove nothing.
    let a = vec![0x5au8; 4096];
    let mut b0 = a.clone();
    b0[0] ^= 1;
    let mut b1 = a.clone();
    b1[4095] ^= 1;
    let bs = [b0, b1];
    let control = check("control: naive == on 4 KiB (must leak)", samples, |c| {
        assert!(black_box(&a[..]) != black_box(&bs[c][..]));
    });

    // Informative: the same naive comparison at the size of a digest (32
    // bytes), where a leak is a few nanoseconds. Shows how small a difference
    // this run could see; it does not enter the verdict.
    let d = [0x5au8; 32];
    let mut d0 = d;
    d0[0] ^= 1;
    let mut d1 = d;
    d1[31] ^= 1;
    let ds = [d0, d1];
    check("info: naive == on 32 bytes", samples, |c| {
        assert!(black_box(&d[..]) != black_box(&ds[c][..]));
    });

    let worst = results.iter().copied().fold(0.0, f64::max);
    println!();
    if control <= THRESHOLD {
        println!(
            "verdict: INCONCLUSIVE (the control did not leak: too few samples or too much noise)"
        );
    } else if worst > THRESHOLD {
        println!("verdict: POSSIBLE LEAK (max |t| = {worst:.2}); rerun with more samples on a quiet machine");
    } else {
        println!("verdict: no timing difference detected between first- and last-byte mismatches (max |t| = {worst:.2}, control |t| = {control:.2})");
    }
}
