//! `McpGuard\Tokens`, `McpGuard\IssuedToken`, `McpGuard\VerifiedToken`,
//! `McpGuard\Rotation`.
//!
//! Parameter names are the PHP ones (camelCase), so that PHP named arguments
//! read `issue(lifetimeSeconds: 3600)`.
#![allow(non_snake_case)]

use ext_php_rs::binary_slice::BinarySlice;
use ext_php_rs::flags::ClassFlags;
use ext_php_rs::prelude::*;

use super::env::{now_or, rng};
use super::exception::{guarded, invalid_argument};
use super::settings;
use crate::core::token::{self, Pepper, Prefix, TokenConfig, DEFAULT_ROTATION_OVERLAP_SECS};

fn seconds(value: Option<i64>, what: &str) -> PhpResult<Option<u64>> {
    match value {
        None => Ok(None),
        Some(v) => u64::try_from(v)
            .map(Some)
            .map_err(|_| invalid_argument(&format!("{what} must not be negative."))),
    }
}

/// A stored hash as text: what mcp_guard writes is ASCII, so bytes that are
/// not UTF-8 cannot be one of its hashes.
fn stored_text(bytes: &[u8]) -> Result<&str, token::TokenError> {
    std::str::from_utf8(bytes).map_err(|_| token::TokenError::InvalidStoredHash)
}

/// Issues, verifies and rotates API tokens.
///
/// The prefix defaults to `mcp`; the pepper defaults to the INI setting
/// `mcp_guard.token_pepper` (none when empty); the maximum lifetime is
/// `mcp_guard.max_token_lifetime_days`.
#[php_class]
#[php(name = "McpGuard\\Tokens")]
#[php(flags = ClassFlags::Final)]
pub struct Tokens {
    config: TokenConfig,
}

#[php_impl]
impl Tokens {
    /// Reads the INI settings from the engine (once per request, never through
    /// `ini_get`, which a host may disable).
    ///
    /// @param string|null $prefix `[a-z][a-z0-9]{0,15}`; null = "mcp".
    /// @param string|null $pepper HMAC key (≥ 32 bytes) overriding the INI pepper; null = INI.
    /// @throws \McpGuard\Exception\ConfigurationException reason weak_pepper (the
    ///   INI or the given pepper is under 32 bytes), setting_unreadable (an INI
    ///   pepper that is not UTF-8 text), invalid_max_lifetime
    ///   (`mcp_guard.max_token_lifetime_days` is not 0 … 36500).
    pub fn __construct(prefix: Option<String>, pepper: Option<BinarySlice<u8>>) -> PhpResult<Self> {
        guarded(|| {
            let prefix = match prefix {
                Some(p) => Prefix::new(&p)?,
                None => Prefix::default(),
            };
            let pepper = match pepper {
                Some(p) => Some(Pepper::new(&p)?),
                None => settings::pepper()?,
            };
            Ok(Self {
                config: TokenConfig {
                    prefix,
                    pepper,
                    max_lifetime_secs: settings::max_lifetime_secs()?,
                },
            })
        })
    }

    /// Issues a new token. Show `plaintext()` to its owner once; store `hash()`.
    ///
    /// @param int|null $lifetimeSeconds null = the configured maximum (no expiry when there is none).
    /// @param int|null $now Unix time; null = the system clock.
    pub fn issue(&self, lifetimeSeconds: Option<i64>, now: Option<i64>) -> PhpResult<IssuedToken> {
        guarded(|| {
            let lifetime = seconds(lifetimeSeconds, "The lifetime")?;
            Ok(IssuedToken(token::issue(
                &self.config,
                &rng(),
                now_or(now),
                lifetime,
            )?))
        })
    }

    /// Verifies a presented token against the row stored under its public id:
    /// pass null as `$storedHash` when there is no such row.
    ///
    /// @throws \McpGuard\Exception\InvalidTokenException reason malformed, bad_checksum,
    ///   unknown_token, mismatch, revoked or expired.
    /// @throws \McpGuard\Exception\ConfigurationException when the stored hash needs another pepper.
    pub fn verify(
        &self,
        token: BinarySlice<u8>,
        storedHash: Option<BinarySlice<u8>>,
        expiresAt: Option<i64>,
        revokedAt: Option<i64>,
        now: Option<i64>,
    ) -> PhpResult<VerifiedToken> {
        guarded(|| {
            let stored = match storedHash.as_deref() {
                None => None,
                Some(bytes) => Some(token::StoredToken {
                    hash: stored_text(bytes)?,
                    expires_at: expiresAt,
                    revoked_at: revokedAt,
                }),
            };
            Ok(VerifiedToken(token::verify(
                &self.config,
                &token,
                stored,
                now_or(now),
            )?))
        })
    }

    /// The public id of a well-formed token (format and checksum checked, no
    /// hashing), to look its row up by.
    pub fn public_id(&self, token: BinarySlice<u8>) -> PhpResult<String> {
        guarded(|| {
            Ok(token::parse(&token, &self.config.prefix)?
                .public_id
                .to_owned())
        })
    }

    /// Issues a successor and returns the shortened expiry for the old token:
    /// the end of the overlap (default 7 days), never later than its own expiry.
    /// Pass the old row's `expiresAt` and `revokedAt`: only a live token
    /// rotates.
    ///
    /// @throws \McpGuard\Exception\InvalidTokenException reason revoked or
    ///   expired (expiry is exclusive, as in verify()).
    pub fn rotate(
        &self,
        previousExpiresAt: Option<i64>,
        overlapSeconds: Option<i64>,
        lifetimeSeconds: Option<i64>,
        now: Option<i64>,
        previousRevokedAt: Option<i64>,
    ) -> PhpResult<Rotation> {
        guarded(|| {
            let overlap =
                seconds(overlapSeconds, "The overlap")?.unwrap_or(DEFAULT_ROTATION_OVERLAP_SECS);
            let lifetime = seconds(lifetimeSeconds, "The lifetime")?;
            let previous = token::Previous {
                expires_at: previousExpiresAt,
                revoked_at: previousRevokedAt,
            };
            Ok(Rotation(token::rotate(
                &self.config,
                &rng(),
                now_or(now),
                previous,
                overlap,
                lifetime,
            )?))
        })
    }

    /// Verifies a token of any shape against a stored plain SHA-256 hex digest
    /// of the whole token (rows written before mcp_guard, e.g. Statamic MCP).
    pub fn verify_legacy_sha256(
        token: BinarySlice<u8>,
        storedHexDigest: BinarySlice<u8>,
    ) -> PhpResult<()> {
        guarded(|| {
            Ok(token::verify_legacy_sha256(
                &token,
                stored_text(&storedHexDigest)?,
            )?)
        })
    }

    /// Verifies a Shopsys-shaped token `<32 hex public id>.<64 hex secret>`
    /// against the stored SHA-256 hex digest of its secret; returns the public id.
    pub fn verify_shopsys(
        token: BinarySlice<u8>,
        storedHexDigest: BinarySlice<u8>,
    ) -> PhpResult<String> {
        guarded(|| Ok(token::verify_shopsys(&token, stored_text(&storedHexDigest)?)?.to_owned()))
    }

    /// The prefix tokens are issued with.
    pub fn prefix(&self) -> String {
        self.config.prefix.as_str().to_owned()
    }

    /// Whether stored hashes are peppered (HMAC-SHA-256).
    pub fn has_pepper(&self) -> bool {
        self.config.pepper.is_some()
    }

    /// The maximum lifetime in seconds; null when there is none.
    pub fn max_lifetimeSeconds(&self) -> Option<i64> {
        self.config
            .max_lifetime_secs
            .map(|s| i64::try_from(s).unwrap_or(i64::MAX))
    }
}

/// A freshly issued token. It cannot be serialized, and `var_dump` shows
/// nothing of it.
#[php_class]
#[php(name = "McpGuard\\IssuedToken")]
#[php(flags = ClassFlags::Final)]
pub struct IssuedToken(token::IssuedToken);

#[php_impl]
impl IssuedToken {
    /// The full token: show it to its owner once, never store or log it.
    pub fn plaintext(&self) -> String {
        self.0.plaintext.clone()
    }

    /// The public id: the key to store the row under and look it up by.
    pub fn public_id(&self) -> String {
        self.0.public_id.clone()
    }

    /// The string to store (`sha256:…` or `hmac-sha256:<key id>:…`).
    pub fn hash(&self) -> String {
        self.0.hash.clone()
    }

    /// Issue time, Unix seconds.
    pub fn created_at(&self) -> i64 {
        self.0.created_at
    }

    /// Expiry, Unix seconds; null = none.
    pub fn expires_at(&self) -> Option<i64> {
        self.0.expires_at
    }
}

/// A token that passed verification.
#[php_class]
#[php(name = "McpGuard\\VerifiedToken")]
#[php(flags = ClassFlags::Final)]
pub struct VerifiedToken(token::VerifiedToken);

#[php_impl]
impl VerifiedToken {
    /// The token's public id.
    pub fn public_id(&self) -> String {
        self.0.public_id.clone()
    }

    /// True when the stored hash should be replaced by `rehash()`.
    pub fn needs_rehash(&self) -> bool {
        self.0.rehash.is_some()
    }

    /// The hash to store instead of the current one (made with the current
    /// pepper), or null when the stored hash is current.
    pub fn rehash(&self) -> Option<String> {
        self.0.rehash.clone()
    }
}

/// The result of `Tokens::rotate()`.
#[php_class]
#[php(name = "McpGuard\\Rotation")]
#[php(flags = ClassFlags::Final)]
pub struct Rotation(token::Rotation);

#[php_impl]
impl Rotation {
    /// The new token.
    pub fn successor(&self) -> IssuedToken {
        IssuedToken(self.0.successor.clone())
    }

    /// The expiry to store on the old token's row.
    pub fn previous_expires_at(&self) -> i64 {
        self.0.previous_expires_at
    }
}
