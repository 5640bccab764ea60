//! `McpGuard\Audit\Event`, `McpGuard\Audit\Chain`, `McpGuard\Audit\Link`,
//! `McpGuard\Audit\ChainVerifier`: the audit event, the hash chain and its
//! streaming verifier (`crate::core::audit`). The PHP glue stores what
//! these produce; it never builds a record or a hash itself.
#![allow(non_snake_case)]

use ext_php_rs::binary_slice::BinarySlice;
use ext_php_rs::boxed::ZBox;
use ext_php_rs::flags::ClassFlags;
use ext_php_rs::prelude::*;
use ext_php_rs::types::{ZendHashTable, Zval};

use super::env::now_us;
use super::exception::guarded;
use crate::core::audit::chain::{self, Columns, Head};
use crate::core::audit::event::{parse_hex, MAX_NUMBER};
use crate::core::audit::{self as core_audit, record, AuditError, EventType, HeadKey, Outcome};
use crate::core::digest;
use crate::core::error::GuardError;
use crate::core::json::view::{Key, View};

fn number(v: i64) -> Result<u64, AuditError> {
    u64::try_from(v).map_err(|_| AuditError::OutOfRange)
}

fn text_of(v: &Zval) -> Result<&[u8], AuditError> {
    v.dereference()
        .zend_str()
        .map(|s| s.as_bytes())
        .ok_or(AuditError::WrongType)
}

fn int_of(v: &Zval) -> Result<u64, AuditError> {
    number(v.dereference().long().ok_or(AuditError::WrongType)?)
}

/// Applies one entry of the fields array.
fn set_field(e: &mut core_audit::Event, key: &[u8], v: &Zval) -> Result<(), AuditError> {
    match key {
        b"at" => {}
        b"principal" => e.set_principal(text_of(v)?)?,
        b"tokenId" => e.set_token_id(text_of(v)?)?,
        b"clientId" => e.set_client_id(text_of(v)?)?,
        b"tool" => e.set_tool(text_of(v)?)?,
        b"arguments" => {
            if v.dereference().array().is_none() {
                return Err(AuditError::WrongType);
            }
            e.set_arguments(v)?;
        }
        b"argumentsDigest" => e.set_arguments_digest_hex(text_of(v)?)?,
        b"outcome" => {
            e.set_outcome(Outcome::from_name(text_of(v)?).ok_or(AuditError::InvalidOutcome)?)?
        }
        b"reason" => e.set_reason(text_of(v)?)?,
        b"latencyUs" => e.set_latency_us(int_of(v)?)?,
        b"ip" => e.set_ip(text_of(v)?)?,
        b"protocol" => e.set_protocol(text_of(v)?)?,
        _ => return Err(AuditError::UnknownField),
    }
    Ok(())
}

fn build_event(
    kind: &[u8],
    fields: Option<&ZendHashTable>,
) -> Result<core_audit::Event, AuditError> {
    let kind = EventType::from_name(kind).ok_or(AuditError::UnknownType)?;
    let at = match fields.map(|f| f.get("at")) {
        Some(Some(v)) if !v.dereference().is_null() => int_of(v)?,
        _ => now_us().min(MAX_NUMBER),
    };
    let mut e = core_audit::Event::new(kind, at)?;
    let Some(fields) = fields else {
        return Ok(e);
    };
    // Both arguments and their digest: one of them is a mistake.
    if fields.get("arguments").is_some() && fields.get("argumentsDigest").is_some() {
        return Err(AuditError::InvalidDigest);
    }
    fields.entries(|key, v| match key {
        Key::Name(name) => {
            // A null value is an absent field.
            if v.dereference().is_null() {
                return Ok(());
            }
            set_field(&mut e, name, v)
        }
        Key::Index(_) => Err(AuditError::UnknownField),
    })?;
    Ok(e)
}

/// One audit event: a closed type, an outcome, and bounded identifiers. It
/// cannot hold a secret: a value shaped like a credential (a full API token,
/// a JWT, an `Authorization` header value) is refused, and a tool call's
/// arguments are kept only as their SHA-256 digest, computed in place.
#[php_class]
#[php(name = "McpGuard\\Audit\\Event")]
#[php(flags = ClassFlags::Final)]
pub struct AuditEvent(core_audit::Event);

#[php_impl]
impl AuditEvent {
    /// @param string $type one of token_issued, token_used, token_failed, token_revoked,
    ///   token_rotated, token_refreshed, code_exchanged, client_revoked, member_added,
    ///   member_removed, tool_listed, tool_allowed, tool_denied, request_refused, rate_limited,
    ///   confirmation_asked, confirmation_used.
    /// @param array $fields any of: principal, tokenId (a token's public id or a JWT jti),
    ///   clientId, tool, protocol (strings); arguments (an array: only its digest is kept) or
    ///   argumentsDigest (64 hex); outcome (allowed, denied, error; default: denied for
    ///   token_failed, tool_denied, request_refused and rate_limited, else allowed); reason
    ///   (`[a-z0-9_.]{1,64}`); latencyUs, at (Unix µs; default now) (ints); ip. A null value
    ///   is an absent field.
    /// @throws \McpGuard\Exception\InvalidArgumentException reason unknown_event_type,
    ///   unknown_audit_field, invalid_audit_field_type, invalid_audit_field, secret_shaped_value,
    ///   invalid_outcome, invalid_reason, invalid_ip, invalid_digest, invalid_arguments, out_of_range.
    pub fn __construct(r#type: BinarySlice<u8>, fields: Option<&ZendHashTable>) -> PhpResult<Self> {
        guarded(|| Ok(Self(build_event(&r#type, fields)?)))
    }

    /// The event a canonical record holds (as written by `Chain::link()`).
    ///
    /// @throws \McpGuard\Exception\InvalidArgumentException reason malformed_record.
    pub fn from_record(record: BinarySlice<u8>) -> PhpResult<Self> {
        guarded(|| Ok(Self(record::read(&record)?.to_event())))
    }

    /// The type.
    pub fn r#type(&self) -> &'static str {
        self.0.kind().name()
    }

    /// allowed, denied or error.
    pub fn outcome(&self) -> &'static str {
        self.0.outcome().name()
    }

    /// Unix time in microseconds.
    pub fn at(&self) -> i64 {
        i64::try_from(self.0.at_us()).unwrap_or(i64::MAX)
    }

    /// The member id, if set.
    pub fn principal(&self) -> Option<String> {
        self.0.principal().map(str::to_owned)
    }

    /// The token's public id (or JWT jti), if set.
    pub fn token_id(&self) -> Option<String> {
        self.0.token_id().map(str::to_owned)
    }

    /// The OAuth client id, if set.
    pub fn client_id(&self) -> Option<String> {
        self.0.client_id().map(str::to_owned)
    }

    /// The tool, if set.
    pub fn tool(&self) -> Option<String> {
        self.0.tool().map(str::to_owned)
    }

    /// The SHA-256 digest of the arguments (64 hex), if set.
    pub fn arguments_digest(&self) -> Option<String> {
        self.0.arguments_digest().map(digest::hex)
    }

    /// The reason code, if set.
    pub fn reason(&self) -> Option<String> {
        self.0.reason().map(str::to_owned)
    }

    /// The latency in microseconds, if set.
    pub fn latency_us(&self) -> Option<i64> {
        self.0
            .latency_us()
            .map(|v| i64::try_from(v).unwrap_or(i64::MAX))
    }

    /// The IP address in canonical form, if set.
    pub fn ip(&self) -> Option<String> {
        self.0.ip().map(|ip| ip.to_string())
    }

    /// The MCP protocol version, if set.
    pub fn protocol(&self) -> Option<String> {
        self.0.protocol().map(str::to_owned)
    }

    /// Every field, absent ones as null: type, outcome, at, principal, tokenId,
    /// clientId, tool, argumentsDigest, reason, latencyUs, ip, protocol.
    pub fn to_array(&self) -> PhpResult<ZBox<ZendHashTable>> {
        guarded(|| {
            let mut ht = ZendHashTable::with_capacity(12);
            ht.insert("type", self.r#type())?;
            ht.insert("outcome", self.outcome())?;
            ht.insert("at", self.at())?;
            ht.insert("principal", self.principal())?;
            ht.insert("tokenId", self.token_id())?;
            ht.insert("clientId", self.client_id())?;
            ht.insert("tool", self.tool())?;
            ht.insert("argumentsDigest", self.arguments_digest())?;
            ht.insert("reason", self.reason())?;
            ht.insert("latencyUs", self.latency_us())?;
            ht.insert("ip", self.ip())?;
            ht.insert("protocol", self.protocol())?;
            Ok(ht)
        })
    }
}

fn hash_arg(hex: &[u8]) -> Result<digest::Hash, AuditError> {
    parse_hex(hex).ok_or(AuditError::InvalidDigest)
}

/// Links events into the hash chain: row `seq` gets
/// `SHA-256(label ‖ seq ‖ previous hash ‖ record)`. With an audit key (≥ 32
/// bytes, from the host's configuration: never store it in the database),
/// `headMac()` authenticates the chain head.
#[php_class]
#[php(name = "McpGuard\\Audit\\Chain")]
#[php(flags = ClassFlags::Final)]
pub struct Chain {
    key: Option<HeadKey>,
}

#[php_impl]
impl Chain {
    /// @param string|null $key the audit key (at least 32 bytes); null = no head MAC.
    /// @throws \McpGuard\Exception\ConfigurationException reason weak_audit_key.
    pub fn __construct(key: Option<BinarySlice<u8>>) -> PhpResult<Self> {
        guarded(|| {
            let key = key.map(|k| HeadKey::new(&k)).transpose()?;
            Ok(Self { key })
        })
    }

    /// Whether an audit key is configured.
    pub fn has_key(&self) -> bool {
        self.key.is_some()
    }

    /// Links `$event` as row `$seq` after the row whose hash is
    /// `$previousHash` (64 hex; null exactly for the first row, seq 1).
    ///
    /// @throws \McpGuard\Exception\InvalidArgumentException reason out_of_range, invalid_digest.
    pub fn link(
        &self,
        event: &AuditEvent,
        seq: i64,
        previousHash: Option<BinarySlice<u8>>,
    ) -> PhpResult<Link> {
        guarded(|| {
            let prev = previousHash.map(|h| hash_arg(&h)).transpose()?;
            Ok(Link(chain::link(&event.0, number(seq)?, prev.as_ref())?))
        })
    }

    /// The MAC of the head (seq, hash) under the audit key (64 hex), or null
    /// without a key.
    ///
    /// @throws \McpGuard\Exception\InvalidArgumentException reason out_of_range, invalid_digest.
    pub fn head_mac(&self, seq: i64, hash: BinarySlice<u8>) -> PhpResult<Option<String>> {
        guarded(|| {
            let seq = number(seq)?;
            let hash = hash_arg(&hash)?;
            Ok(self
                .key
                .as_ref()
                .map(|k| digest::hex(&chain::head_mac(k, seq, &hash))))
        })
    }
}

/// One row to store: made by `Chain::link()`.
#[php_class]
#[php(name = "McpGuard\\Audit\\Link")]
#[php(flags = ClassFlags::Final)]
pub struct Link(chain::Link);

#[php_impl]
impl Link {
    /// The sequence number.
    pub fn seq(&self) -> i64 {
        i64::try_from(self.0.seq).unwrap_or(i64::MAX)
    }

    /// This row's hash (64 hex).
    pub fn hash(&self) -> String {
        digest::hex(&self.0.hash)
    }

    /// The previous row's hash (64 hex; 64 zeros for the first row).
    pub fn previous_hash(&self) -> String {
        digest::hex(&self.0.prev)
    }

    /// The canonical record (JSON text) to store beside the hash.
    pub fn record(&self) -> String {
        self.0.record.clone()
    }
}

/// Verifies a chain fed row by row in sequence order from row 1, then its
/// head; names the first broken row. Constant memory, no allocation per row:
/// a million rows are one loop of `feed()` calls. Once broken, it stays
/// broken.
#[php_class]
#[php(name = "McpGuard\\Audit\\ChainVerifier")]
#[php(flags = ClassFlags::Final)]
pub struct ChainVerifier(chain::Verifier);

fn seq_arg(seq: i64) -> u64 {
    // A negative seq is never the next one: it reads as 0, which is refused.
    u64::try_from(seq).unwrap_or(0)
}

#[php_impl]
impl ChainVerifier {
    /// @param \McpGuard\Audit\Chain|null $chain with a key, `finish()` requires
    ///   and checks the head MAC.
    pub fn __construct(chain: Option<&Chain>) -> Self {
        Self(chain::Verifier::new(chain.and_then(|c| c.key.clone())))
    }

    /// Feeds the next row; false when the chain is broken (here or before).
    pub fn feed(&mut self, seq: i64, record: BinarySlice<u8>, hash: BinarySlice<u8>) -> bool {
        self.0.feed(seq_arg(seq), &record, &hash).is_ok()
    }

    /// `feed()`, also checking the columns a store keeps beside the record
    /// (at, type, outcome, principal, tool) against it (`edited_column`).
    pub fn feed_row(
        &mut self,
        seq: i64,
        record: BinarySlice<u8>,
        hash: BinarySlice<u8>,
        at: i64,
        r#type: BinarySlice<u8>,
        outcome: BinarySlice<u8>,
        principal: Option<BinarySlice<u8>>,
        tool: Option<BinarySlice<u8>>,
    ) -> bool {
        let columns = Columns {
            // A negative time matches no record.
            at_us: u64::try_from(at).unwrap_or(u64::MAX),
            kind: &r#type,
            outcome: &outcome,
            principal: principal.as_deref().copied(),
            tool: tool.as_deref().copied(),
        };
        self.0
            .feed_row(seq_arg(seq), &record, &hash, Some(&columns))
            .is_ok()
    }

    /// Checks the head against the rows fed (`$headSeq` null: the store has
    /// no head). True when the whole chain verified.
    pub fn finish(
        &mut self,
        headSeq: Option<i64>,
        headHash: Option<BinarySlice<u8>>,
        headMac: Option<BinarySlice<u8>>,
    ) -> bool {
        let head = headSeq.map(|seq| Head {
            seq: seq_arg(seq),
            hash: headHash.as_deref().copied().unwrap_or_default(),
            mac: headMac.as_deref().copied(),
        });
        self.0.finish(head).is_ok()
    }

    /// The first broken row's seq (for a head problem, see `reason()`), or null.
    pub fn broken_at(&self) -> Option<i64> {
        self.0
            .broken()
            .map(|b| i64::try_from(b.seq).unwrap_or(i64::MAX))
    }

    /// Why: edited, edited_column, forged, missing, reordered, malformed,
    /// tail_cut, forged_head, no_head, beyond_head; null while intact.
    pub fn reason(&self) -> Option<&'static str> {
        self.0.broken().map(|b| b.reason.reason())
    }

    /// Rows verified so far.
    pub fn verified(&self) -> i64 {
        i64::try_from(self.0.verified()).unwrap_or(i64::MAX)
    }
}
