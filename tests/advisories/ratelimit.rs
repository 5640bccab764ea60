//! The shared rate-limit table under hostile load: co-tenants on one PHP-FPM
//! master, floods of fresh keys, address rotation.

use mcp_guard::core::ratelimit::gcra::MICROS_PER_SEC;
use mcp_guard::core::ratelimit::table::{AtomicU128, DEFAULT_PROBES};
use mcp_guard::core::ratelimit::{ip_key, HashKey, Namespace, Rate, Refusal, Space, WhenFull};

const NOW: u64 = 1_800_000_000 * MICROS_PER_SEC;

fn words(n: usize) -> Vec<AtomicU128> {
    (0..n).map(|_| AtomicU128::new(0)).collect()
}

fn hit(s: &Space<'_>, k: &HashKey, rate: &Rate, key: &str, cost: u64) -> Option<Refusal> {
    s.hit(k, "p", rate, key.as_bytes(), NOW, cost)
        .unwrap()
        .refusal
}

/// Co-tenants sharing one table (CWE-653, insufficient compartmentalization;
/// issue 10 item 2): on shared hosting every pool of one PHP-FPM master maps
/// the same table. A site in one namespace must not spend another's `ip:` /
/// `user:` / `token:` keys, and 20 000 new keys from one namespace must not
/// give any other namespace `table_full`.
#[test]
fn attack_cotenant_spends_or_fills_another_namespace() {
    let (dir, slots) = (words(16), words(8192));
    let k = HashKey::from_parts(21, 22);
    let rate = Rate::per_seconds(3, 60).unwrap();
    let open = |name: &str| {
        let ns = Namespace::parse(name.as_bytes(), b"1024").unwrap();
        Space::open(&dir, &slots, &k, &ns, DEFAULT_PROBES, WhenFull::Refuse).unwrap()
    };
    let (a, b) = (open("tenant-a"), open("tenant-b"));
    for key in ["ip:192.0.2.7", "user:1", "token:victim"] {
        assert_eq!(hit(&a, &k, &rate, key, 3), None);
        assert_eq!(hit(&a, &k, &rate, key, 1), Some(Refusal::RateLimited));
        assert_eq!(hit(&b, &k, &rate, key, 3), None, "{key}: B's own state");
    }
    let before = b.usage(NOW);
    let mut refused = 0;
    for i in 0..10_000 {
        for key in [format!("ip:flood-{i}"), format!("token:flood-{i}")] {
            refused += usize::from(hit(&a, &k, &rate, &key, 1) == Some(Refusal::TableFull));
        }
    }
    assert!(
        refused > 18_000,
        "A filled its own region ({refused} refused)"
    );
    assert_eq!(b.usage(NOW), before, "A's flood did not touch B's slots");
    for i in 0..400 {
        assert_eq!(hit(&b, &k, &rate, &format!("ip:new-{i}"), 1), None);
        assert_eq!(hit(&b, &k, &rate, &format!("user:new-{i}"), 1), None);
    }
}

/// A flood of fresh anonymous keys (CWE-770, allocation without limits;
/// issue 10 item 3): anyone can make one `ip:` key per address. Ten times the
/// table in fresh keys must cause no `table_full` and, in `evict` mode, no
/// eviction (a reset limit) for token and user keys.
#[test]
fn attack_anonymous_key_flood_crowds_out_principals() {
    for when_full in [WhenFull::Refuse, WhenFull::EvictSoonestExpiring] {
        let (dir, slots) = (words(1), words(4096));
        let k = HashKey::from_parts(31, 32);
        let rate = Rate::per_seconds(2, 60).unwrap();
        let s = Space::open(
            &dir,
            &slots,
            &k,
            &Namespace::default(),
            DEFAULT_PROBES,
            when_full,
        )
        .unwrap();
        for i in 0..1500 {
            assert_eq!(hit(&s, &k, &rate, &format!("token:{i}"), 2), None);
        }
        // The same cost as the token keys: at a frozen clock the flood's
        // states expire no sooner, the worst case for `evict`.
        for i in 0..10 * 4096 {
            let _ = hit(
                &s,
                &k,
                &rate,
                &format!("ip:10.{}.{}.{}", i >> 16, (i >> 8) & 255, i & 255),
                2,
            );
        }
        for i in 0..1500 {
            let r = hit(&s, &k, &rate, &format!("token:{i}"), 1);
            assert_eq!(
                r,
                Some(Refusal::RateLimited),
                "{when_full:?}: token:{i} kept its state"
            );
        }
        for i in 0..300 {
            assert_eq!(
                hit(&s, &k, &rate, &format!("user:{i}"), 1),
                None,
                "{when_full:?}"
            );
        }
    }
}

/// Rate-limit evasion by address rotation (RFC 4291 §2.5.1: one client
/// usually holds a whole /64): every address of one /64 is one key, and an
/// IPv4-mapped address is the IPv4 client.
#[test]
fn attack_ipv6_rotation_within_a_64() {
    let (dir, slots) = (words(1), words(1024));
    let k = HashKey::from_parts(41, 42);
    let rate = Rate::per_seconds(5, 60).unwrap();
    let s = Space::open(
        &dir,
        &slots,
        &k,
        &Namespace::default(),
        DEFAULT_PROBES,
        WhenFull::Refuse,
    )
    .unwrap();
    let mut allowed = 0;
    for i in 0..1000u32 {
        let addr = format!("2001:db8:7:9:{:x}:{:x}::{:x}", i >> 8, i & 255, i);
        let key = ip_key(addr.as_bytes()).unwrap();
        allowed += usize::from(hit(&s, &k, &rate, &key, 1).is_none());
    }
    assert_eq!(allowed, 5);
    assert_eq!(
        ip_key(b"::ffff:192.0.2.1").unwrap(),
        ip_key(b"192.0.2.1").unwrap()
    );
}
