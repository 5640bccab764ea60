//! Refresh-token rotation and the family rule (OAuth 2.1 §4.3.1, RFC 9700
//! §4.14.2).
//!
//! Every use of a refresh token rotates it: the client gets a new refresh
//! token (and access token) and the presented one is marked rotated. All the
//! refresh tokens descended from one code form a family. The rule, exactly:
//!
//! 1. A token of a revoked family, or an expired token, is refused
//!    (`invalid_grant`); nothing else changes.
//! 2. A token never used before rotates ([`Decision::Rotate`]).
//! 3. A token already rotated is presented again:
//!    * **within the grace window** ([`Config::refresh_grace_secs`], 30 s by
//!      default) of its rotation, while none of its successors has been used
//!      yet, and fewer than [`MAX_GRACE_SUCCESSORS`] extra successors were
//!      issued for it: it rotates again ([`Decision::RotateAgain`]); the family
//!      gains a branch. This is the benign race of two requests (two tabs,
//!      a retry after a lost response) refreshing at once: both callers keep
//!      a working session;
//!    * otherwise: a replay. The whole family is revoked
//!      ([`Decision::RevokeFamily`]), its refresh and access tokens alike,
//!      and the request is refused.
//!
//! "A successor has been used" means a refresh token issued from this one
//! was itself presented (rotated): the legitimate client has moved on, so
//! the old token in other hands is a theft.

use super::config::Config;
use super::OAuthError;

/// Most extra successors one refresh token can get within its grace window.
pub const MAX_GRACE_SUCCESSORS: u32 = 2;

/// What the store knows about a presented refresh token.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct State {
    /// Expiry, Unix seconds.
    pub expires_at: i64,
    /// When it was rotated, if it was.
    pub rotated_at: Option<i64>,
    /// Extra successors issued within the grace window so far.
    pub grace_successors: u32,
    /// Whether any successor of it has itself been rotated.
    pub successor_used: bool,
    /// Whether its family is revoked.
    pub family_revoked: bool,
}

/// What to do with a presented refresh token.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    /// Issue a successor; mark this one rotated now.
    Rotate,
    /// Issue another successor (benign race); count it.
    RotateAgain,
    /// Revoke the family, refuse the request (`invalid_grant`).
    RevokeFamily,
}

/// Decides on a presented refresh token (see the module documentation).
pub fn decide(state: &State, config: &Config, now: i64) -> Result<Decision, OAuthError> {
    if state.family_revoked {
        return Err(OAuthError::RefreshRevoked);
    }
    if now >= state.expires_at {
        return Err(OAuthError::RefreshExpired);
    }
    let Some(rotated_at) = state.rotated_at else {
        return Ok(Decision::Rotate);
    };
    let grace = i64::try_from(config.refresh_grace_secs).unwrap_or(0);
    let within = now >= rotated_at && now.saturating_sub(rotated_at) <= grace;
    if within && grace > 0 && !state.successor_used && state.grace_successors < MAX_GRACE_SUCCESSORS
    {
        Ok(Decision::RotateAgain)
    } else {
        Ok(Decision::RevokeFamily)
    }
}

/// The scopes of the refreshed tokens: those requested (RFC 6749 §6: a
/// subset of the original grant), or all the original ones.
pub fn narrowed(granted: &[String], requested: Option<&str>) -> Result<Vec<String>, OAuthError> {
    let Some(req) = requested else {
        return Ok(granted.to_vec());
    };
    if !super::client::scope_ok(req) {
        return Err(OAuthError::InvalidScope);
    }
    let mut out: Vec<String> = Vec::new();
    for t in req.split(' ') {
        if t == super::config::OFFLINE_ACCESS {
            continue;
        }
        if !granted.iter().any(|g| g == t) {
            return Err(OAuthError::InvalidScope);
        }
        if !out.iter().any(|o| o == t) {
            out.push(t.to_owned());
        }
    }
    if out.is_empty() {
        return Err(OAuthError::InvalidScope);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: i64 = 1_700_000_000;

    fn config(grace: u64) -> Config {
        let mut c = Config::new(
            "https://shop.example",
            "https://shop.example/mcp",
            &["read"],
        )
        .unwrap();
        c.refresh_grace_secs = grace;
        c
    }

    fn fresh() -> State {
        State {
            expires_at: NOW + 1000,
            rotated_at: None,
            grace_successors: 0,
            successor_used: false,
            family_revoked: false,
        }
    }

    #[test]
    fn the_rule() {
        let c = config(30);
        assert_eq!(decide(&fresh(), &c, NOW), Ok(Decision::Rotate));
        let rotated = State {
            rotated_at: Some(NOW),
            ..fresh()
        };
        assert_eq!(decide(&rotated, &c, NOW + 30), Ok(Decision::RotateAgain));
        assert_eq!(decide(&rotated, &c, NOW + 31), Ok(Decision::RevokeFamily));
        let moved_on = State {
            successor_used: true,
            ..rotated
        };
        assert_eq!(decide(&moved_on, &c, NOW + 1), Ok(Decision::RevokeFamily));
        let twice = State {
            grace_successors: MAX_GRACE_SUCCESSORS,
            ..rotated
        };
        assert_eq!(decide(&twice, &c, NOW + 1), Ok(Decision::RevokeFamily));
        assert_eq!(
            decide(&rotated, &config(0), NOW),
            Ok(Decision::RevokeFamily)
        );
        // A clock that went backwards is no grace.
        assert_eq!(decide(&rotated, &c, NOW - 1), Ok(Decision::RevokeFamily));
        assert_eq!(
            decide(
                &State {
                    family_revoked: true,
                    ..fresh()
                },
                &c,
                NOW
            ),
            Err(OAuthError::RefreshRevoked)
        );
        assert_eq!(
            decide(&fresh(), &c, NOW + 1000),
            Err(OAuthError::RefreshExpired)
        );
    }

    #[test]
    fn scopes_only_narrow() {
        let g = vec!["read".to_owned(), "write".to_owned()];
        assert_eq!(narrowed(&g, None).unwrap(), g);
        assert_eq!(
            narrowed(&g, Some("read offline_access")).unwrap(),
            vec!["read"]
        );
        assert_eq!(
            narrowed(&g, Some("read admin")),
            Err(OAuthError::InvalidScope)
        );
        assert_eq!(
            narrowed(&g, Some("offline_access")),
            Err(OAuthError::InvalidScope)
        );
        assert_eq!(
            narrowed(&g, Some("read\twrite")),
            Err(OAuthError::InvalidScope)
        );
    }
}
