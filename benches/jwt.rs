//! Criterion benchmarks of JWT verification in the core: a 3-key JWKS per
//! algorithm, the verifier on a parsed set (the warm path), parsing the set
//! (the cold path), the cache hit, and the raw ring primitive as the floor.
//!
//! Run: `cargo bench --no-default-features --bench jwt`

use std::sync::Arc;

use criterion::{black_box, criterion_group, criterion_main, Criterion};
use mcp_guard::core::digest::of_parts;
use mcp_guard::core::jwt::alg::{self, Alg, PrivateMaterial};
use mcp_guard::core::jwt::cache;
use mcp_guard::core::jwt::json::{self, Object, Value};
use mcp_guard::core::jwt::keys::KeySet;
use mcp_guard::core::jwt::sign::SigningKey;
use mcp_guard::core::jwt::verify::{Verifier, VerifierConfig};
use mcp_guard::core::jwt::{b64_decode, b64_encode};
use ring::rand::SystemRandom;
use ring::rsa::{KeyPairComponents, PublicKeyComponents};
use ring::signature::{RsaKeyPair, RsaPublicKeyComponents, RSA_PKCS1_2048_8192_SHA256};

const ISS: &str = "https://as.shop";
const AUD: &str = "https://mcp.shop/mcp";
const NOW: i64 = 1_800_000_000;

// RFC 7515 Appendix A.2 RSA key (a known 2048-bit key, so the bench needs no keygen).
const N: &str = "ofgWCuLjybRlzo0tZWJjNiuSfb4p4fAkd_wWJcyQoTbji9k0l8W26mPddxHmfHQp-Vaw-4qPCJrcS2mJPMEzP1Pt0Bm4d4QlL-yRT-SFd2lZS-pCgNMsD1W_YpRPEwOWvG6b32690r2jZ47soMZo9wGzjb_7OMg0LOL-bSf63kpaSHSXndS5z5rexMdbBYUsLA9e-KXBdQOS-UTo7WTBEMa2R2CapHg665xsmtdVMTBQY4uDZlxvb3qCo5ZwKh9kG4LT6_I5IhlJH7aGhyxXFvUK-DWNmoudF8NAco9_h9iaGNj8q2ethFkMLs91kzk2PAcDTW9gb54h4FRWyuXpoQ";
const D: &str = "Eq5xpGnNCivDflJsRQBXHx1hdR1k6Ulwe2JZD50LpXyWPEAeP88vLNO97IjlA7_GQ5sLKMgvfTeXZx9SE-7YwVol2NXOoAJe46sui395IW_GO-pWJ1O0BkTGoVEn2bKVRUCgu-GjBVaYLU6f3l9kJfFNS3E0QbVdxzubSu3Mkqzjkn439X0M_V51gfpRLI9JYanrC4D4qAdGcopV_0ZHHzQlBjudU2QvXt4ehNYTCBr6XCLQUShb1juUO1ZdiYoFaFQT5Tw8bGUl_x_jTj3ccPDVZFD9pIuhLhBOneufuBiB4cS98l2SR_RQyGWSeWjnczT0QU91p1DhOVRuOopznQ";
const P: &str = "4BzEEOtIpmVdVEZNCqS7baC4crd0pqnRH_5IB3jw3bcxGn6QLvnEtfdUdiYrqBdss1l58BQ3KhooKeQTa9AB0Hw_Py5PJdTJNPY8cQn7ouZ2KKDcmnPGBY5t7yLc1QlQ5xHdwW1VhvKn-nXqhJTBgIPgtldC-KDV5z-y2XDwGUc";
const Q: &str = "uQPEfgmVtjL0Uyyx88GZFF1fOunH3-7cepKmtH4pxhtCoHqpWmT8YAmZxaewHgHAjLYsp1ZSe7zFYHj7C6ul7TjeLQeZD_YwD66t62wDmpe_HlB-TnBA-njbglfIsRLtXlnDzQkv5dTltRJ11BKBBypeeF6689rjcJIDEz9RWdc";
const DP: &str = "BwKfV3Akq5_MFZDFZCnW-wzl-CCo83WoZvnLQwCTeDv8uzluRSnm71I3QCLdhrqE2e9YkxvuxdBfpT_PI7Yz-FOKnu1R6HsJeDCjn12Sk3vmAktV2zb34MCdy7cpdTh_YVr7tss2u6vneTwrA86rZtu5Mbr1C1XsmvkxHQAdYo0";
const DQ: &str = "h_96-mK1R_7glhsum81dZxjTnYynPbZpHziZjeeHcXYsXaaMwkOlODsWa7I9xXDoRwbKgB719rrmI2oKr6N3Do9U0ajaHF-NKJnwgjMd2w9cjz3_-kyNlxAr2v4IKhGNpmM5iIgOS1VZnOZ68m6_pbLBSp3nssTdlqvd0tIiTHU";
const QI: &str = "IYd7DHOhrWvxkwPQsRM2tOgrjbcrfvtQJipd-DlcxyVuuM9sQLdgjVk2oy26F0EmpScGLq2MowX7fhd_QJQ3ydy5cY7YIBi87w93IKLEdfnbJtoOPLUW0ITrJReOgo1cq9SbsxYawBgfp_gh6A5603k2-ZQwVK0JKSHuLFkuQ3U";

fn d(s: &str) -> Vec<u8> {
    b64_decode(s.as_bytes()).unwrap_or_default()
}

fn claims() -> Object {
    let text = format!(
        r#"{{"iss":"{ISS}","sub":"u1","aud":"{AUD}","client_id":"c1","iat":{NOW},"exp":{},"jti":"j1","scope":"mcp:read mcp:write"}}"#,
        NOW + 3600
    );
    json::parse_object(text.as_bytes()).unwrap_or_default()
}

fn token(alg: Alg, kid: &str, key: &PrivateMaterial) -> String {
    let header = format!(r#"{{"alg":"{}","typ":"at+jwt","kid":"{kid}"}}"#, alg.name());
    let payload = json::to_vec(&Value::Object(claims())).unwrap_or_default();
    let input = format!("{}.{}", b64_encode(header.as_bytes()), b64_encode(&payload));
    let sig = alg::sign(alg, key, input.as_bytes(), &SystemRandom::new()).unwrap_or_default();
    format!("{input}.{}", b64_encode(&sig))
}

fn jwk_json(o: Object) -> String {
    String::from_utf8(json::to_vec(&Value::Object(o)).unwrap_or_default()).unwrap_or_default()
}

/// (alg, jwks document, token, allow_secrets)
fn cases() -> Vec<(Alg, String, String, bool)> {
    let rng = SystemRandom::new();
    let mut out = Vec::new();
    // RS256: the A.2 key plus two more copies under other kids (same size, same cost).
    let kp = RsaKeyPair::from_components(&KeyPairComponents {
        public_key: PublicKeyComponents {
            n: d(N),
            e: d("AQAB"),
        },
        d: d(D),
        p: d(P),
        q: d(Q),
        dP: d(DP),
        dQ: d(DQ),
        qInv: d(QI),
    })
    .expect("RFC 7515 A.2 key");
    let rsa =
        |kid: &str| format!(r#"{{"kty":"RSA","kid":"{kid}","alg":"RS256","n":"{N}","e":"AQAB"}}"#);
    let doc = format!(r#"{{"keys":[{},{},{}]}}"#, rsa("r0"), rsa("r1"), rsa("r2"));
    out.push((
        Alg::RS256,
        doc,
        token(Alg::RS256, "r1", &PrivateMaterial::Rsa(kp)),
        false,
    ));
    for a in [Alg::ES256, Alg::EdDSA] {
        let keys: Vec<SigningKey> = (0..3)
            .filter_map(|_| SigningKey::generate(a, &rng).ok())
            .collect();
        let doc = format!(
            r#"{{"keys":[{}]}}"#,
            keys.iter()
                .filter_map(|k| k.public_jwk())
                .map(jwk_json)
                .collect::<Vec<_>>()
                .join(",")
        );
        let t = keys[1]
            .sign(&claims(), Some("at+jwt"), &rng)
            .unwrap_or_default();
        out.push((a, doc, t, false));
    }
    let secrets = [[1u8; 32], [2u8; 32], [3u8; 32]];
    let doc = format!(
        r#"{{"keys":[{}]}}"#,
        secrets
            .iter()
            .enumerate()
            .map(|(i, s)| format!(
                r#"{{"kty":"oct","kid":"h{i}","alg":"HS256","k":"{}"}}"#,
                b64_encode(s)
            ))
            .collect::<Vec<_>>()
            .join(",")
    );
    let key = PrivateMaterial::Hmac(alg::hmac_key(Alg::HS256, &secrets[2]));
    out.push((Alg::HS256, doc, token(Alg::HS256, "h2", &key), true));
    out
}

fn bench_jwt(c: &mut Criterion) {
    for (a, doc, tok, secrets) in cases() {
        let name = a.name();
        let Ok(set) = KeySet::from_jwks(doc.as_bytes(), None, secrets) else {
            return;
        };
        let Ok(v) = Verifier::new(Arc::new(set), VerifierConfig::new(ISS, vec![AUD.into()])) else {
            return;
        };
        assert!(
            v.verify(tok.as_bytes(), NOW).is_ok(),
            "{name} token must verify"
        );
        c.bench_function(&format!("{name} verify (parsed 3-key JWKS)"), |b| {
            b.iter(|| v.verify(black_box(tok.as_bytes()), NOW))
        });
        c.bench_function(&format!("{name} KeySet::from_jwks (cold parse)"), |b| {
            b.iter(|| KeySet::from_jwks(black_box(doc.as_bytes()), None, secrets))
        });
        let mut cache = cache::new_cache();
        c.bench_function(
            &format!("{name} cache hit (sha256 of JWKS + lookup)"),
            |b| {
                b.iter(|| {
                    let digest = of_parts(
                        cache::DIGEST_LABEL,
                        &[
                            b"jwks",
                            b"",
                            &[u8::from(secrets)],
                            black_box(doc.as_bytes()),
                        ],
                    );
                    cache.get_or_try_insert(digest, doc.len(), || {
                        KeySet::from_jwks(doc.as_bytes(), None, secrets).map(std::sync::Arc::new)
                    })
                })
            },
        );
        let dot = tok.rfind('.').unwrap_or(0);
        let (input, sig) = (tok.as_bytes()[..dot].to_vec(), d(&tok[dot + 1..]));
        if a == Alg::RS256 {
            let (n, e) = (d(N), d("AQAB"));
            c.bench_function("RS256 raw ring verify (RsaPublicKeyComponents)", |b| {
                b.iter(|| {
                    RsaPublicKeyComponents { n: &n, e: &e }.verify(
                        &RSA_PKCS1_2048_8192_SHA256,
                        black_box(&input),
                        &sig,
                    )
                })
            });
        }
    }
}

criterion_group! {
    name = benches;
    config = Criterion::default()
        .sample_size(20)
        .warm_up_time(std::time::Duration::from_millis(500))
        .measurement_time(std::time::Duration::from_secs(2));
    targets = bench_jwt
}
criterion_main!(benches);
