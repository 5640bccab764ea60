//! The authorization request (OAuth 2.1 §4.1.1), in two steps:
//!
//! 1. [`Query::parse`] reads the raw query string and gives the `client_id`,
//!    so that the glue can load that client (from its store, a pinned
//!    document, or a metadata-document fetch);
//! 2. [`Query::validate`] checks the request against that client's redirect
//!    URIs and the server's [`Config`] and gives an [`AuthorizationRequest`]
//!    — the only value a code can be issued for — or an [`AuthorizeError`].
//!
//! Until the redirect URI is known to be the client's, an error is shown to
//! the member (never sent to an unverified URI: RFC 6749 §4.1.2.1); after it,
//! the error goes back to the client by redirect with `state` and `iss`
//! (RFC 9207, on errors too).

use super::config::{Config, OFFLINE_ACCESS};
use super::form::{with_query, Form};
use super::pkce::Challenge;
use super::redirect::{self, RedirectUri};
use super::OAuthError;

/// Longest `state` accepted, in bytes.
pub const MAX_STATE_LEN: usize = 1024;
/// Most scope tokens in one request.
pub const MAX_SCOPES: usize = 64;

/// A parsed authorization query whose client is not known yet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Query {
    form: Form,
}

/// A refused authorization request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuthorizeError {
    /// Why.
    pub error: OAuthError,
    /// Where to send it: `None` → show an error page to the member; `Some`
    /// → redirect there (the URL already carries `error`, `state`, `iss`).
    pub redirect: Option<String>,
}

/// A validated authorization request: everything a code will be bound to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuthorizationRequest {
    /// The client.
    pub client_id: String,
    /// The redirect URI exactly as sent (for a loopback URI, with the port
    /// this request used); the token request must repeat it.
    pub redirect_uri: String,
    /// `state`, if sent.
    pub state: Option<String>,
    /// The PKCE challenge.
    pub challenge: Challenge,
    /// The requested scopes, unique, in request order, without
    /// `offline_access` (see [`AuthorizationRequest::offline_access`]).
    pub scopes: Vec<String>,
    /// Whether `offline_access` was requested (refresh tokens are issued
    /// either way; the consent page may say so).
    pub offline_access: bool,
    /// The resource (always the configured one, RFC 8707).
    pub resource: String,
    /// The issuer, for the `iss` response parameter.
    pub issuer: String,
}

impl Query {
    /// Reads the raw query string.
    pub fn parse(raw: &[u8]) -> Result<Self, OAuthError> {
        Ok(Self {
            form: Form::parse(raw)?,
        })
    }

    /// The `client_id` to load.
    pub fn client_id(&self) -> Option<&str> {
        self.form.get("client_id")
    }

    /// Checks the request against the client's registered redirect URIs.
    pub fn validate(
        &self,
        registered: &[RedirectUri],
        config: &Config,
    ) -> Result<AuthorizationRequest, AuthorizeError> {
        let shown = |error| AuthorizeError {
            error,
            redirect: None,
        };
        let f = &self.form;
        let client_id = f
            .get("client_id")
            .ok_or(shown(OAuthError::MissingParameter))?;
        let requested = f
            .get("redirect_uri")
            .ok_or(shown(OAuthError::RedirectUriMismatch))?;
        redirect::find(registered, requested.as_bytes()).map_err(shown)?;
        let state = f.get("state").map(str::to_owned);
        let redirected = |error| AuthorizeError {
            error,
            redirect: Some(error_redirect(
                requested,
                error,
                state.as_deref(),
                &config.issuer,
            )),
        };
        if state.as_ref().is_some_and(|s| s.len() > MAX_STATE_LEN) {
            // Too long to echo back: shown, not redirected.
            return Err(shown(OAuthError::MalformedRequest));
        }
        match f.get("response_type") {
            Some("code") => {}
            Some(_) => return Err(redirected(OAuthError::UnsupportedResponseType)),
            None => return Err(redirected(OAuthError::MissingParameter)),
        }
        let challenge = Challenge::parse(
            f.get("code_challenge").map(str::as_bytes),
            f.get("code_challenge_method").map(str::as_bytes),
        )
        .map_err(redirected)?;
        let resources = f.all("resource");
        if resources.iter().any(|r| *r != config.resource) {
            return Err(redirected(OAuthError::InvalidTarget));
        }
        let (scopes, offline_access) = match f.get("scope") {
            None => (Vec::new(), false),
            Some(s) => parse_scopes(s).map_err(redirected)?,
        };
        Ok(AuthorizationRequest {
            client_id: client_id.to_owned(),
            redirect_uri: requested.to_owned(),
            state,
            challenge,
            scopes,
            offline_access,
            resource: config.resource.clone(),
            issuer: config.issuer.clone(),
        })
    }
}

fn parse_scopes(s: &str) -> Result<(Vec<String>, bool), OAuthError> {
    if !super::client::scope_ok(s) {
        return Err(OAuthError::InvalidScope);
    }
    let mut out: Vec<String> = Vec::new();
    let mut offline = false;
    for t in s.split(' ') {
        if t == OFFLINE_ACCESS {
            offline = true;
        } else if !out.iter().any(|o| o == t) {
            out.push(t.to_owned());
        }
    }
    if out.len() > MAX_SCOPES {
        return Err(OAuthError::InvalidScope);
    }
    Ok((out, offline))
}

/// The redirect that sends an error back to the client.
pub fn error_redirect(
    redirect_uri: &str,
    error: OAuthError,
    state: Option<&str>,
    issuer: &str,
) -> String {
    let code = error.oauth_code().unwrap_or("server_error");
    let mut params = vec![("error", code)];
    if let Some(s) = state {
        params.push(("state", s));
    }
    params.push(("iss", issuer));
    with_query(redirect_uri, &params)
}

impl AuthorizationRequest {
    /// The scopes to grant: those requested that the member's role allows
    /// (`allowed`, canonical names). A client that asks for no scope gets
    /// everything the role allows; one that asks for more than the role
    /// allows (Claude asks for the whole `scopes_supported` list) gets the
    /// intersection, never more. `None` when nothing is left to grant.
    pub fn grantable(&self, allowed: &[String]) -> Option<Vec<String>> {
        let granted: Vec<String> = if self.scopes.is_empty() {
            allowed.to_vec()
        } else {
            self.scopes
                .iter()
                .filter(|s| allowed.contains(s))
                .cloned()
                .collect()
        };
        (!granted.is_empty()).then_some(granted)
    }

    /// The redirect that carries the code back (with `state` and `iss`).
    pub fn code_redirect(&self, code: &str) -> String {
        let mut params = vec![("code", code)];
        if let Some(s) = &self.state {
            params.push(("state", s));
        }
        params.push(("iss", &self.issuer));
        with_query(&self.redirect_uri, &params)
    }

    /// The redirect that tells the client the member said no.
    pub fn denied_redirect(&self) -> String {
        error_redirect(
            &self.redirect_uri,
            OAuthError::AccessDenied,
            self.state.as_deref(),
            &self.issuer,
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const CH: &str = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";

    fn config() -> Config {
        Config::new(
            "https://shop.example",
            "https://shop.example/mcp",
            &["read", "write"],
        )
        .unwrap()
    }

    fn uris() -> Vec<RedirectUri> {
        ["https://client.example/cb", "http://127.0.0.1/cb"]
            .iter()
            .map(|u| RedirectUri::parse(u.as_bytes()).unwrap())
            .collect()
    }

    fn q(extra: &str) -> String {
        format!("response_type=code&client_id=c1&redirect_uri=https%3A%2F%2Fclient.example%2Fcb&code_challenge={CH}&code_challenge_method=S256&state=s%261{extra}")
    }

    fn run(query: &str) -> Result<AuthorizationRequest, AuthorizeError> {
        Query::parse(query.as_bytes())
            .unwrap()
            .validate(&uris(), &config())
    }

    #[test]
    fn a_valid_request() {
        let r = run(&q(
            "&scope=read+write+offline_access+read&resource=https%3A%2F%2Fshop.example%2Fmcp",
        ))
        .unwrap();
        assert_eq!(r.client_id, "c1");
        assert_eq!(r.scopes, vec!["read", "write"]);
        assert!(r.offline_access);
        assert_eq!(r.state.as_deref(), Some("s&1"));
        assert_eq!(
            r.code_redirect("abc"),
            "https://client.example/cb?code=abc&state=s%261&iss=https%3A%2F%2Fshop.example"
        );
        assert_eq!(
            r.denied_redirect(),
            "https://client.example/cb?error=access_denied&state=s%261&iss=https%3A%2F%2Fshop.example"
        );
        assert_eq!(r.grantable(&["read".into()]), Some(vec!["read".into()]));
        assert_eq!(r.grantable(&[]), None);
        let all = run(&q("")).unwrap();
        assert_eq!(
            all.grantable(&["read".into(), "write".into()])
                .unwrap()
                .len(),
            2
        );
        // A loopback redirect URI on another port is the registered one.
        let lo = q("").replace(
            "https%3A%2F%2Fclient.example%2Fcb",
            "http%3A%2F%2F127.0.0.1%3A5555%2Fcb",
        );
        assert_eq!(run(&lo).unwrap().redirect_uri, "http://127.0.0.1:5555/cb");
    }

    #[test]
    fn errors_before_the_redirect_uri_is_known_are_shown() {
        for query in [
            q("").replace("client_id=c1&", ""),
            q("").replace("redirect_uri=https%3A%2F%2Fclient.example%2Fcb&", ""),
            q("").replace("client.example%2Fcb", "client.example%2Fcb%2F"),
            q("").replace("client.example%2Fcb", "evil.example%2Fcb"),
        ] {
            let e = run(&query).unwrap_err();
            assert_eq!(e.redirect, None, "{query}");
        }
        let long = q("").replace(
            "state=s%261",
            &format!("state={}", "a".repeat(MAX_STATE_LEN + 1)),
        );
        assert_eq!(run(&long).unwrap_err().redirect, None);
        assert_eq!(
            Query::parse(b"client_id=a&client_id=b"),
            Err(OAuthError::DuplicateParameter)
        );
    }

    #[test]
    fn errors_after_it_are_redirected_with_state_and_iss() {
        for (query, code) in [
            (q("").replace("response_type=code", "response_type=token"), "unsupported_response_type"),
            (q("").replace("response_type=code&", ""), "invalid_request"),
            (q("").replace("&code_challenge_method=S256", ""), "invalid_request"),
            (q("").replace("code_challenge_method=S256", "code_challenge_method=plain"), "invalid_request"),
            (q("").replace(&format!("code_challenge={CH}&"), ""), "invalid_request"),
            (q("&resource=https%3A%2F%2Fother.example%2Fmcp"), "invalid_target"),
            (q("&resource=https%3A%2F%2Fshop.example%2Fmcp&resource=https%3A%2F%2Fshop.example%2Fmcp%2F"), "invalid_target"),
            (q("&scope=read%22"), "invalid_scope"),
        ] {
            let e = run(&query).unwrap_err();
            let url = e.redirect.unwrap_or_else(|| panic!("not redirected: {query}"));
            assert!(url.starts_with(&format!("https://client.example/cb?error={code}&state=s%261&iss=")), "{url}");
        }
    }
}
