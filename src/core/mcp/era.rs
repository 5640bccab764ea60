//! The protocol versions served, and how one is picked.
//!
//! * 2026-07-28 is *modern*: stateless, no `initialize`; every request names
//!   its version in the `MCP-Protocol-Version` header (2026-07-28
//!   streamable-http, "Protocol Version Header").
//! * 2025-11-25, 2025-06-18 and 2025-03-26 are *legacy*: `initialize`
//!   negotiates one (2025-11-25 basic/lifecycle: the server answers the
//!   version asked if it supports it, else another it supports, which
//!   SHOULD be its latest), later requests name it in the header, and a
//!   request without the header is taken as 2025-03-26 (2025-11-25
//!   transports, "Protocol Version Header"). 2024-11-05 is not served: it
//!   predates Streamable HTTP.
//! * Only 2025-03-26 has JSON-RPC batches: 2025-06-18 removed them
//!   (2025-06-18 changelog) and 2026-07-28 requires one message per POST.

/// A protocol version this server speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Version {
    /// 2026-07-28: stateless, `server/discover`, header–body checks.
    V2026_07_28,
    /// 2025-11-25: `initialize`.
    V2025_11_25,
    /// 2025-06-18: `initialize`; the first with the `MCP-Protocol-Version` header.
    V2025_06_18,
    /// 2025-03-26: `initialize`; JSON-RPC batches; assumed without a header.
    V2025_03_26,
}

/// Every version served, newest first (the `supported` list of -32022 and
/// `supportedVersions` of `server/discover`).
pub const SUPPORTED: [Version; 4] = [
    Version::V2026_07_28,
    Version::V2025_11_25,
    Version::V2025_06_18,
    Version::V2025_03_26,
];

/// What `initialize` answers when the client asks for a version that is not
/// a handshake version we serve: the newest handshake version.
pub const LATEST_HANDSHAKE: Version = Version::V2025_11_25;

/// The version of a request without `MCP-Protocol-Version` (2025-11-25
/// transports: "SHOULD assume protocol version 2025-03-26").
pub const WITHOUT_HEADER: Version = Version::V2025_03_26;

impl Version {
    /// The version's name on the wire (`2026-07-28`).
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::V2026_07_28 => "2026-07-28",
            Self::V2025_11_25 => "2025-11-25",
            Self::V2025_06_18 => "2025-06-18",
            Self::V2025_03_26 => "2025-03-26",
        }
    }

    /// The version named exactly `name` (case-sensitive, no whitespace), if
    /// we serve it.
    pub fn parse(name: &[u8]) -> Option<Self> {
        SUPPORTED
            .into_iter()
            .find(|v| v.as_str().as_bytes() == name)
    }

    /// Whether the version is stateless (no `initialize`, headers checked
    /// against the body on every request).
    pub const fn is_modern(self) -> bool {
        matches!(self, Self::V2026_07_28)
    }

    /// Whether a POST body may be a JSON-RPC batch (2025-03-26 only).
    pub const fn allows_batch(self) -> bool {
        matches!(self, Self::V2025_03_26)
    }
}

/// The version `initialize` answers when the client asks for `asked`: the
/// same one if it is a handshake version we serve, else
/// [`LATEST_HANDSHAKE`] (the client then decides whether it can go on).
/// Never the modern version: 2026-07-28 has no `initialize`.
pub fn negotiate(asked: &[u8]) -> Version {
    match Version::parse(asked) {
        Some(v) if !v.is_modern() => v,
        _ => LATEST_HANDSHAKE,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_and_nothing_else_parses() {
        for v in SUPPORTED {
            assert_eq!(Version::parse(v.as_str().as_bytes()), Some(v));
        }
        for bad in [
            &b""[..],
            b"2024-11-05",
            b"2026-07-28 ",
            b" 2026-07-28",
            b"2026-07-29",
            b"2026-07-2",
            b"2026-07-28\0",
        ] {
            assert_eq!(Version::parse(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn eras_and_batches() {
        assert!(Version::V2026_07_28.is_modern());
        assert!(!Version::V2025_11_25.is_modern());
        let batching: Vec<_> = SUPPORTED.into_iter().filter(|v| v.allows_batch()).collect();
        assert_eq!(batching, [Version::V2025_03_26]);
        assert_eq!(WITHOUT_HEADER, Version::V2025_03_26);
    }

    #[test]
    fn initialize_answers_the_asked_version_or_the_latest_handshake_one() {
        assert_eq!(negotiate(b"2025-11-25"), Version::V2025_11_25);
        assert_eq!(negotiate(b"2025-06-18"), Version::V2025_06_18);
        assert_eq!(negotiate(b"2025-03-26"), Version::V2025_03_26);
        assert_eq!(negotiate(b"2024-11-05"), Version::V2025_11_25);
        assert_eq!(negotiate(b"2026-07-28"), Version::V2025_11_25);
        assert_eq!(negotiate(b"2099-01-01"), Version::V2025_11_25);
        assert_eq!(negotiate(b"\xff"), Version::V2025_11_25);
    }
}
