//! The audit event: a closed type, an outcome, and bounded identifiers
//! validated when they are set. An event cannot hold a secret: every string
//! is an identifier of a small grammar, a value shaped like a credential is
//! refused ([`AuditError::SecretShaped`]), and the tool's arguments only
//! enter as their digest.

use std::net::IpAddr;

use super::AuditError;
use crate::core::base62::is_base62;
use crate::core::digest::{self, Hash};
use crate::core::json::view::View;
use crate::core::token::format::{CHECKSUM_LEN, PUBLIC_ID_LEN, SECRET_LEN};

/// Longest principal (member id).
pub const MAX_PRINCIPAL: usize = 256;
/// Longest token id (a token's public id, a JWT `jti`).
pub const MAX_TOKEN_ID: usize = 128;
/// Longest client id (an OAuth client id, possibly a metadata-document URL).
pub const MAX_CLIENT_ID: usize = 512;
/// Longest tool name (MCP tool names: `A-Z a-z 0-9 _ - .`).
pub const MAX_TOOL: usize = 128;
/// Longest reason code.
pub const MAX_REASON: usize = 64;
/// Longest protocol version text (`2025-11-25`).
pub const MAX_PROTOCOL: usize = 32;
/// Longest IP text accepted before parsing.
pub const MAX_IP_TEXT: usize = 64;

macro_rules! names {
    ($(#[$m:meta])* $name:ident { $($(#[$vm:meta])* $v:ident = $s:literal,)+ }) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        #[non_exhaustive]
        pub enum $name {
            $($(#[$vm])* $v,)+
        }

        impl $name {
            /// Every value, in declaration order.
            pub const ALL: &'static [$name] = &[$($name::$v),+];

            /// The name as written in records.
            pub const fn name(self) -> &'static str {
                match self {
                    $($name::$v => $s,)+
                }
            }

            /// The value of a name, if it is one.
            pub fn from_name(s: &[u8]) -> Option<Self> {
                Self::ALL.iter().copied().find(|v| v.name().as_bytes() == s)
            }
        }
    };
}

names! {
    /// What happened. The set is closed: a host cannot invent a type.
    EventType {
        /// A token was issued.
        TokenIssued = "token_issued",
        /// A token authenticated a request.
        TokenUsed = "token_used",
        /// A presented credential was refused (the reason says why).
        TokenFailed = "token_failed",
        /// A token was revoked.
        TokenRevoked = "token_revoked",
        /// A token was rotated (a successor issued).
        TokenRotated = "token_rotated",
        /// An OAuth refresh token was exchanged.
        TokenRefreshed = "token_refreshed",
        /// An OAuth authorization code was exchanged.
        CodeExchanged = "code_exchanged",
        /// An OAuth client was revoked.
        ClientRevoked = "client_revoked",
        /// A member was added.
        MemberAdded = "member_added",
        /// A member was removed.
        MemberRemoved = "member_removed",
        /// Tools were listed.
        ToolListed = "tool_listed",
        /// A tool call was allowed.
        ToolAllowed = "tool_allowed",
        /// A tool call was refused by the policy.
        ToolDenied = "tool_denied",
        /// A request was refused before authentication (origin, transport,
        /// protocol).
        RequestRefused = "request_refused",
        /// A request was rate limited.
        RateLimited = "rate_limited",
        /// A destructive call was answered with a confirmation challenge.
        ConfirmationAsked = "confirmation_asked",
        /// A confirmation was presented and accepted.
        ConfirmationUsed = "confirmation_used",
    }
}

names! {
    /// How it ended.
    Outcome {
        /// The operation was allowed (or done).
        Allowed = "allowed",
        /// The operation was refused.
        Denied = "denied",
        /// The operation failed (storage, a handler's error).
        Error = "error",
    }
}

impl EventType {
    /// Whether the type records a refusal (its outcome cannot be `allowed`).
    pub const fn is_refusal(self) -> bool {
        matches!(
            self,
            Self::TokenFailed | Self::ToolDenied | Self::RequestRefused | Self::RateLimited
        )
    }

    /// The outcome when none is given: `denied` for a refusal, else `allowed`.
    pub const fn default_outcome(self) -> Outcome {
        if self.is_refusal() {
            Outcome::Denied
        } else {
            Outcome::Allowed
        }
    }
}

/// One audit event. Built with [`Event::new`] and the setters, each of
/// which validates its value; fields absent stay absent in the record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Event {
    pub(super) kind: EventType,
    pub(super) outcome: Outcome,
    pub(super) at_us: u64,
    pub(super) principal: Option<String>,
    pub(super) token_id: Option<String>,
    pub(super) client_id: Option<String>,
    pub(super) tool: Option<String>,
    pub(super) arguments_digest: Option<Hash>,
    pub(super) reason: Option<String>,
    pub(super) latency_us: Option<u64>,
    pub(super) ip: Option<IpAddr>,
    pub(super) protocol: Option<String>,
}

/// The largest number a record holds (PHP's integers are 64-bit signed).
pub const MAX_NUMBER: u64 = i64::MAX as u64;

impl Event {
    /// An event of `kind` at `at_us` (Unix time in microseconds), with the
    /// type's default outcome.
    pub fn new(kind: EventType, at_us: u64) -> Result<Self, AuditError> {
        if at_us > MAX_NUMBER {
            return Err(AuditError::OutOfRange);
        }
        Ok(Self {
            kind,
            outcome: kind.default_outcome(),
            at_us,
            principal: None,
            token_id: None,
            client_id: None,
            tool: None,
            arguments_digest: None,
            reason: None,
            latency_us: None,
            ip: None,
            protocol: None,
        })
    }

    /// Sets the outcome; `allowed` is refused for a refusal type.
    pub fn set_outcome(&mut self, outcome: Outcome) -> Result<(), AuditError> {
        check_outcome(self.kind, outcome)?;
        self.outcome = outcome;
        Ok(())
    }

    /// The member id: an identifier of 1–256 bytes.
    pub fn set_principal(&mut self, v: &[u8]) -> Result<(), AuditError> {
        self.principal = Some(identifier(v, MAX_PRINCIPAL)?.to_owned());
        Ok(())
    }

    /// A token's public id or a JWT `jti`: an identifier of 1–128 bytes.
    pub fn set_token_id(&mut self, v: &[u8]) -> Result<(), AuditError> {
        self.token_id = Some(identifier(v, MAX_TOKEN_ID)?.to_owned());
        Ok(())
    }

    /// An OAuth client id: an identifier of 1–512 bytes.
    pub fn set_client_id(&mut self, v: &[u8]) -> Result<(), AuditError> {
        self.client_id = Some(identifier(v, MAX_CLIENT_ID)?.to_owned());
        Ok(())
    }

    /// A tool name: 1–128 of `A-Z a-z 0-9 _ - .`.
    pub fn set_tool(&mut self, v: &[u8]) -> Result<(), AuditError> {
        self.tool = Some(tool(v)?.to_owned());
        Ok(())
    }

    /// The digest of the arguments, given as 64 lower-case hex digits.
    pub fn set_arguments_digest_hex(&mut self, v: &[u8]) -> Result<(), AuditError> {
        self.arguments_digest = Some(parse_hex(v).ok_or(AuditError::InvalidDigest)?);
        Ok(())
    }

    /// The digest of the arguments, computed in place from `arguments`:
    /// nothing of the value is kept.
    pub fn set_arguments<V: View + ?Sized>(&mut self, arguments: &V) -> Result<(), AuditError> {
        self.arguments_digest = Some(arguments_digest(arguments)?);
        Ok(())
    }

    /// A reason code `[a-z0-9_.]{1,64}`.
    pub fn set_reason(&mut self, v: &[u8]) -> Result<(), AuditError> {
        self.reason = Some(reason(v)?.to_owned());
        Ok(())
    }

    /// The request's latency in microseconds.
    pub fn set_latency_us(&mut self, v: u64) -> Result<(), AuditError> {
        if v > MAX_NUMBER {
            return Err(AuditError::OutOfRange);
        }
        self.latency_us = Some(v);
        Ok(())
    }

    /// The client's IP address (IPv4 or IPv6 text, no zone); kept in its
    /// canonical form (an IPv4-mapped IPv6 address becomes IPv4).
    pub fn set_ip(&mut self, v: &[u8]) -> Result<(), AuditError> {
        self.ip = Some(parse_ip(v)?);
        Ok(())
    }

    /// The MCP protocol version (`2025-11-25`): 1–32 of `A-Z a-z 0-9 . _ -`.
    pub fn set_protocol(&mut self, v: &[u8]) -> Result<(), AuditError> {
        self.protocol = Some(protocol(v)?.to_owned());
        Ok(())
    }

    /// The type.
    pub fn kind(&self) -> EventType {
        self.kind
    }
    /// The outcome.
    pub fn outcome(&self) -> Outcome {
        self.outcome
    }
    /// Unix time in microseconds.
    pub fn at_us(&self) -> u64 {
        self.at_us
    }
    /// The principal.
    pub fn principal(&self) -> Option<&str> {
        self.principal.as_deref()
    }
    /// The token id.
    pub fn token_id(&self) -> Option<&str> {
        self.token_id.as_deref()
    }
    /// The client id.
    pub fn client_id(&self) -> Option<&str> {
        self.client_id.as_deref()
    }
    /// The tool.
    pub fn tool(&self) -> Option<&str> {
        self.tool.as_deref()
    }
    /// The arguments digest.
    pub fn arguments_digest(&self) -> Option<&Hash> {
        self.arguments_digest.as_ref()
    }
    /// The reason code.
    pub fn reason(&self) -> Option<&str> {
        self.reason.as_deref()
    }
    /// The latency in microseconds.
    pub fn latency_us(&self) -> Option<u64> {
        self.latency_us
    }
    /// The IP address.
    pub fn ip(&self) -> Option<IpAddr> {
        self.ip
    }
    /// The protocol version.
    pub fn protocol(&self) -> Option<&str> {
        self.protocol.as_deref()
    }
}

pub(super) fn check_outcome(kind: EventType, outcome: Outcome) -> Result<(), AuditError> {
    if kind.is_refusal() && outcome == Outcome::Allowed {
        return Err(AuditError::InvalidOutcome);
    }
    Ok(())
}

/// The digest of a tool call's arguments: THE arguments digest of
/// [`crate::core::confirm::arguments`] (object keys in any order, lists in
/// order, types kept), so an audit row and the confirmation of the same call
/// carry the same value, and no value is copied.
pub fn arguments_digest<V: View + ?Sized>(arguments: &V) -> Result<Hash, AuditError> {
    crate::core::confirm::arguments::digest(arguments).map_err(|_| AuditError::InvalidArguments)
}

// ------------------------------------------------------------ grammars

/// An identifier: 1 to `max` bytes of printable ASCII other than space, `"`
/// and `\`, not shaped like a credential.
pub(super) fn identifier(v: &[u8], max: usize) -> Result<&str, AuditError> {
    refuse_secret_shapes(v)?;
    if v.is_empty() || v.len() > max || !v.iter().all(|&b| is_identifier_byte(b)) {
        return Err(AuditError::InvalidField);
    }
    // Printable ASCII is UTF-8.
    std::str::from_utf8(v).map_err(|_| AuditError::InvalidField)
}

fn is_identifier_byte(b: u8) -> bool {
    (0x21..=0x7e).contains(&b) && b != b'"' && b != b'\\'
}

fn name_of(v: &[u8], max: usize, ok: impl Fn(u8) -> bool) -> Result<&str, AuditError> {
    refuse_secret_shapes(v)?;
    if v.is_empty() || v.len() > max || !v.iter().all(|&b| ok(b)) {
        return Err(AuditError::InvalidField);
    }
    std::str::from_utf8(v).map_err(|_| AuditError::InvalidField)
}

pub(super) fn tool(v: &[u8]) -> Result<&str, AuditError> {
    name_of(v, MAX_TOOL, |b| {
        b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.')
    })
}

pub(super) fn protocol(v: &[u8]) -> Result<&str, AuditError> {
    name_of(v, MAX_PROTOCOL, |b| {
        b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.')
    })
}

pub(super) fn reason(v: &[u8]) -> Result<&str, AuditError> {
    let ok = !v.is_empty()
        && v.len() <= MAX_REASON
        && v.iter()
            .all(|&b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_' || b == b'.');
    if !ok {
        return Err(AuditError::InvalidReason);
    }
    std::str::from_utf8(v).map_err(|_| AuditError::InvalidReason)
}

pub(super) fn parse_ip(v: &[u8]) -> Result<IpAddr, AuditError> {
    if v.len() > MAX_IP_TEXT {
        return Err(AuditError::InvalidIp);
    }
    let text = std::str::from_utf8(v).map_err(|_| AuditError::InvalidIp)?;
    let ip: IpAddr = text.parse().map_err(|_| AuditError::InvalidIp)?;
    Ok(ip.to_canonical())
}

/// 64 lower-case hex digits as 32 bytes.
pub fn parse_hex(v: &[u8]) -> Option<Hash> {
    if v.len() != 64 {
        return None;
    }
    let mut out = [0u8; 32];
    for (o, pair) in out.iter_mut().zip(v.chunks_exact(2)) {
        let &[hi, lo] = pair else {
            return None;
        };
        *o = (nibble(hi)? << 4) | nibble(lo)?;
    }
    Some(out)
}

fn nibble(b: u8) -> Option<u8> {
    match b {
        b'0'..=b'9' => Some(b - b'0'),
        b'a'..=b'f' => Some(b - b'a' + 10),
        _ => None,
    }
}

/// Lower-case hex (the one hex writer: [`digest::hex`]).
pub fn hex(hash: &Hash) -> String {
    digest::hex(hash)
}

// ------------------------------------------------------------ secret shapes

/// Refuses a value shaped like a credential, wherever in the value it sits:
/// an `Authorization` header value (`Bearer `/`Basic ` and the header
/// name), a full token of our format (`<prefix>_<16 base62>_<49 base62>`),
/// a JWS/JWE compact serialization (3 or 5 base64url parts whose first part
/// decodes to a JSON object), a confirmation (`mcpc_…`, while it lives a
/// bearer secret of its own).
pub fn refuse_secret_shapes(v: &[u8]) -> Result<(), AuditError> {
    if has_auth_scheme(v) || has_token(v) || has_jwt(v) || crate::core::confirm::contained_in(v) {
        return Err(AuditError::SecretShaped);
    }
    Ok(())
}

fn has_auth_scheme(v: &[u8]) -> bool {
    const NEEDLES: [&[u8]; 3] = [b"bearer", b"basic", b"authorization:"];
    // Candidates start with `a` or `b` (any case): one pass over the value.
    v.iter().enumerate().any(|(i, &b)| {
        if !matches!(b | 0x20, b'a' | b'b') {
            return false;
        }
        let rest = v.get(i..).unwrap_or_default();
        NEEDLES.iter().any(|needle| {
            let Some(word) = rest.get(..needle.len()) else {
                return false;
            };
            if !word.eq_ignore_ascii_case(needle) {
                return false;
            }
            if needle.ends_with(b":") {
                return true;
            }
            // The scheme as a word followed by white space (or `+`, a
            // form-encoded space, or `%20`).
            let after = rest.get(needle.len()..).unwrap_or_default();
            let before_ok = i == 0 || v.get(i - 1).is_some_and(|b| !b.is_ascii_alphanumeric());
            before_ok
                && (matches!(after.first(), Some(b' ' | b'\t' | b'+')) || after.starts_with(b"%20"))
        })
    })
}

fn has_token(v: &[u8]) -> bool {
    // The shortest token: a one-letter prefix, two `_`, the id and the rest.
    if v.len() < 1 + 1 + PUBLIC_ID_LEN + 1 + SECRET_LEN + CHECKSUM_LEN {
        return false;
    }
    // In every run of `[A-Za-z0-9_]`, look for `<word>_<16 base62>_<≥49
    // base62>` (three consecutive `_`-separated pieces; nothing allocated).
    v.split(|b| !(b.is_ascii_alphanumeric() || *b == b'_'))
        .any(|run| {
            let mut before: [Option<&[u8]>; 2] = [None, None];
            run.split(|b| *b == b'_').any(|rest| {
                let hit = matches!(before, [Some(prefix), Some(id)]
                    if !prefix.is_empty()
                        && id.len() == PUBLIC_ID_LEN
                        && rest.len() >= SECRET_LEN + CHECKSUM_LEN
                        && id.iter().all(|&b| is_base62(b))
                        && rest.iter().all(|&b| is_base62(b)));
                before = [before[1], Some(rest)];
                hit
            })
        })
}

fn is_b64url(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'-' || b == b'_'
}

fn has_jwt(v: &[u8]) -> bool {
    // At least `ey` + 6 symbols, two dots and a payload symbol.
    if v.len() < 11 || v.iter().filter(|&&b| b == b'.').count() < 2 {
        return false;
    }
    v.split(|&b| !(is_b64url(b) || b == b'.')).any(|run| {
        let parts = run.split(|&b| b == b'.').count();
        let mut it = run.split(|&b| b == b'.');
        let first = it.next().unwrap_or_default();
        let second = it.next().unwrap_or_default();
        // `ey` is how base64url of `{` begins; the smallest header
        // (`{"alg":…}`) is longer than 8 symbols.
        (parts == 3 || parts == 5)
            && first.len() >= 8
            && first.starts_with(b"ey")
            && !second.is_empty()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identifiers_are_bounded_printable_ascii() {
        assert_eq!(identifier(b"customer:42", 256), Ok("customer:42"));
        assert_eq!(identifier(b"a@b.example", 256), Ok("a@b.example"));
        for bad in [
            &b""[..],
            b"a b",
            b"a\"b",
            b"a\\b",
            b"a\nb",
            b"a\x7f",
            b"\xc3\xa9",
            b"a\0",
        ] {
            assert_eq!(
                identifier(bad, 256),
                Err(AuditError::InvalidField),
                "{bad:?}"
            );
        }
        assert!(identifier(&[b'a'; 256], 256).is_ok());
        assert_eq!(identifier(&[b'a'; 257], 256), Err(AuditError::InvalidField));
    }

    #[test]
    fn secret_shapes_are_refused() {
        let token = "mcp_0123456789abcdef_0123456789012345678901234567890123456789012345678";
        assert_eq!(token.len(), 3 + 1 + 16 + 1 + 49);
        for bad in [
            token,
            &format!("x={token}"),
            "shop_AAAAAAAAAAAAAAAA_BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB",
            "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2ln",
            "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.",
            "eyJhbGciOiJSU0EtT0FFUCJ9.a.b.c.d",
            "Bearer abc",
            "bearer\tabc",
            "Basic YWxhZGRpbjpvcGVuc2VzYW1l",
            "x;Bearer+abc",
            "Bearer%20abc",
            "Authorization:x",
            &format!("mcpc_{}", "A".repeat(119)),
            &format!("note:mcpc_{}-", "_".repeat(119)),
        ] {
            assert_eq!(
                refuse_secret_shapes(bad.as_bytes()),
                Err(AuditError::SecretShaped),
                "{bad}"
            );
            assert_eq!(
                identifier(bad.as_bytes(), 512),
                Err(AuditError::SecretShaped),
                "{bad}"
            );
        }
        // Public ids, jti values, dotted tool names and URLs are fine.
        for good in [
            "0123456789abcdef",
            "mcp_0123456789abcdef",
            "6f1c2a8e-9d3b-4c7a-8e21-0b5f3c9d7a11",
            "shop.orders.list",
            "eyes.on.you",
            "https://client.example/metadata.json",
            "basically",
            "bearer_token_count",
            "customer:42",
            "mcpc_d7f15980f58eccb52deca7b029c0ad36",
        ] {
            assert_eq!(refuse_secret_shapes(good.as_bytes()), Ok(()), "{good}");
        }
        let mut e = Event::new(EventType::ToolAllowed, 1).unwrap();
        assert_eq!(
            e.set_tool(b"eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2ln"),
            Err(AuditError::SecretShaped)
        );
        assert_eq!(
            e.set_principal(token.as_bytes()),
            Err(AuditError::SecretShaped)
        );
        assert_eq!(
            e.set_token_id(token.as_bytes()),
            Err(AuditError::SecretShaped)
        );
        assert_eq!(
            e.set_client_id(b"Basic YWxhZGRpbg=="),
            Err(AuditError::SecretShaped)
        );
        assert_eq!(
            e.set_protocol(b"eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2ln"),
            Err(AuditError::SecretShaped)
        );
        assert_eq!(e, Event::new(EventType::ToolAllowed, 1).unwrap());
    }

    #[test]
    fn reasons_ips_digests_outcomes() {
        assert_eq!(reason(b"bad_signature"), Ok("bad_signature"));
        assert_eq!(reason(b"policy.unknown_tool"), Ok("policy.unknown_tool"));
        for bad in [&b""[..], b"Bad", b"a b", b"a-b", &[b'a'; 65]] {
            assert_eq!(reason(bad), Err(AuditError::InvalidReason));
        }
        assert_eq!(parse_ip(b"203.0.113.9").unwrap().to_string(), "203.0.113.9");
        assert_eq!(
            parse_ip(b"2001:DB8:0:0::1").unwrap().to_string(),
            "2001:db8::1"
        );
        assert_eq!(
            parse_ip(b"::ffff:203.0.113.9").unwrap().to_string(),
            "203.0.113.9"
        );
        for bad in [
            &b"fe80::1%eth0"[..],
            b"1.2.3",
            b"",
            b" 1.2.3.4",
            b"01.2.3.4",
        ] {
            assert_eq!(parse_ip(bad), Err(AuditError::InvalidIp), "{bad:?}");
        }
        let h = [0xabu8; 32];
        assert_eq!(parse_hex(hex(&h).as_bytes()), Some(h));
        assert_eq!(parse_hex(hex(&h).to_uppercase().as_bytes()), None);
        assert_eq!(parse_hex(&[b'a'; 63]), None);
        let mut e = Event::new(EventType::ToolDenied, 5).unwrap();
        assert_eq!(e.outcome(), Outcome::Denied);
        assert_eq!(
            e.set_outcome(Outcome::Allowed),
            Err(AuditError::InvalidOutcome)
        );
        assert!(e.set_outcome(Outcome::Error).is_ok());
        let mut ok = Event::new(EventType::ToolAllowed, 5).unwrap();
        assert_eq!(ok.outcome(), Outcome::Allowed);
        assert!(ok.set_outcome(Outcome::Denied).is_ok());
        assert_eq!(
            Event::new(EventType::ToolAllowed, MAX_NUMBER + 1),
            Err(AuditError::OutOfRange)
        );
        assert_eq!(
            ok.set_latency_us(MAX_NUMBER + 1),
            Err(AuditError::OutOfRange)
        );
        assert_eq!(
            EventType::from_name(b"tool_allowed"),
            Some(EventType::ToolAllowed)
        );
        assert_eq!(EventType::from_name(b"Tool_allowed"), None);
        assert_eq!(EventType::ALL.len(), 17);
    }
}
