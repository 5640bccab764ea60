//! The one table of refusals of the MCP layer: each row is a reason (for the
//! audit log), the HTTP status and JSON-RPC error code the client is
//! answered with, and a generic message (never the input).
//!
//! Codes: JSON-RPC 2.0 §5.1 (-32700 parse error, -32600 invalid request,
//! -32601 method not found, -32602 invalid params) and MCP 2026-07-28
//! basic/index "Error Codes" (-32020 `HeaderMismatch`, -32022
//! `UnsupportedProtocolVersion`). Statuses: 2026-07-28 streamable-http (400
//! for header and version failures, 404 for an unknown method, 405 for GET
//! and DELETE); 413 is RFC 9110 §15.5.14.

use super::era::{Version, SUPPORTED};
use super::message::Id;

/// JSON-RPC 2.0: the body is not JSON.
pub const PARSE_ERROR: i64 = -32700;
/// JSON-RPC 2.0: the body is not a valid request object.
pub const INVALID_REQUEST: i64 = -32600;
/// JSON-RPC 2.0: the method does not exist.
pub const METHOD_NOT_FOUND: i64 = -32601;
/// JSON-RPC 2.0: the params are not valid.
pub const INVALID_PARAMS: i64 = -32602;
/// MCP 2026-07-28 `HeaderMismatch`.
pub const HEADER_MISMATCH: i64 = -32020;
/// MCP 2026-07-28 `UnsupportedProtocolVersion`.
pub const UNSUPPORTED_PROTOCOL_VERSION: i64 = -32022;

/// Declares the refusal enum from its table through [`crate::error_table!`]
/// (so it has `REASONS`, `ALL`, `message()` and [`GuardError`](crate::core::error::GuardError)
/// like every core error), and adds the two columns only refusals have.
macro_rules! refusal_table {
    (
        $(#[$meta:meta])*
        pub enum $name:ident {
            $(
                $(#[$vmeta:meta])*
                $variant:ident => $status:literal, $code:expr, $reason:literal, $message:literal;
            )+
        }
    ) => {
        $crate::error_table! {
            $(#[$meta])*
            pub enum $name {
                $( $(#[$vmeta])* $variant => InvalidRequest, $reason, $message; )+
            }
        }

        impl $name {
            /// The HTTP status of the answer.
            pub const fn http_status(&self) -> u16 {
                match self {
                    $( Self::$variant => $status, )+
                }
            }

            /// The JSON-RPC error code of the answer.
            pub const fn json_rpc_code(&self) -> i64 {
                match self {
                    $( Self::$variant => $code, )+
                }
            }
        }
    };
}

refusal_table! {
    /// Why an MCP request was refused before any tool saw it.
    pub enum McpRefusal {
        /// Not POST (GET and DELETE included: no SSE stream, no sessions).
        MethodNotAllowed => 405, INVALID_REQUEST, "method_not_allowed", "Only POST is accepted on the MCP endpoint.";
        /// The body is over the endpoint's size cap.
        BodyTooLarge => 413, INVALID_REQUEST, "body_too_large", "The request body is too large.";
        /// The body is not JSON (or nests deeper than the endpoint reads).
        ParseError => 400, PARSE_ERROR, "parse_error", "Parse error.";
        /// The body is not a JSON-RPC request or notification object.
        InvalidMessage => 400, INVALID_REQUEST, "invalid_message", "Invalid Request.";
        /// `jsonrpc` is missing or not exactly "2.0".
        BadJsonRpcVersion => 400, INVALID_REQUEST, "bad_jsonrpc_version", "Invalid Request.";
        /// `id` is null, a float, a boolean, an array, or too long.
        BadId => 400, INVALID_REQUEST, "bad_id", "Invalid Request.";
        /// `method` is missing, not a string, empty or too long.
        BadMethod => 400, INVALID_REQUEST, "bad_method", "Invalid Request.";
        /// `params` is present but not an object.
        BadParams => 400, INVALID_REQUEST, "bad_params", "Invalid Request.";
        /// A JSON-RPC response (we never send requests to the client).
        ResponseNotAccepted => 400, INVALID_REQUEST, "response_not_accepted", "Invalid Request.";
        /// A batch where the version has none (every version but 2025-03-26).
        BatchNotAllowed => 400, INVALID_REQUEST, "batch_not_allowed", "Batches are not accepted for this protocol version.";
        /// An empty batch (also `{}`, which PHP cannot tell from `[]`).
        BatchEmpty => 400, INVALID_REQUEST, "batch_empty", "Invalid Request.";
        /// More messages in one batch than the endpoint accepts.
        BatchTooLarge => 400, INVALID_REQUEST, "batch_too_large", "Too many messages in one batch.";
        /// `initialize` inside a batch (2025-03-26 lifecycle forbids it).
        InitializeInBatch => 400, INVALID_REQUEST, "initialize_in_batch", "Invalid Request.";
        /// `initialize` without a string `params.protocolVersion`.
        BadInitialize => 400, INVALID_PARAMS, "bad_initialize", "Invalid params.";
        /// `tools/call` without a string `params.name` (or one too long).
        BadToolName => 400, INVALID_PARAMS, "bad_tool_name", "Invalid params.";
        /// `params.arguments` is present but not an object.
        BadArguments => 400, INVALID_PARAMS, "bad_arguments", "Invalid params.";
        /// `params._meta` is present but not an object.
        BadMeta => 400, INVALID_PARAMS, "bad_meta", "Invalid params.";
        /// A 2026-07-28 request without its `_meta` protocol version (a
        /// string) and client capabilities (an object).
        MissingRequestMeta => 400, INVALID_PARAMS, "missing_request_meta", "Invalid params.";
        /// `MCP-Protocol-Version` names a version we do not serve.
        UnsupportedVersion => 400, UNSUPPORTED_PROTOCOL_VERSION, "unsupported_protocol_version", "Unsupported protocol version.";
        /// The header version differs from the body's `_meta` version.
        VersionHeaderMismatch => 400, HEADER_MISMATCH, "version_header_mismatch", "Header mismatch.";
        /// A 2026-07-28 request without `Mcp-Method`.
        MethodHeaderMissing => 400, HEADER_MISMATCH, "method_header_missing", "Header mismatch.";
        /// `Mcp-Method` differs from the body's `method`.
        MethodHeaderMismatch => 400, HEADER_MISMATCH, "method_header_mismatch", "Header mismatch.";
        /// A 2026-07-28 `tools/call` without `Mcp-Name`.
        NameHeaderMissing => 400, HEADER_MISMATCH, "name_header_missing", "Header mismatch.";
        /// `Mcp-Name` (decoded) differs from `params.name`.
        NameHeaderMismatch => 400, HEADER_MISMATCH, "name_header_mismatch", "Header mismatch.";
        /// `Mcp-Name` holds a character no header value may, or a bad
        /// `=?base64?…?=` form.
        NameHeaderMalformed => 400, HEADER_MISMATCH, "name_header_malformed", "Header mismatch.";
        /// A method this server does not serve in the request's era.
        UnknownMethod => 404, METHOD_NOT_FOUND, "unknown_method", "Method not found.";
    }
}

/// Longest `requested` value echoed in -32022's data; a longer one (or one
/// that is not visible ASCII) is echoed as the empty string.
pub const MAX_ECHOED_VERSION_BYTES: usize = 32;

/// One refusal: what, the id of the request when it could be read (else the
/// answer's `id` is null), and for -32022 the version asked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    kind: McpRefusal,
    id: Option<Id>,
    requested: Option<String>,
}

impl Refusal {
    /// A refusal of a request whose id is unknown.
    pub fn new(kind: McpRefusal) -> Self {
        Self {
            kind,
            id: None,
            requested: None,
        }
    }

    /// The same refusal, answering the request `id`.
    pub fn with_id(mut self, id: Option<Id>) -> Self {
        self.id = id;
        self
    }

    /// -32022 for a header naming `requested`.
    pub fn unsupported(requested: &[u8]) -> Self {
        let echo = if requested.len() <= MAX_ECHOED_VERSION_BYTES
            && requested.iter().all(|b| (0x21..=0x7e).contains(b))
        {
            // Visible ASCII is UTF-8.
            String::from_utf8_lossy(requested).into_owned()
        } else {
            String::new()
        };
        Self {
            kind: McpRefusal::UnsupportedVersion,
            id: None,
            requested: Some(echo),
        }
    }

    /// What was refused.
    pub fn kind(&self) -> McpRefusal {
        self.kind
    }

    /// The id to answer with (None: `"id": null`).
    pub fn id(&self) -> Option<&Id> {
        self.id.as_ref()
    }

    /// The error's `data` for -32022: the versions served (newest first)
    /// and the version asked (2026-07-28 schema `UnsupportedProtocolVersionError`).
    /// None for every other refusal.
    pub fn unsupported_data(&self) -> Option<(&'static [Version], &str)> {
        self.requested.as_deref().map(|r| (&SUPPORTED[..], r))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::error::{ErrorKind, GuardError};

    #[test]
    fn the_table_holds_the_spec_codes_and_statuses() {
        use McpRefusal as R;
        assert_eq!(
            (
                R::UnsupportedVersion.http_status(),
                R::UnsupportedVersion.json_rpc_code()
            ),
            (400, -32022)
        );
        for r in [
            R::VersionHeaderMismatch,
            R::MethodHeaderMissing,
            R::MethodHeaderMismatch,
            R::NameHeaderMissing,
            R::NameHeaderMismatch,
            R::NameHeaderMalformed,
        ] {
            assert_eq!((r.http_status(), r.json_rpc_code()), (400, -32020), "{r:?}");
        }
        assert_eq!(
            (
                R::UnknownMethod.http_status(),
                R::UnknownMethod.json_rpc_code()
            ),
            (404, -32601)
        );
        assert_eq!(
            (R::ParseError.http_status(), R::ParseError.json_rpc_code()),
            (400, -32700)
        );
        assert_eq!(R::MethodNotAllowed.http_status(), 405);
        assert_eq!(R::BodyTooLarge.http_status(), 413);
        for r in R::ALL {
            assert_eq!(r.kind(), ErrorKind::InvalidRequest);
            assert!(r.message().ends_with('.'));
            assert!((400..500).contains(&r.http_status()));
        }
        let mut reasons = R::REASONS.to_vec();
        reasons.sort_unstable();
        reasons.dedup();
        assert_eq!(reasons.len(), R::REASONS.len());
    }

    #[test]
    fn unsupported_echoes_only_a_short_visible_version() {
        let r = Refusal::unsupported(b"1900-01-01");
        assert_eq!(r.kind().reason(), "unsupported_protocol_version");
        let (supported, requested) = r.unsupported_data().unwrap();
        assert_eq!(supported.first(), Some(&Version::V2026_07_28));
        assert_eq!(requested, "1900-01-01");
        for hostile in [&b"a b"[..], b"\xff", b"x\r\nSet-Cookie: a", &[b'a'; 33]] {
            assert_eq!(
                Refusal::unsupported(hostile).unsupported_data().unwrap().1,
                ""
            );
        }
        assert_eq!(Refusal::new(McpRefusal::BadId).unsupported_data(), None);
    }
}
