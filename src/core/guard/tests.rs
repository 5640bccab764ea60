use std::collections::HashMap;
use std::sync::Arc;

use super::*;
use crate::core::policy::Value;
use crate::core::rng::testing::CountingRng;
use crate::core::token::{IssuedToken, Prefix};

const NOW: i64 = 1_800_000_000;

/// A limiter over a map: exact GCRA steps, so tests see real decisions.
#[derive(Default)]
struct MapLimiter {
    state: HashMap<(String, Vec<u8>), u64>,
    now_us: u64,
    hits: Vec<(&'static str, Vec<u8>)>,
}

impl Limiter for MapLimiter {
    fn hit(
        &mut self,
        name: &'static str,
        rate: &Rate,
        key: &[u8],
    ) -> Result<RateDecision, RateLimitError> {
        self.hits.push((name, key.to_vec()));
        let slot = self
            .state
            .entry((name.to_owned(), key.to_vec()))
            .or_insert(0);
        let (d, store) = crate::core::ratelimit::gcra::step(rate, *slot, self.now_us, 1);
        if let Some(t) = store {
            *slot = t;
        }
        Ok(d)
    }
}

fn config(rates: GuardRates) -> GuardConfig {
    let manifest = br#"{"version":1,"writes_enabled":true,"tools":{
        "products.search":{"class":"read","scopes":["products:read"]},
        "products.update":{"class":"write","scopes":["products:write"],
            "fields":{"id":{"type":"integer","required":true},"price":{"type":"number"}}},
        "orders.cancel":{"class":"destructive","enabled":true,"scopes":["orders:write"],
            "fields":{"id":{"type":"integer","required":true}}}}}"#;
    GuardConfig::new(
        Arc::new(Policy::compile_json(manifest).unwrap()),
        vec![
            TokenConfig::default(),
            TokenConfig {
                prefix: Prefix::new("mcpat").unwrap(),
                ..TokenConfig::default()
            },
        ],
        rates,
        Some("https://shop.example/mcp".into()),
        "https://shop.example/.well-known/oauth-protected-resource/mcp".into(),
    )
}

fn issued() -> IssuedToken {
    token::issue(
        &TokenConfig::default(),
        &CountingRng::new(7),
        NOW - 10,
        Some(3600),
    )
    .unwrap()
}

fn args(json: &str) -> Value {
    crate::core::policy::json::parse_arguments(json.as_bytes(), &Default::default()).unwrap()
}

struct Req<'a> {
    token: &'a IssuedToken,
    revoked: Option<i64>,
    scopes: &'a [&'a [u8]],
    role: Option<&'a [u8]>,
    tool: Option<&'a [u8]>,
    args: Option<&'a Value>,
    audience: Option<&'a [u8]>,
    now: i64,
}

impl<'a> Req<'a> {
    fn new(token: &'a IssuedToken) -> Self {
        Self {
            token,
            revoked: None,
            scopes: &[b"discover", b"read", b"write"],
            role: Some(b"editor"),
            tool: Some(b"products.search"),
            args: None,
            audience: None,
            now: NOW,
        }
    }

    fn run(&self, config: &GuardConfig, limiter: &mut MapLimiter) -> Verdict {
        let call = Call {
            credential: Credential::Token {
                presented: self.token.plaintext.as_bytes(),
                stored: Some(StoredToken {
                    hash: &self.token.hash,
                    expires_at: self.token.expires_at,
                    revoked_at: self.revoked,
                }),
                audience: self.audience,
            },
            scopes: self.scopes,
            role: self.role,
            tool: self.tool,
            arguments: self.args,
            ip: Some(b"192.0.2.7"),
            now: self.now,
        };
        decide(&config.clone(), &call, limiter)
    }
}

fn reason(v: &Verdict) -> Option<&'static str> {
    v.outcome.as_ref().err().map(Refusal::reason)
}

#[test]
fn an_editor_token_may_search_and_the_request_and_class_rates_are_hit_on_its_key() {
    let t = issued();
    let mut l = MapLimiter::default();
    let v = Req::new(&t).run(&config(GuardRates::default()), &mut l);
    assert!(v.outcome.is_ok(), "{:?}", v.outcome);
    assert_eq!(v.public_id.as_deref(), Some(t.public_id.as_str()));
    assert_eq!(v.class, Some(ToolClass::Read));
    let key = format!("token:{}", t.public_id).into_bytes();
    assert_eq!(
        l.hits,
        vec![("mcp.request", key.clone()), ("mcp.read", key)]
    );
    assert_eq!(v.limit.map(|h| h.name), Some("mcp.read"));
}

#[test]
fn token_refusals_are_401_and_count_against_the_address() {
    let t = issued();
    let other = token::issue(
        &TokenConfig::default(),
        &CountingRng::new(99),
        NOW,
        Some(60),
    )
    .unwrap();
    let cfg = config(GuardRates::default());
    let mut l = MapLimiter::default();
    // Expired: 401 invalid_token, never 403.
    let mut r = Req::new(&t);
    r.now = t.expires_at.unwrap();
    let v = r.run(&cfg, &mut l);
    assert_eq!(reason(&v), Some("expired"));
    assert_eq!(v.outcome.as_ref().err().map(Refusal::status), Some(401));
    // Revoked.
    let mut r = Req::new(&t);
    r.revoked = Some(NOW - 1);
    assert_eq!(reason(&r.run(&cfg, &mut l)), Some("revoked"));
    // Another token's row: mismatch.
    let call = Call::<Value> {
        credential: Credential::Token {
            presented: other.plaintext.as_bytes(),
            stored: Some(StoredToken {
                hash: &t.hash,
                expires_at: None,
                revoked_at: None,
            }),
            audience: None,
        },
        scopes: &[b"read"],
        role: Some(b"editor"),
        tool: None,
        arguments: None,
        ip: Some(b"192.0.2.7"),
        now: NOW,
    };
    assert_eq!(reason(&decide(&cfg, &call, &mut l)), Some("mismatch"));
    assert!(l
        .hits
        .iter()
        .all(|(n, k)| *n == "mcp.failed" && k == b"ip:192.0.2.7"));
    assert_eq!(l.hits.len(), 3);
}

#[test]
fn failed_attempts_over_the_rate_get_429_instead_of_401() {
    let t = issued();
    let rates = GuardRates {
        failed: Some(Rate::per_seconds(2, 60).unwrap()),
        ..GuardRates::default()
    };
    let cfg = config(rates);
    let mut l = MapLimiter::default();
    let mut r = Req::new(&t);
    r.revoked = Some(NOW);
    assert_eq!(reason(&r.run(&cfg, &mut l)), Some("revoked"));
    assert_eq!(reason(&r.run(&cfg, &mut l)), Some("revoked"));
    let v = r.run(&cfg, &mut l);
    assert_eq!(reason(&v), Some("rate_limited"));
    assert_eq!(v.outcome.as_ref().err().map(Refusal::status), Some(429));
    // The genuine, unrevoked token still passes: failures never lock out a good token.
    assert!(Req::new(&t).run(&cfg, &mut l).outcome.is_ok());
}

#[test]
fn a_member_without_a_role_or_with_an_unknown_role_is_refused() {
    let t = issued();
    let cfg = config(GuardRates::default());
    let mut l = MapLimiter::default();
    let mut r = Req::new(&t);
    r.role = None;
    let v = r.run(&cfg, &mut l);
    assert_eq!(reason(&v), Some("member_removed"));
    assert_eq!(v.outcome.as_ref().err().map(Refusal::status), Some(401));
    r.role = Some(b"admin");
    assert_eq!(reason(&r.run(&cfg, &mut l)), Some("unknown_role"));
    assert!(
        l.hits.is_empty(),
        "no rate is spent before the member is known"
    );
}

#[test]
fn scopes_are_what_the_token_presents_and_the_role_grants() {
    let t = issued();
    let cfg = config(GuardRates::default());
    let mut l = MapLimiter::default();
    // An editor token held by a viewer: the write is 403 with its scope.
    let mut r = Req::new(&t);
    r.role = Some(b"viewer");
    let a = args(r#"{"id":1,"price":2.5}"#);
    r.tool = Some(b"products.update");
    r.args = Some(&a);
    let v = r.run(&cfg, &mut l);
    assert_eq!(reason(&v), Some("insufficient_scope"));
    let refusal = v.outcome.as_ref().err().unwrap();
    assert_eq!(refusal.status(), 403);
    match refusal {
        Refusal::Policy(p) => assert_eq!(p.required_scopes(), ["products:write"]),
        other => panic!("{other:?}"),
    }
    // A viewer token held by an editor: the same.
    let mut r = Req::new(&t);
    r.scopes = &[b"discover", b"read"];
    r.tool = Some(b"products.update");
    r.args = Some(&a);
    assert_eq!(reason(&r.run(&cfg, &mut l)), Some("insufficient_scope"));
    // Both: allowed; a global scope covers the resource scope.
    let mut r = Req::new(&t);
    r.tool = Some(b"products.update");
    r.args = Some(&a);
    assert!(r.run(&cfg, &mut l).outcome.is_ok());
}

#[test]
fn an_extra_field_refuses_the_whole_call_with_its_path() {
    let t = issued();
    let cfg = config(GuardRates::default());
    let mut l = MapLimiter::default();
    let a = args(r#"{"id":1,"price":2.5,"cost_price":1}"#);
    let mut r = Req::new(&t);
    r.tool = Some(b"products.update");
    r.args = Some(&a);
    let v = r.run(&cfg, &mut l);
    assert_eq!(reason(&v), Some("unknown_field"));
    let refusal = v.outcome.as_ref().err().unwrap();
    assert_eq!((refusal.status(), refusal.json_rpc_code()), (200, -32602));
    match refusal {
        Refusal::Policy(p) => assert_eq!(p.path().as_deref(), Some("/cost_price")),
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_burst_of_destructive_calls_is_limited_by_its_class_rate() {
    let t = issued();
    let rates = GuardRates {
        destructive: Some(Rate::per_seconds(2, 60).unwrap()),
        ..GuardRates::default()
    };
    let cfg = config(rates);
    let mut l = MapLimiter::default();
    let a = args(r#"{"id":3}"#);
    let mut r = Req::new(&t);
    r.tool = Some(b"orders.cancel");
    r.args = Some(&a);
    assert!(r.run(&cfg, &mut l).outcome.is_ok());
    assert!(r.run(&cfg, &mut l).outcome.is_ok());
    let v = r.run(&cfg, &mut l);
    assert_eq!(reason(&v), Some("rate_limited"));
    let hit = v.limit.unwrap();
    assert_eq!(
        (hit.name, hit.decision.allowed()),
        ("mcp.destructive", false)
    );
    assert!(hit.decision.retry_after_us > 0);
    // Reads are not limited by the destructive rate.
    assert!(Req::new(&t).run(&cfg, &mut l).outcome.is_ok());
}

#[test]
fn a_request_without_a_tool_stops_after_the_request_rate() {
    let t = issued();
    let cfg = config(GuardRates::default());
    let mut l = MapLimiter::default();
    let mut r = Req::new(&t);
    r.tool = None;
    let v = r.run(&cfg, &mut l);
    let admitted = v.outcome.unwrap();
    assert!(admitted.scopes.discovers());
    assert_eq!(
        cfg.policy.visible_tools(&admitted.scopes),
        ["orders.cancel", "products.search", "products.update"]
    );
    assert_eq!(l.hits.len(), 1);
    // A viewer sees only the reads.
    r.role = Some(b"viewer");
    let v = r.run(&cfg, &mut l);
    assert_eq!(
        cfg.policy.visible_tools(&v.outcome.unwrap().scopes),
        ["products.search"]
    );
}

#[test]
fn a_host_authenticated_member_is_keyed_by_user_and_a_bad_id_is_refused() {
    let cfg = config(GuardRates::default());
    let mut l = MapLimiter::default();
    let mut call = Call::<Value> {
        credential: Credential::Member(b"alice"),
        scopes: &[b"discover", b"read"],
        role: Some(b"viewer"),
        tool: Some(b"products.search"),
        arguments: None,
        ip: None,
        now: NOW,
    };
    assert!(decide(&cfg, &call, &mut l).outcome.is_ok());
    assert_eq!(l.hits[0].1, b"user:alice");
    call.credential = Credential::Member(b"");
    assert_eq!(reason(&decide(&cfg, &call, &mut l)), Some("member_removed"));
    call.credential = Credential::Member(b"a b");
    assert_eq!(reason(&decide(&cfg, &call, &mut l)), Some("member_removed"));
}

#[test]
fn writes_disabled_and_unknown_tools_are_protocol_errors() {
    let t = issued();
    let manifest = br#"{"version":1,"tools":{"products.update":{"class":"write","scopes":["write"],
        "fields":{"id":{"type":"integer"}}}}}"#;
    let cfg = GuardConfig::new(
        Arc::new(Policy::compile_json(manifest).unwrap()),
        vec![TokenConfig::default()],
        GuardRates::default(),
        None,
        "https://x.example/m".into(),
    );
    let mut l = MapLimiter::default();
    let a = args(r#"{"id":1}"#);
    let mut r = Req::new(&t);
    r.tool = Some(b"products.update");
    r.args = Some(&a);
    let v = r.run(&cfg, &mut l);
    assert_eq!(reason(&v), Some("writes_disabled"));
    assert_eq!(
        v.outcome.as_ref().err().map(Refusal::json_rpc_code),
        Some(-32001)
    );
    r.tool = Some(b"nope");
    let v = r.run(&cfg, &mut l);
    assert_eq!(reason(&v), Some("unknown_tool"));
    assert_eq!(v.class, None);
}

#[test]
fn an_oauth_token_must_name_this_resource_and_both_prefixes_verify() {
    let oauth = TokenConfig {
        prefix: Prefix::new("mcpat").unwrap(),
        ..TokenConfig::default()
    };
    let t = token::issue(&oauth, &CountingRng::new(3), NOW - 10, Some(3600)).unwrap();
    let cfg = config(GuardRates::default());
    let mut l = MapLimiter::default();
    let mut r = Req::new(&t);
    r.audience = Some(b"https://shop.example/mcp");
    assert!(r.run(&cfg, &mut l).outcome.is_ok());
    r.audience = Some(b"https://shop.example/mcp/");
    let v = r.run(&cfg, &mut l);
    assert_eq!(reason(&v), Some("wrong_audience"));
    assert_eq!(v.outcome.as_ref().err().map(Refusal::status), Some(401));
    r.audience = Some(b"https://evil.example/mcp");
    assert_eq!(reason(&r.run(&cfg, &mut l)), Some("wrong_audience"));
    // An API token (no audience) still passes beside it.
    assert!(Req::new(&issued()).run(&cfg, &mut l).outcome.is_ok());
    // A prefix the guard does not accept is malformed.
    let other = TokenConfig {
        prefix: Prefix::new("shop").unwrap(),
        ..TokenConfig::default()
    };
    let t = token::issue(&other, &CountingRng::new(5), NOW - 10, Some(3600)).unwrap();
    assert_eq!(reason(&Req::new(&t).run(&cfg, &mut l)), Some("malformed"));
}

#[test]
fn refused_credentials_share_the_failed_rate_of_their_address() {
    let rates = GuardRates {
        failed: Some(Rate::per_seconds(2, 60).unwrap()),
        ..GuardRates::default()
    };
    let cfg = config(rates);
    let mut l = MapLimiter::default();
    let ip: Option<&[u8]> = Some(b"198.51.100.4");
    for _ in 0..2 {
        let v = refuse_credential(&cfg, ip, &mut l);
        assert_eq!(
            (reason(&v), v.outcome.as_ref().err().map(Refusal::status)),
            (Some("credential_refused"), Some(401))
        );
    }
    let v = refuse_credential(&cfg, ip, &mut l);
    assert_eq!(reason(&v), Some("rate_limited"));
    assert_eq!(
        l.hits.last().map(|h| h.1.clone()),
        Some(b"ip:198.51.100.4".to_vec())
    );
    // Without an address nothing is counted.
    assert_eq!(
        reason(&refuse_credential(&cfg, None, &mut l)),
        Some("credential_refused")
    );
}

/// A token of the Statamic MCP addon: 64 alphanumerics (`Str::random(64)`),
/// stored as `hash('sha256', $token)`.
const LEGACY: &[u8] = b"Vq3xT9kLmN2pR7sW4yZ8aB1cD5eF6gH0jK3lM9nP2qR4sT7uV1wX5yZ8aB3cD6eF";

fn legacy_config() -> GuardConfig {
    let mut cfg = config(GuardRates::default());
    cfg.legacy_sha256 = true;
    cfg
}

fn legacy_call<'a>(
    presented: &'a [u8],
    stored: Option<StoredToken<'a>>,
    scopes: &'a [&'a [u8]],
    tool: Option<&'a [u8]>,
) -> Call<'a, Value> {
    Call {
        credential: Credential::LegacySha256 { presented, stored },
        scopes,
        role: Some(b"editor"),
        tool,
        arguments: None,
        ip: Some(b"192.0.2.9"),
        now: NOW,
    }
}

fn row(hash: &str) -> Option<StoredToken<'_>> {
    Some(StoredToken {
        hash,
        expires_at: None,
        revoked_at: None,
    })
}

#[test]
fn a_legacy_row_admits_its_token_keyed_by_its_digest_and_its_scopes_hold() {
    let cfg = legacy_config();
    let digest = token::legacy_sha256_hex(LEGACY).unwrap();
    let mut l = MapLimiter::default();
    let read: &[&[u8]] = &[b"discover", b"products:read"];
    let v = decide(
        &cfg,
        &legacy_call(LEGACY, row(&digest), read, Some(b"products.search")),
        &mut l,
    );
    assert!(v.outcome.is_ok(), "{:?}", v.outcome);
    let id = format!("sha256-{}", &digest[..16]);
    assert_eq!(v.public_id.as_deref(), Some(id.as_str()));
    let key = format!("token:{id}").into_bytes();
    assert_eq!(
        l.hits,
        vec![("mcp.request", key.clone()), ("mcp.read", key.clone())]
    );
    // The same token with its row stored in upper case: the same key.
    let upper = digest.to_uppercase();
    let v = decide(&cfg, &legacy_call(LEGACY, row(&upper), read, None), &mut l);
    assert!(v.outcome.is_ok());
    assert_eq!(l.hits.last().map(|h| h.1.clone()), Some(key));
    // Its read scope does not reach a write: 403 with the scope it needs.
    let a = args(r#"{"id":1}"#);
    let mut call = legacy_call(LEGACY, row(&digest), read, Some(b"products.update"));
    call.arguments = Some(&a);
    let v = decide(&cfg, &call, &mut l);
    assert_eq!(reason(&v), Some("insufficient_scope"));
    assert_eq!(v.outcome.as_ref().err().map(Refusal::status), Some(403));
    // And a removed member holds nothing, whatever its legacy token.
    let mut call = legacy_call(LEGACY, row(&digest), read, None);
    call.role = None;
    assert_eq!(reason(&decide(&cfg, &call, &mut l)), Some("member_removed"));
}

#[test]
fn legacy_refusals_are_401_counted_against_the_address() {
    let cfg = legacy_config();
    let digest = token::legacy_sha256_hex(LEGACY).unwrap();
    let other = token::legacy_sha256_hex(b"another token of the old addon").unwrap();
    let mut l = MapLimiter::default();
    let s: &[&[u8]] = &[b"read"];
    let expired = Some(StoredToken {
        hash: &digest,
        expires_at: Some(NOW),
        revoked_at: None,
    });
    let revoked = Some(StoredToken {
        hash: &digest,
        expires_at: Some(NOW + 60),
        revoked_at: Some(NOW - 1),
    });
    let huge = vec![b'a'; token::MAX_LEGACY_TOKEN_LEN + 1];
    let cases: [(&[u8], Option<StoredToken<'_>>, &str); 7] = [
        (LEGACY, row(&other), "mismatch"),
        (
            b"Vq3xT9kLmN2pR7sW4yZ8aB1cD5eF6gH0jK3lM9nP2qR4sT7uV1wX5yZ8aB3cD6eG",
            row(&digest),
            "mismatch",
        ),
        (LEGACY, None, "unknown_token"),
        (LEGACY, expired, "expired"),
        (LEGACY, revoked, "revoked"),
        (b"", row(&digest), "malformed"),
        (&huge, None, "malformed"),
    ];
    for (presented, stored, why) in cases {
        let v = decide(&cfg, &legacy_call(presented, stored, s, None), &mut l);
        assert_eq!(reason(&v), Some(why));
        assert_eq!(v.outcome.as_ref().err().map(Refusal::status), Some(401));
        assert_eq!(v.public_id, None, "{why}: no id before the row verified");
    }
    // A stored value that is not a bare digest is the host's mistake, refused.
    let v = decide(
        &cfg,
        &legacy_call(LEGACY, row(&format!("sha256:{digest}")), s, None),
        &mut l,
    );
    assert_eq!(reason(&v), Some("invalid_stored_hash"));
    assert_eq!(l.hits.len(), 8);
    assert!(l
        .hits
        .iter()
        .all(|(n, k)| *n == "mcp.failed" && k == b"ip:192.0.2.9"));
}

#[test]
fn one_of_our_tokens_never_takes_the_legacy_path() {
    let cfg = legacy_config();
    let t = issued();
    let mut l = MapLimiter::default();
    let s: &[&[u8]] = &[b"read"];
    // Even a row holding the bare SHA-256 of our token does not admit it here:
    // ours verify against our rows only.
    let digest = token::legacy_sha256_hex(t.plaintext.as_bytes()).unwrap();
    let v = decide(
        &cfg,
        &legacy_call(t.plaintext.as_bytes(), row(&digest), s, None),
        &mut l,
    );
    assert_eq!(reason(&v), Some("malformed"));
    // Nor one that merely starts like ours (any accepted prefix).
    for fake in [&b"mcp_whatever"[..], b"mcpat_x"] {
        let digest = token::legacy_sha256_hex(fake).unwrap();
        let v = decide(&cfg, &legacy_call(fake, row(&digest), s, None), &mut l);
        assert_eq!(reason(&v), Some("malformed"));
    }
    // Another prefix's underscore form is not ours: it may be a legacy token.
    let digest = token::legacy_sha256_hex(b"mcpx_legacy").unwrap();
    let v = decide(
        &cfg,
        &legacy_call(b"mcpx_legacy", row(&digest), s, None),
        &mut l,
    );
    assert!(v.outcome.is_ok(), "{:?}", v.outcome);
}

#[test]
fn legacy_rows_are_refused_unless_the_guard_opted_in() {
    let cfg = config(GuardRates::default());
    assert!(!cfg.legacy_sha256, "off by default");
    let digest = token::legacy_sha256_hex(LEGACY).unwrap();
    let mut l = MapLimiter::default();
    let v = decide(
        &cfg,
        &legacy_call(LEGACY, row(&digest), &[b"read"], None),
        &mut l,
    );
    assert_eq!(reason(&v), Some("malformed"));
    assert_eq!(l.hits, vec![("mcp.failed", b"ip:192.0.2.9".to_vec())]);
}

#[test]
fn the_legacy_digest_is_the_hosts_lookup_key() {
    // SHA-256("abc"), FIPS 180-2 appendix B.1: what PHP's hash('sha256', 'abc') prints.
    assert_eq!(
        token::legacy_sha256_hex(b"abc").as_deref(),
        Some("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    );
    assert_eq!(token::legacy_sha256_hex(b""), None);
    assert_eq!(
        token::legacy_sha256_hex(&vec![b'a'; token::MAX_LEGACY_TOKEN_LEN + 1]),
        None
    );
    assert!(token::legacy_sha256_hex(&vec![0xff; token::MAX_LEGACY_TOKEN_LEN]).is_some());
}

#[test]
fn the_guard_names_a_legacy_digest_only_when_it_would_check_one() {
    let on = legacy_config();
    let digest = token::legacy_sha256_hex(LEGACY);
    assert!(digest.is_some());
    assert_eq!(on.legacy_digest(LEGACY), digest);
    assert_eq!(config(GuardRates::default()).legacy_digest(LEGACY), None);
    assert_eq!(on.legacy_digest(issued().plaintext.as_bytes()), None);
    assert_eq!(on.legacy_digest(b"mcpat_"), None);
    assert_eq!(on.legacy_digest(b""), None);
}
