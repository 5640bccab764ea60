//! `McpGuard\Confirmations`, `McpGuard\IssuedConfirmation`,
//! `McpGuard\ConfirmationCheck`: confirmations of destructive tool calls.
//!
//! The arguments array is digested in place (the core's walk over the PHP
//! array, nothing converted); the key is prepared once per object. Single
//! use is the glue's store (`McpGuard\Server\Guard\Confirmation\…`).
#![allow(non_snake_case)]

use ext_php_rs::binary_slice::BinarySlice;
use ext_php_rs::flags::ClassFlags;
use ext_php_rs::prelude::*;
use ext_php_rs::types::ZendHashTable;

use super::env::{now_or, rng};
use super::exception::guarded;
use crate::core::confirm::{self, arguments, Call, ConfirmationError, ConfirmationKey};
use crate::core::digest;
use crate::core::error::GuardError;

/// Issues and checks confirmations with one server key (32 to 1024 bytes,
/// e.g. `random_bytes(32)` kept in the host's configuration; a key of its
/// own, not the token pepper or a JWT secret).
#[php_class]
#[php(name = "McpGuard\\Confirmations")]
#[php(flags = ClassFlags::Final)]
pub struct Confirmations {
    key: ConfirmationKey,
    ttl: u64,
}

#[php_impl]
impl Confirmations {
    /// @param string $key the server's confirmation key, 32 to 1024 bytes.
    /// @param int $ttlSeconds lifetime of each confirmation, 1 to 900 (default 300).
    /// @throws \McpGuard\Exception\ConfigurationException reason confirmation_key_length.
    /// @throws \McpGuard\Exception\InvalidArgumentException reason confirmation_bad_ttl.
    #[php(defaults(ttlSeconds = 300))]
    pub fn __construct(key: BinarySlice<u8>, ttlSeconds: i64) -> PhpResult<Self> {
        guarded(|| {
            let key = ConfirmationKey::new(&key)?;
            let ttl = u64::try_from(ttlSeconds)
                .ok()
                .filter(|t| (1..=confirm::MAX_TTL_SECS).contains(t))
                .ok_or(ConfirmationError::Ttl)?;
            Ok(Self { key, ttl })
        })
    }

    /// Issues a confirmation for one call: this principal, this tool, these
    /// exact arguments (without the reserved `_confirmation` argument).
    ///
    /// @param array $arguments the call's arguments.
    /// @param int|null $now Unix time; null = the system clock.
    /// @throws \McpGuard\Exception\InvalidArgumentException reason
    ///   confirmation_bad_principal (empty, over 1024 bytes),
    ///   confirmation_bad_tool (empty, over 512 bytes),
    ///   confirmation_arguments_unreadable (a PHP object, a NaN, a string
    ///   or key that is not UTF-8, over the limits), confirmation_bad_time.
    pub fn issue(
        &self,
        principal: BinarySlice<u8>,
        tool: BinarySlice<u8>,
        arguments: &ZendHashTable,
        now: Option<i64>,
    ) -> PhpResult<IssuedConfirmation> {
        guarded(|| {
            let call = Call {
                principal: &principal,
                tool: &tool,
                arguments,
            };
            Ok(IssuedConfirmation(confirm::issue(
                &self.key,
                call,
                now_or(now),
                self.ttl,
                &rng(),
            )?))
        })
    }

    /// Checks a presented confirmation against the call it comes with. A bad
    /// token is an answer, never an exception: `ok()` false and `reason()`
    /// (`confirmation_malformed`, `confirmation_bad_mac`,
    /// `confirmation_expired`, `confirmation_not_bound`). It does not claim
    /// the confirmation: the caller's store does that, once, by `id()`.
    ///
    /// @param array $arguments the call's arguments (without `_confirmation`).
    /// @param int|null $now Unix time; null = the system clock.
    /// @throws \McpGuard\Exception\InvalidArgumentException reason
    ///   confirmation_arguments_unreadable (the arguments cannot be
    ///   digested: never the case for decoded JSON within the policy's limits).
    pub fn check(
        &self,
        token: BinarySlice<u8>,
        principal: BinarySlice<u8>,
        tool: BinarySlice<u8>,
        arguments: &ZendHashTable,
        now: Option<i64>,
    ) -> PhpResult<ConfirmationCheck> {
        guarded(|| {
            let call = Call {
                principal: &principal,
                tool: &tool,
                arguments,
            };
            match confirm::check(&self.key, &token, call, now_or(now)) {
                Ok(c) => Ok(ConfirmationCheck(Ok(c))),
                Err(ConfirmationError::Arguments) => Err(ConfirmationError::Arguments.into()),
                Err(e) => Ok(ConfirmationCheck(Err(e))),
            }
        })
    }

    /// The lifetime of the confirmations this object issues, in seconds.
    pub fn ttl_seconds(&self) -> i64 {
        i64::try_from(self.ttl).unwrap_or(i64::MAX)
    }

    /// The digest (SHA-256, hex) of a call's arguments that confirmations
    /// bind: object keys in any order give the same digest, list order and
    /// value types count (docs/confirmations.md). Never an argument value.
    ///
    /// @param array $arguments
    /// @throws \McpGuard\Exception\InvalidArgumentException reason
    ///   confirmation_arguments_unreadable.
    pub fn arguments_digest(arguments: &ZendHashTable) -> PhpResult<String> {
        guarded(|| {
            let hash = arguments::digest(arguments).map_err(|_| ConfirmationError::Arguments)?;
            Ok(digest::hex(&hash))
        })
    }

    /// Whether a string has the shape of a confirmation (`mcpc_` and 119
    /// base64url characters): for secret scanners and log redaction, not
    /// a check of its validity.
    pub fn looks_like_confirmation(value: BinarySlice<u8>) -> bool {
        confirm::looks_like(&value)
    }
}

/// A confirmation just issued: give `token()` to the client (in the refused
/// call's answer), nothing needs storing.
#[php_class]
#[php(name = "McpGuard\\IssuedConfirmation")]
#[php(flags = ClassFlags::Final)]
pub struct IssuedConfirmation(confirm::IssuedConfirmation);

#[php_impl]
impl IssuedConfirmation {
    /// The confirmation (`mcpc_…`, 124 characters).
    pub fn token(&self) -> String {
        self.0.token.clone()
    }

    /// Its id (32 hex digits): what the store claims; safe to log.
    pub fn id(&self) -> String {
        self.0.id.clone()
    }

    /// Unix seconds; valid while now < expiresAt.
    pub fn expires_at(&self) -> i64 {
        self.0.expires_at
    }
}

/// The answer of `Confirmations::check()`.
#[php_class]
#[php(name = "McpGuard\\ConfirmationCheck")]
#[php(flags = ClassFlags::Final)]
pub struct ConfirmationCheck(Result<confirm::Confirmed, ConfirmationError>);

#[php_impl]
impl ConfirmationCheck {
    /// True when the confirmation is genuine, unexpired and bound to this
    /// call (then claim `id()` once).
    pub fn ok(&self) -> bool {
        self.0.is_ok()
    }

    /// Why not (`confirmation_malformed`, `confirmation_bad_mac`,
    /// `confirmation_expired`, `confirmation_not_bound`); null when ok.
    pub fn reason(&self) -> Option<&'static str> {
        self.0.as_ref().err().map(GuardError::reason)
    }

    /// The confirmation's id when ok (32 hex digits), else null.
    pub fn id(&self) -> Option<String> {
        self.0.as_ref().ok().map(|c| c.id.clone())
    }

    /// Its expiry (Unix seconds) when ok, else null.
    pub fn expires_at(&self) -> Option<i64> {
        self.0.as_ref().ok().map(|c| c.expires_at)
    }
}
