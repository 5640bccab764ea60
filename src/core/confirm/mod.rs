//! Confirmations of destructive tool calls: a short-lived, self-verifying
//! string that says "this principal may call this tool with exactly these
//! arguments until then".
//!
//! Table of contents:
//!
//! * [`arguments`] — the order-insensitive digest of a call's arguments,
//!   computed in place over a [`View`] (a PHP array is never converted);
//! * [`ConfirmationKey`] — the server's HMAC key (32 to 1024 bytes; a shorter
//!   one is a configuration error);
//! * [`issue`] → [`IssuedConfirmation`]; [`check`] → [`Confirmed`] or a
//!   [`ConfirmationError`];
//! * single use is storage: [`check`] decides whether a confirmation is
//!   genuine, unexpired and bound to this call; the glue then *claims* its
//!   [`Confirmed::id`] once in its store (a unique insert), and a second
//!   claim is [`ConfirmationError::Replayed`].
//!
//! # The token
//!
//! `mcpc_` + base64url without padding (strict: one encoding per token) of
//! 89 bytes: `version (1) ‖ id (16 random bytes) ‖ expires_at (u64 BE, Unix
//! seconds) ‖ bind_tag (32) ‖ auth_tag (32)`, so 124 characters; the prefix
//! lets secret scanners and the audit event's secret-shape check spot it.
//!
//! * `bind_tag = HMAC-SHA-256(key, lp("mcp_guard confirmation bind v1") ‖
//!   lp(header) ‖ lp(principal) ‖ lp(tool) ‖ lp(arguments digest))`
//! * `auth_tag = HMAC-SHA-256(key, lp("mcp_guard confirmation auth v1") ‖
//!   lp(header) ‖ lp(bind_tag))`
//!
//! where `header` is the first 25 bytes and `lp(x)` is `x`'s length as u64
//! BE followed by `x`. Both tags are compared in constant time
//! (`ring::hmac::verify`).
//!
//! # Which refusal, and what it does not say
//!
//! [`check`] answers, in this order: [`ConfirmationError::Malformed`] (not
//! the shape of a confirmation), [`ConfirmationError::BadMac`] (not made with
//! this key: forged, altered, or issued by a server with another key),
//! [`ConfirmationError::Expired`] (genuine, too late), and
//! [`ConfirmationError::NotBound`] (genuine and in time, but for another
//! principal, another tool or other arguments). The two tags are what let the
//! audit log tell a forgery from a call that changed after it was confirmed;
//! the binding tag is one MAC over all three bindings, so the refusal never
//! says *which* of them differs: a stolen confirmation cannot be used to probe
//! whether the principal or the arguments are what is wrong. A forged token
//! never reports `expired` (authenticity is checked first).

pub mod arguments;

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use ring::hmac;

use crate::core::digest::Hash;
use crate::core::json::view::View;
use crate::core::rng::SecureRandom;

crate::error_table! {
    /// Why a confirmation was refused or could not be made.
    pub enum ConfirmationError {
        /// Not the shape of a confirmation: wrong length or prefix, not
        /// base64url, an unknown version.
        Malformed => InvalidToken, "confirmation_malformed", "The confirmation is malformed.";
        /// Its authentication tag does not verify under this key: forged,
        /// altered, or issued with another key.
        BadMac => InvalidToken, "confirmation_bad_mac", "The confirmation is not valid.";
        /// Genuine, but its lifetime has ended.
        Expired => InvalidToken, "confirmation_expired", "The confirmation has expired.";
        /// Genuine and in time, but issued for another principal, another
        /// tool or other arguments (deliberately not saying which).
        NotBound => InvalidToken, "confirmation_not_bound", "The confirmation was given for another call.";
        /// Already used once (decided by the glue's store, not by [`check`]).
        Replayed => InvalidToken, "confirmation_replayed", "The confirmation has been used already.";
        /// A destructive call came without a confirmation (the glue's
        /// outcome; listed here so that every reason has one table).
        Required => InvalidToken, "confirmation_required", "This call needs a confirmation.";
        /// Two different confirmations came with one call (in `_meta` and as
        /// the `_confirmation` argument; the glue's refusal).
        Conflict => InvalidToken, "confirmation_conflict", "Two different confirmations came with the call.";
        /// The key is shorter than 32 bytes (or longer than 1024).
        KeyLength => Configuration, "confirmation_key_length", "The confirmation key must be 32 to 1024 bytes.";
        /// The lifetime is not 1 to 900 seconds.
        Ttl => InvalidArgument, "confirmation_bad_ttl", "The confirmation lifetime must be 1 to 900 seconds.";
        /// The principal is empty or over 1024 bytes.
        Principal => InvalidArgument, "confirmation_bad_principal", "The principal must be 1 to 1024 bytes.";
        /// The tool name is empty or over 512 bytes.
        Tool => InvalidArgument, "confirmation_bad_tool", "The tool name must be 1 to 512 bytes.";
        /// The clock is negative, or the expiry would overflow.
        Time => InvalidArgument, "confirmation_bad_time", "The time is out of range.";
        /// The arguments cannot be digested: over the limits, a string or key
        /// that is not UTF-8, a NaN or infinity, a value no JSON can hold.
        Arguments => InvalidArgument, "confirmation_arguments_unreadable", "The arguments cannot be bound to a confirmation.";
        /// The system random generator failed.
        Randomness => Internal, "randomness_unavailable", "The system random generator failed.";
    }
}

/// The prefix of every confirmation.
pub const PREFIX: &str = "mcpc_";
/// The token format version.
pub const VERSION: u8 = 1;
/// Length of a confirmation, in characters (prefix + base64url of 89 bytes).
pub const TOKEN_LEN: usize = PREFIX.len() + 119;

/// Whether `v` is shaped like a confirmation: the prefix and 119 base64url
/// characters (nothing checked cryptographically).
pub fn looks_like(v: &[u8]) -> bool {
    v.len() == TOKEN_LEN
        && v.starts_with(PREFIX.as_bytes())
        && v.iter()
            .skip(PREFIX.len())
            .all(|b| b.is_ascii_alphanumeric() || *b == b'-' || *b == b'_')
}

/// Whether a confirmation sits anywhere in `v` (the audit event refuses
/// such values: a confirmation is a bearer secret while it lives).
pub fn contained_in(v: &[u8]) -> bool {
    v.windows(TOKEN_LEN).any(looks_like)
}
/// The default lifetime: 5 minutes.
pub const DEFAULT_TTL_SECS: u64 = 300;
/// The longest lifetime: 15 minutes ("expires within minutes").
pub const MAX_TTL_SECS: u64 = 900;
/// Shortest key (HMAC-SHA-256's output size).
pub const MIN_KEY_BYTES: usize = 32;
/// Longest key.
pub const MAX_KEY_BYTES: usize = 1024;
/// Longest principal (member id), in bytes.
pub const MAX_PRINCIPAL_BYTES: usize = 1024;
/// Longest tool name, in bytes.
pub const MAX_TOOL_BYTES: usize = 512;

const ID_BYTES: usize = 16;
const HEADER_BYTES: usize = 1 + ID_BYTES + 8;
const TAG_BYTES: usize = 32;
const RAW_BYTES: usize = HEADER_BYTES + 2 * TAG_BYTES;
const BIND_LABEL: &[u8] = b"mcp_guard confirmation bind v1";
const AUTH_LABEL: &[u8] = b"mcp_guard confirmation auth v1";

/// The server's confirmation key: HMAC-SHA-256, 32 to 1024 bytes. Only
/// ring's prepared key is kept, not the bytes.
pub struct ConfirmationKey(hmac::Key);

impl std::fmt::Debug for ConfirmationKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ConfirmationKey(hidden)")
    }
}

impl ConfirmationKey {
    /// The key, or [`ConfirmationError::KeyLength`].
    pub fn new(bytes: &[u8]) -> Result<Self, ConfirmationError> {
        if !(MIN_KEY_BYTES..=MAX_KEY_BYTES).contains(&bytes.len()) {
            return Err(ConfirmationError::KeyLength);
        }
        Ok(Self(hmac::Key::new(hmac::HMAC_SHA256, bytes)))
    }
}

/// A confirmation just issued.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IssuedConfirmation {
    /// The token to hand to the client.
    pub token: String,
    /// Its id (32 lower-case hex digits): the key the store claims.
    pub id: String,
    /// Unix seconds; the token is valid while `now < expires_at`.
    pub expires_at: i64,
}

/// A confirmation that is genuine, unexpired and bound to the call.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Confirmed {
    /// Its id (32 lower-case hex digits): claim it once in the store.
    pub id: String,
    /// Unix seconds: keep the claim at least until then.
    pub expires_at: i64,
}

/// What a confirmation is bound to.
#[derive(Debug, Clone, Copy)]
pub struct Call<'a, V: View + ?Sized> {
    /// The principal (member id) making the call.
    pub principal: &'a [u8],
    /// The tool's name.
    pub tool: &'a [u8],
    /// The arguments, without the reserved `_confirmation` argument.
    pub arguments: &'a V,
}

fn lp(msg: &mut Vec<u8>, part: &[u8]) {
    msg.extend_from_slice(&(part.len() as u64).to_be_bytes());
    msg.extend_from_slice(part);
}

fn bind_message(header: &[u8], principal: &[u8], tool: &[u8], args: &Hash) -> Vec<u8> {
    let mut msg = Vec::with_capacity(128 + principal.len() + tool.len());
    lp(&mut msg, BIND_LABEL);
    lp(&mut msg, header);
    lp(&mut msg, principal);
    lp(&mut msg, tool);
    lp(&mut msg, args);
    msg
}

fn auth_message(header: &[u8], bind_tag: &[u8]) -> Vec<u8> {
    let mut msg = Vec::with_capacity(128);
    lp(&mut msg, AUTH_LABEL);
    lp(&mut msg, header);
    lp(&mut msg, bind_tag);
    msg
}

fn arguments_digest<V: View + ?Sized>(arguments: &V) -> Result<Hash, ConfirmationError> {
    arguments::digest(arguments).map_err(|_| ConfirmationError::Arguments)
}

/// Issues a confirmation for `call`, valid for `ttl_secs` (1 to
/// [`MAX_TTL_SECS`]; [`DEFAULT_TTL_SECS`] is the usual choice) from `now`.
pub fn issue<V: View + ?Sized>(
    key: &ConfirmationKey,
    call: Call<'_, V>,
    now: i64,
    ttl_secs: u64,
    rng: &dyn SecureRandom,
) -> Result<IssuedConfirmation, ConfirmationError> {
    if call.principal.is_empty() || call.principal.len() > MAX_PRINCIPAL_BYTES {
        return Err(ConfirmationError::Principal);
    }
    if call.tool.is_empty() || call.tool.len() > MAX_TOOL_BYTES {
        return Err(ConfirmationError::Tool);
    }
    if !(1..=MAX_TTL_SECS).contains(&ttl_secs) {
        return Err(ConfirmationError::Ttl);
    }
    if now < 0 {
        return Err(ConfirmationError::Time);
    }
    let expires_at = i64::try_from(ttl_secs)
        .ok()
        .and_then(|t| now.checked_add(t))
        .ok_or(ConfirmationError::Time)?;
    let args = arguments_digest(call.arguments)?;
    let mut id = [0u8; ID_BYTES];
    rng.fill(&mut id)
        .map_err(|_| ConfirmationError::Randomness)?;
    let mut raw = Vec::with_capacity(RAW_BYTES);
    raw.push(VERSION);
    raw.extend_from_slice(&id);
    // Not negative: `now >= 0` and the addition did not overflow.
    raw.extend_from_slice(&expires_at.unsigned_abs().to_be_bytes());
    let bind = hmac::sign(
        &key.0,
        &bind_message(&raw, call.principal, call.tool, &args),
    );
    let auth = hmac::sign(&key.0, &auth_message(&raw, bind.as_ref()));
    raw.extend_from_slice(bind.as_ref());
    raw.extend_from_slice(auth.as_ref());
    let mut token = String::with_capacity(TOKEN_LEN);
    token.push_str(PREFIX);
    URL_SAFE_NO_PAD.encode_string(&raw, &mut token);
    Ok(IssuedConfirmation {
        token,
        id: hex(&id),
        expires_at,
    })
}

fn hex(bytes: &[u8]) -> String {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        out.push(char::from(HEX[usize::from(b >> 4)]));
        out.push(char::from(HEX[usize::from(b & 15)]));
    }
    out
}

/// Checks a presented confirmation against the call it comes with, at
/// `now`. The arguments are digested first (a value that cannot be digested
/// is the caller's [`ConfirmationError::Arguments`], whatever the token);
/// then the token is judged in the order of the module doc. Single use is the
/// caller's: claim [`Confirmed::id`] once.
pub fn check<V: View + ?Sized>(
    key: &ConfirmationKey,
    token: &[u8],
    call: Call<'_, V>,
    now: i64,
) -> Result<Confirmed, ConfirmationError> {
    let args = arguments_digest(call.arguments)?;
    // The length first: a huge string costs one comparison.
    if token.len() != TOKEN_LEN {
        return Err(ConfirmationError::Malformed);
    }
    let body = token
        .strip_prefix(PREFIX.as_bytes())
        .ok_or(ConfirmationError::Malformed)?;
    let mut raw = [0u8; RAW_BYTES];
    match URL_SAFE_NO_PAD.decode_slice(body, &mut raw) {
        Ok(n) if n == RAW_BYTES => {}
        _ => return Err(ConfirmationError::Malformed),
    }
    let (header, tags) = raw.split_at(HEADER_BYTES);
    let (bind_tag, auth_tag) = tags.split_at(TAG_BYTES);
    let Some((&VERSION, rest)) = header.split_first() else {
        return Err(ConfirmationError::Malformed);
    };
    hmac::verify(&key.0, &auth_message(header, bind_tag), auth_tag)
        .map_err(|_| ConfirmationError::BadMac)?;
    let (id, expiry) = rest
        .split_at_checked(ID_BYTES)
        .ok_or(ConfirmationError::Malformed)?;
    let expiry: [u8; 8] = expiry
        .try_into()
        .map_err(|_| ConfirmationError::Malformed)?;
    // Only this key made it, and `issue` writes non-negative i64 values.
    let expires_at =
        i64::try_from(u64::from_be_bytes(expiry)).map_err(|_| ConfirmationError::Malformed)?;
    if now >= expires_at {
        return Err(ConfirmationError::Expired);
    }
    if call.principal.is_empty()
        || call.principal.len() > MAX_PRINCIPAL_BYTES
        || call.tool.is_empty()
        || call.tool.len() > MAX_TOOL_BYTES
    {
        // It cannot have been issued for this call.
        return Err(ConfirmationError::NotBound);
    }
    hmac::verify(
        &key.0,
        &bind_message(header, call.principal, call.tool, &args),
        bind_tag,
    )
    .map_err(|_| ConfirmationError::NotBound)?;
    Ok(Confirmed {
        id: hex(id),
        expires_at,
    })
}

#[cfg(test)]
mod tests;
