//! `McpGuard\Guard` and `McpGuard\Guard\Verdict`: the native fast path of
//! the request pipeline (`McpGuard\Server\Guard\Pipeline`).
//!
//! A guard is compiled once per worker and found again by name
//! (`Guard::named()`): no manifest is walked or hashed per request, the INI
//! token settings are read at compile time, and one call (`check()`) runs the
//! token, member, scope, rate and policy decisions of `core::guard` with the
//! arguments looked at in place.
#![allow(non_snake_case)]

use std::cell::RefCell;
use std::sync::Arc;

use ext_php_rs::binary_slice::BinarySlice;
use ext_php_rs::flags::ClassFlags;
use ext_php_rs::prelude::*;
use ext_php_rs::types::{ZendCallable, ZendHashTable, Zval};

use super::convert;
use super::env::now_or;
use super::exception::{guarded, invalid_argument};
use super::policy::{compile_manifest, Policy};
use super::ratelimit::shared_hit;
use super::resource::{Origins, Transport};
use super::settings;
use crate::core::digest::Hash;
use crate::core::guard::{
    self, Call, Credential, GuardConfig, GuardConfigError, GuardRates, Refusal,
};
use crate::core::json::view::{Key, View};
use crate::core::policy::{Value, MAX_PRESENTED_SCOPES};
use crate::core::ratelimit::gcra::{Decision, Rate, MICROS_PER_SEC};
use crate::core::ratelimit::{headers, RateLimitError};
use crate::core::resource::challenge::{self, MetadataUrl};
use crate::core::resource::{origin, transport};
use crate::core::token::{self, Pepper, Prefix, StoredToken, TokenConfig};

/// Guards kept per worker by name, most recently used first.
const NAMED_ENTRIES: usize = 16;
/// Longest guard name.
const MAX_NAME_BYTES: usize = 256;
/// The token prefixes a guard accepts by default: API tokens (`McpGuard\Tokens`)
/// and the OAuth server's access tokens.
const DEFAULT_PREFIXES: [&str; 2] = ["mcp", "mcpat"];

struct Compiled {
    config: GuardConfig,
    policy_digest: Hash,
    /// The origin allow-list and the transport rules, parsed once with the
    /// rest (steps 1 and 2 of the pipeline).
    origins: origin::Origins,
    transport: transport::Transport,
}

thread_local! {
    static NAMED: RefCell<Vec<(Vec<u8>, Arc<Compiled>)>> = const { RefCell::new(Vec::new()) };
}

/// A URL the challenges may carry (the rules of `core::resource::challenge`).
fn metadata_url(bytes: &[u8]) -> PhpResult<String> {
    MetadataUrl::parse(bytes)
        .map(|u| u.as_str().to_owned())
        .map_err(|_| GuardConfigError::InvalidResourceMetadata.into())
}

/// A URL setting (`resource`, `resourceMetadata`): a string, checked as above.
fn url_setting(value: &Zval) -> PhpResult<String> {
    let s = value
        .dereference()
        .zend_str()
        .ok_or_else(|| PhpException::from(GuardConfigError::InvalidResourceMetadata))?;
    metadata_url(s.as_bytes())
}

/// The URL checked at compile time, as the challenge builder takes it.
fn url_of(config: &GuardConfig) -> PhpResult<MetadataUrl<'_>> {
    Ok(MetadataUrl::parse(config.resource_metadata.as_bytes())?)
}

/// A list setting of strings (`allowedOrigins`, `trustedProxies`; absent =
/// empty), at most `max` (one more is read, so the core refuses the count).
fn string_list(value: Option<&Zval>, max: usize) -> PhpResult<Vec<&[u8]>> {
    let Some(value) = value else {
        return Ok(Vec::new());
    };
    value
        .dereference()
        .array()
        .and_then(|ht| convert::strings(ht, max + 1))
        .ok_or_else(|| GuardConfigError::InvalidTransportSetting.into())
}

fn rate_of(value: &Zval) -> PhpResult<Option<Rate>> {
    if value.dereference().bool() == Some(false) {
        return Ok(None);
    }
    let mut one = ZendHashTable::new();
    one.insert("x", value.shallow_clone())?;
    let rates = crate::core::ratelimit::Rates::from_view(&*one)
        .map_err(|_| GuardConfigError::InvalidRate)?;
    Ok(rates.get("x").ok().copied())
}

fn compile(config: &ZendHashTable) -> PhpResult<Compiled> {
    let mut manifest = None;
    let mut url = None;
    let mut prefixes: Option<Vec<Prefix>> = None;
    let mut resource = None;
    let mut pepper: Option<Option<Pepper>> = None;
    let mut rates = GuardRates::default();
    let mut http_loopback = false;
    let mut legacy_sha256 = false;
    let mut problem: Option<PhpException> = None;
    let walked: Result<(), ()> = config.entries(|key, value| {
        let step = (|| -> PhpResult<()> {
            let Key::Name(name) = key else {
                return Err(GuardConfigError::UnknownKey.into());
            };
            match name {
                b"manifest" => manifest = Some(compile_manifest(value)?),
                b"resourceMetadata" => url = Some(url_setting(value)?),
                b"tokenPrefixes" => {
                    let list = value
                        .dereference()
                        .array()
                        .and_then(|ht| convert::strings(ht, 8))
                        .filter(|l| !l.is_empty())
                        .ok_or(GuardConfigError::InvalidTokenSetting)?;
                    let mut out = Vec::with_capacity(list.len());
                    for p in list {
                        out.push(Prefix::new(std::str::from_utf8(p).unwrap_or(""))?);
                    }
                    prefixes = Some(out);
                }
                b"resource" => resource = Some(url_setting(value)?),
                // Read after the walk, by key (their strings are borrowed from the array).
                b"allowedOrigins" | b"trustedProxies" => {}
                b"dangerousAllowHttpLoopback" => {
                    http_loopback = value
                        .dereference()
                        .bool()
                        .ok_or(GuardConfigError::InvalidTransportSetting)?;
                }
                b"legacySha256Tokens" => {
                    legacy_sha256 = value
                        .dereference()
                        .bool()
                        .ok_or(GuardConfigError::InvalidTokenSetting)?;
                }
                b"tokenPepper" => {
                    let s = value
                        .dereference()
                        .zend_str()
                        .ok_or_else(|| PhpException::from(GuardConfigError::InvalidTokenSetting))?;
                    pepper = Some(Some(Pepper::new(s.as_bytes())?));
                }
                b"rates" => {
                    let ht = value
                        .dereference()
                        .array()
                        .ok_or_else(|| PhpException::from(GuardConfigError::InvalidRate))?;
                    let mut bad = false;
                    let r: Result<(), PhpException> = ht.entries(|k, v| {
                        let slot = match k {
                            Key::Name(n) => std::str::from_utf8(n).ok().and_then(|n| rates.slot(n)),
                            Key::Index(_) => None,
                        };
                        match slot {
                            Some(slot) => {
                                *slot = rate_of(v)?;
                                Ok(())
                            }
                            None => {
                                bad = true;
                                Ok(())
                            }
                        }
                    });
                    r?;
                    if bad {
                        return Err(GuardConfigError::InvalidRate.into());
                    }
                }
                _ => return Err(GuardConfigError::UnknownKey.into()),
            }
            Ok(())
        })();
        step.map_err(|e| {
            problem = Some(e);
        })
    });
    if walked.is_err() {
        return Err(problem.unwrap_or_else(|| GuardConfigError::UnknownKey.into()));
    }
    let (policy, policy_digest) =
        manifest.ok_or_else(|| PhpException::from(GuardConfigError::MissingManifest))?;
    let resource_metadata =
        url.ok_or_else(|| PhpException::from(GuardConfigError::InvalidResourceMetadata))?;
    let pepper = match pepper {
        Some(p) => p,
        None => settings::pepper()?,
    };
    let max_lifetime_secs = settings::max_lifetime_secs()?;
    let prefixes = match prefixes {
        Some(p) => p,
        None => DEFAULT_PREFIXES
            .iter()
            .map(|p| Prefix::new(p))
            .collect::<Result<_, _>>()?,
    };
    let tokens = prefixes
        .into_iter()
        .map(|prefix| TokenConfig {
            prefix,
            pepper: pepper.clone(),
            max_lifetime_secs,
        })
        .collect();
    // Same-origin is the resource's origin (never the request's Host); without a
    // resource, the metadata URL's (the same server).
    let own = resource
        .as_deref()
        .unwrap_or(&resource_metadata)
        .as_bytes()
        .to_vec();
    let allowed = string_list(config.get("allowedOrigins"), origin::MAX_ORIGINS)?;
    let proxies = string_list(config.get("trustedProxies"), transport::MAX_PROXIES)?;
    let origins = origin::Origins::new(&own, allowed, origin::DEFAULT_MAX_AGE_SECS)?;
    let transport = transport::Transport::new(proxies, http_loopback)?;
    let mut config = GuardConfig::new(policy, tokens, rates, resource, resource_metadata);
    config.legacy_sha256 = legacy_sha256;
    Ok(Compiled {
        config,
        policy_digest,
        origins,
        transport,
    })
}

/// The shared-memory table as the core's limiter.
struct SharedTable {
    now_us: Option<i64>,
}

impl guard::Limiter for SharedTable {
    fn hit(
        &mut self,
        name: &'static str,
        rate: &Rate,
        key: &[u8],
    ) -> Result<Decision, RateLimitError> {
        shared_hit(name, rate, key, self.now_us)
    }
}

/// The guard of an MCP endpoint: policy, token settings, rates and the
/// protected-resource metadata URL, compiled once per worker.
///
/// Configuration keys: `manifest` (the policy manifest, array or JSON text),
/// `resourceMetadata` (the RFC 9728 metadata URL the challenges name),
/// `resource` (the MCP URL OAuth access tokens must be bound to),
/// `tokenPrefixes` (default `['mcp', 'mcpat']`: API and OAuth access tokens),
/// `allowedOrigins` (cross origins CORS allows; default none), `trustedProxies`
/// (IPs/CIDRs whose forwarded headers count; default none),
/// `dangerousAllowHttpLoopback` (default false), `tokenPepper` (default: the INI pepper,
/// read when the guard is compiled), `rates` (`request`, `read`, `write`,
/// `destructive`, `failed` => `['limit' => int, 'period' => seconds]`, or
/// `false` to turn one off; defaults 120, 60, 20, 5 and 10 per minute),
/// `legacySha256Tokens` (default false: `checkLegacy()` refuses every token;
/// true accepts rows that stored the bare hex SHA-256 of a token of the tool
/// the shop replaced).
#[php_class]
#[php(name = "McpGuard\\Guard")]
#[php(flags = ClassFlags::Final)]
pub struct Guard {
    inner: Arc<Compiled>,
}

/// The row a host fetched (no hash = no row). A hash that is not UTF-8 was
/// not written by this module, nor is it a hex digest: it is kept as a value
/// no verifier accepts (`invalid_stored_hash`).
fn stored_row(
    hash: Option<&[u8]>,
    expires_at: Option<i64>,
    revoked_at: Option<i64>,
) -> Option<StoredToken<'_>> {
    hash.map(|bytes| StoredToken {
        hash: std::str::from_utf8(bytes).unwrap_or("\u{0}"),
        expires_at,
        revoked_at,
    })
}

fn scope_list(scopes: &ZendHashTable) -> PhpResult<Vec<&[u8]>> {
    convert::strings(scopes, MAX_PRESENTED_SCOPES + 1)
        .ok_or_else(|| invalid_argument("Every scope must be a string."))
}

impl Guard {
    #[allow(clippy::too_many_arguments)]
    fn run(
        &self,
        credential: Credential<'_>,
        scopes: &ZendHashTable,
        role: Option<&[u8]>,
        tool: Option<&[u8]>,
        arguments: Option<&ZendHashTable>,
        ip: Option<&[u8]>,
        now: Option<i64>,
        rate_now: Option<i64>,
    ) -> PhpResult<Verdict> {
        let scopes = scope_list(scopes)?;
        let mut limiter = SharedTable { now_us: rate_now };
        let now = now_or(now);
        let verdict = match arguments {
            Some(args) => guard::decide(
                &self.inner.config,
                &Call {
                    credential,
                    scopes: &scopes,
                    role,
                    tool,
                    arguments: Some(args),
                    ip,
                    now,
                },
                &mut limiter,
            ),
            None => guard::decide::<Value>(
                &self.inner.config,
                &Call {
                    credential,
                    scopes: &scopes,
                    role,
                    tool,
                    arguments: None,
                    ip,
                    now,
                },
                &mut limiter,
            ),
        };
        Ok(Verdict {
            guard: Arc::clone(&self.inner),
            verdict,
        })
    }
}

#[php_impl]
impl Guard {
    /// Compiles a guard (the manifest is cached per worker by its digest,
    /// as for `new Policy()`). Prefer `Guard::named()` on the request path.
    ///
    /// @param array $config see the class documentation.
    /// @throws \McpGuard\Exception\ConfigurationException an unknown key, a
    ///   missing manifest or URL, a bad rate, prefix or pepper; manifest_* for the manifest.
    pub fn __construct(config: &ZendHashTable) -> PhpResult<Self> {
        guarded(|| {
            Ok(Self {
                inner: Arc::new(compile(config)?),
            })
        })
    }

    /// The guard this worker compiled under `$name`; `$config` (a callable
    /// returning the configuration array) is only called when there is none,
    /// so a request pays one lookup by name. The name must change when the
    /// configuration does (put the manifest file's modification time or a
    /// version in it): a worker never looks at the configuration again.
    /// At most 16 names are kept per worker.
    ///
    /// @param string $name 1 to 256 bytes.
    /// @param callable(): array $config
    /// @throws \McpGuard\Exception\ConfigurationException as the constructor, or
    ///   when `$config` does not return an array.
    /// @throws \McpGuard\Exception\InvalidArgumentException an empty or too long name.
    pub fn named(name: BinarySlice<u8>, config: &Zval) -> PhpResult<Self> {
        guarded(|| {
            if name.is_empty() || name.len() > MAX_NAME_BYTES {
                return Err(invalid_argument("The guard name must be 1 to 256 bytes."));
            }
            let found = NAMED.with(|n| {
                let mut n = n.borrow_mut();
                let at = n.iter().position(|(k, _)| k.as_slice() == *name)?;
                let entry = n.remove(at);
                let inner = Arc::clone(&entry.1);
                n.insert(0, entry);
                Some(inner)
            });
            if let Some(inner) = found {
                return Ok(Self { inner });
            }
            let callable = ZendCallable::new(config)
                .map_err(|_| invalid_argument("The guard configuration must be a callable."))?;
            let made = callable
                .try_call(vec![])
                .map_err(|_| PhpException::from(GuardConfigError::NotAnArray))?;
            let ht = made
                .array()
                .ok_or_else(|| PhpException::from(GuardConfigError::NotAnArray))?;
            let inner = Arc::new(compile(ht)?);
            NAMED.with(|n| {
                let mut n = n.borrow_mut();
                n.insert(0, (name.to_vec(), Arc::clone(&inner)));
                n.truncate(NAMED_ENTRIES);
            });
            Ok(Self { inner })
        })
    }

    /// Step 1's checks, compiled with the guard (`allowedOrigins`; same-origin
    /// is the `resource`'s origin): `check()` and `preflight()` of a request.
    pub fn origins(&self) -> Origins {
        Origins(self.inner.origins.clone())
    }

    /// Step 2's checks, compiled with the guard (`trustedProxies`,
    /// `dangerousAllowHttpLoopback`): `inspect()` of a request.
    pub fn transport(&self) -> Transport {
        Transport(self.inner.transport.clone())
    }

    /// The guard's compiled policy (shared, not copied).
    pub fn policy(&self) -> Policy {
        Policy::from_parts(
            Arc::clone(&self.inner.config.policy),
            self.inner.policy_digest,
        )
    }

    /// The public id of a well-formed token of this guard's prefix (format
    /// and checksum checked, nothing hashed), to find its row by; null when
    /// the string is not one (`check()` then refuses it as malformed).
    pub fn public_id(&self, token: BinarySlice<u8>) -> Option<String> {
        self.inner
            .config
            .tokens
            .iter()
            .find_map(|c| token::parse(&token, &c.prefix).ok())
            .map(|p| p.public_id.to_owned())
    }

    /// The prefix of a well-formed token (`mcp`, `mcpat`…), to pick the store
    /// its row is in; null when the string is not a token of this guard.
    pub fn token_prefix(&self, token: BinarySlice<u8>) -> Option<String> {
        self.inner
            .config
            .tokens
            .iter()
            .find(|c| token::parse(&token, &c.prefix).is_ok())
            .map(|c| c.prefix.as_str().to_owned())
    }

    /// One request with an opaque token, in the fixed order: the token
    /// against its stored row (format, checksum, hash in constant time,
    /// revocation, expiry; a failure costs `$ip` one `failed` unit), the
    /// member's role (null = removed), the scopes (the token's AND the
    /// role's), the rates (`request`, then the tool's class), the policy
    /// (tool, scopes, writes, enabled, typed fields; arguments in place).
    ///
    /// @param string $token the bearer token as presented.
    /// @param string|null $storedHash the row's hash; null = no row.
    /// @param string[] $scopes the token's scopes (aliases accepted).
    /// @param string|null $role the member's role now; null = not a member any more.
    /// @param string|null $tool the tool called; null for a request that calls none.
    /// @param array|null $arguments the call's arguments.
    /// @param string|null $ip the client address (for the failed-attempt rate).
    /// @param int|null $now Unix time for the token's expiry; null = the clock.
    /// @param int|null $rateNow Unix µs for the rates: only with mcp_guard.rate_limit_test_clock=1.
    /// @param string|null $audience the resource the row binds the token to
    ///   (OAuth access tokens: must be the guard's `resource` exactly); null = none.
    /// @throws \McpGuard\Exception\InvalidArgumentException a scope that is not a string.
    #[allow(clippy::too_many_arguments)]
    pub fn check(
        &self,
        token: BinarySlice<u8>,
        storedHash: Option<BinarySlice<u8>>,
        expiresAt: Option<i64>,
        revokedAt: Option<i64>,
        scopes: &ZendHashTable,
        role: Option<BinarySlice<u8>>,
        tool: Option<BinarySlice<u8>>,
        arguments: Option<&ZendHashTable>,
        ip: Option<BinarySlice<u8>>,
        now: Option<i64>,
        rateNow: Option<i64>,
        audience: Option<BinarySlice<u8>>,
    ) -> PhpResult<Verdict> {
        guarded(|| {
            let credential = Credential::Token {
                presented: *token,
                stored: stored_row(storedHash.as_deref().copied(), expiresAt, revokedAt),
                audience: audience.as_deref().copied(),
            };
            self.run(
                credential,
                scopes,
                role.as_deref().copied(),
                tool.as_deref().copied(),
                arguments,
                ip.as_deref().copied(),
                now,
                rateNow,
            )
        })
    }

    /// The lower-case hex SHA-256 of a token the host looks a legacy row up
    /// by (`hash('sha256', $token)` of the tool it replaced); null when the
    /// guard does not accept legacy rows (`legacySha256Tokens`), or the token
    /// is empty, longer than 4 KiB or starts like one of this guard's
    /// (`<prefix>_`: those are only ever checked by `check()`).
    pub fn legacy_digest(&self, token: BinarySlice<u8>) -> Option<String> {
        self.inner.config.legacy_digest(&token)
    }

    /// `check()` for a token of the tool the shop replaced, against the row
    /// found by `legacyDigest()`: the stored digest in constant time, then
    /// revocation and expiry as for our tokens, then member, scopes, rates
    /// (keyed by `token:sha256-<16 hex of the digest>`, the verdict's
    /// `publicId()`) and policy exactly as `check()`. Refused as `malformed`
    /// when the guard was not configured with `legacySha256Tokens => true`
    /// or the token starts like one of ours; every refusal costs `$ip` one
    /// `failed` unit.
    ///
    /// @param string $token the bearer token as presented.
    /// @param string|null $storedDigest the row's bare 64-hex SHA-256; null = no row.
    /// @param string[] $scopes the row's scopes (aliases accepted).
    /// @param int|null $rateNow as for `check()`.
    /// @throws \McpGuard\Exception\InvalidArgumentException a scope that is not a string.
    #[allow(clippy::too_many_arguments)]
    pub fn check_legacy(
        &self,
        token: BinarySlice<u8>,
        storedDigest: Option<BinarySlice<u8>>,
        expiresAt: Option<i64>,
        revokedAt: Option<i64>,
        scopes: &ZendHashTable,
        role: Option<BinarySlice<u8>>,
        tool: Option<BinarySlice<u8>>,
        arguments: Option<&ZendHashTable>,
        ip: Option<BinarySlice<u8>>,
        now: Option<i64>,
        rateNow: Option<i64>,
    ) -> PhpResult<Verdict> {
        guarded(|| {
            self.run(
                Credential::LegacySha256 {
                    presented: *token,
                    stored: stored_row(storedDigest.as_deref().copied(), expiresAt, revokedAt),
                },
                scopes,
                role.as_deref().copied(),
                tool.as_deref().copied(),
                arguments,
                ip.as_deref().copied(),
                now,
                rateNow,
            )
        })
    }

    /// `check()` for a member the host authenticated itself (a verified
    /// JWT's subject, Basic credentials it checked): the same order from the
    /// member's role on, the rates keyed by `user:<id>`.
    ///
    /// @param string $member the member id (1 to 256 printable ASCII bytes).
    /// @param string[] $scopes what the credential grants (a JWT's scope claim;
    ///   for Basic, the role's scopes).
    /// @param int|null $rateNow as for `check()`.
    pub fn check_member(
        &self,
        member: BinarySlice<u8>,
        scopes: &ZendHashTable,
        role: Option<BinarySlice<u8>>,
        tool: Option<BinarySlice<u8>>,
        arguments: Option<&ZendHashTable>,
        rateNow: Option<i64>,
    ) -> PhpResult<Verdict> {
        guarded(|| {
            self.run(
                Credential::Member(*member),
                scopes,
                role.as_deref().copied(),
                tool.as_deref().copied(),
                arguments,
                None,
                None,
                rateNow,
            )
        })
    }

    /// For a credential refused outside `check()` (a JWT that did not
    /// verify, Basic credentials the host rejected): a 401 verdict
    /// (`credential_refused`), or 429 once `$ip` has used up the `failed`
    /// rate that failed opaque tokens also count against.
    ///
    /// @param int|null $rateNow as for `check()`.
    pub fn refuse_credential(
        &self,
        ip: Option<BinarySlice<u8>>,
        rateNow: Option<i64>,
    ) -> PhpResult<Verdict> {
        guarded(|| {
            let mut limiter = SharedTable { now_us: rateNow };
            Ok(Verdict {
                guard: Arc::clone(&self.inner),
                verdict: guard::refuse_credential(
                    &self.inner.config,
                    ip.as_deref().copied(),
                    &mut limiter,
                ),
            })
        })
    }

    /// The 401 challenge for a request without credentials:
    /// `Bearer resource_metadata="…"`.
    pub fn challenge(&self) -> PhpResult<String> {
        let url = url_of(&self.inner.config)?;
        Ok(challenge::unauthorized::<[&[u8]; 0]>(&url, None, false)?)
    }

    /// The protected-resource metadata URL the challenges name.
    pub fn resource_metadata(&self) -> String {
        self.inner.config.resource_metadata.clone()
    }
}

/// The guard's decision on one request.
#[php_class]
#[php(name = "McpGuard\\Guard\\Verdict")]
#[php(flags = ClassFlags::Final)]
pub struct Verdict {
    guard: Arc<Compiled>,
    verdict: guard::Verdict,
}

impl Verdict {
    fn refusal(&self) -> Option<&Refusal> {
        self.verdict.outcome.as_ref().err()
    }

    fn policy_refusal(&self) -> Option<&crate::core::policy::Refusal> {
        match self.refusal() {
            Some(Refusal::Policy(p)) => Some(p),
            _ => None,
        }
    }
}

#[php_impl]
impl Verdict {
    /// True when the request may proceed.
    pub fn allowed(&self) -> bool {
        self.verdict.outcome.is_ok()
    }

    /// The HTTP status to answer: 200 when allowed; 401 (token, member),
    /// 403 (insufficient_scope), 429 (rate), 503 (no rate table), 200 for
    /// the other policy refusals (a JSON-RPC error).
    pub fn status(&self) -> i64 {
        self.refusal().map_or(200, |r| i64::from(r.status()))
    }

    /// The refusal reason (token reasons such as `expired`, `member_removed`,
    /// `unknown_role`, `rate_limited`, the policy's reasons); null when allowed.
    pub fn reason(&self) -> Option<&'static str> {
        self.refusal().map(Refusal::reason)
    }

    /// The JSON-RPC error code of a refusal answered in the protocol
    /// (-32602 unknown tool or bad arguments, -32001 a tool this caller may
    /// not use, -32000 otherwise); 0 when allowed.
    pub fn json_rpc_code(&self) -> i64 {
        self.refusal().map_or(0, |r| i64::from(r.json_rpc_code()))
    }

    /// The token's public id once its format and checksum were right, or
    /// `sha256-<16 hex>` once a legacy row verified (`checkLegacy()`) (for
    /// the audit log, even when refused); null otherwise.
    pub fn public_id(&self) -> Option<String> {
        self.verdict.public_id.clone()
    }

    /// When the stored hash uses an older scheme: the hash to store instead.
    pub fn rehash(&self) -> Option<String> {
        self.verdict.rehash.clone()
    }

    /// `read`, `write` or `destructive` when the tool is in the manifest.
    pub fn tool_class(&self) -> Option<&'static str> {
        self.verdict.class.map(|c| c.as_str())
    }

    /// For `insufficient_scope`: the scopes the operation needs.
    pub fn required_scopes(&self) -> Vec<String> {
        self.policy_refusal()
            .map(|p| p.required_scopes().to_vec())
            .unwrap_or_default()
    }

    /// For an argument refusal: the JSON Pointer of the offending argument.
    pub fn path(&self) -> Option<String> {
        self.policy_refusal()
            .and_then(crate::core::policy::Refusal::path)
    }

    /// For `type_mismatch`: what the manifest expects (never the value sent).
    pub fn expected(&self) -> Option<String> {
        self.policy_refusal()
            .and_then(|p| p.expected().map(str::to_owned))
    }

    /// Seconds until a rate-limited request may be retried (0 otherwise).
    pub fn retry_after(&self) -> i64 {
        match self.refusal() {
            Some(Refusal::RateLimited(h)) => {
                let secs =
                    crate::core::ratelimit::gcra::ceil_secs(h.decision.retry_after_us).max(1);
                i64::try_from(secs).unwrap_or(i64::MAX)
            }
            _ => 0,
        }
    }

    /// The response headers the decision calls for: `WWW-Authenticate` on a
    /// 401 (`error="invalid_token"`) or a 403 (`error="insufficient_scope"`
    /// with exactly the scopes the operation needs), and the
    /// `RateLimit-Policy` / `RateLimit` (+ `Retry-After` when refused) of the
    /// tightest rate hit.
    pub fn headers(&self) -> PhpResult<ext_php_rs::boxed::ZBox<ZendHashTable>> {
        let mut out = ZendHashTable::new();
        let url = url_of(&self.guard.config)?;
        match self.refusal() {
            Some(r) if r.status() == 401 => {
                out.insert(
                    "WWW-Authenticate",
                    challenge::unauthorized::<[&[u8]; 0]>(&url, None, true)?,
                )?;
            }
            Some(Refusal::Policy(p)) if r_is_scope(p) => {
                let needed = p.required_scopes().iter().map(|s| s.as_bytes());
                out.insert(
                    "WWW-Authenticate",
                    challenge::insufficient_scope(&url, needed)?,
                )?;
            }
            _ => {}
        }
        if let Some(h) = &self.verdict.limit {
            for (name, value) in
                headers::rate_limit(h.name, h.rate.period_us() / MICROS_PER_SEC, &h.decision)
            {
                out.insert(name, value)?;
            }
        }
        Ok(out)
    }

    /// The tools the caller may call, sorted (for `tools/list`): empty unless
    /// allowed and the scopes in force include `discover`.
    pub fn visible_tools(&self) -> Vec<String> {
        match &self.verdict.outcome {
            Ok(a) => self
                .guard
                .config
                .policy
                .visible_tools(&a.scopes)
                .into_iter()
                .map(str::to_owned)
                .collect(),
            Err(_) => Vec::new(),
        }
    }
}

fn r_is_scope(p: &crate::core::policy::Refusal) -> bool {
    p.reason() == crate::core::policy::Reason::InsufficientScope
}
