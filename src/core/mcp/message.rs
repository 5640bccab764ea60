//! The JSON-RPC envelope of one MCP POST body, read in place.
//!
//! The body is what the glue decoded (PHP's `json_decode(…, true)`), looked
//! at through [`View`]: members are looked up by name (a hash lookup in a
//! PHP array), only the members a decision needs are read, and nothing is
//! copied but what is returned (the method, the id, the tool name). A tool's
//! arguments are only checked to be an object; they stay where they are.
//!
//! Rules (JSON-RPC 2.0 §4, MCP 2026-07-28 basic/index "Messages"):
//!
//! * a message is an object with `jsonrpc` exactly `"2.0"`, a `method`
//!   (a non-empty string of at most [`MAX_METHOD_BYTES`]), `params` an object
//!   or absent, and an `id` that is a string (at most [`MAX_ID_BYTES`]) or an
//!   integer, never null, a float or anything else; without `id` it is a
//!   notification;
//! * a response (`result` or `error`, no `method`) is refused: this server
//!   sends the client no requests;
//! * a batch (a list of messages) only where the version has them
//!   (2025-03-26), never empty, at most [`Limits::max_batch`] messages, never
//!   holding `initialize`;
//! * `tools/call` needs `params.name` (a string of at most
//!   [`MAX_TOOL_NAME_BYTES`]), and `params.arguments` and `params._meta` are
//!   objects or absent. PHP writes an empty object as `[]`, which is
//!   accepted as the empty object (docs/php-values.md).

use super::era::{self, Version};
use super::headers::{self, Headers};
use super::refusal::{McpRefusal, Refusal};
use crate::core::json::view::{Key, Node, View};

/// Longest string id, in bytes.
pub const MAX_ID_BYTES: usize = 256;
/// Longest method name, in bytes.
pub const MAX_METHOD_BYTES: usize = 128;
/// Longest tool name, in bytes (2026-07-28 server/tools: names SHOULD be 1
/// to 128 characters).
pub const MAX_TOOL_NAME_BYTES: usize = 128;
/// Largest batch cap a server may configure.
pub const MAX_BATCH_LIMIT: usize = 100;
/// Longest `protocolVersion` string read from a body (longer ones are
/// versions we do not serve).
const MAX_VERSION_BYTES: usize = 32;

/// The `_meta` key of a 2026-07-28 request's protocol version.
pub const META_PROTOCOL_VERSION: &str = "io.modelcontextprotocol/protocolVersion";
/// The `_meta` key of a 2026-07-28 request's client capabilities.
pub const META_CLIENT_CAPABILITIES: &str = "io.modelcontextprotocol/clientCapabilities";

/// Methods served in the 2026-07-28 era.
pub const MODERN_METHODS: &[&str] = &["server/discover", "tools/list", "tools/call"];
/// Methods served in the `initialize` era.
pub const LEGACY_METHODS: &[&str] = &["initialize", "ping", "tools/list", "tools/call"];

/// Limits of the envelope.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Most messages in one batch (2025-03-26 only). Default 10; at most
    /// [`MAX_BATCH_LIMIT`].
    pub max_batch: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Self { max_batch: 10 }
    }
}

impl Limits {
    /// Limits with this batch cap: None outside 1 to [`MAX_BATCH_LIMIT`].
    pub fn with_max_batch(max_batch: usize) -> Option<Self> {
        (1..=MAX_BATCH_LIMIT)
            .contains(&max_batch)
            .then_some(Self { max_batch })
    }
}

/// A request id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Id {
    /// An integer id.
    Int(i64),
    /// A string id (UTF-8, at most [`MAX_ID_BYTES`]).
    Str(String),
}

/// One message that passed every check.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Message {
    method: String,
    id: Option<Id>,
    tool: Option<String>,
}

impl Message {
    /// The method.
    pub fn method(&self) -> &str {
        &self.method
    }

    /// The id; None for a notification.
    pub fn id(&self) -> Option<&Id> {
        self.id.as_ref()
    }

    /// The tool of a `tools/call`.
    pub fn tool(&self) -> Option<&str> {
        self.tool.as_deref()
    }
}

/// What one POST body holds, once every check passed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Incoming {
    version: Version,
    messages: Vec<Message>,
    batch: bool,
}

impl Incoming {
    /// The protocol version the answer speaks: the header's, the one
    /// `initialize` negotiated, or 2025-03-26 without a header.
    pub fn version(&self) -> Version {
        self.version
    }

    /// The messages, in order (one unless a batch).
    pub fn messages(&self) -> &[Message] {
        &self.messages
    }

    /// Whether the body was a batch (the answer is then a list).
    pub fn is_batch(&self) -> bool {
        self.batch
    }
}

/// Reads one POST body with its MCP headers.
pub fn read<V: View + ?Sized>(
    body: &V,
    headers: &Headers<'_>,
    limits: &Limits,
) -> Result<Incoming, Refusal> {
    let version = match headers.protocol_version {
        None => Ok(era::WITHOUT_HEADER),
        Some(h) => Version::parse(h).ok_or_else(|| Refusal::unsupported(h)),
    };
    match shape(body) {
        Shape::Empty => Err(Refusal::new(McpRefusal::BatchEmpty)),
        Shape::Other => Err(Refusal::new(McpRefusal::InvalidMessage)),
        Shape::Batch(len) => {
            let version = version?;
            if !version.allows_batch() {
                return Err(Refusal::new(McpRefusal::BatchNotAllowed));
            }
            if len > limits.max_batch {
                return Err(Refusal::new(McpRefusal::BatchTooLarge));
            }
            let mut messages = Vec::with_capacity(len);
            let mut position: i64 = 0;
            body.entries(|key, item| {
                if key != Key::Index(position) {
                    return Err(Refusal::new(McpRefusal::InvalidMessage));
                }
                position = position.saturating_add(1);
                if !matches!(shape(item), Shape::Object) {
                    return Err(Refusal::new(McpRefusal::InvalidMessage));
                }
                // The batch is refused as a whole: its answer has no id.
                let envelope = envelope(item).map_err(|r| r.with_id(None))?;
                let (message, _) =
                    finish(item, envelope, version, headers, true).map_err(|r| r.with_id(None))?;
                messages.push(message);
                Ok(())
            })?;
            Ok(Incoming {
                version,
                messages,
                batch: true,
            })
        }
        Shape::Object => {
            let envelope = envelope(body)?;
            let version = version.map_err(|r| r.with_id(envelope.id.clone()))?;
            let (message, negotiated) = finish(body, envelope, version, headers, false)?;
            Ok(Incoming {
                version: negotiated.unwrap_or(version),
                messages: vec![message],
                batch: false,
            })
        }
    }
}

enum Shape {
    /// `[]` (which is also PHP's `{}`).
    Empty,
    /// A list of this many entries.
    Batch(usize),
    /// A non-empty object.
    Object,
    /// Not an array.
    Other,
}

fn shape<V: View + ?Sized>(v: &V) -> Shape {
    match v.node() {
        Node::Array(0) => Shape::Empty,
        // A list has an entry at position 0; whether every key is its
        // position is checked while the batch is read.
        Node::Array(len) => match v.lookup("0") {
            Some(Some(_)) => Shape::Batch(len),
            Some(None) => Shape::Object,
            None => {
                let mut first_is_zero = false;
                let _ = v.entries(|key, _| {
                    first_is_zero = key == Key::Index(0);
                    Err(())
                });
                if first_is_zero {
                    Shape::Batch(len)
                } else {
                    Shape::Object
                }
            }
        },
        _ => Shape::Other,
    }
}

/// Whether `v` is an object (an array whose keys are not its positions),
/// the empty array included. Without an entry at position 0 a non-empty
/// array is one (a hash lookup); otherwise its keys are read.
fn is_object<V: View + ?Sized>(v: &V) -> bool {
    match v.node() {
        Node::Array(0) => true,
        Node::Array(_) => {
            if let Some(None) = v.lookup("0") {
                return true;
            }
            let mut position: i64 = 0;
            let mut object = false;
            let _ = v.entries(|key, _| {
                if key == Key::Index(position) {
                    position = position.saturating_add(1);
                    Ok(())
                } else {
                    object = true;
                    Err(())
                }
            });
            object
        }
        _ => false,
    }
}

/// Calls `f` with the member `name` of `v` (None when absent): a direct
/// lookup where the view has one, else one pass over its entries.
fn with_member<V: View + ?Sized, R>(
    v: &V,
    name: &str,
    mut f: impl FnMut(Option<&V::Child>) -> R,
) -> R {
    if let Some(found) = v.lookup(name) {
        return f(found);
    }
    let mut out = None;
    let _ = v.entries(|key, child| {
        if key == Key::Name(name.as_bytes()) {
            out = Some(f(Some(child)));
            return Err(());
        }
        Ok(())
    });
    match out {
        Some(r) => r,
        None => f(None),
    }
}

fn string_of<V: View + ?Sized>(v: &V, max: usize) -> Option<String> {
    match v.node() {
        Node::Str(bytes) if !bytes.is_empty() && bytes.len() <= max => {
            std::str::from_utf8(bytes).ok().map(str::to_owned)
        }
        _ => None,
    }
}

/// The members every message has, read and checked.
struct Envelope {
    id: Option<Id>,
    method: String,
}

fn envelope<V: View + ?Sized>(msg: &V) -> Result<Envelope, Refusal> {
    let version_ok = with_member(msg, "jsonrpc", |m| {
        m.is_some_and(|v| v.node() == Node::Str(b"2.0"))
    });
    if !version_ok {
        return Err(Refusal::new(McpRefusal::BadJsonRpcVersion));
    }
    // None: no `method` member; Some(None): one that is not acceptable.
    let method = with_member(msg, "method", |m| m.map(|v| string_of(v, MAX_METHOD_BYTES)));
    if method.is_none()
        && (with_member(msg, "result", |m| m.is_some())
            || with_member(msg, "error", |m| m.is_some()))
    {
        return Err(Refusal::new(McpRefusal::ResponseNotAccepted));
    }
    let id = with_member(msg, "id", |m| match m.map(View::node) {
        None => Ok(None),
        Some(Node::Int(i)) => Ok(Some(Id::Int(i))),
        Some(Node::Str(bytes)) if bytes.len() <= MAX_ID_BYTES => std::str::from_utf8(bytes)
            .map(|s| Some(Id::Str(s.to_owned())))
            .map_err(|_| ()),
        Some(_) => Err(()),
    })
    .map_err(|()| Refusal::new(McpRefusal::BadId))?;
    match method.flatten() {
        Some(method) => Ok(Envelope { id, method }),
        None => Err(Refusal::new(McpRefusal::BadMethod).with_id(id)),
    }
}

fn short_bytes<V: View + ?Sized>(v: Option<&V>) -> Option<Vec<u8>> {
    match v.map(View::node) {
        // Longer than any version we serve: kept as a marker that cannot match.
        Some(Node::Str(bytes)) if bytes.len() > MAX_VERSION_BYTES => Some(b"\0".to_vec()),
        Some(Node::Str(bytes)) => Some(bytes.to_vec()),
        _ => None,
    }
}

/// The era's checks of one message whose envelope passed; with the version
/// `initialize` negotiated.
fn finish<V: View + ?Sized>(
    msg: &V,
    envelope: Envelope,
    version: Version,
    headers: &Headers<'_>,
    in_batch: bool,
) -> Result<(Message, Option<Version>), Refusal> {
    // `params` is looked up once; everything else is read inside it.
    let checked = with_member(msg, "params", |p| {
        check_params(p, &envelope, version, headers, in_batch)
    })
    .map_err(|kind| Refusal::new(kind).with_id(envelope.id.clone()))?;
    let Envelope { id, method } = envelope;
    Ok((
        Message {
            method,
            id,
            tool: checked.tool,
        },
        checked.negotiated,
    ))
}

struct Checked {
    tool: Option<String>,
    negotiated: Option<Version>,
}

/// Calls `f` with the member `name` of `params` (None without params or
/// without that member).
fn param<P: View + ?Sized, R>(
    params: Option<&P>,
    name: &str,
    mut f: impl FnMut(Option<&P::Child>) -> R,
) -> R {
    match params {
        Some(p) => with_member(p, name, f),
        None => f(None),
    }
}

fn check_params<P: View + ?Sized>(
    params: Option<&P>,
    envelope: &Envelope,
    version: Version,
    headers: &Headers<'_>,
    in_batch: bool,
) -> Result<Checked, McpRefusal> {
    let method = envelope.method.as_str();
    let request = envelope.id.is_some();
    let modern = version.is_modern();
    if params.is_some_and(|p| !is_object(p)) {
        return Err(McpRefusal::BadParams);
    }
    // `_meta`: an object or absent; for a 2026-07-28 request it must carry
    // the version (equal to the header's) and the client capabilities.
    param(params, "_meta", |m| {
        if m.is_some_and(|m| !is_object(m)) {
            return Err(McpRefusal::BadMeta);
        }
        if !(modern && request) {
            return Ok(());
        }
        let m = m.ok_or(McpRefusal::MissingRequestMeta)?;
        let version = with_member(m, META_PROTOCOL_VERSION, short_bytes);
        let capabilities = with_member(m, META_CLIENT_CAPABILITIES, |c| c.is_some_and(is_object));
        match version {
            Some(v) if capabilities => {
                if Some(v.as_slice()) == headers.protocol_version {
                    Ok(())
                } else {
                    Err(McpRefusal::VersionHeaderMismatch)
                }
            }
            _ => Err(McpRefusal::MissingRequestMeta),
        }
    })?;
    if !request {
        // A notification: acknowledged with 202 and not acted upon. The
        // 2026-07-28 transport defines no header rules for them.
        return Ok(Checked {
            tool: None,
            negotiated: None,
        });
    }
    let mut negotiated = None;
    if modern {
        headers::check_method(headers, method)?;
        if !MODERN_METHODS.contains(&method) {
            return Err(McpRefusal::UnknownMethod);
        }
    } else if method == "initialize" {
        if in_batch {
            return Err(McpRefusal::InitializeInBatch);
        }
        param(params, "protocolVersion", |v| {
            let asked = short_bytes(v).ok_or(McpRefusal::BadInitialize)?;
            negotiated = Some(era::negotiate(&asked));
            Ok(())
        })?;
    } else if !LEGACY_METHODS.contains(&method) && !in_batch {
        // In a batch the message stays, answered with its own -32601.
        return Err(McpRefusal::UnknownMethod);
    }
    let mut tool = None;
    if method == "tools/call" {
        param(params, "name", |n| {
            tool = n.and_then(|n| string_of(n, MAX_TOOL_NAME_BYTES));
            Ok(())
        })?;
        let name = tool.as_deref().ok_or(McpRefusal::BadToolName)?;
        param(params, "arguments", |a| {
            if a.is_none_or(is_object) {
                Ok(())
            } else {
                Err(McpRefusal::BadArguments)
            }
        })?;
        if modern {
            headers::check_name(headers, name)?;
        }
    }
    Ok(Checked { tool, negotiated })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::policy::Value;

    fn obj(entries: Vec<(&str, Value)>) -> Value {
        Value::Object(
            entries
                .into_iter()
                .map(|(k, v)| (k.to_owned(), v))
                .collect(),
        )
    }

    fn s(v: &str) -> Value {
        Value::Str(v.to_owned())
    }

    fn modern<'a>(method: &'a str, name: Option<&'a str>) -> Headers<'a> {
        Headers {
            protocol_version: Some(b"2026-07-28"),
            method: Some(method.as_bytes()),
            name: name.map(str::as_bytes),
        }
    }

    fn call(extra: usize) -> Value {
        let meta = obj(vec![
            (META_PROTOCOL_VERSION, s("2026-07-28")),
            (META_CLIENT_CAPABILITIES, Value::Object(Vec::new())),
        ]);
        let params = obj(vec![
            ("name", s("t")),
            ("arguments", obj(vec![("a", Value::Int(1))])),
            ("_meta", meta),
        ]);
        let mut entries = vec![
            ("jsonrpc".to_owned(), s("2.0")),
            ("id".to_owned(), Value::Int(4)),
            ("method".to_owned(), s("tools/call")),
            ("params".to_owned(), params),
        ];
        // Unknown members are ignored; enough of them make the view unable
        // to look members up, so they are found by one pass instead.
        for i in 0..extra {
            entries.insert(0, (format!("x{i}"), Value::Null));
        }
        Value::Object(entries)
    }

    #[test]
    fn members_are_found_with_and_without_lookups() {
        for extra in [0, 100] {
            let got = read(
                &call(extra),
                &modern("tools/call", Some("t")),
                &Limits::default(),
            );
            let incoming = got.unwrap_or_else(|r| panic!("{extra}: {:?}", r.kind()));
            assert_eq!(incoming.messages()[0].tool(), Some("t"));
            assert_eq!(incoming.messages()[0].id(), Some(&Id::Int(4)));
            let refused = read(
                &call(extra),
                &modern("tools/call", Some("u")),
                &Limits::default(),
            );
            assert_eq!(
                refused.map_err(|r| r.kind()),
                Err(McpRefusal::NameHeaderMismatch),
                "{extra}"
            );
        }
    }

    #[test]
    fn batch_caps_are_bounded() {
        assert_eq!(Limits::default().max_batch, 10);
        assert_eq!(Limits::with_max_batch(0), None);
        assert_eq!(Limits::with_max_batch(MAX_BATCH_LIMIT + 1), None);
        assert_eq!(Limits::with_max_batch(1).map(|l| l.max_batch), Some(1));
    }

    #[test]
    fn ids_and_strings_are_utf8() {
        let bad_id = obj(vec![
            ("jsonrpc", s("2.0")),
            ("id", Value::Str(String::new())),
            ("method", s("ping")),
        ]);
        // The empty string is a valid id.
        assert!(read(&bad_id, &Headers::default(), &Limits::default()).is_ok());
        let neg = obj(vec![
            ("jsonrpc", s("2.0")),
            ("id", Value::Int(i64::MIN)),
            ("method", s("ping")),
        ]);
        let got = read(&neg, &Headers::default(), &Limits::default()).map_err(|r| r.kind());
        assert_eq!(
            got.map(|i| i.messages()[0].id().cloned()),
            Ok(Some(Id::Int(i64::MIN)))
        );
    }
}
