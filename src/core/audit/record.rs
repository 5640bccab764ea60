//! The canonical record: one JSON text per event, keys in a fixed order,
//! absent fields left out, no white space. Every string of an event is an
//! identifier without `"`, `\` or control bytes, so the writer never needs
//! an escape and the reader accepts exactly what the writer writes:
//!
//! ```text
//! {"seq":1,"prev":"<64 hex>","type":"tool_allowed","outcome":"allowed",
//!  "at":<µs>,"principal":"…","token_id":"…","client_id":"…","tool":"…",
//!  "arguments_digest":"<64 hex>","reason":"…","latency_us":<µs>,
//!  "ip":"…","protocol":"…"}
//! ```
//!
//! (one line; `seq`, `prev`, `type`, `outcome` and `at` always present).
//! Numbers are decimal without sign or leading zero, at most `i64::MAX`.
//! [`read`] borrows from the text and allocates nothing, so the verifier can
//! check a million rows without a heap allocation per row.

use std::fmt::Write as _;
use std::net::IpAddr;

use super::event::{self, Event, EventType, Outcome, MAX_NUMBER};
use super::AuditError;
use crate::core::digest::{self, Hash};

/// Longest record the reader accepts (the longest record the writer can
/// write is under 1.5 KiB).
pub const MAX_RECORD_BYTES: usize = 4096;

/// Writes the canonical record of `event` at `seq`, after the row whose hash
/// is `prev`.
pub fn write(event: &Event, seq: u64, prev: &Hash) -> String {
    let mut out = String::with_capacity(256);
    // Writing to a String cannot fail.
    let _ = write!(
        out,
        "{{\"seq\":{seq},\"prev\":\"{}\",\"type\":\"{}\",\"outcome\":\"{}\",\"at\":{}",
        digest::hex(prev),
        event.kind.name(),
        event.outcome.name(),
        event.at_us
    );
    let text = |out: &mut String, key: &str, v: Option<&str>| {
        if let Some(v) = v {
            let _ = write!(out, ",\"{key}\":\"{v}\"");
        }
    };
    text(&mut out, "principal", event.principal.as_deref());
    text(&mut out, "token_id", event.token_id.as_deref());
    text(&mut out, "client_id", event.client_id.as_deref());
    text(&mut out, "tool", event.tool.as_deref());
    if let Some(d) = &event.arguments_digest {
        let _ = write!(out, ",\"arguments_digest\":\"{}\"", digest::hex(d));
    }
    text(&mut out, "reason", event.reason.as_deref());
    if let Some(l) = event.latency_us {
        let _ = write!(out, ",\"latency_us\":{l}");
    }
    if let Some(ip) = event.ip {
        let _ = write!(out, ",\"ip\":\"{ip}\"");
    }
    text(&mut out, "protocol", event.protocol.as_deref());
    out.push('}');
    out
}

/// A record read in place: every field validated by the event's own rules.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RecordView<'a> {
    /// The sequence number the record names.
    pub seq: u64,
    /// The previous row's hash the record names.
    pub prev: Hash,
    /// The type.
    pub kind: EventType,
    /// The outcome.
    pub outcome: Outcome,
    /// Unix time in microseconds.
    pub at_us: u64,
    /// The principal.
    pub principal: Option<&'a str>,
    /// The token id.
    pub token_id: Option<&'a str>,
    /// The client id.
    pub client_id: Option<&'a str>,
    /// The tool.
    pub tool: Option<&'a str>,
    /// The arguments digest.
    pub arguments_digest: Option<Hash>,
    /// The reason code.
    pub reason: Option<&'a str>,
    /// The latency.
    pub latency_us: Option<u64>,
    /// The IP address.
    pub ip: Option<IpAddr>,
    /// The protocol version.
    pub protocol: Option<&'a str>,
}

impl RecordView<'_> {
    /// The event the record holds (owned).
    pub fn to_event(&self) -> Event {
        Event {
            kind: self.kind,
            outcome: self.outcome,
            at_us: self.at_us,
            principal: self.principal.map(str::to_owned),
            token_id: self.token_id.map(str::to_owned),
            client_id: self.client_id.map(str::to_owned),
            tool: self.tool.map(str::to_owned),
            arguments_digest: self.arguments_digest,
            reason: self.reason.map(str::to_owned),
            latency_us: self.latency_us,
            ip: self.ip,
            protocol: self.protocol.map(str::to_owned),
        }
    }
}

struct Cursor<'a> {
    rest: &'a [u8],
}

type R<T> = Result<T, AuditError>;
const BAD: AuditError = AuditError::MalformedRecord;

impl<'a> Cursor<'a> {
    fn eat(&mut self, lit: &[u8]) -> bool {
        match self.rest.strip_prefix(lit) {
            Some(r) => {
                self.rest = r;
                true
            }
            None => false,
        }
    }

    fn expect(&mut self, lit: &[u8]) -> R<()> {
        if self.eat(lit) {
            Ok(())
        } else {
            Err(BAD)
        }
    }

    /// A decimal number without sign or leading zero, at most `i64::MAX`.
    fn number(&mut self) -> R<u64> {
        let len = self.rest.iter().take_while(|b| b.is_ascii_digit()).count();
        let (digits, rest) = self.rest.split_at_checked(len).ok_or(BAD)?;
        if digits.is_empty()
            || digits.len() > 19
            || (digits.len() > 1 && digits.first() == Some(&b'0'))
        {
            return Err(BAD);
        }
        let mut n: u64 = 0;
        for d in digits {
            n = n
                .checked_mul(10)
                .and_then(|n| n.checked_add(u64::from(d - b'0')))
                .ok_or(BAD)?;
        }
        if n > MAX_NUMBER {
            return Err(BAD);
        }
        self.rest = rest;
        Ok(n)
    }

    /// The bytes up to the next `"` (which is consumed).
    fn text(&mut self) -> R<&'a [u8]> {
        let end = self.rest.iter().position(|&b| b == b'"').ok_or(BAD)?;
        let (s, rest) = self.rest.split_at_checked(end).ok_or(BAD)?;
        self.rest = rest.get(1..).ok_or(BAD)?;
        Ok(s)
    }

    fn optional_text(&mut self, key: &[u8]) -> R<Option<&'a [u8]>> {
        if self.eat(key) {
            Ok(Some(self.text()?))
        } else {
            Ok(None)
        }
    }
}

/// Reads a canonical record. Anything the writer would not write (another
/// key order, white space, an escape, a non-canonical IP or number, a field
/// its setter refuses) is [`AuditError::MalformedRecord`].
pub fn read<'a>(record: &'a [u8]) -> Result<RecordView<'a>, AuditError> {
    if record.len() > MAX_RECORD_BYTES {
        return Err(BAD);
    }
    let mut c = Cursor { rest: record };
    c.expect(b"{\"seq\":")?;
    let seq = c.number()?;
    c.expect(b",\"prev\":\"")?;
    let prev = event::parse_hex(c.text()?).ok_or(BAD)?;
    c.expect(b",\"type\":\"")?;
    let kind = EventType::from_name(c.text()?).ok_or(BAD)?;
    c.expect(b",\"outcome\":\"")?;
    let outcome = Outcome::from_name(c.text()?).ok_or(BAD)?;
    event::check_outcome(kind, outcome).map_err(|_| BAD)?;
    c.expect(b",\"at\":")?;
    let at_us = c.number()?;
    let ident = |v: Option<&'a [u8]>, max| -> R<Option<&'a str>> {
        v.map(|v| event::identifier(v, max).map_err(|_| BAD))
            .transpose()
    };
    let principal = ident(c.optional_text(b",\"principal\":\"")?, event::MAX_PRINCIPAL)?;
    let token_id = ident(c.optional_text(b",\"token_id\":\"")?, event::MAX_TOKEN_ID)?;
    let client_id = ident(c.optional_text(b",\"client_id\":\"")?, event::MAX_CLIENT_ID)?;
    let tool = c
        .optional_text(b",\"tool\":\"")?
        .map(|v| event::tool(v).map_err(|_| BAD))
        .transpose()?;
    let arguments_digest = c
        .optional_text(b",\"arguments_digest\":\"")?
        .map(|v| event::parse_hex(v).ok_or(BAD))
        .transpose()?;
    let reason = c
        .optional_text(b",\"reason\":\"")?
        .map(|v| event::reason(v).map_err(|_| BAD))
        .transpose()?;
    let latency_us = if c.eat(b",\"latency_us\":") {
        Some(c.number()?)
    } else {
        None
    };
    let ip = c
        .optional_text(b",\"ip\":\"")?
        .map(canonical_ip)
        .transpose()?;
    let protocol = c
        .optional_text(b",\"protocol\":\"")?
        .map(|v| event::protocol(v).map_err(|_| BAD))
        .transpose()?;
    c.expect(b"}")?;
    if !c.rest.is_empty() {
        return Err(BAD);
    }
    Ok(RecordView {
        seq,
        prev,
        kind,
        outcome,
        at_us,
        principal,
        token_id,
        client_id,
        tool,
        arguments_digest,
        reason,
        latency_us,
        ip,
        protocol,
    })
}

/// An IP in the form the writer writes it, compared without allocating.
fn canonical_ip(v: &[u8]) -> R<IpAddr> {
    let ip = event::parse_ip(v).map_err(|_| BAD)?;
    let mut buf = Fixed::default();
    write!(buf, "{ip}").map_err(|_| BAD)?;
    if buf.as_bytes() != v {
        return Err(BAD);
    }
    Ok(ip)
}

/// A formatter into a stack buffer (an IPv6 text is at most 45 bytes).
struct Fixed {
    buf: [u8; event::MAX_IP_TEXT],
    len: usize,
}

impl Default for Fixed {
    fn default() -> Self {
        Self {
            buf: [0; event::MAX_IP_TEXT],
            len: 0,
        }
    }
}

impl Fixed {
    fn as_bytes(&self) -> &[u8] {
        self.buf.get(..self.len).unwrap_or_default()
    }
}

impl std::fmt::Write for Fixed {
    fn write_str(&mut self, s: &str) -> std::fmt::Result {
        let end = self.len.checked_add(s.len()).ok_or(std::fmt::Error)?;
        let dst = self.buf.get_mut(self.len..end).ok_or(std::fmt::Error)?;
        dst.copy_from_slice(s.as_bytes());
        self.len = end;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn full() -> Event {
        let mut e = Event::new(EventType::ToolAllowed, 1_800_000_000_000_000).unwrap();
        e.set_principal(b"customer:42").unwrap();
        e.set_token_id(b"0123456789abcdef").unwrap();
        e.set_client_id(b"https://app.example/client.json").unwrap();
        e.set_tool(b"product_update").unwrap();
        e.set_arguments_digest_hex(&[b'a'; 64]).unwrap();
        e.set_reason(b"ok").unwrap();
        e.set_latency_us(1234).unwrap();
        e.set_ip(b"2001:db8::1").unwrap();
        e.set_protocol(b"2025-11-25").unwrap();
        e
    }

    #[test]
    fn writes_in_the_fixed_order_and_reads_back() {
        let e = full();
        let r = write(&e, 7, &[1; 32]);
        assert_eq!(
            r,
            format!(
                "{{\"seq\":7,\"prev\":\"{}\",\"type\":\"tool_allowed\",\"outcome\":\"allowed\",\
                 \"at\":1800000000000000,\"principal\":\"customer:42\",\"token_id\":\"0123456789abcdef\",\
                 \"client_id\":\"https://app.example/client.json\",\"tool\":\"product_update\",\
                 \"arguments_digest\":\"{}\",\"reason\":\"ok\",\"latency_us\":1234,\
                 \"ip\":\"2001:db8::1\",\"protocol\":\"2025-11-25\"}}",
                "01".repeat(32),
                "a".repeat(64)
            )
        );
        let v = read(r.as_bytes()).unwrap();
        assert_eq!((v.seq, v.prev), (7, [1; 32]));
        assert_eq!(v.to_event(), e);
        let minimal = Event::new(EventType::RateLimited, 0).unwrap();
        let m = write(&minimal, 1, &[0; 32]);
        assert_eq!(read(m.as_bytes()).unwrap().to_event(), minimal);
        // It is JSON: the strict reader takes it.
        use crate::core::jwt::json;
        assert!(json::parse_object(r.as_bytes()).is_ok());
    }

    #[test]
    fn refuses_anything_the_writer_would_not_write() {
        let r = write(&full(), 7, &[1; 32]);
        let bad = [
            r.replacen("\"seq\":7", "\"seq\":07", 1),
            r.replacen("\"seq\":7", "\"seq\":-7", 1),
            r.replacen("\"seq\":7", "\"seq\": 7", 1),
            r.replacen("\"seq\":7", "\"seq\":9223372036854775808", 1),
            r.replacen("\"outcome\":\"allowed\"", "\"outcome\":\"maybe\"", 1),
            r.replacen("tool_allowed", "tool_invented", 1),
            r.replacen("2001:db8::1", "2001:DB8::1", 1),
            r.replacen("2001:db8::1", "2001:db8:0::1", 1),
            r.replacen("customer:42", "customer\\u003a42", 1),
            r.replacen("customer:42", "Bearer+x", 1),
            r.replacen(",\"reason\":\"ok\"", "", 1).replacen(
                ",\"tool\":",
                ",\"reason\":\"ok\",\"tool\":",
                1,
            ),
            format!("{r} "),
            r.trim_end_matches('}').to_owned(),
            r.replacen("\"prev\":\"01", "\"prev\":\"0A", 1),
            "{}".into(),
            String::new(),
        ];
        for b in &bad {
            assert_eq!(read(b.as_bytes()), Err(AuditError::MalformedRecord), "{b}");
        }
        let tool_denied = write(&Event::new(EventType::ToolDenied, 1).unwrap(), 1, &[0; 32]);
        assert!(read(tool_denied.as_bytes()).is_ok());
        let allowed_refusal =
            tool_denied.replacen("\"outcome\":\"denied\"", "\"outcome\":\"allowed\"", 1);
        assert_ne!(allowed_refusal, tool_denied);
        assert_eq!(
            read(allowed_refusal.as_bytes()),
            Err(AuditError::MalformedRecord)
        );
        assert_eq!(
            read(&vec![b'{'; MAX_RECORD_BYTES + 1]),
            Err(AuditError::MalformedRecord)
        );
    }
}
