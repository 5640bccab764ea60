//! Authorization codes: one type per state (DESIGN.md §6.3). Only a
//! validated [`AuthorizationRequest`] can be bound to an [`IssuedCode`]; a
//! stored [`Binding`] redeems into a [`RedeemedCode`] once every binding
//! holds.
//!
//! A code is 256 bits from the injected generator, 43 base64url characters;
//! only its digest (`sha256:<hex>`, the lookup key) is stored, with the
//! binding: client, redirect URI (as the request sent it), PKCE challenge,
//! granted scopes, resource and member, and an expiry ([`Config::code_ttl_secs`],
//! 60 s by default). One-time use is the store's conditional UPDATE (the
//! glue's `consume`); a code presented after it was consumed is a replay,
//! and the glue revokes every token issued from it.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use ring::digest::{digest, SHA256};
use subtle::ConstantTimeEq;

use super::authorize::AuthorizationRequest;
use super::config::Config;
use super::pkce::Challenge;
use super::OAuthError;
use crate::core::rng::SecureRandom;

/// Length of a code in characters.
pub const CODE_LEN: usize = 43;

/// What a code is bound to (stored with its digest).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Binding {
    /// The client it was issued to.
    pub client_id: String,
    /// The redirect URI exactly as the authorization request sent it.
    pub redirect_uri: String,
    /// The PKCE challenge.
    pub challenge: String,
    /// The scopes granted (canonical names).
    pub scopes: Vec<String>,
    /// The resource (RFC 8707).
    pub resource: String,
    /// The member who consented (the host's id).
    pub member: String,
    /// Issue time, Unix seconds.
    pub issued_at: i64,
    /// Expiry, Unix seconds.
    pub expires_at: i64,
}

/// A code just issued: send `code` to the client (once), store `hash` and
/// `binding`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IssuedCode {
    /// The code itself.
    pub code: String,
    /// Its digest, the store's key.
    pub hash: String,
    /// What it is bound to.
    pub binding: Binding,
}

/// A code whose every binding held: what the token endpoint issues tokens
/// for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RedeemedCode {
    /// The binding (client, scopes, resource, member).
    pub binding: Binding,
}

/// What the token request presented along with the code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Exchange<'a> {
    /// The authenticated (or, for a public client, claimed) client id.
    pub client_id: &'a str,
    /// `redirect_uri` of the token request (required: it was sent in the
    /// authorization request).
    pub redirect_uri: Option<&'a str>,
    /// `code_verifier`.
    pub verifier: Option<&'a [u8]>,
    /// `resource` values of the token request (may be empty).
    pub resources: &'a [&'a str],
}

/// The digest under which a code is stored and looked up; a value that
/// cannot be a code is refused before any lookup.
pub fn hash(code: &[u8]) -> Result<String, OAuthError> {
    if code.len() != CODE_LEN
        || !code
            .iter()
            .all(|&b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
    {
        return Err(OAuthError::InvalidCode);
    }
    Ok(digest_hex(code))
}

fn digest_hex(code: &[u8]) -> String {
    let d = digest(&SHA256, code);
    let mut out = String::with_capacity(71);
    out.push_str("sha256:");
    for b in d.as_ref() {
        out.push_str(&format!("{b:02x}"));
    }
    out
}

impl IssuedCode {
    /// Issues a code for a validated request, the member who consented and
    /// the scopes granted.
    pub fn issue(
        request: &AuthorizationRequest,
        member: &str,
        scopes: Vec<String>,
        config: &Config,
        rng: &dyn SecureRandom,
        now: i64,
    ) -> Result<Self, OAuthError> {
        if member.is_empty() || scopes.is_empty() {
            return Err(OAuthError::AccessDenied);
        }
        let mut raw = [0u8; 32];
        rng.fill(&mut raw).map_err(|_| OAuthError::Randomness)?;
        let code = URL_SAFE_NO_PAD.encode(raw);
        let ttl =
            i64::try_from(config.code_ttl_secs).map_err(|_| OAuthError::InvalidConfiguration)?;
        Ok(Self {
            hash: digest_hex(code.as_bytes()),
            code,
            binding: Binding {
                client_id: request.client_id.clone(),
                redirect_uri: request.redirect_uri.clone(),
                challenge: request.challenge.as_str().to_owned(),
                scopes,
                resource: request.resource.clone(),
                member: member.to_owned(),
                issued_at: now,
                expires_at: now.saturating_add(ttl),
            },
        })
    }
}

impl Binding {
    /// Redeems a consumed code: not expired, the same client, the same
    /// redirect URI, a verifier that proves the challenge, the same
    /// resource. Every failure is `invalid_grant` (or `invalid_target`),
    /// and the code stays consumed.
    pub fn redeem(self, exchange: &Exchange<'_>, now: i64) -> Result<RedeemedCode, OAuthError> {
        if now >= self.expires_at {
            return Err(OAuthError::CodeExpired);
        }
        let same_client: bool = exchange
            .client_id
            .as_bytes()
            .ct_eq(self.client_id.as_bytes())
            .into();
        if !same_client {
            return Err(OAuthError::CodeClientMismatch);
        }
        if exchange.redirect_uri != Some(self.redirect_uri.as_str()) {
            return Err(OAuthError::CodeRedirectMismatch);
        }
        let challenge = Challenge::parse(Some(self.challenge.as_bytes()), Some(b"S256"))
            .map_err(|_| OAuthError::InvalidCode)?;
        challenge.verify(exchange.verifier)?;
        if exchange.resources.iter().any(|r| *r != self.resource) {
            return Err(OAuthError::InvalidTarget);
        }
        Ok(RedeemedCode { binding: self })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::oauth::authorize::Query;
    use crate::core::oauth::redirect::RedirectUri;
    use crate::core::rng::testing::{CountingRng, FailingRng};

    const VERIFIER: &[u8] = b"dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
    const NOW: i64 = 1_700_000_000;

    fn setup() -> (AuthorizationRequest, Config) {
        let config = Config::new(
            "https://shop.example",
            "https://shop.example/mcp",
            &["read"],
        )
        .unwrap();
        let q = "response_type=code&client_id=c1&redirect_uri=http%3A%2F%2F127.0.0.1%3A4321%2Fcb&code_challenge=E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM&code_challenge_method=S256";
        let uris = [RedirectUri::parse(b"http://127.0.0.1/cb").unwrap()];
        let req = Query::parse(q.as_bytes())
            .unwrap()
            .validate(&uris, &config)
            .unwrap();
        (req, config)
    }

    fn exchange<'a>(redirect: &'a str, verifier: &'a [u8]) -> Exchange<'a> {
        Exchange {
            client_id: "c1",
            redirect_uri: Some(redirect),
            verifier: Some(verifier),
            resources: &[],
        }
    }

    #[test]
    fn issue_and_redeem() {
        let (req, config) = setup();
        let issued = IssuedCode::issue(
            &req,
            "member:7",
            vec!["read".into()],
            &config,
            &CountingRng::new(0),
            NOW,
        )
        .unwrap();
        assert_eq!(issued.code.len(), CODE_LEN);
        assert_eq!(hash(issued.code.as_bytes()).unwrap(), issued.hash);
        assert_eq!(issued.binding.expires_at, NOW + 60);
        let ok = issued
            .binding
            .clone()
            .redeem(&exchange("http://127.0.0.1:4321/cb", VERIFIER), NOW + 59)
            .unwrap();
        assert_eq!(ok.binding.member, "member:7");
        let with_resource = Exchange {
            resources: &["https://shop.example/mcp"],
            ..exchange("http://127.0.0.1:4321/cb", VERIFIER)
        };
        assert!(issued.binding.clone().redeem(&with_resource, NOW).is_ok());
        assert!(
            IssuedCode::issue(&req, "m", vec!["read".into()], &config, &FailingRng, NOW).is_err()
        );
        assert_eq!(
            IssuedCode::issue(&req, "m", vec![], &config, &CountingRng::new(0), NOW),
            Err(OAuthError::AccessDenied)
        );
    }

    #[test]
    fn every_binding_is_checked() {
        let (req, config) = setup();
        let b = IssuedCode::issue(
            &req,
            "m",
            vec!["read".into()],
            &config,
            &CountingRng::new(0),
            NOW,
        )
        .unwrap()
        .binding;
        let cb = "http://127.0.0.1:4321/cb";
        let wrong_verifier = b"dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXj";
        let cases: Vec<(Exchange<'_>, i64, OAuthError)> = vec![
            (exchange(cb, VERIFIER), NOW + 60, OAuthError::CodeExpired),
            (
                Exchange {
                    client_id: "c2",
                    ..exchange(cb, VERIFIER)
                },
                NOW,
                OAuthError::CodeClientMismatch,
            ),
            // The loopback port the authorization request used is part of the binding.
            (
                exchange("http://127.0.0.1:4322/cb", VERIFIER),
                NOW,
                OAuthError::CodeRedirectMismatch,
            ),
            (
                Exchange {
                    redirect_uri: None,
                    ..exchange(cb, VERIFIER)
                },
                NOW,
                OAuthError::CodeRedirectMismatch,
            ),
            (exchange(cb, wrong_verifier), NOW, OAuthError::PkceMismatch),
            // A downgrade: the code has a challenge, the request no verifier.
            (
                Exchange {
                    verifier: None,
                    ..exchange(cb, VERIFIER)
                },
                NOW,
                OAuthError::InvalidCodeVerifier,
            ),
            (
                Exchange {
                    resources: &["https://other.example/mcp"],
                    ..exchange(cb, VERIFIER)
                },
                NOW,
                OAuthError::InvalidTarget,
            ),
        ];
        for (ex, now, err) in cases {
            assert_eq!(b.clone().redeem(&ex, now), Err(err), "{ex:?}");
        }
    }

    #[test]
    fn malformed_codes_are_refused_before_lookup() {
        for bad in [
            &b""[..],
            &[b'a'; 42],
            &[b'a'; 44],
            b"E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw+cM",
        ] {
            assert_eq!(hash(bad), Err(OAuthError::InvalidCode));
        }
    }
}
