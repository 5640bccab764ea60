//! `McpGuard\Mcp\Envelope` and `McpGuard\Mcp\Protocol`: the MCP protocol
//! layer's decisions (`core::mcp`) for the PHP endpoint.
//!
//! One crossing per request: `Envelope::read()` looks at the decoded body in
//! place (the PHP array is walked through `convert.rs`'s `View`, members
//! found by hash lookups), checks the headers against it, and keeps only what
//! it returns: the protocol version, and each message's method, id and tool
//! name. Tool arguments are never read past their type; PHP takes them from
//! its own array.
#![allow(non_snake_case)]

use ext_php_rs::binary_slice::BinarySlice;
use ext_php_rs::boxed::ZBox;
use ext_php_rs::flags::ClassFlags;
use ext_php_rs::prelude::*;
use ext_php_rs::types::{ZendHashTable, Zval};

use super::exception::{guarded, invalid_argument};
use crate::core::error::GuardError;
use crate::core::mcp::era::SUPPORTED;
use crate::core::mcp::tools::class_named;
use crate::core::mcp::{self, Headers, Id, Incoming, Limits, McpRefusal, Refusal};

fn id_zval(id: Option<&Id>) -> PhpResult<Zval> {
    let mut z = Zval::new();
    match id {
        None => z.set_null(),
        Some(Id::Int(i)) => z.set_long(*i),
        Some(Id::Str(s)) => z.set_string(s, false)?,
    }
    Ok(z)
}

/// What one MCP POST body holds, or why it is refused: the outcome of
/// `Envelope::read()` (or `Envelope::refused()` for what the endpoint
/// refuses before decoding: a GET, an oversized body, malformed JSON).
#[php_class]
#[php(name = "McpGuard\\Mcp\\Envelope")]
#[php(flags = ClassFlags::Final)]
pub struct Envelope(Result<Incoming, Refusal>);

#[php_impl]
impl Envelope {
    /// Reads a decoded POST body (`json_decode($body, true)`) with its MCP
    /// headers (null when absent). Never throws for anything a client can
    /// send: every problem is a refusal (`ok()` false).
    ///
    /// @param mixed $decoded the decoded body.
    /// @param int|null $maxBatch most messages in a batch (2025-03-26 only), 1 to 100; default 10.
    /// @throws \McpGuard\Exception\InvalidArgumentException for a `$maxBatch` outside 1 to 100.
    pub fn read(
        decoded: &Zval,
        protocolHeader: Option<BinarySlice<u8>>,
        methodHeader: Option<BinarySlice<u8>>,
        nameHeader: Option<BinarySlice<u8>>,
        maxBatch: Option<i64>,
    ) -> PhpResult<Self> {
        guarded(|| {
            let limits = match maxBatch {
                None => Limits::default(),
                Some(n) => usize::try_from(n)
                    .ok()
                    .and_then(Limits::with_max_batch)
                    .ok_or_else(|| invalid_argument("The batch cap must be 1 to 100."))?,
            };
            let headers = Headers {
                protocol_version: protocolHeader.as_deref().copied(),
                method: methodHeader.as_deref().copied(),
                name: nameHeader.as_deref().copied(),
            };
            Ok(Self(mcp::read(decoded, &headers, &limits)))
        })
    }

    /// The refusal named `$reason` (`method_not_allowed`, `body_too_large`,
    /// `parse_error`, …: the reasons of docs/mcp.md), for what the endpoint
    /// refuses itself, so its status, code and message come from the one
    /// table.
    ///
    /// @throws \McpGuard\Exception\InvalidArgumentException for an unknown reason.
    pub fn refused(reason: BinarySlice<u8>) -> PhpResult<Self> {
        guarded(|| {
            let kind = McpRefusal::ALL
                .iter()
                .find(|k| k.reason().as_bytes() == *reason)
                .copied()
                .ok_or_else(|| invalid_argument("Unknown MCP refusal reason."))?;
            let refusal = if kind == McpRefusal::UnsupportedVersion {
                Refusal::unsupported(b"")
            } else {
                Refusal::new(kind)
            };
            Ok(Self(Err(refusal)))
        })
    }

    /// True when the body is to be served.
    pub fn ok(&self) -> bool {
        self.0.is_ok()
    }

    /// The protocol version the answer speaks (`2026-07-28`, the version
    /// `initialize` negotiated, `2025-03-26` without a header); null when
    /// refused.
    pub fn protocol_version(&self) -> Option<&'static str> {
        self.0.as_ref().ok().map(|i| i.version().as_str())
    }

    /// Whether the version is 2026-07-28 (stateless; `resultType` on results).
    pub fn is_modern(&self) -> bool {
        self.0.as_ref().is_ok_and(|i| i.version().is_modern())
    }

    /// Whether the body was a batch (answer with a list).
    pub fn is_batch(&self) -> bool {
        self.0.as_ref().is_ok_and(Incoming::is_batch)
    }

    /// The messages, in body order: each `[method, id, tool]` (id int|string,
    /// null for a notification; tool the `tools/call` name, else null).
    /// Empty when refused.
    pub fn messages(&self) -> PhpResult<ZBox<ZendHashTable>> {
        guarded(|| {
            let mut list = ZendHashTable::new();
            if let Ok(incoming) = &self.0 {
                for m in incoming.messages() {
                    let mut entry = ZendHashTable::with_capacity(3);
                    entry.push(m.method())?;
                    entry.push(id_zval(m.id())?)?;
                    let mut tool = Zval::new();
                    match m.tool() {
                        Some(t) => tool.set_string(t, false)?,
                        None => tool.set_null(),
                    }
                    entry.push(tool)?;
                    list.push(entry)?;
                }
            }
            Ok(list)
        })
    }

    /// The HTTP status of the refusal (400, 404, 405, 413); 200 when ok.
    pub fn http_status(&self) -> i64 {
        self.0
            .as_ref()
            .err()
            .map_or(200, |r| i64::from(r.kind().http_status()))
    }

    /// The JSON-RPC error code of the refusal; null when ok.
    pub fn json_rpc_code(&self) -> Option<i64> {
        self.0.as_ref().err().map(|r| r.kind().json_rpc_code())
    }

    /// The generic error message of the refusal (never the input); null when ok.
    pub fn error_message(&self) -> Option<&'static str> {
        self.0.as_ref().err().map(|r| r.kind().message())
    }

    /// The refusal's reason for the audit log (`method_header_mismatch`, …);
    /// null when ok.
    pub fn reason(&self) -> Option<&'static str> {
        self.0.as_ref().err().map(|r| r.kind().reason())
    }

    /// The id the error answers (int|string), or null (unreadable, or a batch).
    pub fn error_id(&self) -> PhpResult<Zval> {
        guarded(|| id_zval(self.0.as_ref().err().and_then(Refusal::id)))
    }

    /// The error's `data`: for -32022 `['supported' => [...], 'requested' => '...']`;
    /// null otherwise.
    pub fn error_data(&self) -> PhpResult<Option<ZBox<ZendHashTable>>> {
        guarded(|| {
            let Some((supported, requested)) =
                self.0.as_ref().err().and_then(Refusal::unsupported_data)
            else {
                return Ok(None);
            };
            let mut versions = ZendHashTable::new();
            for v in supported {
                versions.push(v.as_str())?;
            }
            let mut data = ZendHashTable::new();
            data.insert("supported", versions)?;
            data.insert("requested", requested)?;
            Ok(Some(data))
        })
    }
}

/// Protocol facts the endpoint answers with. Static methods only.
#[php_class]
#[php(name = "McpGuard\\Mcp\\Protocol")]
#[php(flags = ClassFlags::Final)]
pub struct Protocol;

#[php_impl]
impl Protocol {
    /// Every protocol version served, newest first (`server/discover`'s
    /// `supportedVersions`).
    pub fn supported_versions() -> Vec<&'static str> {
        SUPPORTED.iter().map(|v| v.as_str()).collect()
    }

    /// The annotations of a tool of policy class `$class` (`read`, `write`,
    /// `destructive`): `readOnlyHint`, `destructiveHint`, `idempotentHint`,
    /// `openWorldHint`.
    ///
    /// @throws \McpGuard\Exception\InvalidArgumentException for another class.
    pub fn tool_annotations(class: BinarySlice<u8>) -> PhpResult<ZBox<ZendHashTable>> {
        guarded(|| {
            let class =
                class_named(&class).ok_or_else(|| invalid_argument("Unknown tool class."))?;
            let a = mcp::annotations(class);
            let mut ht = ZendHashTable::with_capacity(4);
            ht.insert("readOnlyHint", a.read_only)?;
            ht.insert("destructiveHint", a.destructive)?;
            ht.insert("idempotentHint", a.idempotent)?;
            ht.insert("openWorldHint", a.open_world)?;
            Ok(ht)
        })
    }
}
