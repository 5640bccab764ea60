//! The two discovery documents and where they are served.
//!
//! * Authorization-server metadata (RFC 8414), also at the OpenID discovery
//!   paths clients try: `code_challenge_methods_supported: ["S256"]`,
//!   `response_types_supported: ["code"]`, the three token-endpoint auth
//!   methods, `client_id_metadata_document_supported` and
//!   `authorization_response_iss_parameter_supported` true, registration and
//!   revocation endpoints, and `offline_access` among the scopes (ChatGPT
//!   needs it listed) — here only.
//! * Protected-resource metadata (RFC 9728): `resource` byte-identical to
//!   the MCP URL, its authorization server, its scopes (never
//!   `offline_access`), `bearer_methods_supported: ["header"]`.
//!
//! Every URL comes from the [`Config`], never from the request.

use serde_json::{json, Value};

use super::config::{Config, OFFLINE_ACCESS};
use crate::core::resource::challenge::{self, MetadataUrl};
use crate::core::resource::ResourceError;

/// Which document a well-known path serves.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Document {
    /// RFC 8414 authorization-server metadata.
    AuthorizationServer,
    /// RFC 9728 protected-resource metadata.
    ProtectedResource,
}

/// The endpoints of the authorization server, as absolute URLs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Endpoints {
    /// `authorization_endpoint`.
    pub authorization: String,
    /// `token_endpoint`.
    pub token: String,
    /// `registration_endpoint` (RFC 7591).
    pub registration: String,
    /// `revocation_endpoint` (RFC 7009).
    pub revocation: String,
    /// `jwks_uri`, when access tokens are JWTs.
    pub jwks: Option<String>,
}

impl Endpoints {
    /// The default layout under the issuer: `/oauth/authorize`,
    /// `/oauth/token`, `/oauth/register`, `/oauth/revoke`.
    pub fn under(issuer: &str) -> Self {
        let base = issuer.trim_end_matches('/');
        Self {
            authorization: format!("{base}/oauth/authorize"),
            token: format!("{base}/oauth/token"),
            registration: format!("{base}/oauth/register"),
            revocation: format!("{base}/oauth/revoke"),
            jwks: None,
        }
    }
}

/// Splits an `https://host[:port]/path` URL into origin and path (without
/// a trailing slash; empty for the root).
fn origin_and_path(url: &str) -> (&str, &str) {
    let after = url.find("://").map_or(0, |i| i + 3);
    let path_at = url
        .get(after..)
        .and_then(|r| r.find('/'))
        .map_or(url.len(), |i| after + i);
    let (origin, path) = url.split_at(path_at);
    (origin, path.trim_end_matches('/'))
}

/// The authorization-server metadata document.
pub fn authorization_server(config: &Config, endpoints: &Endpoints) -> Value {
    let mut scopes = config.scopes.clone();
    scopes.push(OFFLINE_ACCESS.to_owned());
    let methods = ["none", "client_secret_post", "client_secret_basic"];
    let mut doc = json!({
        "issuer": config.issuer,
        "authorization_endpoint": endpoints.authorization,
        "token_endpoint": endpoints.token,
        "registration_endpoint": endpoints.registration,
        "revocation_endpoint": endpoints.revocation,
        "response_types_supported": ["code"],
        "response_modes_supported": ["query"],
        "grant_types_supported": ["authorization_code", "refresh_token"],
        "code_challenge_methods_supported": ["S256"],
        "token_endpoint_auth_methods_supported": methods,
        "revocation_endpoint_auth_methods_supported": methods,
        "scopes_supported": scopes,
        "client_id_metadata_document_supported": true,
        "authorization_response_iss_parameter_supported": true,
    });
    if let (Some(jwks), Some(o)) = (&endpoints.jwks, doc.as_object_mut()) {
        o.insert("jwks_uri".into(), Value::String(jwks.clone()));
    }
    doc
}

/// The protected-resource metadata document.
pub fn protected_resource(config: &Config, resource_name: Option<&str>) -> Value {
    let mut doc = json!({
        "resource": config.resource,
        "authorization_servers": [config.issuer],
        "scopes_supported": config.scopes.iter().filter(|s| *s != OFFLINE_ACCESS).collect::<Vec<_>>(),
        "bearer_methods_supported": ["header"],
    });
    if let (Some(name), Some(o)) = (resource_name, doc.as_object_mut()) {
        o.insert("resource_name".into(), Value::String(name.to_owned()));
    }
    doc
}

/// The URL of the protected-resource metadata (path-inserted, RFC 9728
/// §3.1), for `WWW-Authenticate: Bearer resource_metadata="…"`.
pub fn protected_resource_url(config: &Config) -> String {
    let (origin, path) = origin_and_path(&config.resource);
    format!("{origin}/.well-known/oauth-protected-resource{path}")
}

/// The `WWW-Authenticate` value of a 401 from the resource, built by
/// [`crate::core::resource::challenge::unauthorized`] (the one place that
/// builds challenges) with this configuration's metadata URL: `Bearer
/// resource_metadata="<URL>"`, with `error="invalid_token"` when a token was
/// presented and refused. A URL that cannot stand in a quoted string (a `"`)
/// is refused there, so nothing breaks out of the header.
pub fn challenge(config: &Config, invalid_token: bool) -> Result<String, ResourceError> {
    let text = protected_resource_url(config);
    let url = MetadataUrl::parse(text.as_bytes())?;
    challenge::unauthorized::<[&[u8]; 0]>(&url, None, invalid_token)
}

/// Which document, if any, the request path serves: the path-inserted and
/// root forms of both well-known names, and the OpenID discovery paths.
pub fn route(config: &Config, request_path: &str) -> Option<Document> {
    let (_, iss_path) = origin_and_path(&config.issuer);
    let (_, res_path) = origin_and_path(&config.resource);
    let p = request_path.trim_end_matches('/');
    let as_paths = [
        format!("/.well-known/oauth-authorization-server{iss_path}"),
        format!("/.well-known/openid-configuration{iss_path}"),
        format!("{iss_path}/.well-known/openid-configuration"),
        format!("{iss_path}/.well-known/oauth-authorization-server"),
    ];
    let pr_paths = [
        format!("/.well-known/oauth-protected-resource{res_path}"),
        "/.well-known/oauth-protected-resource".to_owned(),
    ];
    if as_paths.iter().any(|a| a == p) {
        Some(Document::AuthorizationServer)
    } else if pr_paths.iter().any(|a| a == p) {
        Some(Document::ProtectedResource)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config() -> Config {
        Config::new(
            "https://shop.example",
            "https://shop.example/mcp",
            &["read", "write"],
        )
        .unwrap()
    }

    #[test]
    fn as_metadata_says_what_clients_need() {
        let c = config();
        let d = authorization_server(&c, &Endpoints::under(&c.issuer));
        assert_eq!(d["issuer"], "https://shop.example");
        assert_eq!(
            d["authorization_endpoint"],
            "https://shop.example/oauth/authorize"
        );
        assert_eq!(d["code_challenge_methods_supported"], json!(["S256"]));
        assert_eq!(d["response_types_supported"], json!(["code"]));
        assert_eq!(
            d["token_endpoint_auth_methods_supported"],
            json!(["none", "client_secret_post", "client_secret_basic"])
        );
        assert_eq!(d["client_id_metadata_document_supported"], true);
        assert_eq!(d["authorization_response_iss_parameter_supported"], true);
        assert_eq!(
            d["scopes_supported"],
            json!(["read", "write", "offline_access"])
        );
        assert!(d.get("jwks_uri").is_none());
        let mut e = Endpoints::under(&c.issuer);
        e.jwks = Some("https://shop.example/oauth/jwks".into());
        assert_eq!(
            authorization_server(&c, &e)["jwks_uri"],
            "https://shop.example/oauth/jwks"
        );
    }

    #[test]
    fn prm_never_lists_offline_access_and_names_the_exact_resource() {
        let c = config();
        let d = protected_resource(&c, Some("Demo shop"));
        assert_eq!(d["resource"], "https://shop.example/mcp");
        assert_eq!(d["authorization_servers"], json!(["https://shop.example"]));
        assert_eq!(d["scopes_supported"], json!(["read", "write"]));
        assert_eq!(d["resource_name"], "Demo shop");
        assert_eq!(
            protected_resource_url(&c),
            "https://shop.example/.well-known/oauth-protected-resource/mcp"
        );
    }

    #[test]
    fn challenges() {
        let c = config();
        assert_eq!(
            challenge(&c, false).unwrap(),
            "Bearer resource_metadata=\"https://shop.example/.well-known/oauth-protected-resource/mcp\""
        );
        assert!(challenge(&c, true)
            .unwrap()
            .ends_with("/mcp\", error=\"invalid_token\""));
        let mut q = c.clone();
        q.resource = "https://shop.example/m\"cp".into();
        assert_eq!(challenge(&q, false), Err(ResourceError::InvalidMetadataUrl));
    }

    #[test]
    fn routes() {
        let c = config();
        assert_eq!(
            route(&c, "/.well-known/oauth-authorization-server"),
            Some(Document::AuthorizationServer)
        );
        assert_eq!(
            route(&c, "/.well-known/openid-configuration"),
            Some(Document::AuthorizationServer)
        );
        assert_eq!(
            route(&c, "/.well-known/oauth-protected-resource/mcp"),
            Some(Document::ProtectedResource)
        );
        assert_eq!(
            route(&c, "/.well-known/oauth-protected-resource"),
            Some(Document::ProtectedResource)
        );
        assert_eq!(
            route(&c, "/.well-known/oauth-protected-resource/other"),
            None
        );
        assert_eq!(route(&c, "/mcp"), None);
        let mut t = c.clone();
        t.issuer = "https://shop.example/tenant".into();
        assert_eq!(
            route(&t, "/.well-known/oauth-authorization-server/tenant"),
            Some(Document::AuthorizationServer)
        );
        assert_eq!(
            route(&t, "/tenant/.well-known/openid-configuration"),
            Some(Document::AuthorizationServer)
        );
        assert_eq!(route(&t, "/.well-known/oauth-authorization-server"), None);
    }
}
