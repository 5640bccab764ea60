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
#[cfg(unix)]
pub mod shm;
pub mod space;
pub mod table;

use std::collections::BTreeMap;
use std::net::IpAddr;

use crate::core::error::{ErrorKind, GuardError};

pub use gcra::{Decision, Rate, Refusal};
pub use space::{KeyClass, Namespace, Region, Space, SpaceUsage};
pub use table::{HashKey, NamespaceId, Table, Usage, WhenFull};

/// Why a rate-limit operation could not produce a decision.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum RateLimitError {
    /// A policy's limit or period is out of range (`invalid_policy`).
    InvalidPolicy,
    /// A policy name is not `[a-z0-9_.-]{1,64}` (`invalid_policy_name`).
    InvalidPolicyName,
    /// `hit()` named a policy the limiter does not have (`unknown_policy`).
    UnknownPolicy,
    /// The cost is below 1 or above the policy's limit (`invalid_cost`).
    InvalidCost,
    /// The clock value is 0 or absurdly far in the future (`invalid_time`).
    InvalidTime,
    /// A principal key helper got a value it cannot use, e.g. an IP address
    /// that does not parse, or an empty id (`invalid_key`).
    InvalidKey,
    /// The shared table could not be created or is not usable on this CPU
    /// (`rate_limit_table_unavailable`).
    TableUnavailable,
    /// A hit lost the race for its slot an absurd number of times in a row
    /// (`rate_limit_contended`). Treat as a refusal.
    Contended,
    /// The OS random generator failed while drawing the hash key
    /// (`randomness_unavailable`).
    RandomnessUnavailable,
    /// A clock value was passed but the test clock is not enabled by INI
    /// (`test_clock_disabled`).
    TestClockDisabled,
    /// `mcp_guard.rate_limit_namespace` or `…_namespace_slots` has a value
    /// that is not allowed (`invalid_rate_limit_namespace`).
    InvalidNamespace,
    /// The namespace is new and the table (or its directory) has no room
    /// left for its region: the host gave out more slots than the table has
    /// (`rate_limit_namespace_unavailable`).
    NamespaceUnavailable,
    /// An external backend (Redis) failed or answered something that is not
    /// a valid GCRA step (`rate_limit_backend_failed`). Treat as a refusal.
    BackendFailed,
}

impl std::fmt::Display for RateLimitError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Self::InvalidPolicy => "The rate-limit policy is invalid.",
            Self::InvalidPolicyName => "The rate-limit policy name is invalid.",
            Self::UnknownPolicy => "The rate-limit policy is not configured.",
            Self::InvalidCost => "The cost must be between 1 and the policy's limit.",
            Self::InvalidTime => "The clock value is out of range.",
            Self::InvalidKey => "The rate-limit key is invalid.",
            Self::TableUnavailable => "The rate-limit table is unavailable.",
            Self::Contended => "The rate-limit table is contended.",
            Self::RandomnessUnavailable => "The system random generator failed.",
            Self::TestClockDisabled => "The rate-limit test clock is not enabled.",
            Self::InvalidNamespace => "The rate-limit namespace setting is invalid.",
            Self::NamespaceUnavailable => "The rate-limit table has no room for this namespace.",
            Self::BackendFailed => "The rate-limit backend failed.",
        })
    }
}

impl std::error::Error for RateLimitError {}

impl GuardError for RateLimitError {
    fn kind(&self) -> ErrorKind {
        match self {
            Self::InvalidPolicy
            | Self::InvalidPolicyName
            | Self::UnknownPolicy
            | Self::InvalidCost
            | Self::InvalidTime
            | Self::InvalidKey => ErrorKind::InvalidArgument,
            Self::TableUnavailable
            | Self::TestClockDisabled
            | Self::InvalidNamespace
            | Self::NamespaceUnavailable => ErrorKind::Configuration,
            Self::Contended | Self::RandomnessUnavailable | Self::BackendFailed => {
                ErrorKind::Internal
            }
        }
    }

    fn reason(&self) -> &'static str {
        match self {
            Self::InvalidPolicy => "invalid_policy",
            Self::InvalidPolicyName => "invalid_policy_name",
            Self::UnknownPolicy => "unknown_policy",
            Self::InvalidCost => "invalid_cost",
            Self::InvalidTime => "invalid_time",
            Self::InvalidKey => "invalid_key",
            Self::TableUnavailable => "rate_limit_table_unavailable",
            Self::Contended => "rate_limit_contended",
            Self::RandomnessUnavailable => "randomness_unavailable",
            Self::TestClockDisabled => "test_clock_disabled",
            Self::InvalidNamespace => "invalid_rate_limit_namespace",
            Self::NamespaceUnavailable => "rate_limit_namespace_unavailable",
            Self::BackendFailed => "rate_limit_backend_failed",
        }
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

    /// Every rate, by name.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &Rate)> {
        self.0.iter().map(|(k, v)| (k.as_str(), v))
    }
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
        let all = [
            RateLimitError::InvalidPolicy,
            RateLimitError::InvalidPolicyName,
            RateLimitError::UnknownPolicy,
            RateLimitError::InvalidCost,
            RateLimitError::InvalidTime,
            RateLimitError::InvalidKey,
            RateLimitError::TableUnavailable,
            RateLimitError::Contended,
            RateLimitError::RandomnessUnavailable,
            RateLimitError::TestClockDisabled,
            RateLimitError::InvalidNamespace,
            RateLimitError::NamespaceUnavailable,
            RateLimitError::BackendFailed,
        ];
        for e in all {
            assert!(!e.reason().is_empty());
            assert!(!e.to_string().is_empty());
            let _ = e.kind();
        }
    }
}
