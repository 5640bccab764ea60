//! The token request (OAuth 2.1 §3.2, §4.1.3, §4.3) and the revocation
//! request (RFC 7009 §2.1), read from the form body and the `Authorization`
//! header, with the client authentication they carry.
//!
//! Client authentication is one of `none` (a public client names itself
//! with `client_id`), `client_secret_basic` (RFC 6749 §2.3.1: id and secret
//! form-encoded, then Basic) or `client_secret_post`. Using two methods at
//! once, or naming two different clients, is refused (`invalid_request`);
//! a method other than the one the client was assigned is `invalid_client`
//! ([`ClientAuth::check_method`]).

use super::client::AuthMethod;
use super::form::Form;
use super::OAuthError;
use crate::core::credentials::{self, Credentials};

/// How the request authenticated its client.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ClientAuth {
    /// Only `client_id` (a public client).
    None {
        /// The client id.
        client_id: String,
    },
    /// HTTP Basic.
    Basic {
        /// The client id.
        client_id: String,
        /// The secret (compare it through the token verifier, never in PHP).
        secret: String,
    },
    /// `client_id` and `client_secret` in the body.
    Post {
        /// The client id.
        client_id: String,
        /// The secret.
        secret: String,
    },
}

impl ClientAuth {
    /// The client id, however it came.
    pub fn client_id(&self) -> &str {
        match self {
            Self::None { client_id }
            | Self::Basic { client_id, .. }
            | Self::Post { client_id, .. } => client_id,
        }
    }

    /// The secret, if one was presented.
    pub fn secret(&self) -> Option<&str> {
        match self {
            Self::None { .. } => None,
            Self::Basic { secret, .. } | Self::Post { secret, .. } => Some(secret),
        }
    }

    /// Whether the request used the method the client was assigned.
    pub fn check_method(&self, assigned: AuthMethod) -> Result<(), OAuthError> {
        let used = match self {
            Self::None { .. } => AuthMethod::None,
            Self::Basic { .. } => AuthMethod::ClientSecretBasic,
            Self::Post { .. } => AuthMethod::ClientSecretPost,
        };
        if used == assigned {
            Ok(())
        } else {
            Err(OAuthError::InvalidClient)
        }
    }
}

/// What the token request asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Grant {
    /// `authorization_code`.
    AuthorizationCode {
        /// `code`.
        code: String,
        /// `redirect_uri`.
        redirect_uri: Option<String>,
        /// `code_verifier`.
        verifier: Option<String>,
    },
    /// `refresh_token`.
    RefreshToken {
        /// `refresh_token`.
        refresh_token: String,
        /// `scope` (only to narrow).
        scope: Option<String>,
    },
}

/// A token request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TokenRequest {
    /// The grant.
    pub grant: Grant,
    /// The client authentication.
    pub client: ClientAuth,
    /// `resource` values (RFC 8707).
    pub resources: Vec<String>,
}

/// A revocation request (RFC 7009).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RevocationRequest {
    /// `token`.
    pub token: String,
    /// `token_type_hint`, if one of the two defined values.
    pub hint: Option<String>,
    /// The client authentication.
    pub client: ClientAuth,
}

fn url_decoded(part: &str) -> Result<String, OAuthError> {
    let f = Form::parse(format!("v={part}").as_bytes()).map_err(|_| OAuthError::InvalidClient)?;
    Ok(f.get("v").unwrap_or_default().to_owned())
}

fn client_auth(form: &Form, authorization: Option<&[u8]>) -> Result<ClientAuth, OAuthError> {
    let body_id = form.get("client_id");
    let body_secret = form.get("client_secret");
    let basic = match credentials::parse(authorization) {
        Ok(Credentials::Basic { username, password }) => {
            Some((url_decoded(&username)?, url_decoded(&password)?))
        }
        Ok(_) => None,
        Err(_) => return Err(OAuthError::InvalidClient),
    };
    match (basic, body_id, body_secret) {
        (Some(_), _, Some(_)) => Err(OAuthError::MultipleClientAuth),
        (Some((id, _)), Some(other), None) if id != other => Err(OAuthError::MultipleClientAuth),
        (Some((client_id, secret)), _, None) if !client_id.is_empty() => {
            Ok(ClientAuth::Basic { client_id, secret })
        }
        (Some(_), _, None) => Err(OAuthError::InvalidClient),
        (None, Some(id), Some(secret)) => Ok(ClientAuth::Post {
            client_id: id.to_owned(),
            secret: secret.to_owned(),
        }),
        (None, Some(id), None) => Ok(ClientAuth::None {
            client_id: id.to_owned(),
        }),
        (None, None, _) => Err(OAuthError::InvalidClient),
    }
}

fn required(form: &Form, name: &str) -> Result<String, OAuthError> {
    form.get(name)
        .map(str::to_owned)
        .ok_or(OAuthError::MissingParameter)
}

impl TokenRequest {
    /// Reads a token request.
    pub fn parse(body: &[u8], authorization: Option<&[u8]>) -> Result<Self, OAuthError> {
        let form = Form::parse(body)?;
        let grant = match form.get("grant_type") {
            Some("authorization_code") => Grant::AuthorizationCode {
                code: required(&form, "code")?,
                redirect_uri: form.get("redirect_uri").map(str::to_owned),
                verifier: form.get("code_verifier").map(str::to_owned),
            },
            Some("refresh_token") => Grant::RefreshToken {
                refresh_token: required(&form, "refresh_token")?,
                scope: form.get("scope").map(str::to_owned),
            },
            Some(_) => return Err(OAuthError::UnsupportedGrantType),
            None => return Err(OAuthError::MissingParameter),
        };
        Ok(Self {
            grant,
            client: client_auth(&form, authorization)?,
            resources: form
                .all("resource")
                .into_iter()
                .map(str::to_owned)
                .collect(),
        })
    }
}

impl RevocationRequest {
    /// Reads a revocation request.
    pub fn parse(body: &[u8], authorization: Option<&[u8]>) -> Result<Self, OAuthError> {
        let form = Form::parse(body)?;
        let hint = form
            .get("token_type_hint")
            .filter(|h| matches!(*h, "access_token" | "refresh_token"))
            .map(str::to_owned);
        Ok(Self {
            token: required(&form, "token")?,
            hint,
            client: client_auth(&form, authorization)?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use base64::Engine;

    fn basic(id: &str, secret: &str) -> Vec<u8> {
        format!(
            "Basic {}",
            base64::engine::general_purpose::STANDARD.encode(format!("{id}:{secret}"))
        )
        .into_bytes()
    }

    #[test]
    fn token_requests() {
        let r = TokenRequest::parse(
            b"grant_type=authorization_code&code=abc&redirect_uri=x&code_verifier=v&client_id=c1",
            None,
        )
        .unwrap();
        assert_eq!(
            r.client,
            ClientAuth::None {
                client_id: "c1".into()
            }
        );
        assert!(matches!(r.grant, Grant::AuthorizationCode { ref code, .. } if code == "abc"));
        let r = TokenRequest::parse(
            b"grant_type=refresh_token&refresh_token=rt&scope=read",
            Some(&basic("c%3A1", "s%2B")),
        )
        .unwrap();
        assert_eq!(
            r.client,
            ClientAuth::Basic {
                client_id: "c:1".into(),
                secret: "s+".into()
            }
        );
        assert_eq!(r.client.check_method(AuthMethod::ClientSecretBasic), Ok(()));
        assert_eq!(
            r.client.check_method(AuthMethod::None),
            Err(OAuthError::InvalidClient)
        );
        let r = TokenRequest::parse(
            b"grant_type=refresh_token&refresh_token=rt&client_id=c&client_secret=s&resource=r",
            None,
        )
        .unwrap();
        assert_eq!(r.client.secret(), Some("s"));
        assert_eq!(r.resources, vec!["r"]);
        for (body, auth, err) in [
            (
                &b"grant_type=password&username=a"[..],
                None,
                OAuthError::UnsupportedGrantType,
            ),
            (b"code=abc&client_id=c", None, OAuthError::MissingParameter),
            (
                b"grant_type=authorization_code&client_id=c",
                None,
                OAuthError::MissingParameter,
            ),
            (
                b"grant_type=authorization_code&code=a",
                None,
                OAuthError::InvalidClient,
            ),
            (
                b"grant_type=authorization_code&code=a&client_secret=s",
                Some(basic("c", "s")),
                OAuthError::MultipleClientAuth,
            ),
            (
                b"grant_type=authorization_code&code=a&client_id=other",
                Some(basic("c", "s")),
                OAuthError::MultipleClientAuth,
            ),
            (
                b"grant_type=authorization_code&code=a&code=b&client_id=c",
                None,
                OAuthError::DuplicateParameter,
            ),
        ] {
            assert_eq!(
                TokenRequest::parse(body, auth.as_deref()),
                Err(err),
                "{}",
                String::from_utf8_lossy(body)
            );
        }
    }

    #[test]
    fn revocation_requests() {
        let r =
            RevocationRequest::parse(b"token=t&token_type_hint=refresh_token&client_id=c", None)
                .unwrap();
        assert_eq!(
            (r.token.as_str(), r.hint.as_deref()),
            ("t", Some("refresh_token"))
        );
        let r =
            RevocationRequest::parse(b"token=t&token_type_hint=other&client_id=c", None).unwrap();
        assert_eq!(r.hint, None);
        assert_eq!(
            RevocationRequest::parse(b"client_id=c", None),
            Err(OAuthError::MissingParameter)
        );
    }
}
