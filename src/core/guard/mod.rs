//! The guard of one MCP request: the decisions of the other concepts composed
//! in one fixed order, so that a host asks the extension once per request
//! instead of once per step.
//!
//! ## Layers
//! * [`GuardConfig`] — what a shop configures once: the compiled policy, the
//!   token settings, the per-principal and per-tool-class rates, the
//!   protected-resource metadata URL the challenges name. Compiled once per
//!   worker by the binding and shared behind an `Arc`.
//! * [`decide`] — one call, in this order, stopping at the first refusal:
//!   1. the credential: an opaque token verified against the row the host
//!      found by its public id (format, checksum, hash in constant time,
//!      revocation, expiry), or a member the host authenticated itself (a
//!      verified JWT's subject, Basic credentials it checked), or — when the
//!      host opted in — a token of the tool it replaced, checked against the
//!      bare SHA-256 its row stored ([`Credential::LegacySha256`]). A failed token
//!      also costs its client address one unit of the `failed` rate;
//!   2. the member: a member the host no longer lists (no role) is refused,
//!      whatever token it holds;
//!   3. the scopes: what the token presents AND what the member's role
//!      grants ([`ScopeSet::intersect`]), the hierarchy resolved in each;
//!   4. the rates: every request of the principal (`request`), then the
//!      tool's class (`read`, `write`, `destructive`), on the principal's key;
//!   5. the policy: tool, scopes, writes enabled, tool enabled, the typed
//!      fields of the arguments, looked at in place.
//! * [`Verdict`] — the outcome: what was admitted (public id, class, the
//!   scope set for `tools/list`, the rate to report in headers), or the
//!   [`Refusal`] with its HTTP status and reason. The binding builds its
//!   header texts with [`crate::core::resource::challenge`] and
//!   [`crate::core::ratelimit::headers`].
//!
//! The rate-limit state lives outside the core (a shared-memory table, Redis):
//! the caller passes a [`Limiter`].

use std::sync::Arc;

use super::error::GuardError;
use super::json::view::View;
use super::policy::{
    Policy, Reason as PolicyReason, Refusal as PolicyRefusal, ScopeSet, ToolClass,
};
use super::ratelimit::gcra::{Decision as RateDecision, Rate};
use super::ratelimit::{ip_key, RateLimitError};
use super::token::{self, StoredToken, TokenConfig, TokenError};

crate::error_table! {
    /// Why a guard configuration was refused (a bug in the host's setup,
    /// never a request's fault).
    pub enum GuardConfigError {
        /// A key the configuration does not define.
        UnknownKey => Configuration, "guard_unknown_key",
            "The guard configuration has an unknown key (manifest, resource, resourceMetadata, tokenPrefixes, tokenPepper, rates, allowedOrigins, trustedProxies, dangerousAllowHttpLoopback, legacySha256Tokens).";
        /// No `manifest`.
        MissingManifest => Configuration, "guard_missing_manifest", "The guard configuration needs a manifest.";
        /// No `resourceMetadata`, or one that cannot sit in a challenge.
        InvalidResourceMetadata => Configuration, "guard_invalid_resource_metadata",
            "resourceMetadata must be an absolute http(s) URL without quotes, backslashes or spaces.";
        /// A rate that is not `['limit' => int, 'period' => int]` or `false`,
        /// or a rate name other than request, read, write, destructive, failed.
        InvalidRate => Configuration, "guard_invalid_rate",
            "The guard rates are request, read, write, destructive and failed, each ['limit' => int, 'period' => int] or false.";
        /// `tokenPrefixes` is not a list of prefixes, `tokenPepper` not a
        /// string or `legacySha256Tokens` not a bool.
        InvalidTokenSetting => Configuration, "guard_invalid_token_setting",
            "tokenPrefixes must be a list of 1 to 8 prefixes, tokenPepper a string and legacySha256Tokens a bool.";
        /// `allowedOrigins` or `trustedProxies` is not a list of strings, or
        /// `dangerousAllowHttpLoopback` not a bool.
        InvalidTransportSetting => Configuration, "guard_invalid_transport_setting",
            "allowedOrigins and trustedProxies must be lists of strings, dangerousAllowHttpLoopback a bool.";
        /// The configuration callable of a named guard did not return an array.
        NotAnArray => Configuration, "guard_config_not_array",
            "The guard configuration callable must return an array.";
    }
}

/// The rates the guard applies; `None` = that limit is off.
#[derive(Debug, Clone)]
pub struct GuardRates {
    /// Every request of one principal. Default: 120 per minute.
    pub request: Option<Rate>,
    /// Calls of `read` tools by one principal. Default: 60 per minute.
    pub read: Option<Rate>,
    /// Calls of `write` tools by one principal. Default: 20 per minute.
    pub write: Option<Rate>,
    /// Calls of `destructive` tools by one principal. Default: 5 per minute.
    pub destructive: Option<Rate>,
    /// Failed token attempts from one client address. Default: 10 per minute.
    pub failed: Option<Rate>,
}

/// The names of the guard's rates, as `RateLimit-Policy` reports them and as
/// the shared table keys them.
pub const RATE_NAMES: [&str; 5] = [
    "mcp.request",
    "mcp.read",
    "mcp.write",
    "mcp.destructive",
    "mcp.failed",
];

/// The default rates: (name in the configuration, limit, period in seconds).
pub const DEFAULT_GUARD_RATES: [(&str, u64, u64); 5] = [
    ("request", 120, 60),
    ("read", 60, 60),
    ("write", 20, 60),
    ("destructive", 5, 60),
    ("failed", 10, 60),
];

impl Default for GuardRates {
    /// [`DEFAULT_GUARD_RATES`].
    fn default() -> Self {
        let rate = |i: usize| {
            DEFAULT_GUARD_RATES
                .get(i)
                .and_then(|(_, limit, secs)| Rate::per_seconds(*limit, *secs).ok())
        };
        Self {
            request: rate(0),
            read: rate(1),
            write: rate(2),
            destructive: rate(3),
            failed: rate(4),
        }
    }
}

impl GuardRates {
    /// The rate called `name` in the configuration (`request`, `read`,
    /// `write`, `destructive`, `failed`), for setting it.
    pub fn slot(&mut self, name: &str) -> Option<&mut Option<Rate>> {
        match name {
            "request" => Some(&mut self.request),
            "read" => Some(&mut self.read),
            "write" => Some(&mut self.write),
            "destructive" => Some(&mut self.destructive),
            "failed" => Some(&mut self.failed),
            _ => None,
        }
    }

    fn of_class(&self, class: ToolClass) -> (&'static str, Option<&Rate>) {
        match class {
            ToolClass::Read => (RATE_NAMES[1], self.read.as_ref()),
            ToolClass::Write => (RATE_NAMES[2], self.write.as_ref()),
            ToolClass::Destructive => (RATE_NAMES[3], self.destructive.as_ref()),
        }
    }
}

/// What a shop configures once per guard.
#[derive(Debug, Clone)]
pub struct GuardConfig {
    /// The compiled tool policy.
    pub policy: Arc<Policy>,
    /// How opaque tokens are checked: one configuration per accepted prefix
    /// (API tokens `mcp`, OAuth access tokens `mcpat`), the same pepper.
    pub tokens: Vec<TokenConfig>,
    /// The MCP resource URL an audience-bound token (an OAuth access token,
    /// RFC 8707) must name exactly.
    pub resource: Option<String>,
    /// The rates.
    pub rates: GuardRates,
    /// The protected-resource metadata URL (RFC 9728) the 401 and 403
    /// challenges name.
    pub resource_metadata: String,
    /// Whether [`Credential::LegacySha256`] rows are accepted at all. Default
    /// (from [`GuardConfig::new`]): false — a host opts in when it still
    /// holds rows of a tool it replaced; off, such a credential is refused as
    /// malformed, exactly as before the path existed.
    pub legacy_sha256: bool,
    /// Every role's scope set, resolved once ([`GuardConfig::new`]).
    roles: Vec<(String, ScopeSet)>,
}

impl GuardConfig {
    /// A configuration whose role scope sets are resolved once, here.
    pub fn new(
        policy: Arc<Policy>,
        tokens: Vec<TokenConfig>,
        rates: GuardRates,
        resource: Option<String>,
        resource_metadata: String,
    ) -> Self {
        let roles = policy
            .role_names()
            .into_iter()
            .map(|name| {
                let granted = policy.scopes_for_role(name).unwrap_or_default();
                let set = policy
                    .scope_set(granted.iter().map(|s| s.as_bytes()))
                    .unwrap_or_default();
                (name.to_owned(), set)
            })
            .collect();
        Self {
            policy,
            tokens,
            resource,
            rates,
            resource_metadata,
            legacy_sha256: false,
            roles,
        }
    }

    /// The lower-case hex SHA-256 a host looks a [`Credential::LegacySha256`]
    /// row up by; `None` when legacy rows are off, or the token starts like
    /// one of ours, or is empty or longer than the legacy limit (no row is
    /// asked for: [`decide`] would refuse it anyway).
    pub fn legacy_digest(&self, presented: &[u8]) -> Option<String> {
        if !self.accepts_as_legacy(presented) {
            return None;
        }
        token::legacy_sha256_hex(presented)
    }

    /// Whether `presented` may be checked against a legacy row at all: legacy
    /// rows are on, and it does not start like one of our tokens.
    fn accepts_as_legacy(&self, presented: &[u8]) -> bool {
        self.legacy_sha256 && !looks_like_ours(&self.tokens, presented)
    }

    /// What a role grants, resolved against the policy.
    fn role_set(&self, role: &[u8]) -> Option<&ScopeSet> {
        self.roles
            .iter()
            .find(|(name, _)| name.as_bytes() == role)
            .map(|(_, set)| set)
    }
}

/// A principal's rate-limit key (`token:<public id>`, `user:<member id>`),
/// built on the stack: the id is 1 to 256 printable ASCII bytes (the rule of
/// [`crate::core::ratelimit::principal_key`]).
struct PrincipalKey {
    buf: [u8; 6 + 256],
    len: usize,
}

impl PrincipalKey {
    fn new(kind: &[u8], id: &[u8]) -> Option<Self> {
        if id.is_empty() || id.len() > 256 || !id.iter().all(u8::is_ascii_graphic) {
            return None;
        }
        let mut buf = [0u8; 6 + 256];
        let len = kind.len() + id.len();
        buf.get_mut(..kind.len())?.copy_from_slice(kind);
        buf.get_mut(kind.len()..len)?.copy_from_slice(id);
        Some(Self { buf, len })
    }

    fn as_bytes(&self) -> &[u8] {
        self.buf.get(..self.len).unwrap_or_default()
    }
}

/// Who the request claims to be.
#[derive(Debug, Clone, Copy)]
pub enum Credential<'a> {
    /// An opaque token, with the row the host found by its public id (`None`:
    /// no row).
    Token {
        /// The token exactly as presented.
        presented: &'a [u8],
        /// The stored row.
        stored: Option<StoredToken<'a>>,
        /// The resource the row binds the token to (OAuth access tokens);
        /// `None` for a token bound to no resource (an API token).
        audience: Option<&'a [u8]>,
    },
    /// A token of a host's earlier tool, stored as the bare hex SHA-256 of the
    /// whole token (Statamic MCP's `mcp_tokens.token`), with the row the host
    /// found by [`token::legacy_sha256_hex`] (`None`: no row). Accepted only
    /// when [`GuardConfig::legacy_sha256`] is on, and never for a token that
    /// starts like one of ours (`<prefix>_`): those are verified as ours or
    /// not at all. The rates are keyed by `token:sha256-<16 hex of the
    /// digest>` ([`token::verify_legacy_row`]).
    LegacySha256 {
        /// The token exactly as presented.
        presented: &'a [u8],
        /// The stored row; `hash` is the bare 64-hex digest.
        stored: Option<StoredToken<'a>>,
    },
    /// A member the host authenticated itself (a verified JWT's `sub`, Basic
    /// credentials it checked): its id keys the principal's rates.
    Member(&'a [u8]),
}

/// One request's facts.
#[derive(Debug, Clone, Copy)]
pub struct Call<'a, V: ?Sized> {
    /// The credential.
    pub credential: Credential<'a>,
    /// The scopes the token presents (aliases accepted).
    pub scopes: &'a [&'a [u8]],
    /// The member's role now; `None` = no longer in the members list.
    pub role: Option<&'a [u8]>,
    /// The tool called; `None` for a request that calls no tool (`tools/list`,
    /// `ping`, `initialize`).
    pub tool: Option<&'a [u8]>,
    /// The call's arguments (`None` = none).
    pub arguments: Option<&'a V>,
    /// The client address, for the `failed` rate (`None` = not counted).
    pub ip: Option<&'a [u8]>,
    /// Unix seconds, for token expiry.
    pub now: i64,
}

/// The rate-limit state: one hit of cost 1 on `key` under the rate `name`.
pub trait Limiter {
    /// Records the hit and returns the decision.
    fn hit(
        &mut self,
        name: &'static str,
        rate: &Rate,
        key: &[u8],
    ) -> Result<RateDecision, RateLimitError>;
}

/// One rate-limit hit, kept for the response headers.
#[derive(Debug, Clone, Copy)]
pub struct Hit {
    /// The rate's name ([`RATE_NAMES`]).
    pub name: &'static str,
    /// The rate.
    pub rate: Rate,
    /// The decision.
    pub decision: RateDecision,
}

/// Why the guard refused a request.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub enum Refusal {
    /// The token did not verify (malformed, unknown, mismatch, revoked,
    /// expired…): 401 `invalid_token`.
    Token(TokenError),
    /// The token verified but was issued for another resource (RFC 8707):
    /// 401 `invalid_token`.
    WrongAudience,
    /// A credential the host or a JWT verifier refused (see
    /// [`refuse_credential`]): 401 `invalid_token`.
    Credential,
    /// The member is no longer in the members list: 401 `invalid_token`.
    MemberRemoved,
    /// The member's role is not one the policy knows: 401 `invalid_token`
    /// (the host's members list and the manifest disagree; nothing is granted).
    UnknownRole,
    /// A rate is exhausted: 429 with `Retry-After`.
    RateLimited(Hit),
    /// The rate-limit state could not be used (no table, table full under
    /// the `refuse` setting): 503.
    Limiter(RateLimitError),
    /// The policy refused the call (unknown tool, scopes, writes, fields).
    Policy(PolicyRefusal),
}

impl Refusal {
    /// The HTTP status: 401 for credentials, 403 for missing scopes, 429 for
    /// rates, 503 when the limiter is unusable, and 200 for the other policy
    /// refusals (a JSON-RPC error: the request was understood and is answered
    /// in the protocol).
    pub fn status(&self) -> u16 {
        match self {
            Self::Token(_)
            | Self::WrongAudience
            | Self::Credential
            | Self::MemberRemoved
            | Self::UnknownRole => 401,
            Self::RateLimited(_) => 429,
            Self::Limiter(_) => 503,
            Self::Policy(p) if p.reason() == PolicyReason::InsufficientScope => 403,
            Self::Policy(_) => 200,
        }
    }

    /// The reason code, for the audit log and the client.
    pub fn reason(&self) -> &'static str {
        match self {
            Self::Token(e) => e.reason(),
            Self::WrongAudience => "wrong_audience",
            Self::Credential => "credential_refused",
            Self::MemberRemoved => "member_removed",
            Self::UnknownRole => "unknown_role",
            Self::RateLimited(_) => "rate_limited",
            Self::Limiter(e) => e.reason(),
            Self::Policy(p) => p.reason().as_str(),
        }
    }

    /// The JSON-RPC error code of the body: -32602 (invalid params) for an
    /// unknown tool and for argument refusals, as MCP answers them; -32001
    /// for a known tool this caller may not use (writes or the tool
    /// disabled); -32000 otherwise (the HTTP status says what happened).
    pub fn json_rpc_code(&self) -> i32 {
        match self {
            Self::Policy(p) => match p.reason() {
                PolicyReason::WritesDisabled
                | PolicyReason::ToolDisabled
                | PolicyReason::InsufficientScope => -32001,
                _ => -32602,
            },
            _ => -32000,
        }
    }
}

/// What the guard admitted.
#[derive(Debug, Clone)]
pub struct Admitted {
    /// The scopes in force (token ∩ role), for `tools/list`.
    pub scopes: ScopeSet,
}

/// The outcome of [`decide`], with what was learnt on the way (for the audit
/// log and the headers) whether or not it was allowed.
#[derive(Debug, Clone)]
pub struct Verdict {
    /// Admitted, or why not.
    pub outcome: Result<Admitted, Refusal>,
    /// The token's public id, once its format and checksum are right.
    pub public_id: Option<String>,
    /// The hash to store instead, when the stored one uses an older scheme.
    pub rehash: Option<String>,
    /// The tool's class, when the tool is in the manifest.
    pub class: Option<ToolClass>,
    /// The hit to report in `RateLimit` headers: the refused one, else the
    /// tool class's, else the request's.
    pub limit: Option<Hit>,
}

impl Verdict {
    fn refused(refusal: Refusal) -> Self {
        Self {
            outcome: Err(refusal),
            public_id: None,
            rehash: None,
            class: None,
            limit: None,
        }
    }
}

/// Decides one request in the order of the module documentation.
pub fn decide<V: View + ?Sized>(
    config: &GuardConfig,
    call: &Call<'_, V>,
    limiter: &mut impl Limiter,
) -> Verdict {
    // 1. The credential.
    let mut verdict = Verdict::refused(Refusal::MemberRemoved);
    let principal = match call.credential {
        Credential::Token {
            presented,
            stored,
            audience,
        } => {
            let checked = parse_any(&config.tokens, presented).and_then(|(tokens, parsed)| {
                verdict.public_id = Some(parsed.public_id.to_owned());
                token::verify_parsed(tokens, parsed, stored, call.now)
            });
            let verified = match checked {
                Ok(v) => v,
                Err(e) => return failed(config, call, limiter, verdict, Refusal::Token(e)),
            };
            verdict.rehash = verified.rehash;
            if let Some(aud) = audience {
                if config.resource.as_deref().map(str::as_bytes) != Some(aud) {
                    return failed(config, call, limiter, verdict, Refusal::WrongAudience);
                }
            }
            match PrincipalKey::new(b"token:", verified.public_id.as_bytes()) {
                Some(k) => k,
                None => return refuse(verdict, Refusal::Limiter(RateLimitError::InvalidKey)),
            }
        }
        Credential::LegacySha256 { presented, stored } => {
            let checked = if config.accepts_as_legacy(presented) {
                token::verify_legacy_row(presented, stored, call.now)
            } else {
                Err(TokenError::Malformed)
            };
            let id = match checked {
                Ok(id) => id,
                Err(e) => return failed(config, call, limiter, verdict, Refusal::Token(e)),
            };
            let key = PrincipalKey::new(b"token:", id.as_bytes());
            verdict.public_id = Some(id);
            match key {
                Some(k) => k,
                None => return refuse(verdict, Refusal::Limiter(RateLimitError::InvalidKey)),
            }
        }
        Credential::Member(id) => match PrincipalKey::new(b"user:", id) {
            Some(k) => k,
            None => return refuse(verdict, Refusal::MemberRemoved),
        },
    };
    // 2. The member, 3. the scopes.
    let policy = &config.policy;
    let Some(role) = call.role else {
        return refuse(verdict, Refusal::MemberRemoved);
    };
    let Some(role_set) = config.role_set(role) else {
        return refuse(verdict, Refusal::UnknownRole);
    };
    let scopes = match policy.scope_set(call.scopes.iter().copied()) {
        Ok(t) => t.intersect(role_set),
        // More presented scopes than the core accepts: nothing is granted.
        Err(_) => ScopeSet::default(),
    };
    // 4. The rates: the principal's requests, then the tool's class.
    if let Some(rate) = &config.rates.request {
        if let Err(r) = hit(
            limiter,
            &mut verdict,
            RATE_NAMES[0],
            rate,
            principal.as_bytes(),
        ) {
            return refuse(verdict, r);
        }
    }
    let Some(tool) = call.tool else {
        verdict.outcome = Ok(Admitted { scopes });
        return verdict;
    };
    verdict.class = std::str::from_utf8(tool)
        .ok()
        .and_then(|t| policy.tool_class(t).ok());
    if let Some((name, Some(rate))) = verdict.class.map(|c| config.rates.of_class(c)) {
        if let Err(r) = hit(limiter, &mut verdict, name, rate, principal.as_bytes()) {
            return refuse(verdict, r);
        }
    }
    // 5. The policy.
    let outcome = match call.arguments {
        Some(args) => policy.authorize(&scopes, tool, args),
        None => policy.authorize(&scopes, tool, &super::policy::Value::Object(Vec::new())),
    };
    verdict.outcome = match outcome {
        Ok(()) => Ok(Admitted { scopes }),
        Err(p) => Err(Refusal::Policy(p)),
    };
    verdict
}

fn refuse(mut verdict: Verdict, refusal: Refusal) -> Verdict {
    verdict.outcome = Err(refusal);
    verdict
}

/// A token that did not verify: 401, unless its address has used up the
/// `failed` rate (429).
fn failed<V: View + ?Sized>(
    config: &GuardConfig,
    call: &Call<'_, V>,
    limiter: &mut impl Limiter,
    mut verdict: Verdict,
    refusal: Refusal,
) -> Verdict {
    if let (Some(rate), Some(ip)) = (&config.rates.failed, call.ip) {
        if let Ok(key) = ip_key(ip) {
            if let Err(r) = hit(limiter, &mut verdict, RATE_NAMES[4], rate, key.as_bytes()) {
                return refuse(verdict, r);
            }
        }
    }
    refuse(verdict, refusal)
}

/// A credential refused outside [`decide`] (a JWT that did not verify, Basic
/// credentials the host rejected): 401, unless the client address has used
/// up the `failed` rate (429) — the same count as failed opaque tokens.
pub fn refuse_credential(
    config: &GuardConfig,
    ip: Option<&[u8]>,
    limiter: &mut impl Limiter,
) -> Verdict {
    let mut verdict = Verdict::refused(Refusal::Credential);
    if let (Some(rate), Some(key)) = (&config.rates.failed, ip.and_then(|ip| ip_key(ip).ok())) {
        if let Err(r) = hit(limiter, &mut verdict, RATE_NAMES[4], rate, key.as_bytes()) {
            verdict.outcome = Err(r);
        }
    }
    verdict
}

/// Whether a token starts like one of ours (`<prefix>_` of an accepted
/// prefix): such a token is never checked against a legacy row, whatever
/// follows (a typo of one of ours stays a refusal of ours).
fn looks_like_ours(configs: &[TokenConfig], presented: &[u8]) -> bool {
    configs.iter().any(|c| {
        let p = c.prefix.as_str().as_bytes();
        presented.starts_with(p) && presented.get(p.len()) == Some(&b'_')
    })
}

/// The token parsed with the first configuration whose prefix it carries.
fn parse_any<'t, 'c>(
    configs: &'c [TokenConfig],
    presented: &'t [u8],
) -> Result<(&'c TokenConfig, token::ParsedToken<'t>), TokenError> {
    let mut last = TokenError::Malformed;
    for c in configs {
        match token::parse(presented, &c.prefix) {
            Ok(p) => return Ok((c, p)),
            Err(e @ TokenError::BadChecksum) => last = e,
            Err(_) => {}
        }
    }
    Err(last)
}

fn hit(
    limiter: &mut impl Limiter,
    verdict: &mut Verdict,
    name: &'static str,
    rate: &Rate,
    key: &[u8],
) -> Result<(), Refusal> {
    let decision = limiter.hit(name, rate, key).map_err(Refusal::Limiter)?;
    let h = Hit {
        name,
        rate: *rate,
        decision,
    };
    verdict.limit = Some(h);
    if decision.allowed() {
        Ok(())
    } else {
        Err(Refusal::RateLimited(h))
    }
}

#[cfg(test)]
mod tests;
