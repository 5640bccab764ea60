//! The 2026-07-28 request headers and their checks against the body
//! (2026-07-28 streamable-http, "Request Metadata" and "Server
//! Validation"): `MCP-Protocol-Version` must equal the body's
//! `_meta["io.modelcontextprotocol/protocolVersion"]`, `Mcp-Method` the
//! body's `method` (every request), `Mcp-Name` the body's `params.name` for
//! `tools/call`; a header that is missing, malformed or different is
//! refused with 400 and -32020. Values compare byte for byte (header values
//! are case-sensitive).
//!
//! `Mcp-Name` may be wrapped as `=?base64?<standard Base64 of the UTF-8>?=`
//! (2026-07-28 "Value Encoding"); it is decoded before the comparison, and a
//! wrapped value that is not canonical Base64 never matches.

use base64::engine::general_purpose::STANDARD;
use base64::Engine;

use super::refusal::McpRefusal;

/// The MCP header values of one HTTP request, as sent (None: absent).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Headers<'a> {
    /// `MCP-Protocol-Version`.
    pub protocol_version: Option<&'a [u8]>,
    /// `Mcp-Method`.
    pub method: Option<&'a [u8]>,
    /// `Mcp-Name`.
    pub name: Option<&'a [u8]>,
}

const PREFIX: &[u8] = b"=?base64?";
const SUFFIX: &[u8] = b"?=";

/// Longest `Mcp-Name` header read (a Base64-wrapped name of the longest
/// tool name the body may carry fits well within it).
pub const MAX_NAME_HEADER_BYTES: usize = 1024;

/// Whether `b` may stand in a plain header value (RFC 9110 §5.5: visible
/// ASCII, space, horizontal tab).
fn header_safe(b: u8) -> bool {
    b == b'\t' || (0x20..=0x7e).contains(&b)
}

/// The value an `Mcp-Name` header stands for: itself, or the decoded bytes
/// of a `=?base64?…?=` wrapping. None when it is malformed (a byte no header
/// value may hold, bad or non-canonical Base64, too long).
pub fn decode_name(value: &[u8]) -> Option<Vec<u8>> {
    if value.len() > MAX_NAME_HEADER_BYTES || !value.iter().copied().all(header_safe) {
        return None;
    }
    let inner = value
        .strip_prefix(PREFIX)
        .and_then(|rest| rest.strip_suffix(SUFFIX));
    match inner {
        // STANDARD requires canonical padding and zero trailing bits.
        Some(payload) => STANDARD.decode(payload).ok(),
        None => Some(value.to_vec()),
    }
}

/// `Mcp-Method` against the body's method.
pub fn check_method(headers: &Headers<'_>, method: &str) -> Result<(), McpRefusal> {
    match headers.method {
        None => Err(McpRefusal::MethodHeaderMissing),
        Some(h) if h == method.as_bytes() => Ok(()),
        Some(_) => Err(McpRefusal::MethodHeaderMismatch),
    }
}

/// `Mcp-Name` against the body's `params.name`.
pub fn check_name(headers: &Headers<'_>, name: &str) -> Result<(), McpRefusal> {
    let raw = headers.name.ok_or(McpRefusal::NameHeaderMissing)?;
    let decoded = decode_name(raw).ok_or(McpRefusal::NameHeaderMalformed)?;
    if decoded == name.as_bytes() {
        Ok(())
    } else {
        Err(McpRefusal::NameHeaderMismatch)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn with_name(name: &[u8]) -> Headers<'_> {
        Headers {
            name: Some(name),
            ..Headers::default()
        }
    }

    #[test]
    fn plain_and_wrapped_names() {
        // The spec's encoding table: "Hello, 世界" is SGVsbG8sIOS4lueVjA==.
        assert_eq!(
            decode_name(b"=?base64?SGVsbG8sIOS4lueVjA==?=").as_deref(),
            Some("Hello, 世界".as_bytes())
        );
        assert_eq!(
            decode_name(b"get_weather").as_deref(),
            Some(&b"get_weather"[..])
        );
        assert!(check_name(&with_name(b"products.search"), "products.search").is_ok());
        assert!(check_name(
            &with_name(b"=?base64?cHJvZHVjdHMuc2VhcmNo?="),
            "products.search"
        )
        .is_ok());
    }

    #[test]
    fn malformed_names_never_match() {
        for bad in [
            &b"=?base64?SGVsbG8?="[..], // missing padding
            b"=?base64?SGVsbG9=?=",     // non-zero trailing bits
            b"=?base64?!!!!?=",         // not Base64
            b"tool\r\nX-Injected: 1",   // control characters
            "tôol".as_bytes(),          // not ASCII
            &[b'a'; MAX_NAME_HEADER_BYTES + 1],
        ] {
            assert_eq!(decode_name(bad), None, "{bad:?}");
            assert_eq!(
                check_name(&with_name(bad), "x"),
                Err(McpRefusal::NameHeaderMalformed)
            );
        }
        assert_eq!(
            check_name(&Headers::default(), "x"),
            Err(McpRefusal::NameHeaderMissing)
        );
        assert_eq!(
            check_name(&with_name(b"X"), "x"),
            Err(McpRefusal::NameHeaderMismatch)
        );
        // A sentinel-looking plain value is compared decoded, never as is.
        assert_eq!(
            check_name(&with_name(b"=?base64?eA==?="), "=?base64?eA==?="),
            Err(McpRefusal::NameHeaderMismatch)
        );
    }

    #[test]
    fn method_header() {
        let h = Headers {
            method: Some(b"tools/call"),
            ..Headers::default()
        };
        assert!(check_method(&h, "tools/call").is_ok());
        assert_eq!(
            check_method(&h, "tools/list"),
            Err(McpRefusal::MethodHeaderMismatch)
        );
        assert_eq!(
            check_method(&Headers::default(), "tools/list"),
            Err(McpRefusal::MethodHeaderMissing)
        );
        let upper = Headers {
            method: Some(b"TOOLS/CALL"),
            ..Headers::default()
        };
        assert_eq!(
            check_method(&upper, "tools/call"),
            Err(McpRefusal::MethodHeaderMismatch)
        );
    }
}
