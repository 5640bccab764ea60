//! The audit trail: a typed event that cannot hold a secret, its one
//! canonical record, and the hash chain that makes an edited, deleted,
//! reordered or cut-off row visible.
//!
//! The layers, each in its own file, each using only the ones above it:
//!
//! * [`event`] — [`Event`]: a closed [`EventType`], an [`Outcome`] and a few
//!   bounded identifiers (principal, token public id, client id, tool, reason
//!   code, IP). Every string is validated when it is set, and a value shaped
//!   like a credential (a full token of our format, a JWT, an
//!   `Authorization` header value) is refused, so no event can carry one. The
//!   tool's arguments never enter an event: only their SHA-256 digest,
//!   computed in place from a [`View`](crate::core::json::view::View);
//! * [`record`] — the canonical record: one JSON text per event with a fixed
//!   key order, written by our own writer and read back by a reader that
//!   accepts exactly what the writer writes (so `write(read(r)) == r`);
//! * [`chain`] — `hash_n = SHA-256(label ‖ seq ‖ hash_{n-1} ‖ record_n)`, the
//!   chain head `(seq, hash)` kept apart from the rows, an HMAC over the head
//!   when the host configures an audit key, and the streaming
//!   [`Verifier`] that names the first broken row.
//!
//! What the chain proves and what it cannot (docs/audit.md says it at length):
//! without a key, anyone who can write the rows *and* the head can rewrite a
//! consistent history; the chain then only detects edits by someone who
//! changed rows without recomputing every later hash and the head. With a key
//! kept outside the database, a database writer cannot produce a head that
//! matches a changed or shortened chain; it can still put back an older head
//! together with the rows up to it (a rollback), which only a copy of the head
//! kept elsewhere reveals.

pub mod chain;
pub mod event;
pub mod record;

pub use chain::{head_mac, link_hash, Broken, Head, HeadKey, Link, Verifier, GENESIS};
pub use event::{Event, EventType, Outcome};

crate::error_table! {
    /// Why an audit event, record or key was refused.
    pub enum AuditError {
        /// An event type that is not one of [`EventType`]'s names.
        UnknownType => InvalidArgument, "unknown_event_type", "The audit event type is unknown.";
        /// An outcome that is not `allowed`, `denied` or `error`, or `allowed`
        /// for a type that records a refusal.
        InvalidOutcome => InvalidArgument, "invalid_outcome", "The audit outcome is invalid for this event.";
        /// A string field that is empty, too long, or holds a byte outside
        /// its grammar (identifiers: printable ASCII without space, `"` and
        /// `\`).
        InvalidField => InvalidArgument, "invalid_audit_field", "An audit field is empty, too long or holds a forbidden character.";
        /// A value shaped like a credential: a token of our format, a JWT, an
        /// `Authorization` header value (`Bearer …`, `Basic …`).
        SecretShaped => InvalidArgument, "secret_shaped_value", "An audit field looks like a credential and is never logged.";
        /// A reason code that is not `[a-z0-9_.]{1,64}`.
        InvalidReason => InvalidArgument, "invalid_reason", "The audit reason is not a reason code.";
        /// An IP address that does not parse (IPv4 or IPv6, no zone).
        InvalidIp => InvalidArgument, "invalid_ip", "The audit IP address is invalid.";
        /// An arguments digest that is not 64 lower-case hex digits.
        InvalidDigest => InvalidArgument, "invalid_digest", "The arguments digest is not a SHA-256 hex digest.";
        /// Arguments that are not a JSON-like value or go over the digest's
        /// limits.
        InvalidArguments => InvalidArgument, "invalid_arguments", "The arguments cannot be digested.";
        /// A field name the event does not have (the bindings' closed key set).
        UnknownField => InvalidArgument, "unknown_audit_field", "The audit event has no such field.";
        /// A field given as the wrong type (a number where a string belongs).
        WrongType => InvalidArgument, "invalid_audit_field_type", "An audit field has the wrong type.";
        /// A time, latency or sequence number outside its range (seq starts at
        /// 1; the first row has no previous hash, every later one has one).
        OutOfRange => InvalidArgument, "out_of_range", "An audit number is out of range.";
        /// A text that is not a canonical audit record.
        MalformedRecord => InvalidArgument, "malformed_record", "The audit record is malformed.";
        /// An audit key under 32 bytes.
        WeakKey => Configuration, "weak_audit_key", "The audit key is too short.";
    }
}

crate::error_table! {
    /// Why a chain failed verification: the reason of [`Broken`].
    pub enum ChainError {
        /// The row's stored hash is not the hash of its record linked to the
        /// row before (the record or the hash was changed).
        Edited => InvalidArgument, "edited", "A row was edited.";
        /// A column stored beside the record (time, type, outcome, principal,
        /// tool) says something else than the record.
        EditedColumn => InvalidArgument, "edited_column", "A row's columns do not match its record.";
        /// The row's record and hash agree, but the next row still links to
        /// the row's original hash: the row was replaced and its hash
        /// recomputed.
        Forged => InvalidArgument, "forged", "A row was replaced and its hash recomputed.";
        /// Sequence numbers skip: the rows from `seq` on are missing.
        Missing => InvalidArgument, "missing", "Rows are missing.";
        /// A row is not at its place: its record names another sequence
        /// number, or the sequence goes back or repeats.
        Reordered => InvalidArgument, "reordered", "Rows are out of order.";
        /// The row is not a canonical record or its hash is not 64 hex digits.
        Malformed => InvalidArgument, "malformed", "A row is malformed.";
        /// The head names a later row than the last one: rows at the end were
        /// removed.
        TailCut => InvalidArgument, "tail_cut", "Rows at the end were removed.";
        /// The head does not match the chain: its hash is not the last row's
        /// hash, its MAC does not verify under the audit key, or it is missing
        /// its MAC while a key is configured.
        ForgedHead => InvalidArgument, "forged_head", "The chain head was forged.";
        /// Rows exist but the head is gone.
        NoHead => InvalidArgument, "no_head", "The chain head is missing.";
        /// Rows follow the row the head names.
        BeyondHead => InvalidArgument, "beyond_head", "Rows follow the chain head.";
    }
}
