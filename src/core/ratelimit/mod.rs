//! Rate limiting: GCRA ([`gcra`]) on one 64-bit TAT per key, kept in a
//! lock-free open-addressing table ([`table`]) that lives in a shared anonymous
//! mapping ([`shm`]) so every PHP-FPM worker of a server shares exact limits.
//! The mapping is cut into one region per namespace and, inside it, one share
//! per key class ([`space`]), so co-tenants and anonymous floods cannot touch
//! each other's state.
//!
//! Time is always a parameter (`now_us`, Unix microseconds); the table's
//! SipHash key comes from the caller's [`crate::core::rng::SecureRandom`].

pub mod gcra;
pub mod headers;
pub mod script;
#[cfg(unix)]
pub mod shm;
pub mod space;
pub mod table;

use std::collections::BTreeMap;
use std::net::IpAddr;

use crate::core::json::view::{Key, Node, View};

pub use gcra::{Decision, Rate, Refusal};
pub use space::{KeyClass, Namespace, Region, Space, SpaceUsage};
pub use table::{HashKey, NamespaceId, Table, Usage, WhenFull};

crate::error_table! {
    /// Why a rate-limit operation could not produce a decision.
    pub enum RateLimitError {
        /// A policy's limit or period is out of range.
        InvalidPolicy => InvalidArgument, "invalid_policy", "The rate-limit policy is invalid.";
        /// A policy is not `['limit' => int, 'period' => int]`.
        InvalidPolicyValue => InvalidArgument, "invalid_value", "Each policy must be ['limit' => int, 'period' => int].";
        /// A policy name is not `[a-z0-9_.-]{1,64}`.
        InvalidPolicyName => InvalidArgument, "invalid_policy_name", "The rate-limit policy name is invalid.";
        /// `hit()` named a policy the limiter does not have.
        UnknownPolicy => InvalidArgument, "unknown_policy", "The rate-limit policy is not configured.";
        /// The cost is below 1 or above the policy's limit.
        InvalidCost => InvalidArgument, "invalid_cost", "The cost must be between 1 and the policy's limit.";
        /// The clock value is 0 or absurdly far in the future.
        InvalidTime => InvalidArgument, "invalid_time", "The clock value is out of range.";
        /// A principal key helper got a value it cannot use, e.g. an IP
        /// address that does not parse, or an empty id.
        InvalidKey => InvalidArgument, "invalid_key", "The rate-limit key is invalid.";
        /// The shared table could not be created or is not usable on this CPU.
        TableUnavailable => Configuration, "rate_limit_table_unavailable", "The rate-limit table is unavailable.";
        /// A hit lost the race for its slot an absurd number of times in a
        /// row. Treat as a refusal.
        Contended => Internal, "rate_limit_contended", "The rate-limit table is contended.";
        /// The OS random generator failed while drawing the hash key.
        RandomnessUnavailable => Internal, "randomness_unavailable", "The system random generator failed.";
        /// A clock value was passed but the test clock is not enabled by INI.
        TestClockDisabled => Configuration, "test_clock_disabled", "The rate-limit test clock is not enabled.";
        /// `mcp_guard.rate_limit_namespace` or `…_namespace_slots` holds a
        /// value that is not allowed, or cannot be read.
        InvalidNamespace => Configuration, "invalid_rate_limit_namespace", "The rate-limit namespace setting is invalid.";
        /// The namespace is new and the table (or its directory) has no room
        /// left for its region: the host gave out more slots than the table
        /// has.
        NamespaceUnavailable => Configuration, "rate_limit_namespace_unavailable", "The rate-limit table has no room for this namespace.";
        /// An external store (Redis) failed or answered something that is not
        /// the GCRA step the extension computes. Treat as a refusal.
        BackendFailed => Internal, "rate_limit_backend_failed", "The rate-limit store failed.";
    }
}

/// Longest policy name.
pub const MAX_POLICY_NAME: usize = 64;

/// Checks a policy name: `[a-z0-9_.-]{1,64}`, so it can be written into a
/// structured-field string without escaping.
pub fn check_policy_name(name: &str) -> Result<(), RateLimitError> {
    let ok = !name.is_empty()
        && name.len() <= MAX_POLICY_NAME
        && name
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b"_.-".contains(&b));
    if ok {
        Ok(())
    } else {
        Err(RateLimitError::InvalidPolicyName)
    }
}

/// The default policies (per minute):
///
/// | name | limit | meant for |
/// |---|---|---|
/// | `catalogue` | 600 / 60 s | read tools, per token (`token:<publicId>`) |
/// | `write` | 30 / 60 s | write tools, per token |
/// | `anonymous` | 60 / 60 s | unauthenticated reads, per IP (`ip:…`) |
pub const DEFAULT_RATES: &[(&str, u64, u64)] = &[
    ("catalogue", 600, 60),
    ("write", 30, 60),
    ("anonymous", 60, 60),
];

/// The named rates of one limiter: the PHP API's *policies*.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rates(BTreeMap<String, Rate>);

impl Default for Rates {
    /// [`DEFAULT_RATES`].
    fn default() -> Self {
        let mut map = BTreeMap::new();
        for (name, limit, secs) in DEFAULT_RATES {
            if let Ok(p) = Rate::per_seconds(*limit, *secs) {
                map.insert((*name).to_owned(), p);
            }
        }
        Self(map)
    }
}

impl Rates {
    /// No rates.
    pub fn empty() -> Self {
        Self(BTreeMap::new())
    }

    /// Adds or replaces the rate `name`: `limit` per `period_secs` seconds.
    pub fn insert(
        &mut self,
        name: &str,
        limit: u64,
        period_secs: u64,
    ) -> Result<(), RateLimitError> {
        check_policy_name(name)?;
        let p = Rate::per_seconds(limit, period_secs)?;
        self.0.insert(name.to_owned(), p);
        Ok(())
    }

    /// The rate called `name`.
    pub fn get(&self, name: &str) -> Result<&Rate, RateLimitError> {
        self.0.get(name).ok_or(RateLimitError::UnknownPolicy)
    }

    /// Reads the PHP API's policies argument through the one view of PHP
    /// values: `name => ['limit' => int, 'period' => int]` (period in
    /// seconds), nothing more. A key that is not a UTF-8 string is an invalid
    /// name (never a panic); any other shape is
    /// [`RateLimitError::InvalidPolicyValue`].
    pub fn from_view<V: View + ?Sized>(view: &V) -> Result<Self, RateLimitError> {
        let mut set = Self::empty();
        view.entries(|key, value| {
            let name = match key {
                Key::Name(bytes) => {
                    std::str::from_utf8(bytes).map_err(|_| RateLimitError::InvalidPolicyName)?
                }
                Key::Index(_) => return Err(RateLimitError::InvalidPolicyName),
            };
            let (limit, period) = limit_and_period(value)?;
            set.insert(name, limit, period)
        })?;
        Ok(set)
    }

    /// Every rate, by name.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &Rate)> {
        self.0.iter().map(|(k, v)| (k.as_str(), v))
    }
}

/// `['limit' => int, 'period' => int]`, both non-negative.
fn limit_and_period<V: View + ?Sized>(value: &V) -> Result<(u64, u64), RateLimitError> {
    if value.node() != Node::Array(2) {
        return Err(RateLimitError::InvalidPolicyValue);
    }
    let (mut limit, mut period) = (None, None);
    value.entries(|key, v| {
        let n = match v.node() {
            Node::Int(n) => u64::try_from(n).map_err(|_| RateLimitError::InvalidPolicyValue)?,
            _ => return Err(RateLimitError::InvalidPolicyValue),
        };
        match key {
            Key::Name(b"limit") => limit = Some(n),
            Key::Name(b"period") => period = Some(n),
            _ => return Err(RateLimitError::InvalidPolicyValue),
        }
        Ok(())
    })?;
    limit.zip(period).ok_or(RateLimitError::InvalidPolicyValue)
}

/// `ip:<address>` for a client address. IPv4 (and IPv4-mapped IPv6) keeps the
/// whole address; IPv6 keeps its /64 prefix, because one client usually holds
/// a whole /64 and could otherwise rotate through 2⁶⁴ keys.
pub fn ip_key(ip: &[u8]) -> Result<String, RateLimitError> {
    let text = std::str::from_utf8(ip).map_err(|_| RateLimitError::InvalidKey)?;
    let addr: IpAddr = text
        .trim()
        .parse()
        .map_err(|_| RateLimitError::InvalidKey)?;
    Ok(match addr {
        IpAddr::V4(v4) => format!("ip:{v4}"),
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => format!("ip:{v4}"),
            None => {
                let s = v6.segments();
                format!("ip:{:x}:{:x}:{:x}:{:x}::/64", s[0], s[1], s[2], s[3])
            }
        },
    })
}

/// `<kind>:<id>` for a principal id (`token`, `user`): the id must be 1 to 256
/// bytes of printable ASCII, so a key can never be confused with another kind.
pub fn principal_key(kind: &str, id: &[u8]) -> Result<String, RateLimitError> {
    if id.is_empty() || id.len() > 256 || !id.iter().all(|b| b.is_ascii_graphic()) {
        return Err(RateLimitError::InvalidKey);
    }
    let id = std::str::from_utf8(id).map_err(|_| RateLimitError::InvalidKey)?;
    Ok(format!("{kind}:{id}"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::error::GuardError;

    #[test]
    fn policy_names() {
        assert!(check_policy_name("write").is_ok());
        assert!(check_policy_name("tools.read-1_a").is_ok());
        for bad in ["", "Write", "a b", "a\"b", "é", &"a".repeat(65)] {
            assert_eq!(
                check_policy_name(bad),
                Err(RateLimitError::InvalidPolicyName)
            );
        }
    }

    #[test]
    fn default_policies_are_the_documented_ones() {
        let p = Rates::default();
        let read = p.get("catalogue").unwrap();
        assert_eq!((read.limit(), read.period_us()), (600, 60_000_000));
        let write = p.get("write").unwrap();
        assert_eq!((write.limit(), write.period_us()), (30, 60_000_000));
        let anon = p.get("anonymous").unwrap();
        assert_eq!((anon.limit(), anon.period_us()), (60, 60_000_000));
        assert_eq!(p.get("nope"), Err(RateLimitError::UnknownPolicy));
        assert_eq!(p.iter().count(), 3);
    }

    #[test]
    fn policies_validate() {
        let mut p = Rates::empty();
        assert_eq!(
            p.insert("Bad", 1, 1),
            Err(RateLimitError::InvalidPolicyName)
        );
        assert_eq!(p.insert("ok", 0, 1), Err(RateLimitError::InvalidPolicy));
        assert!(p.insert("ok", 1, 1).is_ok());
    }

    #[test]
    fn policies_are_read_from_a_view() {
        use crate::core::policy::value::Value;
        let read = |json: &str| {
            let v: Value = crate::core::json::parse(json.as_bytes(), 8).unwrap();
            Rates::from_view(&v)
        };
        let r =
            read(r#"{"a": {"limit": 3, "period": 60}, "b": {"period": 1, "limit": 1}}"#).unwrap();
        assert_eq!(r.get("a").unwrap().limit(), 3);
        assert_eq!(r.get("b").unwrap().period_us(), gcra::MICROS_PER_SEC);
        assert_eq!(read("[]").unwrap().iter().count(), 0);
        for (json, want) in [
            (
                r#"[{"limit": 1, "period": 1}]"#,
                RateLimitError::InvalidPolicyName,
            ),
            (
                r#"{"A": {"limit": 1, "period": 1}}"#,
                RateLimitError::InvalidPolicyName,
            ),
            (
                r#"{"a": {"limit": 0, "period": 1}}"#,
                RateLimitError::InvalidPolicy,
            ),
            (
                r#"{"a": {"limit": -1, "period": 1}}"#,
                RateLimitError::InvalidPolicyValue,
            ),
            (r#"{"a": {"limit": 1}}"#, RateLimitError::InvalidPolicyValue),
            (
                r#"{"a": {"limit": 1, "burst": 1}}"#,
                RateLimitError::InvalidPolicyValue,
            ),
            (
                r#"{"a": {"limit": 1, "period": 1, "burst": 3}}"#,
                RateLimitError::InvalidPolicyValue,
            ),
            (
                r#"{"a": {"limit": "1", "period": 1}}"#,
                RateLimitError::InvalidPolicyValue,
            ),
            (
                r#"{"a": {"limit": 1.0, "period": 1}}"#,
                RateLimitError::InvalidPolicyValue,
            ),
            (r#"{"a": 5}"#, RateLimitError::InvalidPolicyValue),
            (r#"{"a": [1, 1]}"#, RateLimitError::InvalidPolicyValue),
        ] {
            assert_eq!(read(json), Err(want), "{json}");
        }
    }

    #[test]
    fn ip_keys() {
        assert_eq!(ip_key(b"192.0.2.1").unwrap(), "ip:192.0.2.1");
        assert_eq!(ip_key(b"::ffff:192.0.2.1").unwrap(), "ip:192.0.2.1");
        assert_eq!(
            ip_key(b"2001:db8:1:2:3:4:5:6").unwrap(),
            "ip:2001:db8:1:2::/64"
        );
        assert_eq!(
            ip_key(b"2001:db8:1:2:ffff::1").unwrap(),
            ip_key(b"2001:db8:1:2::9").unwrap()
        );
        for bad in [&b""[..], b"1.2.3", b"\xff", b"example.com"] {
            assert_eq!(ip_key(bad), Err(RateLimitError::InvalidKey));
        }
    }

    #[test]
    fn principal_keys() {
        assert_eq!(principal_key("token", b"abc123").unwrap(), "token:abc123");
        for bad in [&b""[..], b"a b", b"\xff", &[b'a'; 257]] {
            assert_eq!(principal_key("user", bad), Err(RateLimitError::InvalidKey));
        }
    }

    #[test]
    fn every_error_has_a_kind_and_reason() {
        assert_eq!(RateLimitError::ALL.len(), RateLimitError::REASONS.len());
        for e in RateLimitError::ALL {
            assert!(!e.reason().is_empty());
            assert!(!e.to_string().is_empty());
            let _ = e.kind();
        }
    }
}
