//! What the bindings inject into the core: the one clock and the one source
//! of randomness (DESIGN.md §1: the core takes both as arguments).

use std::time::{SystemTime, UNIX_EPOCH};

use crate::core::rng::SystemRng;

/// Unix time in seconds, unless the caller injected one (`$now` arguments).
pub fn now_or(now: Option<i64>) -> i64 {
    now.unwrap_or_else(|| i64::try_from(since_epoch().as_secs()).unwrap_or(i64::MAX))
}

/// Unix time in microseconds.
pub fn now_us() -> u64 {
    u64::try_from(since_epoch().as_micros()).unwrap_or(u64::MAX)
}

fn since_epoch() -> std::time::Duration {
    // A clock before 1970 reads as 1970: every expiry then holds.
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap_or_default()
}

/// The operating system's CSPRNG, the only randomness the bindings pass in.
pub fn rng() -> SystemRng {
    SystemRng::new()
}
