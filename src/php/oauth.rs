//! `McpGuard\OAuth\…`: the authorization server's decisions for the PHP glue
//! (`McpGuard\Server\OAuth\…`), which does the HTTP and the storage. Every
//! refusal is an `McpGuard\Exception\OAuthException` whose `errorCode()` is
//! the OAuth error code to answer with and `httpStatus()` the status, or,
//! for the authorization request, a result value that says whether the error
//! may be redirected.
#![allow(non_snake_case)]

use ext_php_rs::binary_slice::BinarySlice;
use ext_php_rs::boxed::ZBox;
use ext_php_rs::flags::ClassFlags;
use ext_php_rs::prelude::*;
use ext_php_rs::types::{ZendHashTable, Zval};

use super::convert;
use super::env::{now_or, rng};
use super::exception::{guarded, invalid_argument};
use crate::core::oauth::authorize::{self, AuthorizationRequest as CoreRequest, AuthorizeError};
use crate::core::oauth::client::{self, ClientIdUrl, Metadata};
use crate::core::oauth::code::{self, Binding, Exchange, IssuedCode as CoreCode};
use crate::core::oauth::config::Config;
use crate::core::oauth::metadata::{self, Document, Endpoints};
use crate::core::oauth::pkce::Challenge;
use crate::core::oauth::refresh::{self, Decision, State};
use crate::core::oauth::request::{
    Grant, RevocationRequest as CoreRevocation, TokenRequest as CoreToken,
};
use crate::core::oauth::OAuthError;

fn strings(ht: &ZendHashTable, what: &str) -> PhpResult<Vec<String>> {
    convert::strings(ht, usize::MAX)
        .and_then(|v| {
            v.into_iter()
                .map(|b| std::str::from_utf8(b).ok().map(str::to_owned))
                .collect::<Option<Vec<_>>>()
        })
        .ok_or_else(|| invalid_argument(&format!("{what} must be a list of UTF-8 strings.")))
}

fn utf8<'a>(bytes: &'a [u8], what: &str) -> PhpResult<&'a str> {
    std::str::from_utf8(bytes).map_err(|_| invalid_argument(&format!("{what} must be UTF-8.")))
}

// ---------------------------------------------------------------- Pkce

/// PKCE (RFC 7636) with `S256` only: `plain` and a missing method are
/// refused; verifiers are 43–128 characters of `[A-Za-z0-9-._~]`.
#[php_class]
#[php(name = "McpGuard\\OAuth\\Pkce")]
#[php(flags = ClassFlags::Final)]
pub struct Pkce;

#[php_impl]
impl Pkce {
    /// The `S256` challenge of a verifier (what a client sends).
    ///
    /// @throws \McpGuard\Exception\OAuthException reason invalid_code_verifier.
    pub fn challenge(verifier: BinarySlice<u8>) -> PhpResult<String> {
        guarded(|| Ok(Challenge::of_verifier(&verifier)?.as_str().to_owned()))
    }

    /// Checks an authorization request's `code_challenge` and
    /// `code_challenge_method` and returns the challenge to store.
    ///
    /// @throws \McpGuard\Exception\OAuthException reason invalid_code_challenge or unsupported_challenge_method.
    pub fn check(
        challenge: Option<BinarySlice<u8>>,
        method: Option<BinarySlice<u8>>,
    ) -> PhpResult<String> {
        guarded(|| {
            Ok(
                Challenge::parse(challenge.as_deref().copied(), method.as_deref().copied())?
                    .as_str()
                    .to_owned(),
            )
        })
    }

    /// Whether `verifier` proves `challenge` (compared in constant time).
    ///
    /// @throws \McpGuard\Exception\OAuthException errorCode invalid_grant, reason
    ///   invalid_code_verifier or pkce_mismatch.
    pub fn verify(challenge: BinarySlice<u8>, verifier: Option<BinarySlice<u8>>) -> PhpResult<()> {
        guarded(|| {
            let c = Challenge::parse(Some(&challenge), Some(b"S256"))?;
            Ok(c.verify(verifier.as_deref().copied())?)
        })
    }
}

// ---------------------------------------------------------------- ClientMetadata

/// A client's validated metadata: from a Client ID Metadata Document, a
/// dynamic registration (RFC 7591) or the host's configuration (pass it as
/// registration JSON). Redirect URIs are judged one by one.
#[php_class]
#[php(name = "McpGuard\\OAuth\\ClientMetadata")]
#[php(flags = ClassFlags::Final)]
pub struct ClientMetadata(Metadata);

#[php_impl]
impl ClientMetadata {
    /// From a metadata document fetched from `$clientId` (its `client_id`
    /// must be that URL exactly; `client_name` and `redirect_uris` required;
    /// `none` or `private_key_jwt` get `none`).
    ///
    /// @throws \McpGuard\Exception\OAuthException errorCode invalid_client_metadata,
    ///   invalid_redirect_uri or invalid_client.
    pub fn from_document(document: BinarySlice<u8>, clientId: BinarySlice<u8>) -> PhpResult<Self> {
        guarded(|| {
            let id = ClientIdUrl::parse(&clientId)?;
            Ok(Self(Metadata::from_document(&document, &id)?))
        })
    }

    /// From a registration request's JSON body (RFC 7591 §2).
    ///
    /// @throws \McpGuard\Exception\OAuthException errorCode invalid_client_metadata or invalid_redirect_uri.
    pub fn from_registration(request: BinarySlice<u8>) -> PhpResult<Self> {
        guarded(|| Ok(Self(Metadata::from_registration(&request)?)))
    }

    /// The host of a metadata-document `client_id`, or null when `$clientId`
    /// is not an `https://` URL (then it is a registered client's id).
    ///
    /// @throws \McpGuard\Exception\OAuthException reason invalid_client_id for an https URL that breaks the rules.
    pub fn document_host(clientId: BinarySlice<u8>) -> PhpResult<Option<String>> {
        guarded(|| {
            if !clientId.starts_with(b"https://") {
                return Ok(None);
            }
            Ok(Some(ClientIdUrl::parse(&clientId)?.host().to_owned()))
        })
    }

    /// Where to fetch a metadata-document `client_id` from: `host` (lower-
    /// cased, to resolve and to verify the certificate for), `port` (443
    /// unless named), `authority` (the `Host` header) and `path`.
    ///
    /// @throws \McpGuard\Exception\OAuthException reason invalid_client_id.
    pub fn document_target(clientId: BinarySlice<u8>) -> PhpResult<ZBox<ZendHashTable>> {
        guarded(|| {
            let id = ClientIdUrl::parse(&clientId)?;
            let mut ht = ZendHashTable::new();
            ht.insert("host", id.host())?;
            ht.insert("port", i64::from(id.port()))?;
            ht.insert("authority", id.authority())?;
            ht.insert("path", id.path())?;
            Ok(ht)
        })
    }

    /// Whether the glue may connect to this address to fetch a metadata
    /// document (only global unicast; never private, loopback, link-local,
    /// multicast, reserved, or an IPv4-mapped form of those).
    pub fn fetch_target_allowed(ip: BinarySlice<u8>) -> bool {
        std::str::from_utf8(&ip)
            .ok()
            .and_then(|s| s.parse::<std::net::IpAddr>().ok())
            .is_some_and(|ip| client::check_fetch_target(ip).is_ok())
    }

    /// Seconds a fetched document may be reused, from its `Cache-Control`
    /// (0 without `max-age`; at most 7 days).
    pub fn cache_lifetime(cacheControl: Option<BinarySlice<u8>>) -> i64 {
        i64::try_from(client::cache_lifetime(cacheControl.as_deref().copied())).unwrap_or(0)
    }

    /// Largest document the glue may read, in bytes (5 KiB).
    pub fn max_document_bytes() -> i64 {
        i64::try_from(client::MAX_DOCUMENT_BYTES).unwrap_or(i64::MAX)
    }

    /// Longest a document fetch may take, in seconds.
    pub fn fetch_timeout_seconds() -> i64 {
        i64::try_from(client::FETCH_TIMEOUT_SECS).unwrap_or(5)
    }

    /// `client_name`, if given.
    pub fn name(&self) -> Option<String> {
        self.0.name.clone()
    }

    /// The redirect URIs.
    pub fn redirect_uris(&self) -> Vec<String> {
        self.0
            .redirect_uris
            .iter()
            .map(|u| u.as_str().to_owned())
            .collect()
    }

    /// The token-endpoint auth method assigned: `none`, `client_secret_basic`
    /// or `client_secret_post`.
    pub fn auth_method(&self) -> &'static str {
        self.0.auth_method.as_str()
    }

    /// Whether the client must present a secret.
    pub fn confidential(&self) -> bool {
        self.0.auth_method.confidential()
    }

    /// Whether the client may use refresh tokens.
    pub fn refresh(&self) -> bool {
        self.0.refresh
    }

    /// `scope`, if given.
    pub fn scope(&self) -> Option<String> {
        self.0.scope.clone()
    }

    /// Whether every redirect URI is a loopback one (the consent page warns).
    pub fn only_loopback(&self) -> bool {
        self.0.only_loopback()
    }

    /// The metadata as registration JSON (what to store, and what
    /// `fromRegistration()` reads back).
    pub fn to_json(&self) -> PhpResult<String> {
        let doc = serde_json::json!({
            "client_name": self.0.name,
            "redirect_uris": self.redirect_uris(),
            "token_endpoint_auth_method": self.0.auth_method.as_str(),
            "grant_types": if self.0.refresh { vec!["authorization_code", "refresh_token"] } else { vec!["authorization_code"] },
            "response_types": ["code"],
            "scope": self.0.scope,
        });
        serde_json::to_string(&doc).map_err(|_| invalid_argument("The metadata cannot be written."))
    }
}

// ---------------------------------------------------------------- AuthorizationServer

/// The authorization server's decisions, configured once: issuer, resource,
/// scopes, lifetimes. URLs come from here, never from the request.
#[php_class]
#[php(name = "McpGuard\\OAuth\\AuthorizationServer")]
#[php(flags = ClassFlags::Final)]
pub struct AuthorizationServer {
    config: Config,
    endpoints: Endpoints,
}

fn opt_secs(ht: &ZendHashTable, key: &str) -> PhpResult<Option<u64>> {
    match ht.get(key) {
        None => Ok(None),
        Some(z) => z
            .long()
            .and_then(|v| u64::try_from(v).ok())
            .map(Some)
            .ok_or_else(|| invalid_argument(&format!("'{key}' must be a non-negative integer."))),
    }
}

fn opt_str(ht: &ZendHashTable, key: &str) -> PhpResult<Option<String>> {
    match ht.get(key) {
        None => Ok(None),
        Some(z) => z
            .zend_str()
            .and_then(|s| std::str::from_utf8(s.as_bytes()).ok())
            .map(|s| Some(s.to_owned()))
            .ok_or_else(|| invalid_argument(&format!("'{key}' must be a UTF-8 string."))),
    }
}

const CONFIG_KEYS: &[&str] = &[
    "issuer",
    "resource",
    "scopes",
    "codeTtl",
    "accessTokenTtl",
    "refreshTokenTtl",
    "refreshGrace",
    "authorizationEndpoint",
    "tokenEndpoint",
    "registrationEndpoint",
    "revocationEndpoint",
    "jwksUri",
    "dangerousAllowHttpLoopback",
];

#[php_impl]
impl AuthorizationServer {
    /// @param array $config `issuer`, `resource` (the MCP URL), `scopes`
    ///   (the resource's scopes; never `offline_access`) are required;
    ///   `codeTtl` (60 s, ≤ 600), `accessTokenTtl` (3600 s), `refreshTokenTtl`
    ///   (30 days), `refreshGrace` (30 s, ≤ 300; 0 = any reuse revokes),
    ///   `authorizationEndpoint`, `tokenEndpoint`, `registrationEndpoint`,
    ///   `revocationEndpoint` (default: `<issuer>/oauth/…`), `jwksUri` (when
    ///   access tokens are JWTs), `dangerousAllowHttpLoopback` (false; local
    ///   development only). An unknown key is refused.
    /// @throws \McpGuard\Exception\ConfigurationException reason invalid_oauth_configuration.
    /// @throws \McpGuard\Exception\InvalidArgumentException for a value of the wrong type.
    pub fn __construct(config: &ZendHashTable) -> PhpResult<Self> {
        guarded(|| {
            let mut unknown = None;
            convert_keys(config, &mut unknown)?;
            if let Some(k) = unknown {
                return Err(invalid_argument(&format!(
                    "Unknown configuration key '{k}'."
                )));
            }
            let issuer = opt_str(config, "issuer")?
                .ok_or_else(|| invalid_argument("'issuer' is required."))?;
            let resource = opt_str(config, "resource")?
                .ok_or_else(|| invalid_argument("'resource' is required."))?;
            let scopes = match config.get("scopes").and_then(Zval::array) {
                Some(ht) => strings(ht, "'scopes'")?,
                None => {
                    return Err(invalid_argument(
                        "'scopes' is required (a list of strings).",
                    ))
                }
            };
            let refs: Vec<&str> = scopes.iter().map(String::as_str).collect();
            // Checked once every field is set: dangerousAllowHttpLoopback decides whether
            // the URLs themselves are acceptable.
            let mut c = Config::unchecked(&issuer, &resource, &refs);
            if let Some(v) = opt_secs(config, "codeTtl")? {
                c.code_ttl_secs = v;
            }
            if let Some(v) = opt_secs(config, "accessTokenTtl")? {
                c.access_ttl_secs = v;
            }
            if let Some(v) = opt_secs(config, "refreshTokenTtl")? {
                c.refresh_ttl_secs = v;
            }
            if let Some(v) = opt_secs(config, "refreshGrace")? {
                c.refresh_grace_secs = v;
            }
            if let Some(z) = config.get("dangerousAllowHttpLoopback") {
                c.dangerous_allow_http_loopback = z.bool().ok_or_else(|| {
                    invalid_argument("'dangerousAllowHttpLoopback' must be a boolean.")
                })?;
            }
            c.check()?;
            let mut e = Endpoints::under(&c.issuer);
            for (key, slot) in [
                ("authorizationEndpoint", &mut e.authorization),
                ("tokenEndpoint", &mut e.token),
                ("registrationEndpoint", &mut e.registration),
                ("revocationEndpoint", &mut e.revocation),
            ] {
                if let Some(v) = opt_str(config, key)? {
                    *slot = v;
                }
            }
            e.jwks = opt_str(config, "jwksUri")?;
            Ok(Self {
                config: c,
                endpoints: e,
            })
        })
    }

    /// The issuer.
    pub fn issuer(&self) -> String {
        self.config.issuer.clone()
    }

    /// The MCP resource URL.
    pub fn resource(&self) -> String {
        self.config.resource.clone()
    }

    /// Access-token lifetime in seconds.
    pub fn access_token_ttl(&self) -> i64 {
        i64::try_from(self.config.access_ttl_secs).unwrap_or(i64::MAX)
    }

    /// Refresh-token lifetime in seconds.
    pub fn refresh_token_ttl(&self) -> i64 {
        i64::try_from(self.config.refresh_ttl_secs).unwrap_or(i64::MAX)
    }

    /// The RFC 8414 authorization-server metadata (JSON).
    pub fn metadata(&self) -> String {
        metadata::authorization_server(&self.config, &self.endpoints).to_string()
    }

    /// The RFC 9728 protected-resource metadata (JSON).
    pub fn protected_resource_metadata(&self, resourceName: Option<String>) -> String {
        metadata::protected_resource(&self.config, resourceName.as_deref()).to_string()
    }

    /// The protected-resource metadata URL, for `resource_metadata=` in
    /// `WWW-Authenticate`.
    pub fn protected_resource_metadata_url(&self) -> String {
        metadata::protected_resource_url(&self.config)
    }

    /// The `WWW-Authenticate` value of a 401 from the MCP endpoint:
    /// `Bearer resource_metadata="…"`, plus `error="invalid_token"` when a
    /// token was presented and refused.
    ///
    /// @throws \McpGuard\Exception\ConfigurationException reason invalid_metadata_url
    ///   when the resource URL cannot stand in a quoted string.
    #[php(defaults(invalidToken = false))]
    pub fn challenge(&self, invalidToken: bool) -> PhpResult<String> {
        guarded(|| Ok(metadata::challenge(&self.config, invalidToken)?))
    }

    /// Reads a form body that may hold only the `$fields` names, each at most
    /// once (strictly: a bad escape, a value that is not UTF-8 or holds a
    /// control character, another name or a repeated one refuses the whole
    /// form). Returns name → value, or null when the form is refused.
    pub fn form_fields(
        body: BinarySlice<u8>,
        fields: &ZendHashTable,
    ) -> PhpResult<Option<ZBox<ZendHashTable>>> {
        guarded(|| {
            let names = strings(fields, "The field names")?;
            let refs: Vec<&str> = names.iter().map(String::as_str).collect();
            let Ok(pairs) = crate::core::oauth::form::Form::only(&body, &refs) else {
                return Ok(None);
            };
            let mut ht = ZendHashTable::new();
            for (name, value) in pairs {
                ht.insert(name.as_str(), value.as_str())?;
            }
            Ok(Some(ht))
        })
    }

    /// Which document a request path serves: `authorization_server`,
    /// `protected_resource`, or null.
    pub fn route(&self, path: BinarySlice<u8>) -> Option<&'static str> {
        let p = std::str::from_utf8(&path).ok()?;
        metadata::route(&self.config, p).map(|d| match d {
            Document::AuthorizationServer => "authorization_server",
            Document::ProtectedResource => "protected_resource",
        })
    }

    /// Step 1 of the authorization request: the `client_id` of the raw
    /// query string, for the glue to load that client.
    ///
    /// @throws \McpGuard\Exception\OAuthException reason malformed_request, duplicate_parameter, missing_parameter.
    pub fn authorization_client_id(&self, query: BinarySlice<u8>) -> PhpResult<String> {
        guarded(|| {
            let q = authorize::Query::parse(&query)?;
            Ok(q.client_id()
                .ok_or(OAuthError::MissingParameter)?
                .to_owned())
        })
    }

    /// Step 2: the whole request against the client's metadata. Never
    /// throws for a bad request: the result says what to do.
    pub fn authorize(
        &self,
        query: BinarySlice<u8>,
        client: &ClientMetadata,
    ) -> AuthorizationResult {
        let outcome = authorize::Query::parse(&query)
            .map_err(|error| AuthorizeError {
                error,
                redirect: None,
            })
            .and_then(|q| q.validate(&client.0.redirect_uris, &self.config));
        AuthorizationResult(outcome)
    }

    /// Issues a code for a validated request, after the member consented:
    /// `$scopes` is what was granted (see `AuthorizationRequest::grantable()`).
    ///
    /// @throws \McpGuard\Exception\OAuthException reason access_denied when nothing is granted.
    pub fn issue_code(
        &self,
        request: &AuthorizationRequest,
        member: String,
        scopes: &ZendHashTable,
        now: Option<i64>,
    ) -> PhpResult<IssuedCode> {
        guarded(|| {
            let granted = strings(scopes, "The scopes")?;
            let issued = CoreCode::issue(
                &request.0,
                &member,
                granted,
                &self.config,
                &rng(),
                now_or(now),
            )?;
            let redirect = request.0.code_redirect(&issued.code);
            Ok(IssuedCode { issued, redirect })
        })
    }

    /// The digest a code is stored and looked up under; a value that cannot
    /// be a code is refused before any lookup.
    ///
    /// @throws \McpGuard\Exception\OAuthException errorCode invalid_grant.
    pub fn code_hash(&self, code: BinarySlice<u8>) -> PhpResult<String> {
        guarded(|| Ok(code::hash(&code)?))
    }

    /// Redeems a consumed code against the token request: `$binding` is
    /// what `IssuedCode::binding()` gave (as stored). Returns the binding
    /// when every part holds.
    ///
    /// @throws \McpGuard\Exception\OAuthException errorCode invalid_grant (or invalid_target).
    pub fn redeem_code(
        &self,
        binding: &ZendHashTable,
        request: &TokenRequest,
        now: Option<i64>,
    ) -> PhpResult<ZBox<ZendHashTable>> {
        guarded(|| {
            let b = binding_from(binding)?;
            let Grant::AuthorizationCode {
                redirect_uri,
                verifier,
                ..
            } = &request.0.grant
            else {
                return Err(OAuthError::UnsupportedGrantType.into());
            };
            let resources: Vec<&str> = request.0.resources.iter().map(String::as_str).collect();
            let ex = Exchange {
                client_id: request.0.client.client_id(),
                redirect_uri: redirect_uri.as_deref(),
                verifier: verifier.as_deref().map(str::as_bytes),
                resources: &resources,
            };
            let redeemed = b.redeem(&ex, now_or(now))?;
            binding_to(&redeemed.binding)
        })
    }

    /// Decides on a presented refresh token from what the store knows of it:
    /// `expiresAt` (int), `rotatedAt` (?int), `graceSuccessors` (int),
    /// `successorUsed` (bool), `familyRevoked` (bool). Returns `rotate`,
    /// `rotate_again` (benign race: issue another successor) or
    /// `revoke_family` (a replay: revoke, then refuse with invalid_grant).
    ///
    /// @throws \McpGuard\Exception\OAuthException reason refresh_revoked or refresh_expired.
    pub fn refresh_decision(
        &self,
        state: &ZendHashTable,
        now: Option<i64>,
    ) -> PhpResult<&'static str> {
        guarded(|| {
            let int = |k: &str| state.get(k).and_then(Zval::long);
            let flag = |k: &str| state.get(k).and_then(Zval::bool);
            let bad = || invalid_argument("The refresh state is incomplete or mistyped.");
            let s = State {
                expires_at: int("expiresAt").ok_or_else(bad)?,
                rotated_at: match state.get("rotatedAt") {
                    None => None,
                    Some(z) if z.is_null() => None,
                    Some(z) => Some(z.long().ok_or_else(bad)?),
                },
                grace_successors: int("graceSuccessors")
                    .and_then(|v| u32::try_from(v).ok())
                    .ok_or_else(bad)?,
                successor_used: flag("successorUsed").ok_or_else(bad)?,
                family_revoked: flag("familyRevoked").ok_or_else(bad)?,
            };
            Ok(match refresh::decide(&s, &self.config, now_or(now))? {
                Decision::Rotate => "rotate",
                Decision::RotateAgain => "rotate_again",
                Decision::RevokeFamily => "revoke_family",
            })
        })
    }

    /// The scopes of refreshed tokens: the requested ones (only a subset of
    /// the grant), or the whole grant.
    ///
    /// @throws \McpGuard\Exception\OAuthException errorCode invalid_scope.
    pub fn narrow_scopes(
        &self,
        granted: &ZendHashTable,
        requested: Option<String>,
    ) -> PhpResult<Vec<String>> {
        guarded(|| {
            Ok(refresh::narrowed(
                &strings(granted, "The scopes")?,
                requested.as_deref(),
            )?)
        })
    }

    /// Whether the token request's `resource` values (if any) name this
    /// server's resource (checked again on refresh).
    ///
    /// @throws \McpGuard\Exception\OAuthException errorCode invalid_target.
    pub fn check_resource(&self, request: &TokenRequest) -> PhpResult<()> {
        guarded(|| {
            if request
                .0
                .resources
                .iter()
                .any(|r| *r != self.config.resource)
            {
                return Err(OAuthError::InvalidTarget.into());
            }
            Ok(())
        })
    }
}

/// Reads the keys of the configuration array so that a non-UTF-8 or
/// unknown key is refused (through the converter: never a panic).
fn convert_keys(config: &ZendHashTable, unknown: &mut Option<String>) -> PhpResult<()> {
    use crate::core::json::view::{Key, View};
    config.entries(|k, _| -> PhpResult<()> {
        let name = match k {
            Key::Name(b) => utf8(b, "A configuration key")?,
            Key::Index(_) => {
                return Err(invalid_argument("The configuration must be keyed by name."))
            }
        };
        if !CONFIG_KEYS.contains(&name) && unknown.is_none() {
            *unknown = Some(name.chars().take(64).collect());
        }
        Ok(())
    })
}

fn binding_from(ht: &ZendHashTable) -> PhpResult<Binding> {
    let bad = || OAuthError::InvalidCode;
    let s = |k: &str| -> PhpResult<String> { opt_str(ht, k)?.ok_or_else(|| bad().into()) };
    let int = |k: &str| ht.get(k).and_then(Zval::long).ok_or_else(bad);
    let scopes = match ht.get("scopes").and_then(Zval::array) {
        Some(list) => strings(list, "The scopes")?,
        None => return Err(bad().into()),
    };
    Ok(Binding {
        client_id: s("clientId")?,
        redirect_uri: s("redirectUri")?,
        challenge: s("challenge")?,
        scopes,
        resource: s("resource")?,
        member: s("member")?,
        issued_at: int("issuedAt")?,
        expires_at: int("expiresAt")?,
    })
}

fn binding_to(b: &Binding) -> PhpResult<ZBox<ZendHashTable>> {
    let mut ht = ZendHashTable::new();
    ht.insert("clientId", b.client_id.as_str())?;
    ht.insert("redirectUri", b.redirect_uri.as_str())?;
    ht.insert("challenge", b.challenge.as_str())?;
    ht.insert("scopes", b.scopes.clone())?;
    ht.insert("resource", b.resource.as_str())?;
    ht.insert("member", b.member.as_str())?;
    ht.insert("issuedAt", b.issued_at)?;
    ht.insert("expiresAt", b.expires_at)?;
    Ok(ht)
}

// ---------------------------------------------------------------- results

/// The outcome of `AuthorizationServer::authorize()`: a validated request,
/// or an error that is either shown to the member (`redirectUri()` null:
/// the client or its redirect URI could not be trusted) or sent back to the
/// client by redirect (with `state` and `iss`).
#[php_class]
#[php(name = "McpGuard\\OAuth\\AuthorizationResult")]
#[php(flags = ClassFlags::Final)]
pub struct AuthorizationResult(Result<CoreRequest, AuthorizeError>);

#[php_impl]
impl AuthorizationResult {
    /// Whether the request is valid (show the consent page).
    pub fn ok(&self) -> bool {
        self.0.is_ok()
    }

    /// The validated request, or null.
    pub fn request(&self) -> Option<AuthorizationRequest> {
        self.0
            .as_ref()
            .ok()
            .map(|r| AuthorizationRequest(r.clone()))
    }

    /// The OAuth error code, or null.
    pub fn error(&self) -> Option<&'static str> {
        self.0.as_ref().err().and_then(|e| e.error.oauth_code())
    }

    /// The reason for the audit log, or null.
    pub fn reason(&self) -> Option<&'static str> {
        use crate::core::error::GuardError;
        self.0.as_ref().err().map(|e| e.error.reason())
    }

    /// Where to redirect the error (already carrying `error`, `state` and
    /// `iss`), or null: show an error page instead.
    pub fn redirect_uri(&self) -> Option<String> {
        self.0.as_ref().err().and_then(|e| e.redirect.clone())
    }
}

/// A validated authorization request: what the consent page shows and what
/// a code is bound to.
#[php_class]
#[php(name = "McpGuard\\OAuth\\AuthorizationRequest")]
#[php(flags = ClassFlags::Final)]
pub struct AuthorizationRequest(CoreRequest);

#[php_impl]
impl AuthorizationRequest {
    /// The client id.
    pub fn client_id(&self) -> String {
        self.0.client_id.clone()
    }

    /// The redirect URI as sent.
    pub fn redirect_uri(&self) -> String {
        self.0.redirect_uri.clone()
    }

    /// The redirect URI's host (for the consent page).
    pub fn redirect_host(&self) -> String {
        let u = &self.0.redirect_uri;
        let rest = u.split_once("://").map_or(u.as_str(), |(_, r)| r);
        rest.split(['/', '?']).next().unwrap_or_default().to_owned()
    }

    /// The CSP source of the redirect URI (`https://host[:port]`, the
    /// loopback `http://host:port`, or `scheme:` for a native app), for the
    /// consent page's `form-action` (Chromium applies it to the redirect that
    /// answers the form).
    pub fn redirect_origin(&self) -> Option<String> {
        crate::core::oauth::redirect::RedirectUri::csp_source(&self.0.redirect_uri)
    }

    /// Whether the redirect URI is a loopback one (the consent page warns).
    pub fn redirect_is_loopback(&self) -> bool {
        crate::core::oauth::redirect::RedirectUri::parse(self.0.redirect_uri.as_bytes())
            .is_ok_and(|u| u.kind() == crate::core::oauth::redirect::Kind::Loopback)
    }

    /// `state`, or null.
    pub fn state(&self) -> Option<String> {
        self.0.state.clone()
    }

    /// The requested scopes (without `offline_access`).
    pub fn scopes(&self) -> Vec<String> {
        self.0.scopes.clone()
    }

    /// Whether `offline_access` was requested.
    pub fn offline_access(&self) -> bool {
        self.0.offline_access
    }

    /// The scopes to grant given what the member's role allows (canonical
    /// names): the requested ones the role allows, or all of them when none
    /// was requested; null when nothing is left.
    pub fn grantable(&self, allowed: &ZendHashTable) -> PhpResult<Option<Vec<String>>> {
        guarded(|| Ok(self.0.grantable(&strings(allowed, "The allowed scopes")?)))
    }

    /// The redirect for the member's refusal (`error=access_denied`).
    pub fn denied_redirect_uri(&self) -> String {
        self.0.denied_redirect()
    }
}

/// A code just issued: redirect to `redirectUri()` (it carries the code),
/// store `hash()` with `binding()`.
#[php_class]
#[php(name = "McpGuard\\OAuth\\IssuedCode")]
#[php(flags = ClassFlags::Final)]
pub struct IssuedCode {
    issued: CoreCode,
    redirect: String,
}

#[php_impl]
impl IssuedCode {
    /// The redirect back to the client, with `code`, `state` and `iss`.
    pub fn redirect_uri(&self) -> String {
        self.redirect.clone()
    }

    /// The digest to store the code under.
    pub fn hash(&self) -> String {
        self.issued.hash.clone()
    }

    /// What the code is bound to: `clientId`, `redirectUri`, `challenge`,
    /// `scopes`, `resource`, `member`, `issuedAt`, `expiresAt`.
    pub fn binding(&self) -> PhpResult<ZBox<ZendHashTable>> {
        binding_to(&self.issued.binding)
    }

    /// Expiry, Unix seconds.
    pub fn expires_at(&self) -> i64 {
        self.issued.binding.expires_at
    }
}

/// A token request (OAuth 2.1 §3.2), read from the form body and the
/// `Authorization` header. The client secret, if any, goes to
/// `McpGuard\Tokens::verify()` against the stored hash: never compared in PHP.
#[php_class]
#[php(name = "McpGuard\\OAuth\\TokenRequest")]
#[php(flags = ClassFlags::Final)]
pub struct TokenRequest(CoreToken);

#[php_impl]
impl TokenRequest {
    /// Reads a token request.
    ///
    /// @throws \McpGuard\Exception\OAuthException errorCode invalid_request,
    ///   invalid_client or unsupported_grant_type.
    pub fn parse(body: BinarySlice<u8>, authorization: Option<BinarySlice<u8>>) -> PhpResult<Self> {
        guarded(|| {
            Ok(Self(CoreToken::parse(
                &body,
                authorization.as_deref().copied(),
            )?))
        })
    }

    /// `authorization_code` or `refresh_token`.
    pub fn grant_type(&self) -> &'static str {
        match self.0.grant {
            Grant::AuthorizationCode { .. } => "authorization_code",
            Grant::RefreshToken { .. } => "refresh_token",
        }
    }

    /// `code`, for an authorization_code grant.
    pub fn code(&self) -> Option<String> {
        match &self.0.grant {
            Grant::AuthorizationCode { code, .. } => Some(code.clone()),
            Grant::RefreshToken { .. } => None,
        }
    }

    /// `refresh_token`, for a refresh_token grant.
    pub fn refresh_token(&self) -> Option<String> {
        match &self.0.grant {
            Grant::RefreshToken { refresh_token, .. } => Some(refresh_token.clone()),
            Grant::AuthorizationCode { .. } => None,
        }
    }

    /// `scope`, for a refresh_token grant.
    pub fn scope(&self) -> Option<String> {
        match &self.0.grant {
            Grant::RefreshToken { scope, .. } => scope.clone(),
            Grant::AuthorizationCode { .. } => None,
        }
    }

    /// The client id.
    pub fn client_id(&self) -> String {
        self.0.client.client_id().to_owned()
    }

    /// The client secret, if one was presented (pass it to `Tokens::verify()`).
    pub fn client_secret(&self) -> Option<String> {
        self.0.client.secret().map(str::to_owned)
    }

    /// Whether the request used the method the client was assigned.
    ///
    /// @throws \McpGuard\Exception\OAuthException errorCode invalid_client.
    pub fn check_auth_method(&self, client: &ClientMetadata) -> PhpResult<()> {
        guarded(|| Ok(self.0.client.check_method(client.0.auth_method)?))
    }
}

/// A revocation request (RFC 7009).
#[php_class]
#[php(name = "McpGuard\\OAuth\\RevocationRequest")]
#[php(flags = ClassFlags::Final)]
pub struct RevocationRequest(CoreRevocation);

#[php_impl]
impl RevocationRequest {
    /// Reads a revocation request.
    ///
    /// @throws \McpGuard\Exception\OAuthException errorCode invalid_request or invalid_client.
    pub fn parse(body: BinarySlice<u8>, authorization: Option<BinarySlice<u8>>) -> PhpResult<Self> {
        guarded(|| {
            Ok(Self(CoreRevocation::parse(
                &body,
                authorization.as_deref().copied(),
            )?))
        })
    }

    /// The token to revoke.
    pub fn token(&self) -> String {
        self.0.token.clone()
    }

    /// `access_token`, `refresh_token`, or null.
    pub fn hint(&self) -> Option<String> {
        self.0.hint.clone()
    }

    /// The client id.
    pub fn client_id(&self) -> String {
        self.0.client.client_id().to_owned()
    }

    /// The client secret, if one was presented.
    pub fn client_secret(&self) -> Option<String> {
        self.0.client.secret().map(str::to_owned)
    }

    /// Whether the request used the method the client was assigned.
    ///
    /// @throws \McpGuard\Exception\OAuthException errorCode invalid_client.
    pub fn check_auth_method(&self, client: &ClientMetadata) -> PhpResult<()> {
        guarded(|| Ok(self.0.client.check_method(client.0.auth_method)?))
    }
}
