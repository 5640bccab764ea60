//! The Generic Cell Rate Algorithm on one 64-bit state: the theoretical arrival
//! time (TAT) of the next request, in microseconds.
//!
//! Everything is integer arithmetic on microseconds, so the Redis script (whose
//! Lua numbers are doubles, exact below 2^53) reaches exactly the same decisions:
//! Unix time in microseconds is about 1.8 × 10^15, far below 2^53 ≈ 9 × 10^15.
//!
//! With a limit `L` per period `P`:
//! * emission interval `T = ceil(P / L)` — rounding up means the sustained rate
//!   never exceeds `L / P`;
//! * tolerance `τ = T · L` — a fresh key may spend its whole limit at once;
//! * a hit of cost `c` at time `now`: `tat = max(stored, now)`,
//!   `new = tat + c·T`; it is allowed when `new − τ ≤ now`, and then `new` is
//!   stored; a refusal stores nothing.

use super::RateLimitError;

/// Microseconds per second.
pub const MICROS_PER_SEC: u64 = 1_000_000;

/// The longest period a policy may have: 366 days.
pub const MAX_PERIOD_MICROS: u64 = 366 * 86_400 * MICROS_PER_SEC;

/// The latest `now` accepted: year 2255 in microseconds, far below 2^53 so the
/// Redis script's doubles stay exact (and far below `u64` overflow).
pub const MAX_NOW_MICROS: u64 = 9_000_000_000_000_000;

/// A rate: at most `limit` units of cost per `period`, all of which may be
/// spent at once by a fresh key. A rate-limit *policy* (the PHP API's word) is
/// a named `Rate` ([`super::Rates`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rate {
    limit: u64,
    period_us: u64,
    emission_us: u64,
    tolerance_us: u64,
}

impl Rate {
    /// `limit` units per `period_us` microseconds. The limit must be at least 1
    /// and at most the period in microseconds (so one unit is at least 1 µs);
    /// the period at most 366 days.
    pub fn new(limit: u64, period_us: u64) -> Result<Self, RateLimitError> {
        if limit == 0 || period_us == 0 || period_us > MAX_PERIOD_MICROS || limit > period_us {
            return Err(RateLimitError::InvalidPolicy);
        }
        let emission_us = period_us.div_ceil(limit);
        let tolerance_us = emission_us
            .checked_mul(limit)
            .ok_or(RateLimitError::InvalidPolicy)?;
        Ok(Self {
            limit,
            period_us,
            emission_us,
            tolerance_us,
        })
    }

    /// `limit` units per `period_secs` seconds.
    pub fn per_seconds(limit: u64, period_secs: u64) -> Result<Self, RateLimitError> {
        let period_us = period_secs
            .checked_mul(MICROS_PER_SEC)
            .ok_or(RateLimitError::InvalidPolicy)?;
        Self::new(limit, period_us)
    }

    /// The limit (burst size).
    pub fn limit(&self) -> u64 {
        self.limit
    }

    /// The period in microseconds.
    pub fn period_us(&self) -> u64 {
        self.period_us
    }

    /// The emission interval `T` in microseconds: one unit comes back every `T`.
    pub fn emission_us(&self) -> u64 {
        self.emission_us
    }

    /// The tolerance `τ = T · limit` in microseconds.
    pub fn tolerance_us(&self) -> u64 {
        self.tolerance_us
    }
}

/// Why a hit was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Refusal {
    /// The key has spent its limit (`rate_limited`).
    RateLimited,
    /// The key is not in the table and no slot could be found for it, and the
    /// table is configured to refuse rather than forget another key
    /// (`table_full`).
    TableFull,
}

impl Refusal {
    /// A stable snake_case reason for audit logs.
    pub fn reason(&self) -> &'static str {
        match self {
            Self::RateLimited => "rate_limited",
            Self::TableFull => "table_full",
        }
    }
}

/// The outcome of one hit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Decision {
    /// `None` when the hit was allowed (and recorded).
    pub refusal: Option<Refusal>,
    /// The rate's limit.
    pub limit: u64,
    /// Units that could still be spent right now after this hit.
    pub remaining: u64,
    /// Microseconds until a retry of the same cost can succeed; 0 when allowed.
    pub retry_after_us: u64,
    /// Microseconds until the key is back to its full limit.
    pub reset_after_us: u64,
}

impl Decision {
    /// Whether the hit was allowed.
    pub fn allowed(&self) -> bool {
        self.refusal.is_none()
    }
}

/// Checks the inputs every backend shares: `1 ≤ cost ≤ limit` (a cost above
/// the limit could never pass, which is a bug in the caller) and a sane clock.
pub fn check_hit(rate: &Rate, now_us: u64, cost: u64) -> Result<(), RateLimitError> {
    if cost == 0 || cost > rate.limit {
        return Err(RateLimitError::InvalidCost);
    }
    if now_us == 0 || now_us > MAX_NOW_MICROS {
        return Err(RateLimitError::InvalidTime);
    }
    Ok(())
}

/// One GCRA step from the stored TAT (0 = never seen). Returns the decision and,
/// when allowed, the TAT to store. Callers have run [`check_hit`], so nothing
/// here can overflow (every value stays below 2^54); saturating arithmetic keeps
/// it panic-free regardless.
pub fn step(rate: &Rate, stored_tat: u64, now_us: u64, cost: u64) -> (Decision, Option<u64>) {
    let t = rate.emission_us;
    let tau = rate.tolerance_us;
    let tat = stored_tat.max(now_us);
    let new_tat = tat.saturating_add(cost.saturating_mul(t));
    let allow_at = new_tat.saturating_sub(tau);
    if now_us < allow_at {
        let used = tat - now_us;
        let decision = Decision {
            refusal: Some(Refusal::RateLimited),
            limit: rate.limit,
            remaining: tau.saturating_sub(used) / t,
            retry_after_us: allow_at - now_us,
            reset_after_us: used,
        };
        return (decision, None);
    }
    let used = new_tat - now_us;
    let decision = Decision {
        refusal: None,
        limit: rate.limit,
        remaining: tau.saturating_sub(used) / t,
        retry_after_us: 0,
        reset_after_us: used,
    };
    (decision, Some(new_tat))
}

/// Rounds microseconds up to whole seconds (for HTTP headers): a client told
/// to wait 0 s after a refusal would retry at once.
pub fn ceil_secs(us: u64) -> u64 {
    us.div_ceil(MICROS_PER_SEC)
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: u64 = 1_800_000_000 * MICROS_PER_SEC;

    fn run(p: &Rate, tat: &mut u64, now: u64, cost: u64) -> Decision {
        let (d, new) = step(p, *tat, now, cost);
        if let Some(n) = new {
            *tat = n;
        }
        d
    }

    #[test]
    fn fresh_key_spends_exactly_the_limit_then_one_per_interval() {
        let p = Rate::per_seconds(10, 60).unwrap();
        assert_eq!(p.emission_us(), 6 * MICROS_PER_SEC);
        let mut tat = 0;
        for i in 0..10 {
            let d = run(&p, &mut tat, NOW, 1);
            assert!(d.allowed());
            assert_eq!(d.remaining, 9 - i);
        }
        let d = run(&p, &mut tat, NOW, 1);
        assert_eq!(d.refusal, Some(Refusal::RateLimited));
        assert_eq!(d.retry_after_us, 6 * MICROS_PER_SEC);
        assert_eq!(d.reset_after_us, 60 * MICROS_PER_SEC);
        assert_eq!(d.remaining, 0);
        // One microsecond short: still refused; at the interval: one more.
        assert!(!run(&p, &mut tat, NOW + p.emission_us() - 1, 1).allowed());
        assert!(run(&p, &mut tat, NOW + p.emission_us(), 1).allowed());
        assert!(!run(&p, &mut tat, NOW + p.emission_us(), 1).allowed());
    }

    #[test]
    fn refusal_stores_nothing_and_cost_counts() {
        let p = Rate::per_seconds(5, 5).unwrap();
        let mut tat = 0;
        assert!(run(&p, &mut tat, NOW, 3).allowed());
        let before = tat;
        let d = run(&p, &mut tat, NOW, 3);
        assert!(!d.allowed());
        assert_eq!(d.remaining, 2);
        assert_eq!(tat, before);
        assert!(run(&p, &mut tat, NOW, 2).allowed());
    }

    #[test]
    fn full_reset_after_the_period() {
        let p = Rate::per_seconds(600, 60).unwrap();
        let mut tat = 0;
        for _ in 0..600 {
            assert!(run(&p, &mut tat, NOW, 1).allowed());
        }
        assert!(!run(&p, &mut tat, NOW, 1).allowed());
        let later = NOW + 60 * MICROS_PER_SEC;
        let d = run(&p, &mut tat, later, 1);
        assert!(d.allowed());
        assert_eq!(d.remaining, 599);
    }

    #[test]
    fn rounding_up_never_exceeds_the_rate() {
        // 7 per second: T = 142 858 µs, so 7·T ≥ 1 s.
        let p = Rate::new(7, MICROS_PER_SEC).unwrap();
        assert!(p.tolerance_us() >= MICROS_PER_SEC);
    }

    #[test]
    fn invalid_policies_and_costs_are_refused() {
        assert_eq!(Rate::new(0, 10), Err(RateLimitError::InvalidPolicy));
        assert_eq!(Rate::new(1, 0), Err(RateLimitError::InvalidPolicy));
        assert_eq!(Rate::new(11, 10), Err(RateLimitError::InvalidPolicy));
        assert_eq!(
            Rate::new(1, MAX_PERIOD_MICROS + 1),
            Err(RateLimitError::InvalidPolicy)
        );
        assert_eq!(
            Rate::per_seconds(1, u64::MAX),
            Err(RateLimitError::InvalidPolicy)
        );
        let p = Rate::per_seconds(3, 1).unwrap();
        assert_eq!(check_hit(&p, NOW, 0), Err(RateLimitError::InvalidCost));
        assert_eq!(check_hit(&p, NOW, 4), Err(RateLimitError::InvalidCost));
        assert_eq!(check_hit(&p, 0, 1), Err(RateLimitError::InvalidTime));
        assert_eq!(
            check_hit(&p, MAX_NOW_MICROS + 1, 1),
            Err(RateLimitError::InvalidTime)
        );
        assert_eq!(check_hit(&p, NOW, 3), Ok(()));
    }

    #[test]
    fn ceil_secs_rounds_up() {
        assert_eq!(ceil_secs(0), 0);
        assert_eq!(ceil_secs(1), 1);
        assert_eq!(ceil_secs(MICROS_PER_SEC), 1);
        assert_eq!(ceil_secs(MICROS_PER_SEC + 1), 2);
    }

    mod prop {
        use super::*;
        use proptest::prelude::*;

        proptest! {
            /// Over any window of length `period` starting at a time when
            /// the key is fresh, at most `limit` units are allowed, and the
            /// decisions never depend on anything but the inputs.
            #[test]
            fn never_more_than_limit_plus_refill(
                limit in 1u64..50,
                period_s in 1u64..100,
                steps in proptest::collection::vec((0u64..3_000_000, 1u64..4), 1..200),
            ) {
                let p = Rate::per_seconds(limit, period_s).unwrap();
                let mut tat = 0;
                let mut now = NOW;
                let mut spent = 0u64;
                for (dt, cost) in steps {
                    now += dt;
                    let cost = cost.min(limit);
                    let (d, new) = step(&p, tat, now, cost);
                    if let Some(n) = new { tat = n; spent += cost; }
                    // Allowed total ≤ limit + what refilled since the start.
                    let refilled = (now - NOW) / p.emission_us();
                    prop_assert!(spent <= limit + refilled);
                    prop_assert!(d.remaining <= limit);
                    prop_assert!(d.reset_after_us <= p.tolerance_us());
                    if !d.allowed() {
                        prop_assert!(d.retry_after_us > 0);
                        // Retrying exactly at retry_after succeeds.
                        let (again, _) = step(&p, tat, now + d.retry_after_us, cost);
                        prop_assert!(again.allowed());
                    }
                }
            }
        }
    }
}
