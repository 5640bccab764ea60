//! Issuing a token and rotating one: the secret is drawn from the injected
//! random source, the lifetime is bounded by the configured maximum.

use std::fmt;

use super::format::{self, PUBLIC_ID_LEN, SECRET_LEN};
use super::hash::hash_for_storage;
use super::{TokenConfig, TokenError};
use crate::core::base62;
use crate::core::rng::SecureRandom;

/// Default overlap during rotation: the old token keeps working this long.
pub const DEFAULT_ROTATION_OVERLAP_SECS: u64 = 7 * 24 * 3600;

/// A freshly issued token. The plaintext is to be shown to its owner once and
/// never stored; the hash is what the host stores.
#[derive(Clone, PartialEq, Eq)]
pub struct IssuedToken {
    /// The full token, to show once.
    pub plaintext: String,
    /// The public id, the key to look the row up by.
    pub public_id: String,
    /// The string to store (`sha256:…` or `hmac-sha256:…`).
    pub hash: String,
    /// Issue time, Unix seconds.
    pub created_at: i64,
    /// Expiry, Unix seconds; `None` = no expiry (only without a maximum lifetime).
    pub expires_at: Option<i64>,
}

impl fmt::Debug for IssuedToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("IssuedToken")
            .field("public_id", &self.public_id)
            .field("created_at", &self.created_at)
            .field("expires_at", &self.expires_at)
            .finish_non_exhaustive()
    }
}

/// The result of a rotation: a successor, and the new expiry of the old token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rotation {
    /// The new token.
    pub successor: IssuedToken,
    /// The expiry to store on the old token's row: the end of the overlap, never
    /// later than the old token's own expiry.
    pub previous_expires_at: i64,
}

/// Issues a token valid for `lifetime_secs` from `now` (Unix seconds).
///
/// With a maximum lifetime configured, `None` means "the maximum" and a longer
/// request is refused; without one, `None` means no expiry.
pub fn issue(
    config: &TokenConfig,
    rng: &dyn SecureRandom,
    now: i64,
    lifetime_secs: Option<u64>,
) -> Result<IssuedToken, TokenError> {
    let lifetime = match (lifetime_secs, config.max_lifetime_secs) {
        (Some(0), _) => return Err(TokenError::InvalidLifetime),
        (Some(l), Some(max)) if l > max => return Err(TokenError::LifetimeExceedsMaximum),
        (Some(l), _) => Some(l),
        (None, max) => max,
    };
    let expires_at = match lifetime {
        Some(l) => Some(add_secs(now, l)?),
        None => None,
    };
    let public_id = base62::random(rng, PUBLIC_ID_LEN)?;
    let secret = base62::random(rng, SECRET_LEN)?;
    let plaintext = format::compose(&config.prefix, &public_id, &secret);
    let hash = hash_for_storage(config.pepper.as_ref(), &plaintext);
    Ok(IssuedToken {
        plaintext,
        public_id,
        hash,
        created_at: now,
        expires_at,
    })
}

fn add_secs(now: i64, secs: u64) -> Result<i64, TokenError> {
    i64::try_from(secs)
        .ok()
        .and_then(|s| now.checked_add(s))
        .ok_or(TokenError::InvalidLifetime)
}

/// The row of the token being rotated, as the host stored it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Previous {
    /// Its expiry, Unix seconds; `None` = none.
    pub expires_at: Option<i64>,
    /// Its revocation time, Unix seconds; any value means revoked.
    pub revoked_at: Option<i64>,
}

/// Issues a successor and shortens the old token's life to the overlap window
/// (never later than its own expiry).
///
/// Only a live token rotates: a revoked one is [`TokenError::Revoked`], an
/// expired one (`now >=` its expiry, as in verification) is
/// [`TokenError::Expired`] — a successor would otherwise outlive the
/// revocation or the expiry. Revocation is checked first.
pub fn rotate(
    config: &TokenConfig,
    rng: &dyn SecureRandom,
    now: i64,
    previous: Previous,
    overlap_secs: u64,
    lifetime_secs: Option<u64>,
) -> Result<Rotation, TokenError> {
    if previous.revoked_at.is_some() {
        return Err(TokenError::Revoked);
    }
    if previous.expires_at.is_some_and(|exp| now >= exp) {
        return Err(TokenError::Expired);
    }
    let overlap_end = add_secs(now, overlap_secs)?;
    let previous_expires_at = match previous.expires_at {
        Some(exp) => exp.min(overlap_end),
        None => overlap_end,
    };
    let successor = issue(config, rng, now, lifetime_secs)?;
    Ok(Rotation {
        successor,
        previous_expires_at,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::rng::testing::{CountingRng, FailingRng};
    use crate::core::token::{parse, Prefix};

    const NOW: i64 = 1_800_000_000;

    #[test]
    fn issued_token_has_the_documented_shape() {
        let t = issue(&TokenConfig::default(), &CountingRng::new(0), NOW, None).unwrap();
        assert_eq!(t.plaintext.len(), 3 + 1 + 16 + 1 + 43 + 6);
        assert!(t.plaintext.starts_with("mcp_"));
        // The counting stream gives symbols 0,1,2,... in order.
        assert_eq!(t.public_id, "0123456789ABCDEF");
        assert_eq!(&t.plaintext[4..20], t.public_id);
        assert_eq!(t.created_at, NOW);
        assert_eq!(t.expires_at, Some(NOW + 365 * 86400));
        assert!(t.hash.starts_with("sha256:"));
        assert_eq!(t.hash.len(), 7 + 64);
        assert!(!format!("{t:?}").contains(&t.plaintext));
    }

    #[test]
    fn lifetime_rules() {
        let cfg = TokenConfig::default();
        let rng = CountingRng::new(0);
        assert_eq!(
            issue(&cfg, &rng, NOW, Some(0)),
            Err(TokenError::InvalidLifetime)
        );
        assert_eq!(
            issue(&cfg, &rng, NOW, Some(365 * 86400 + 1)),
            Err(TokenError::LifetimeExceedsMaximum)
        );
        assert!(issue(&cfg, &rng, NOW, Some(365 * 86400)).is_ok());
        assert_eq!(
            issue(&cfg, &rng, i64::MAX - 10, Some(3600)),
            Err(TokenError::InvalidLifetime)
        );
        let unbounded = TokenConfig {
            max_lifetime_secs: None,
            ..TokenConfig::default()
        };
        let t = issue(&unbounded, &rng, NOW, None).unwrap();
        assert_eq!(t.expires_at, None);
        assert_eq!(
            issue(&unbounded, &rng, NOW, Some(u64::MAX)),
            Err(TokenError::InvalidLifetime)
        );
    }

    #[test]
    fn tokens_are_issued_with_the_configured_prefix() {
        let cfg = TokenConfig {
            prefix: Prefix::new("shop").unwrap(),
            ..TokenConfig::default()
        };
        let t = issue(&cfg, &CountingRng::new(0), NOW, None).unwrap();
        assert!(t.plaintext.starts_with("shop_"));
        // A token of another prefix is not ours.
        assert_eq!(
            parse(t.plaintext.as_bytes(), &Prefix::default()),
            Err(TokenError::Malformed)
        );
    }

    #[test]
    fn rotation_overlap_never_extends_the_old_token() {
        let cfg = TokenConfig::default();
        let rng = CountingRng::new(0);
        let live = |expires_at| Previous {
            expires_at,
            revoked_at: None,
        };
        let r = rotate(
            &cfg,
            &rng,
            NOW,
            live(Some(NOW + 30 * 86400)),
            DEFAULT_ROTATION_OVERLAP_SECS,
            None,
        )
        .unwrap();
        assert_eq!(r.previous_expires_at, NOW + 7 * 86400);
        let r = rotate(
            &cfg,
            &rng,
            NOW,
            live(Some(NOW + 3600)),
            DEFAULT_ROTATION_OVERLAP_SECS,
            None,
        )
        .unwrap();
        assert_eq!(r.previous_expires_at, NOW + 3600);
        let r = rotate(&cfg, &rng, NOW, live(None), 0, Some(60)).unwrap();
        assert_eq!(r.previous_expires_at, NOW);
        assert_eq!(r.successor.expires_at, Some(NOW + 60));
    }

    #[test]
    fn only_a_live_token_rotates() {
        let cfg = TokenConfig::default();
        let rng = CountingRng::new(0);
        let at = |expires_at, revoked_at| {
            rotate(
                &cfg,
                &rng,
                NOW,
                Previous {
                    expires_at,
                    revoked_at,
                },
                60,
                None,
            )
        };
        assert_eq!(at(Some(NOW), None), Err(TokenError::Expired));
        assert_eq!(at(Some(NOW + 1), Some(NOW)), Err(TokenError::Revoked));
        assert_eq!(at(Some(NOW - 1), Some(NOW)), Err(TokenError::Revoked));
        assert_eq!(
            at(Some(NOW + 1), None).unwrap().previous_expires_at,
            NOW + 1
        );
    }

    #[test]
    fn randomness_failure_is_reported_not_hidden() {
        assert_eq!(
            issue(&TokenConfig::default(), &FailingRng, NOW, None),
            Err(TokenError::Randomness)
        );
    }
}
