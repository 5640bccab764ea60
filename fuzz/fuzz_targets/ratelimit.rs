//! Rate-limit inputs (core parts): policy names and numbers, cost and clock,
//! client IPs and principal ids, namespace settings, hits on a small table,
//! and GCRA steps from any stored state. Never a panic; a policy that builds
//! never lets more than its limit through at once.
#![no_main]

use libfuzzer_sys::fuzz_target;
use mcp_guard::core::ratelimit::table::{AtomicU128, DEFAULT_PROBES};
use mcp_guard::core::ratelimit::{self, gcra, HashKey, KeyClass, Namespace, Rates, Space, WhenFull};

fn u64_at(data: &[u8], i: usize) -> u64 {
    let mut b = [0u8; 8];
    for (k, x) in b.iter_mut().enumerate() {
        *x = data.get(i * 8 + k).copied().unwrap_or(0);
    }
    u64::from_le_bytes(b)
}

fuzz_target!(|data: &[u8]| {
    let _ = ratelimit::ip_key(data);
    let _ = ratelimit::principal_key("token", data);
    let key = HashKey::from_parts(1, 2);
    let name = std::str::from_utf8(data.get(40..).unwrap_or(&[])).unwrap_or("x");
    let _ = key.fingerprint(key.namespace_id(name), name, data);
    let _ = KeyClass::of(data);
    let _ = Namespace::parse(data.get(..40).unwrap_or(data), data.get(40..).unwrap_or(&[]));
    let mut policies = Rates::empty();
    let (limit, period, cost, now, tat) = (
        u64_at(data, 0) % (1 << 40),
        u64_at(data, 1),
        u64_at(data, 2) % (1 << 40),
        u64_at(data, 3),
        u64_at(data, 4),
    );
    if policies.insert(name, limit, period).is_err() {
        let _ = ratelimit::check_policy_name(name);
        return;
    }
    let Ok(policy) = policies.get(name) else {
        panic!("an inserted policy is found");
    };
    if gcra::check_hit(policy, now, cost).is_err() {
        return;
    }
    // A hit on a small table, in a namespace the input names (when valid).
    let (dir, slots): (Vec<AtomicU128>, Vec<AtomicU128>) = (
        (0..2).map(|_| AtomicU128::new(0)).collect(),
        (0..128).map(|_| AtomicU128::new(0)).collect(),
    );
    let ns = Namespace::parse(name.as_bytes(), b"64").unwrap_or_default();
    if let Ok(space) = Space::open(&dir, &slots, &key, &ns, DEFAULT_PROBES, WhenFull::Refuse) {
        let d = space.hit(&key, name, policy, data, now, cost);
        assert!(d.is_ok_and(|d| d.remaining <= policy.limit()));
    }
    let (decision, next) = gcra::step(policy, tat, now, cost);
    assert!(decision.remaining <= policy.limit());
    assert_eq!(decision.allowed(), next.is_some());
    // From a fresh key, the whole limit passes at once, one more never.
    let (first, tat1) = gcra::step(policy, 0, now, policy.limit());
    assert!(first.allowed());
    let (second, _) = gcra::step(policy, tat1.unwrap_or(0), now, 1);
    assert!(!second.allowed());
});
