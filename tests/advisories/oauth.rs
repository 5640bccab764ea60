//! OAuth 2.1 authorization-server decisions: the attack classes of RFC 9700
//! and friends, one test each. What is the store's (atomic one-time
//! consumption of codes, family revocation in one transaction) is tested by
//! the glue's suites; here: every decision the core takes.

use mcp_guard::core::oauth::authorize::Query;
use mcp_guard::core::oauth::client::{check_fetch_target, ClientIdUrl, Metadata};
use mcp_guard::core::oauth::code::{Exchange, IssuedCode};
use mcp_guard::core::oauth::config::Config;
use mcp_guard::core::oauth::pkce::Challenge;
use mcp_guard::core::oauth::redirect::RedirectUri;
use mcp_guard::core::oauth::refresh::{decide, Decision, State};
use mcp_guard::core::oauth::OAuthError;
use mcp_guard::core::rng::testing::CountingRng;

const NOW: i64 = 1_800_000_000;
const VERIFIER: &str = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
const CHALLENGE: &str = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";

fn config() -> Config {
    Config::new(
        "https://shop.example",
        "https://shop.example/mcp",
        &["read", "write"],
    )
    .unwrap()
}

fn registered() -> Vec<RedirectUri> {
    ["https://client.example/cb", "http://127.0.0.1/cb"]
        .iter()
        .map(|u| RedirectUri::parse(u.as_bytes()).unwrap())
        .collect()
}

fn query(redirect: &str, extra: &str) -> String {
    format!(
        "response_type=code&client_id=c1&redirect_uri={}&code_challenge={CHALLENGE}&code_challenge_method=S256&state=s{extra}",
        redirect.replace(':', "%3A").replace('/', "%2F")
    )
}

/// PKCE downgrade: `plain`, a missing method, or a token request without a
/// verifier for a code issued with a challenge (RFC 7636 §4.2, §7.2;
/// RFC 9700 §2.1.1, §4.8; OAuth 2.1 §4.1.1).
#[test]
fn attack_pkce_downgrade() {
    let c = config();
    for method in ["&code_challenge_method=plain", ""] {
        let q =
            query("https://client.example/cb", "").replace("&code_challenge_method=S256", method);
        let e = Query::parse(q.as_bytes())
            .unwrap()
            .validate(&registered(), &c)
            .unwrap_err();
        assert_eq!(e.error, OAuthError::UnsupportedChallengeMethod);
    }
    let no_challenge =
        query("https://client.example/cb", "").replace(&format!("code_challenge={CHALLENGE}&"), "");
    let e = Query::parse(no_challenge.as_bytes())
        .unwrap()
        .validate(&registered(), &c)
        .unwrap_err();
    assert_eq!(e.error, OAuthError::InvalidCodeChallenge);
    let req = Query::parse(query("https://client.example/cb", "").as_bytes())
        .unwrap()
        .validate(&registered(), &c)
        .unwrap();
    let code = IssuedCode::issue(
        &req,
        "m",
        vec!["read".into()],
        &c,
        &CountingRng::new(1),
        NOW,
    )
    .unwrap();
    let ex = Exchange {
        client_id: "c1",
        redirect_uri: Some("https://client.example/cb"),
        verifier: None,
        resources: &[],
    };
    assert_eq!(
        code.binding.redeem(&ex, NOW),
        Err(OAuthError::InvalidCodeVerifier)
    );
}

/// PKCE verifier grammar: 43–128 unreserved characters (RFC 7636 §4.1).
#[test]
fn attack_pkce_verifier_grammar() {
    let c = Challenge::parse(Some(CHALLENGE.as_bytes()), Some(b"S256")).unwrap();
    for bad in [
        "short",
        &"a".repeat(129),
        &format!("{VERIFIER} "),
        &format!("{}%", &VERIFIER[..42]),
    ] {
        assert_eq!(
            c.verify(Some(bad.as_bytes())),
            Err(OAuthError::InvalidCodeVerifier),
            "{bad}"
        );
    }
    assert_eq!(c.verify(Some(VERIFIER.as_bytes())), Ok(()));
}

/// A code is bound to client, redirect URI, challenge, scope and resource
/// (RFC 6749 §4.1.3; RFC 8707 §2.2); redeeming it any other way fails.
/// Its one-time use (RFC 6749 §4.1.2, §10.5; RFC 9700 §4.5) is the store's
/// conditional UPDATE, tested in the glue's concurrency suite.
#[test]
fn attack_code_binding() {
    let c = config();
    let req = Query::parse(query("http://127.0.0.1:5000/cb", "").as_bytes())
        .unwrap()
        .validate(&registered(), &c)
        .unwrap();
    let code = IssuedCode::issue(
        &req,
        "m",
        vec!["read".into()],
        &c,
        &CountingRng::new(1),
        NOW,
    )
    .unwrap();
    let good = Exchange {
        client_id: "c1",
        redirect_uri: Some("http://127.0.0.1:5000/cb"),
        verifier: Some(VERIFIER.as_bytes()),
        resources: &["https://shop.example/mcp"],
    };
    assert!(code.binding.clone().redeem(&good, NOW).is_ok());
    let cases = [
        (
            Exchange {
                client_id: "c2",
                ..good
            },
            OAuthError::CodeClientMismatch,
        ),
        (
            Exchange {
                redirect_uri: Some("http://127.0.0.1:5001/cb"),
                ..good
            },
            OAuthError::CodeRedirectMismatch,
        ),
        (
            Exchange {
                redirect_uri: Some("https://client.example/cb"),
                ..good
            },
            OAuthError::CodeRedirectMismatch,
        ),
        (
            Exchange {
                verifier: Some(b"x".repeat(43).leak()),
                ..good
            },
            OAuthError::PkceMismatch,
        ),
        (
            Exchange {
                resources: &["https://shop.example/other"],
                ..good
            },
            OAuthError::InvalidTarget,
        ),
    ];
    for (ex, err) in cases {
        assert_eq!(code.binding.clone().redeem(&ex, NOW), Err(err));
    }
    assert_eq!(
        code.binding.redeem(&good, NOW + 60),
        Err(OAuthError::CodeExpired)
    );
}

/// Refresh-token replay: a reused refresh token revokes its whole family,
/// except within the documented grace window of a benign race (RFC 9700
/// §4.14.2; OAuth 2.1 §4.3.1).
#[test]
fn attack_refresh_replay() {
    let c = config();
    let rotated = State {
        expires_at: NOW + 3600,
        rotated_at: Some(NOW),
        grace_successors: 0,
        successor_used: false,
        family_revoked: false,
    };
    assert_eq!(
        decide(&rotated, &c, NOW + 3600 - 1),
        Ok(Decision::RevokeFamily)
    );
    assert_eq!(
        decide(
            &State {
                successor_used: true,
                ..rotated
            },
            &c,
            NOW + 1
        ),
        Ok(Decision::RevokeFamily)
    );
    // The grace window does not let a thief mint successors without end.
    let mut s = rotated;
    for _ in 0..2 {
        assert_eq!(decide(&s, &c, NOW + 1), Ok(Decision::RotateAgain));
        s.grace_successors += 1;
    }
    assert_eq!(decide(&s, &c, NOW + 1), Ok(Decision::RevokeFamily));
}

/// Redirect URI variations: exact comparison only (RFC 9700 §2.1, §4.1.3;
/// OAuth 2.1 §2.3.1), loopback with any port (RFC 8252 §7.3) but no
/// `localhost` / `127.0.0.1` confusion.
#[test]
fn attack_redirect_uri_variations() {
    let web = RedirectUri::parse(b"https://client.example/cb").unwrap();
    for v in [
        "https://client.example/cb/",
        "https://CLIENT.example/cb",
        "HTTPS://client.example/cb",
        "https://client.example/Cb",
        "https://client.example/cb?x=1",
        "https://client.example/cb#",
        "https://good@client.example/cb",
        "https://client.example@evil.example/cb",
        "https://xn--clent-9ra.example/cb",
        "https://client.example/%63b",
        "https://client.example/a/%2e%2e/cb",
        "https://client.example:443/cb",
    ] {
        assert!(!web.matches(v.as_bytes()), "{v}");
    }
    let lo = RedirectUri::parse(b"http://127.0.0.1/cb").unwrap();
    assert!(lo.matches(b"http://127.0.0.1:61000/cb"));
    assert!(!lo.matches(b"http://localhost:61000/cb"));
    assert!(!lo.matches(b"http://[::1]:61000/cb"));
    assert!(!lo.matches(b"http://127.0.0.1.evil.example:61000/cb"));
}

/// Client registration metadata (RFC 7591 §5): `javascript:` / `data:`
/// redirect URIs and non-https non-loopback URIs are refused; so are
/// fragments, wildcards and userinfo (RFC 9700 §4.1).
#[test]
fn attack_registration_metadata() {
    for uri in [
        "javascript:alert(document.cookie)",
        "data:text/html;base64,PHNjcmlwdD4=",
        "file:///etc/passwd",
        "vbscript:msgbox",
        "http://client.example/cb",
        "https://client.example/cb#token",
        "https://*.client.example/cb",
        "https://attacker@client.example/cb",
    ] {
        let body = format!(r#"{{"redirect_uris":["https://ok.example/cb","{uri}"]}}"#);
        assert_eq!(
            Metadata::from_registration(body.as_bytes()),
            Err(OAuthError::InvalidRedirectUri),
            "{uri}"
        );
    }
}

/// Mix-up (RFC 9700 §4.4): every authorization response, errors included,
/// carries `iss` (RFC 9207 §2), so a client talking to several servers can
/// tell which one answered.
#[test]
fn attack_mix_up_iss_on_every_response() {
    let c = config();
    let ok = Query::parse(query("https://client.example/cb", "").as_bytes())
        .unwrap()
        .validate(&registered(), &c)
        .unwrap();
    assert!(ok
        .code_redirect("x")
        .contains("&iss=https%3A%2F%2Fshop.example"));
    assert!(ok
        .denied_redirect()
        .contains("&iss=https%3A%2F%2Fshop.example"));
    let bad = query(
        "https://client.example/cb",
        "&resource=https%3A%2F%2Fevil.example",
    );
    let e = Query::parse(bad.as_bytes())
        .unwrap()
        .validate(&registered(), &c)
        .unwrap_err();
    assert!(e
        .redirect
        .unwrap()
        .ends_with("&iss=https%3A%2F%2Fshop.example"));
}

/// SSRF through a Client ID Metadata Document URL (draft-ietf-oauth-client-
/// id-metadata-document §6; CWE-918): the document may only be fetched from
/// a global address, also when the private address hides in an IPv4-mapped,
/// NAT64 or 6to4 form; the client id itself must be a plain https URL.
#[test]
fn attack_metadata_document_ssrf() {
    for ip in [
        "127.0.0.1",
        "169.254.169.254",
        "10.0.0.1",
        "::ffff:169.254.169.254",
        "64:ff9b::a9fe:a9fe",
        "2002:a9fe:a9fe::1",
        "fd00:ec2::254",
        "0.0.0.0",
        "::",
    ] {
        assert_eq!(
            check_fetch_target(ip.parse().unwrap()),
            Err(OAuthError::FetchTargetRefused),
            "{ip}"
        );
    }
    for id in [
        "http://client.example/m",
        "https://client.example/../m",
        "https://user:pw@client.example/m",
        "https://client.example/m#f",
    ] {
        assert!(ClientIdUrl::parse(id.as_bytes()).is_err(), "{id}");
    }
}

/// Token passthrough / audience (RFC 8707 §2, MCP authorization §"Token
/// audience binding"): a request for another resource is `invalid_target`.
#[test]
fn attack_foreign_resource() {
    let c = config();
    let q = query(
        "https://client.example/cb",
        "&resource=https%3A%2F%2Fshop.example%2Fmcp&resource=https%3A%2F%2Fother.example%2Fmcp",
    );
    let e = Query::parse(q.as_bytes())
        .unwrap()
        .validate(&registered(), &c)
        .unwrap_err();
    assert_eq!(e.error, OAuthError::InvalidTarget);
}
