//! The limiter for a store outside the shared table (Redis): the store runs
//! [`SCRIPT`] atomically and only reads and conditionally stores the TAT; the
//! decision comes from [`super::gcra`] here, so both backends answer exactly
//! alike and the glue only moves bytes between the extension and the store.
//!
//! 1. [`arguments`] checks the cost and the (test) clock and gives the
//!    script's key suffix and arguments;
//! 2. the glue runs the script (`EVALSHA`);
//! 3. [`decide`] checks the reply, runs the GCRA step on the TAT and clock
//!    the script saw, and refuses a reply whose store does not match that
//!    decision (`rate_limit_backend_failed`): a store that disagrees with the
//!    extension is never trusted.

use super::gcra::{check_hit, step, Decision, Rate};
use super::RateLimitError;
use crate::core::digest;
use crate::core::json::view::{Key, Node, View};

/// The Lua script (`src/core/ratelimit/gcra.lua`), compiled into the module so
/// the script and the code that reads its reply always come together.
pub const SCRIPT: &str = include_str!("gcra.lua");

/// The store's key for `key` under the policy `policy` (to be put after the
/// host's prefix): `<policy>:<64 hex>`, a labelled SHA-256 of the key, so a
/// key of any size makes a bounded store key.
pub fn store_key(policy: &str, key: &[u8]) -> String {
    let hash = digest::of_parts("rate-limit store key", &[key]);
    format!("{policy}:{}", digest::hex(&hash))
}

/// The script's arguments for one hit (`ARGV[1..4]`): the clock (`""`: the
/// store's own), the emission interval, the tolerance and the cost. `now` is
/// the injected test clock, already allowed by the caller.
pub fn arguments(rate: &Rate, cost: u64, now: Option<u64>) -> Result<[String; 4], RateLimitError> {
    // The same checks as a hit on the shared table; a store clock is checked
    // when it comes back in the reply.
    check_hit(rate, now.unwrap_or(1), cost)?;
    Ok([
        now.map(|n| n.to_string()).unwrap_or_default(),
        rate.emission_us().to_string(),
        rate.tolerance_us().to_string(),
        cost.to_string(),
    ])
}

/// What the script answered: `{stored TAT before, now, stored}`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Reply {
    /// The TAT the store held (0: none).
    pub stored_tat: u64,
    /// The clock the script used.
    pub now_us: u64,
    /// Whether the script stored a new TAT.
    pub stored: bool,
}

impl Reply {
    /// Reads a reply: a list of exactly three non-negative integers, the last
    /// 0 or 1. Anything else (`false` from a failed call, an error string, a
    /// longer list) is [`RateLimitError::BackendFailed`].
    pub fn from_view<V: View + ?Sized>(reply: &V) -> Result<Self, RateLimitError> {
        if reply.node() != Node::Array(3) {
            return Err(RateLimitError::BackendFailed);
        }
        let mut values = [0u64; 3];
        let mut next = 0usize;
        reply.entries(|key, value| {
            let slot = values
                .get_mut(next)
                .filter(|_| key == Key::Index(next as i64))
                .ok_or(RateLimitError::BackendFailed)?;
            *slot = match value.node() {
                Node::Int(n) => u64::try_from(n).map_err(|_| RateLimitError::BackendFailed)?,
                _ => return Err(RateLimitError::BackendFailed),
            };
            next += 1;
            Ok(())
        })?;
        let [stored_tat, now_us, stored] = values;
        if next != 3 || stored > 1 {
            return Err(RateLimitError::BackendFailed);
        }
        Ok(Self {
            stored_tat,
            now_us,
            stored: stored == 1,
        })
    }
}

/// The decision on one hit of `cost` from the script's `reply`. A clock out
/// of range, or a store that does not match the decision, is
/// [`RateLimitError::BackendFailed`].
pub fn decide(rate: &Rate, cost: u64, reply: Reply) -> Result<Decision, RateLimitError> {
    check_hit(rate, reply.now_us, cost).map_err(|e| match e {
        RateLimitError::InvalidTime => RateLimitError::BackendFailed,
        other => other,
    })?;
    let (decision, new_tat) = step(rate, reply.stored_tat, reply.now_us, cost);
    if new_tat.is_some() != reply.stored {
        return Err(RateLimitError::BackendFailed);
    }
    Ok(decision)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::ratelimit::gcra::MICROS_PER_SEC;

    const NOW: u64 = 1_800_000_000 * MICROS_PER_SEC;

    /// A reply as a tiny view (a list of integers, or a non-list).
    enum Fake {
        List(Vec<Fake>),
        Int(i64),
        Bool(bool),
    }

    impl View for Fake {
        type Child = Fake;
        fn node(&self) -> Node<'_> {
            match self {
                Fake::List(v) => Node::Array(v.len()),
                Fake::Int(n) => Node::Int(*n),
                Fake::Bool(b) => Node::Bool(*b),
            }
        }
        fn entries<E>(&self, mut f: impl FnMut(Key<'_>, &Fake) -> Result<(), E>) -> Result<(), E> {
            if let Fake::List(v) = self {
                for (i, x) in v.iter().enumerate() {
                    f(Key::Index(i as i64), x)?;
                }
            }
            Ok(())
        }
    }

    fn list(v: &[i64]) -> Fake {
        Fake::List(v.iter().map(|n| Fake::Int(*n)).collect())
    }

    #[test]
    fn arguments_are_the_rate_in_microseconds() {
        let rate = Rate::per_seconds(7, 10).unwrap();
        assert_eq!(
            arguments(&rate, 2, None).unwrap(),
            [
                "".to_owned(),
                "1428572".into(),
                "10000004".into(),
                "2".into()
            ]
        );
        assert_eq!(arguments(&rate, 1, Some(NOW)).unwrap()[0], NOW.to_string());
        assert_eq!(arguments(&rate, 0, None), Err(RateLimitError::InvalidCost));
        assert_eq!(arguments(&rate, 8, None), Err(RateLimitError::InvalidCost));
        assert_eq!(
            arguments(&rate, 1, Some(0)),
            Err(RateLimitError::InvalidTime)
        );
    }

    #[test]
    fn store_keys_are_bounded_and_distinct() {
        let big = vec![b'k'; 1 << 20];
        let k = store_key("p", &big);
        assert_eq!(k.len(), 2 + 64);
        assert!(k.starts_with("p:"));
        assert_ne!(store_key("p", b"a"), store_key("p", b"b"));
        assert_ne!(store_key("p", b"a"), store_key("q", b"a"));
    }

    #[test]
    fn decisions_come_from_the_core_step() {
        let rate = Rate::per_seconds(2, 60).unwrap();
        // A fresh key, stored by the script: allowed, one left.
        let d = decide(
            &rate,
            1,
            Reply::from_view(&list(&[0, NOW as i64, 1])).unwrap(),
        )
        .unwrap();
        assert!(d.allowed());
        assert_eq!(d.remaining, 1);
        // Spent: the script did not store; refused with the retry time.
        let spent = (NOW + 60 * MICROS_PER_SEC) as i64;
        let d = decide(
            &rate,
            1,
            Reply::from_view(&list(&[spent, NOW as i64, 0])).unwrap(),
        )
        .unwrap();
        assert!(!d.allowed());
        assert_eq!(d.retry_after_us, 30 * MICROS_PER_SEC);
    }

    #[test]
    fn a_store_that_disagrees_or_answers_garbage_is_refused() {
        let rate = Rate::per_seconds(2, 60).unwrap();
        let spent = (NOW + 60 * MICROS_PER_SEC) as i64;
        for reply in [
            list(&[spent, NOW as i64, 1]), // stored though the key is spent
            list(&[0, NOW as i64, 0]),     // not stored though it is allowed
            list(&[0, 0, 1]),              // a clock of 0
            list(&[0, i64::MAX, 1]),       // a clock past the bound
        ] {
            let got = Reply::from_view(&reply).and_then(|r| decide(&rate, 1, r));
            assert_eq!(got, Err(RateLimitError::BackendFailed));
        }
        for reply in [
            Fake::Bool(false),
            list(&[0, NOW as i64]),
            list(&[0, NOW as i64, 1, 0]),
            list(&[-1, NOW as i64, 1]),
            list(&[0, NOW as i64, 2]),
            Fake::List(vec![Fake::Int(0), Fake::Bool(true), Fake::Int(1)]),
        ] {
            assert_eq!(Reply::from_view(&reply), Err(RateLimitError::BackendFailed));
        }
        // A bad cost is the caller's bug, as on the shared table.
        let ok = Reply::from_view(&list(&[0, NOW as i64, 1])).unwrap();
        assert_eq!(decide(&rate, 3, ok), Err(RateLimitError::InvalidCost));
    }
}
