//! Key sets from arbitrary JWKS documents and PEM text: never a panic; a set
//! that parses is never empty and every key is pinned to one algorithm.
#![no_main]

use libfuzzer_sys::fuzz_target;
use mcp_guard::core::jwt::alg::Alg;
use mcp_guard::core::jwt::keys::KeySet;

fuzz_target!(|data: &[u8]| {
    let Some((&mode, rest)) = data.split_first() else {
        return;
    };
    let alg = Alg::ALL.get(usize::from(mode >> 4) % (Alg::ALL.len() + 1)).copied();
    let set = if mode & 1 == 0 {
        KeySet::from_jwks(rest, alg, mode & 2 != 0)
    } else {
        KeySet::from_pem(rest, alg.unwrap_or(Alg::RS256), None)
    };
    if let Ok(set) = set {
        assert!(!set.keys().is_empty());
        if set.keys().len() > 1 {
            assert!(set.keys().iter().all(|k| k.kid.is_some()));
        }
    }
});
