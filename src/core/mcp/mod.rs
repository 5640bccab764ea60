//! The MCP protocol layer: what an MCP request over Streamable HTTP is, and
//! which protocol era it speaks. No HTTP, no I/O: the glue hands over the
//! decoded body (looked at in place through [`View`](crate::core::json::view::View))
//! and three header values, and gets back either the messages to serve or a
//! [`Refusal`] (a value: HTTP status, JSON-RPC code, generic message, reason).
//!
//! Two eras are served on one endpoint:
//!
//! * **2026-07-28** (stateless): selected by the `MCP-Protocol-Version` header
//!   naming it. Every request carries its version twice (the header and
//!   `params._meta["io.modelcontextprotocol/protocolVersion"]`) and mirrors
//!   its method (`Mcp-Method`) and, for `tools/call`, the tool name
//!   (`Mcp-Name`); a header that is missing or disagrees with the body is
//!   refused (400, -32020), since an intermediary may have routed on it.
//! * **2025-11-25 and older** (`initialize`): selected by a header naming a
//!   handshake version, or by no header at all (then 2025-03-26 is assumed,
//!   as the 2025-11-25 transport says); `initialize` negotiates the version
//!   from its `params.protocolVersion` ([`era::negotiate`]).
//!
//! Layers, outermost first:
//!
//! * [`message`]: the JSON-RPC envelope of one POST body (a message or, for
//!   2025-03-26 only, a bounded batch), read in one pass without copying
//!   anything but the method, the id and the tool name;
//! * [`era`]: the versions we serve and how one is picked;
//! * [`headers`]: the 2026-07-28 header–body checks (`Mcp-Name` may be
//!   Base64-wrapped: `=?base64?…?=`);
//! * [`refusal`]: the one table of refusals (status, code, reason, message);
//! * [`tools`]: tool annotations derived from a policy tool class.
//!
//! Sources: MCP specification 2026-07-28 (basic/index, basic/versioning,
//! basic/transports/streamable-http, schema), 2025-11-25 (basic/lifecycle,
//! basic/transports), 2025-06-18 changelog (JSON-RPC batching removed).

pub mod era;
pub mod headers;
pub mod message;
pub mod refusal;
pub mod tools;

pub use era::Version;
pub use headers::Headers;
pub use message::{read, Id, Incoming, Limits, Message};
pub use refusal::{McpRefusal, Refusal};
pub use tools::{annotations, Annotations};
