//! The transport a request came over: its effective scheme and client
//! address, and whether HTTPS is satisfied.
//!
//! * The SAPI's own facts come first: `HTTPS` (set to a non-empty value
//!   other than `off` when the connection to PHP's server is TLS) and
//!   `REMOTE_ADDR` (the peer of that connection).
//! * `Forwarded` (RFC 7239) and `X-Forwarded-For` / `X-Forwarded-Proto` are
//!   read only when the peer is one of the configured trusted proxies (IP
//!   addresses or CIDR ranges, v4 and v6, parsed when the list is built).
//!   From anyone else they are ignored whatever they say: a client can write
//!   any header.
//! * The client is found by walking the forwarded-for list from the right,
//!   skipping trusted proxies: the first address that is not one is the
//!   client (everything left of it is whatever that client sent). A list
//!   that cannot be read, or both `Forwarded` and an `X-Forwarded-*` header
//!   (one of them is then the client's own), refuses the request: a guess
//!   would hand the client's choice of address to the rate limiter and the
//!   audit log.
//! * The scheme behind a trusted proxy: `Forwarded`'s `proto` of the
//!   client's element, or the rightmost `X-Forwarded-Proto` value (the one
//!   the nearest proxy wrote); without either, the proxy connection's own.
//! * HTTPS is required. Plain HTTP passes only with
//!   `dangerous_allow_http_loopback` AND a loopback peer AND a loopback
//!   client AND a loopback `Host` (`localhost`, `127.0.0.0/8`, `[::1]`):
//!   local development on one machine. A page that rebinds its own name to
//!   127.0.0.1 still sends its own name as `Host` and is refused.

use std::borrow::Cow;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use super::{is_token, trim_ows, Refusal, ResourceError};

/// At most this many trusted-proxy entries.
pub const MAX_PROXIES: usize = 256;
/// At most this many hops in a forwarded-for list.
pub const MAX_HOPS: usize = 64;
/// Longest forwarding header looked at.
pub const MAX_FORWARDING_LEN: usize = 8192;

/// The request facts, as the SAPI reports them (`None` when absent).
#[derive(Debug, Clone, Copy, Default)]
pub struct TransportFacts<'a> {
    /// `$_SERVER['HTTPS']`.
    pub https: Option<&'a [u8]>,
    /// `$_SERVER['REMOTE_ADDR']`.
    pub remote_addr: Option<&'a [u8]>,
    /// `$_SERVER['HTTP_HOST']`.
    pub host: Option<&'a [u8]>,
    /// `$_SERVER['HTTP_X_FORWARDED_PROTO']`.
    pub x_forwarded_proto: Option<&'a [u8]>,
    /// `$_SERVER['HTTP_X_FORWARDED_FOR']`.
    pub x_forwarded_for: Option<&'a [u8]>,
    /// `$_SERVER['HTTP_FORWARDED']`.
    pub forwarded: Option<&'a [u8]>,
}

/// What the transport check found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Verdict {
    /// Whether the client's connection is HTTPS.
    pub secure: bool,
    /// The client's address (the peer, unless a trusted proxy said
    /// otherwise); `None` only when `REMOTE_ADDR` is unusable.
    pub client_ip: Option<IpAddr>,
    /// Whether forwarding headers were honoured (the peer is trusted).
    pub via_proxy: bool,
    /// Why the request is refused, if it is.
    pub refusal: Option<Refusal>,
}

/// An address range.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Net {
    addr: IpAddr,
    prefix: u8,
}

impl Net {
    fn parse(text: &[u8]) -> Result<Self, ResourceError> {
        let bad = ResourceError::InvalidProxy;
        let s = std::str::from_utf8(text).map_err(|_| bad)?;
        let (ip, prefix) = match s.split_once('/') {
            Some((ip, p)) => {
                if p.is_empty() || p.len() > 3 || !p.bytes().all(|b| b.is_ascii_digit()) {
                    return Err(bad);
                }
                (ip, Some(p.parse::<u8>().map_err(|_| bad)?))
            }
            None => (s, None),
        };
        let addr: IpAddr = ip.parse().map_err(|_| bad)?;
        let max = if addr.is_ipv4() { 32 } else { 128 };
        let prefix = prefix.unwrap_or(max);
        // A v4-mapped v6 entry would never match: addresses are compared in
        // their canonical form. Write the IPv4 form.
        if prefix > max || addr.to_canonical() != addr {
            return Err(bad);
        }
        // Host bits set (`10.0.0.1/8`) is a typo, not a range.
        if masked(addr, prefix) != addr {
            return Err(bad);
        }
        Ok(Self { addr, prefix })
    }

    fn contains(&self, ip: IpAddr) -> bool {
        match (self.addr, ip.to_canonical()) {
            (IpAddr::V4(_), ip @ IpAddr::V4(_)) | (IpAddr::V6(_), ip @ IpAddr::V6(_)) => {
                masked(ip, self.prefix) == self.addr
            }
            _ => false,
        }
    }
}

fn masked(ip: IpAddr, prefix: u8) -> IpAddr {
    match ip {
        IpAddr::V4(a) => {
            let m = u32::MAX
                .checked_shl(32 - u32::from(prefix.min(32)))
                .unwrap_or(0);
            IpAddr::V4(Ipv4Addr::from(u32::from(a) & m))
        }
        IpAddr::V6(a) => {
            let m = u128::MAX
                .checked_shl(128 - u32::from(prefix.min(128)))
                .unwrap_or(0);
            IpAddr::V6(Ipv6Addr::from(u128::from(a) & m))
        }
    }
}

fn parse_ip(text: &[u8]) -> Option<IpAddr> {
    let ip: IpAddr = std::str::from_utf8(text).ok()?.parse().ok()?;
    Some(ip.to_canonical())
}

fn port_ok(p: &[u8]) -> bool {
    !p.is_empty() && p.len() <= 5 && p.iter().all(u8::is_ascii_digit)
}

/// One `X-Forwarded-For` entry: an address, `[v6]`, or either with a port.
fn parse_xff_hop(text: &[u8]) -> Option<IpAddr> {
    if let Some(inner) = text.strip_prefix(b"[") {
        let close = inner.iter().position(|&b| b == b']')?;
        let (v6, after) = inner.split_at(close);
        let after = after.get(1..)?;
        if !(after.is_empty() || after.strip_prefix(b":").is_some_and(port_ok)) {
            return None;
        }
        return parse_ip(v6).filter(|_| v6.contains(&b':'));
    }
    if let Some(ip) = parse_ip(text) {
        return Some(ip);
    }
    let colon = text.iter().position(|&b| b == b':')?;
    let (v4, port) = text.split_at(colon);
    if !port.get(1..).is_some_and(port_ok) {
        return None;
    }
    parse_ip(v4).filter(IpAddr::is_ipv4)
}

/// A `for=` node of RFC 7239 §6.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Node {
    Ip(IpAddr),
    /// `unknown` or an obfuscated identifier (`_hidden`).
    Hidden,
}

fn obf_ok(s: &[u8]) -> bool {
    s.len() > 1
        && s.first() == Some(&b'_')
        && s.iter()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-'))
}

fn parse_node(v: &[u8]) -> Option<Node> {
    // node = nodename [ ":" node-port ]; an IPv6 nodename is bracketed.
    let (name, port) = if v.first() == Some(&b'[') {
        let close = v.iter().position(|&b| b == b']')?;
        let (n, p) = v.split_at(close + 1);
        (n, p)
    } else {
        match v.iter().position(|&b| b == b':') {
            Some(i) => v.split_at(i),
            None => (v, &b""[..]),
        }
    };
    if let Some(p) = port.strip_prefix(b":") {
        if !(port_ok(p) || obf_ok(p)) {
            return None;
        }
    } else if !port.is_empty() {
        return None;
    }
    if name.eq_ignore_ascii_case(b"unknown") || obf_ok(name) {
        return Some(Node::Hidden);
    }
    if let Some(v6) = name.strip_prefix(b"[").and_then(|n| n.strip_suffix(b"]")) {
        return parse_ip(v6).filter(|_| v6.contains(&b':')).map(Node::Ip);
    }
    parse_ip(name).filter(IpAddr::is_ipv4).map(Node::Ip)
}

#[derive(Debug, Default, Clone, Copy)]
struct Element {
    node: Option<Node>,
    secure: Option<bool>,
}

fn parse_proto(v: &[u8]) -> Option<bool> {
    if v.eq_ignore_ascii_case(b"https") {
        Some(true)
    } else if v.eq_ignore_ascii_case(b"http") {
        Some(false)
    } else {
        None
    }
}

/// Reads a value (token or quoted-string) at the start of `s`; returns it
/// and the rest.
fn value(s: &[u8]) -> Option<(Cow<'_, [u8]>, &[u8])> {
    if let Some(body) = s.strip_prefix(b"\"") {
        let mut out: Option<Vec<u8>> = None;
        let mut i = 0;
        while let Some(&b) = body.get(i) {
            match b {
                b'"' => {
                    let v = match out {
                        Some(o) => Cow::Owned(o),
                        None => Cow::Borrowed(body.get(..i)?),
                    };
                    return Some((v, body.get(i + 1..)?));
                }
                b'\\' => {
                    let next = *body.get(i + 1)?;
                    if !(next == b'\t' || (0x20..0x7f).contains(&next)) {
                        return None;
                    }
                    out.get_or_insert_with(|| body.get(..i).unwrap_or(&[]).to_vec())
                        .push(next);
                    i += 2;
                }
                b'\t' | 0x20..=0x7e => {
                    if let Some(o) = out.as_mut() {
                        o.push(b);
                    }
                    i += 1;
                }
                _ => return None,
            }
        }
        None
    } else {
        let end = s
            .iter()
            .position(|&b| !super::is_tchar(b))
            .unwrap_or(s.len());
        let (v, rest) = s.split_at(end);
        is_token(v).then_some((Cow::Borrowed(v), rest))
    }
}

/// Parses a whole `Forwarded` value (RFC 7239 §4) into its elements.
fn parse_forwarded(text: &[u8]) -> Option<Vec<Element>> {
    let mut elements = vec![Element::default()];
    let mut seen_for = false;
    let mut seen_proto = false;
    let mut seen = [false; 2]; // by, host: only checked for duplicates
    let mut s = trim_ows(text);
    if s.is_empty() {
        return None;
    }
    loop {
        s = trim_ows(s);
        let name_end = s.iter().position(|&b| b == b'=')?;
        let (name, rest) = s.split_at(name_end);
        if !is_token(name) {
            return None;
        }
        let (v, rest) = value(rest.get(1..)?)?;
        let cur = elements.last_mut()?;
        let dup = |flag: &mut bool| std::mem::replace(flag, true);
        let repeated = if name.eq_ignore_ascii_case(b"for") {
            cur.node = Some(parse_node(&v)?);
            dup(&mut seen_for)
        } else if name.eq_ignore_ascii_case(b"proto") {
            cur.secure = Some(parse_proto(&v)?);
            dup(&mut seen_proto)
        } else if name.eq_ignore_ascii_case(b"by") {
            dup(&mut seen[0])
        } else if name.eq_ignore_ascii_case(b"host") {
            dup(&mut seen[1])
        } else {
            false
        };
        if repeated {
            return None;
        }
        // Other parameters (extensions, RFC 7239 §5.5) are skipped.
        let rest = trim_ows(rest);
        match rest.split_first() {
            None => return Some(elements),
            Some((b';', r)) => s = r,
            Some((b',', r)) => {
                if elements.len() >= MAX_HOPS {
                    return None;
                }
                elements.push(Element::default());
                (seen_for, seen_proto, seen) = (false, false, [false; 2]);
                s = r;
            }
            Some(_) => return None,
        }
    }
}

fn is_loopback_host(host: &[u8]) -> bool {
    let name = if let Some(inner) = host.strip_prefix(b"[") {
        match inner.iter().position(|&b| b == b']') {
            Some(i) => {
                let (v6, after) = inner.split_at(i);
                if !(after.len() == 1
                    || after
                        .get(1..)
                        .and_then(|p| p.strip_prefix(b":"))
                        .is_some_and(port_ok))
                {
                    return false;
                }
                return parse_ip(v6).is_some_and(|ip| ip.is_loopback());
            }
            None => return false,
        }
    } else {
        match host.iter().position(|&b| b == b':') {
            Some(i) => {
                let (n, p) = host.split_at(i);
                if !p.get(1..).is_some_and(port_ok) {
                    return false;
                }
                n
            }
            None => host,
        }
    };
    name.eq_ignore_ascii_case(b"localhost")
        || parse_ip(name).is_some_and(|ip| ip.is_ipv4() && ip.is_loopback())
}

/// The trusted proxies and the HTTPS rule. Build it once per request from
/// the configuration (it parses the proxy list).
#[derive(Debug, Clone, Default)]
pub struct Transport {
    proxies: Vec<Net>,
    dangerous_allow_http_loopback: bool,
}

impl Transport {
    /// `proxies`: IP addresses or CIDR ranges (`10.0.0.0/8`,
    /// `2001:db8::/32`) whose forwarding headers are believed (default:
    /// none). `dangerous_allow_http_loopback` (default false): let plain
    /// HTTP through when peer, client and `Host` are all loopback.
    pub fn new<'a, I>(
        proxies: I,
        dangerous_allow_http_loopback: bool,
    ) -> Result<Self, ResourceError>
    where
        I: IntoIterator<Item = &'a [u8]>,
    {
        let mut list = Vec::new();
        for p in proxies {
            if list.len() >= MAX_PROXIES {
                return Err(ResourceError::InvalidProxy);
            }
            list.push(Net::parse(p)?);
        }
        Ok(Self {
            proxies: list,
            dangerous_allow_http_loopback,
        })
    }

    /// Whether `ip` is a trusted proxy.
    pub fn is_trusted(&self, ip: IpAddr) -> bool {
        self.proxies.iter().any(|n| n.contains(ip))
    }

    /// Decides one request.
    pub fn inspect(&self, f: &TransportFacts<'_>) -> Verdict {
        let own_tls = f
            .https
            .is_some_and(|v| !v.is_empty() && !v.eq_ignore_ascii_case(b"off"));
        let refused = |secure, client_ip, via_proxy, r| Verdict {
            secure,
            client_ip,
            via_proxy,
            refusal: Some(r),
        };
        let Some(peer) = f.remote_addr.and_then(parse_ip) else {
            return refused(own_tls, None, false, Refusal::MalformedRemoteAddr);
        };
        let (secure, client, via_proxy) = if self.is_trusted(peer) {
            match self.forwarded(peer, own_tls, f) {
                Ok((secure, client)) => (secure, client, true),
                Err(r) => return refused(own_tls, Some(peer), true, r),
            }
        } else {
            (own_tls, peer, false)
        };
        let loopback_dev = self.dangerous_allow_http_loopback
            && peer.is_loopback()
            && client.is_loopback()
            && f.host.is_some_and(is_loopback_host);
        let refusal = (!secure && !loopback_dev).then_some(Refusal::HttpsRequired);
        Verdict {
            secure,
            client_ip: Some(client),
            via_proxy,
            refusal,
        }
    }

    /// The scheme and client behind a trusted peer.
    fn forwarded(
        &self,
        peer: IpAddr,
        own_tls: bool,
        f: &TransportFacts<'_>,
    ) -> Result<(bool, IpAddr), Refusal> {
        let bad = Refusal::MalformedForwarded;
        let too_long = |v: Option<&[u8]>| v.is_some_and(|v| v.len() > MAX_FORWARDING_LEN);
        if too_long(f.forwarded) || too_long(f.x_forwarded_for) || too_long(f.x_forwarded_proto) {
            return Err(bad);
        }
        if let Some(fwd) = f.forwarded {
            if f.x_forwarded_for.is_some() || f.x_forwarded_proto.is_some() {
                return Err(Refusal::AmbiguousForwarding);
            }
            let elements = parse_forwarded(fwd).ok_or(bad)?;
            let mut last = peer;
            for e in elements.iter().rev() {
                match e.node {
                    Some(Node::Ip(ip)) if self.is_trusted(ip) => last = ip,
                    Some(Node::Ip(ip)) => return Ok((e.secure.unwrap_or(own_tls), ip)),
                    // The client hid behind `unknown` or an obfuscated name,
                    // or the element has no `for`: the last address known.
                    Some(Node::Hidden) | None => return Ok((e.secure.unwrap_or(own_tls), last)),
                }
            }
            let secure = elements.first().and_then(|e| e.secure).unwrap_or(own_tls);
            return Ok((secure, last));
        }
        let secure = match f.x_forwarded_proto {
            None => own_tls,
            Some(v) => {
                let last = v.rsplit(|&b| b == b',').next().unwrap_or(v);
                let mut all_ok = v
                    .split(|&b| b == b',')
                    .all(|p| parse_proto(trim_ows(p)).is_some());
                all_ok &= v.split(|&b| b == b',').count() <= MAX_HOPS;
                if !all_ok {
                    return Err(bad);
                }
                parse_proto(trim_ows(last)).ok_or(bad)?
            }
        };
        let Some(xff) = f.x_forwarded_for else {
            return Ok((secure, peer));
        };
        // From the right: the first hop that is not a trusted proxy is the
        // client; the rest must still read.
        let mut client = None;
        let mut last = peer;
        for (n, hop) in xff.rsplit(|&b| b == b',').enumerate() {
            let ip = parse_xff_hop(trim_ows(hop)).ok_or(bad)?;
            if n >= MAX_HOPS {
                return Err(bad);
            }
            if client.is_none() {
                last = ip;
                if !self.is_trusted(ip) {
                    client = Some(ip);
                }
            }
        }
        let client = client.unwrap_or(last);
        Ok((secure, client))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    fn t(proxies: &[&str], dangerous: bool) -> Transport {
        Transport::new(proxies.iter().map(|s| s.as_bytes()), dangerous).unwrap()
    }

    #[test]
    fn proxy_lists() {
        let tr = t(&["10.0.0.0/8", "192.0.2.7", "2001:db8::/32", "::1"], false);
        for yes in [
            "10.1.2.3",
            "192.0.2.7",
            "2001:db8::5",
            "::1",
            "::ffff:10.0.0.1",
        ] {
            assert!(tr.is_trusted(ip(yes)), "{yes}");
        }
        for no in ["11.0.0.1", "192.0.2.8", "2001:db9::1", "127.0.0.1", "::2"] {
            assert!(!tr.is_trusted(ip(no)), "{no}");
        }
        for bad in [
            "",
            "10.0.0.1/8",
            "10.0.0.0/33",
            "10.0.0.0/",
            "10.0.0.0/+8",
            "10.0.0.0/08a",
            "2001:db8::1/32",
            "::/129",
            "::ffff:10.0.0.0/104",
            "example.com",
            "10.0.0.0/8 ",
            "010.0.0.1",
            "*",
            "10.0.0.0/8,10.1.0.0/16",
        ] {
            assert_eq!(
                Transport::new([bad.as_bytes()], false).err(),
                Some(ResourceError::InvalidProxy),
                "{bad:?}"
            );
        }
        assert!(Transport::new(["0.0.0.0/0".as_bytes(), b"::/0"], false).is_ok());
        let many: Vec<String> = (0..=MAX_PROXIES)
            .map(|i| format!("10.0.{}.{}", i / 256, i % 256))
            .collect();
        assert!(Transport::new(many.iter().map(|s| s.as_bytes()), false).is_err());
    }

    fn facts<'a>(remote: &'a str, https: Option<&'a str>) -> TransportFacts<'a> {
        TransportFacts {
            https: https.map(str::as_bytes),
            remote_addr: Some(remote.as_bytes()),
            host: Some(b"shop.example"),
            ..TransportFacts::default()
        }
    }

    #[test]
    fn https_is_required_and_the_risky_option_is_loopback_only() {
        let strict = t(&[], false);
        let v = strict.inspect(&facts("203.0.113.9", Some("on")));
        assert_eq!(
            (v.secure, v.refusal, v.client_ip),
            (true, None, Some(ip("203.0.113.9")))
        );
        assert!(!v.via_proxy);
        for off in [None, Some(""), Some("off"), Some("OFF")] {
            assert_eq!(
                strict.inspect(&facts("203.0.113.9", off)).refusal,
                Some(Refusal::HttpsRequired)
            );
        }
        let mut local = facts("127.0.0.1", None);
        local.host = Some(b"localhost:8080");
        assert_eq!(strict.inspect(&local).refusal, Some(Refusal::HttpsRequired));
        let dev = t(&[], true);
        assert_eq!(dev.inspect(&local).refusal, None);
        for host in [
            "127.0.0.1",
            "127.0.0.1:80",
            "[::1]:8080",
            "LOCALHOST",
            "127.9.9.9",
        ] {
            local.host = Some(host.as_bytes());
            assert_eq!(dev.inspect(&local).refusal, None, "{host}");
        }
        for host in [
            "evil.example",
            "localhost.evil.example",
            "127.0.0.1.nip.io",
            "[::2]",
            "localhost:x",
            "",
        ] {
            local.host = Some(host.as_bytes());
            assert_eq!(
                dev.inspect(&local).refusal,
                Some(Refusal::HttpsRequired),
                "{host}"
            );
        }
        local.host = None;
        assert_eq!(dev.inspect(&local).refusal, Some(Refusal::HttpsRequired));
        let mut remote = facts("192.0.2.1", None);
        remote.host = Some(b"localhost");
        assert_eq!(dev.inspect(&remote).refusal, Some(Refusal::HttpsRequired));
        for bad in [
            None,
            Some(""),
            Some("unix:"),
            Some("fe80::1%eth0"),
            Some("1.2.3"),
        ] {
            let f = TransportFacts {
                remote_addr: bad.map(str::as_bytes),
                https: Some(b"on"),
                ..TransportFacts::default()
            };
            let v = strict.inspect(&f);
            assert_eq!(
                (v.refusal, v.client_ip),
                (Some(Refusal::MalformedRemoteAddr), None)
            );
        }
        assert_eq!(Refusal::HttpsRequired.status(), 403);
        assert_eq!(Refusal::MalformedRemoteAddr.status(), 500);
    }

    #[test]
    fn forwarding_headers_only_from_trusted_peers() {
        let tr = t(&["10.0.0.0/8"], false);
        let mut f = facts("198.51.100.4", None);
        f.x_forwarded_proto = Some(b"https");
        f.x_forwarded_for = Some(b"127.0.0.1");
        let v = tr.inspect(&f);
        assert_eq!(
            (v.secure, v.client_ip, v.via_proxy),
            (false, Some(ip("198.51.100.4")), false)
        );
        assert_eq!(v.refusal, Some(Refusal::HttpsRequired));
        // Garbage from an untrusted peer is ignored, not read.
        f.x_forwarded_for = Some(b"\x00garbage");
        f.forwarded = Some(b"for=");
        assert_eq!(tr.inspect(&f).refusal, Some(Refusal::HttpsRequired));

        let mut p = facts("10.0.0.2", None);
        p.x_forwarded_proto = Some(b"https");
        p.x_forwarded_for = Some(b"203.0.113.50, 10.1.1.1");
        let v = tr.inspect(&p);
        assert_eq!(
            (v.secure, v.client_ip, v.via_proxy, v.refusal),
            (true, Some(ip("203.0.113.50")), true, None)
        );
        // The client's own prefix is skipped: the walk stops at the first
        // untrusted hop from the right.
        p.x_forwarded_for = Some(b"1.1.1.1, 203.0.113.50, 10.1.1.1");
        assert_eq!(tr.inspect(&p).client_ip, Some(ip("203.0.113.50")));
        p.x_forwarded_for = Some(b"10.9.9.9, 10.1.1.1");
        assert_eq!(tr.inspect(&p).client_ip, Some(ip("10.9.9.9")));
        p.x_forwarded_for = Some(b"[2001:db8::1]:443,203.0.113.7:5000");
        assert_eq!(tr.inspect(&p).client_ip, Some(ip("203.0.113.7")));
        p.x_forwarded_for = Some(b"2001:db8::1");
        assert_eq!(tr.inspect(&p).client_ip, Some(ip("2001:db8::1")));
        p.x_forwarded_proto = Some(b"http, https");
        assert!(tr.inspect(&p).secure);
        p.x_forwarded_proto = Some(b"https, http");
        assert_eq!(tr.inspect(&p).refusal, Some(Refusal::HttpsRequired));
        p.x_forwarded_proto = None;
        assert_eq!(tr.inspect(&p).refusal, Some(Refusal::HttpsRequired));
        p.https = Some(b"on");
        assert_eq!(tr.inspect(&p).refusal, None);
        for bad_proto in ["", "ftp", "https,", "https;", "http s"] {
            p.x_forwarded_proto = Some(bad_proto.as_bytes());
            assert_eq!(
                tr.inspect(&p).refusal,
                Some(Refusal::MalformedForwarded),
                "{bad_proto:?}"
            );
        }
        p.x_forwarded_proto = Some(b"https");
        for bad in [
            "",
            "1.2.3.4,",
            "unknown",
            "1.2.3.4 5.6.7.8",
            "01.2.3.4",
            "1.2.3.4:",
            "[::1",
            "[1.2.3.4]",
            "::1:80x",
            "a\r\nb",
        ] {
            p.x_forwarded_for = Some(bad.as_bytes());
            let v = tr.inspect(&p);
            assert_eq!(
                (v.refusal, v.client_ip),
                (Some(Refusal::MalformedForwarded), Some(ip("10.0.0.2"))),
                "{bad:?}"
            );
        }
        p.x_forwarded_for = Some(&[b'1'; MAX_FORWARDING_LEN + 1]);
        assert_eq!(tr.inspect(&p).refusal, Some(Refusal::MalformedForwarded));
        p.x_forwarded_for = Some(b"203.0.113.50");
        p.forwarded = Some(b"for=203.0.113.51;proto=https");
        assert_eq!(tr.inspect(&p).refusal, Some(Refusal::AmbiguousForwarding));
        assert_eq!(Refusal::AmbiguousForwarding.status(), 400);
    }

    #[test]
    fn rfc7239_forwarded() {
        let tr = t(&["10.0.0.0/8"], false);
        let fwd = |v: &str| {
            let mut f = facts("10.0.0.2", None);
            f.forwarded = Some(v.as_bytes());
            tr.inspect(&f)
        };
        let v = fwd("for=192.0.2.60;proto=https;by=203.0.113.43");
        assert_eq!(
            (v.secure, v.client_ip, v.refusal),
            (true, Some(ip("192.0.2.60")), None)
        );
        let v = fwd("For=\"[2001:db8:cafe::17]:4711\";Proto=HTTPS");
        assert_eq!(
            (v.secure, v.client_ip),
            (true, Some(ip("2001:db8:cafe::17")))
        );
        let v =
            fwd("for=198.51.100.1;proto=https, for=192.0.2.43;proto=http, for=10.1.1.1;proto=http");
        assert_eq!((v.secure, v.client_ip), (false, Some(ip("192.0.2.43"))));
        let v = fwd("for=unknown;proto=https, for=10.1.1.1");
        assert_eq!((v.secure, v.client_ip), (true, Some(ip("10.1.1.1"))));
        let v = fwd("for=_hidden;proto=https");
        assert_eq!((v.secure, v.client_ip), (true, Some(ip("10.0.0.2"))));
        let v = fwd("for=\"192.0.2.60:_port\";proto=https;ext=\"a,b;c\"");
        assert_eq!((v.secure, v.client_ip), (true, Some(ip("192.0.2.60"))));
        let v = fwd("for=\"\\192.0.2.60\";proto=https");
        assert_eq!(v.client_ip, Some(ip("192.0.2.60")));
        for bad in [
            "",
            "for",
            "for=",
            "for=192.0.2.60;for=192.0.2.61",
            "proto=https;proto=http",
            "for=2001:db8::1",
            "for=[2001:db8::1]",
            "for=\"[2001:db8::1]",
            "for=192.0.2.60 x",
            "for=1.2.3.4;proto=ftp",
            "for=\"1.2.3.4\r\n\"",
            "for=1.2.3.4,,for=1.2.3.5",
            "for=\"[1.2.3.4]\"",
            "for=1.2.3.4:99999x",
            "=x",
            "by=a;by=b",
        ] {
            assert_eq!(
                fwd(bad).refusal,
                Some(Refusal::MalformedForwarded),
                "{bad:?}"
            );
        }
        let long = vec!["for=10.1.1.1"; MAX_HOPS + 1].join(",");
        assert_eq!(fwd(&long).refusal, Some(Refusal::MalformedForwarded));
    }
}
