//! API tokens (`<prefix>_<publicId>_<secret><checksum>`) and the legacy
//! digests hosts already store.

use mcp_guard::core::rng::testing::CountingRng;
use mcp_guard::core::token::{self, Pepper, StoredToken, TokenConfig, TokenError, MAX_TOKEN_LEN};

const NOW: i64 = 1_800_000_000;

fn issued(config: &TokenConfig) -> token::IssuedToken {
    token::issue(config, &CountingRng::new(7), NOW, Some(3600)).unwrap()
}

fn stored(hash: &str) -> Option<StoredToken<'_>> {
    Some(StoredToken {
        hash,
        expires_at: Some(NOW + 3600),
        revoked_at: None,
    })
}

/// Weak server pepper (the HMAC key of stored token hashes): refused under
/// 32 bytes. RFC 2104 §3 (keys shorter than the hash output weaken the MAC),
/// NIST SP 800-107 Rev. 1 §5.3.4 (key at least the security strength).
#[test]
fn attack_weak_pepper() {
    for len in [0, 1, 16, 31] {
        assert_eq!(
            Pepper::new(&vec![b'k'; len]).unwrap_err(),
            TokenError::WeakPepper
        );
    }
    assert!(Pepper::new(&[b'k'; 32]).is_ok());
}

/// Size DoS and non-canonical forms of our token: anything but the exact
/// format (case, padding, white space, NUL, a longer string that starts with a
/// valid token) is `malformed` before any hashing or lookup.
/// No RFC fixes our format; the class is "a lenient parser accepts a token
/// plus junk" (CWE-1286, improper validation of syntactic correctness).
#[test]
fn attack_non_canonical_or_huge_token() {
    let config = TokenConfig::default();
    let t = issued(&config);
    let ok = t.plaintext.as_str();
    assert!(token::verify(&config, ok.as_bytes(), stored(&t.hash), NOW).is_ok());
    let variants = [
        format!("{ok} "),
        format!(" {ok}"),
        format!("{ok}\0"),
        format!("{ok}="),
        format!("{ok}a"),
        ok.to_uppercase(),
        ok.replacen("mcp_", "MCP_", 1),
        ok.replacen('_', "-", 1),
        format!("{ok}{}", "a".repeat(10 * 1024 * 1024)),
    ];
    for v in &variants {
        let e = token::verify(&config, v.as_bytes(), stored(&t.hash), NOW).unwrap_err();
        assert!(
            matches!(e, TokenError::Malformed | TokenError::BadChecksum),
            "{e:?}"
        );
    }
    assert!(ok.len() <= MAX_TOKEN_LEN);
    assert_eq!(
        token::verify_legacy_sha256(&vec![b'a'; 4097], &"0".repeat(64)),
        Err(TokenError::Malformed)
    );
}

/// Token state oracle: without the secret an attacker must not learn whether a
/// public id is revoked or expired (only a genuine token sees `revoked` or
/// `expired`); a wrong secret is always `mismatch`. RFC 6750 §5.2 (token
/// disclosure), RFC 7009 §2.2 (no information about other tokens), CWE-204.
#[test]
fn attack_revocation_and_expiry_oracle() {
    let config = TokenConfig::default();
    let real = issued(&config);
    let other = token::issue(&config, &CountingRng::new(99), NOW, Some(3600)).unwrap();
    // The attacker's well-formed token, checked against the victim's row.
    for (exp, rev) in [(Some(NOW - 1), None), (Some(NOW + 10), Some(NOW - 5))] {
        let row = Some(StoredToken {
            hash: &real.hash,
            expires_at: exp,
            revoked_at: rev,
        });
        assert_eq!(
            token::verify(&config, other.plaintext.as_bytes(), row, NOW).unwrap_err(),
            TokenError::Mismatch
        );
        assert_ne!(
            token::verify(&config, real.plaintext.as_bytes(), row, NOW).unwrap_err(),
            TokenError::Mismatch
        );
    }
}

/// Comparison of secrets in constant time (CWE-208, observable timing
/// discrepancy; RFC 6750 §5.2 token guessing): every stored digest that
/// differs from the real one, at the first or at the last byte, gives the same
/// `mismatch`. The timing itself is measured by `benches/timing.rs`
/// (dudect-style, see SECURITY.md); this test pins the behaviour.
#[test]
fn attack_digest_mismatch_position_is_not_observable_by_result() {
    let config = TokenConfig::default();
    let t = issued(&config);
    let hex = t.hash.strip_prefix("sha256:").unwrap();
    for pos in [0, 31, 63] {
        let mut h = hex.as_bytes().to_vec();
        h[pos] = if h[pos] == b'0' { b'1' } else { b'0' };
        let forged = format!("sha256:{}", String::from_utf8(h).unwrap());
        assert_eq!(
            token::verify(&config, t.plaintext.as_bytes(), stored(&forged), NOW).unwrap_err(),
            TokenError::Mismatch
        );
    }
    // The legacy digest path too.
    let legacy = "legacy-token";
    let mut d = sha256_hex(legacy);
    let last = d.pop().unwrap();
    d.push(if last == '0' { '1' } else { '0' });
    assert_eq!(
        token::verify_legacy_sha256(legacy.as_bytes(), &d),
        Err(TokenError::Mismatch)
    );
}

/// SHA-256 of `s` as 64 lower-case hex digits.
fn sha256_hex(s: &str) -> String {
    token::hash_for_storage(None, s)
        .trim_start_matches("sha256:")
        .to_owned()
}

/// Rotation that revives a dead credential: rotating an expired or revoked
/// token must not hand out a fresh successor (the successor would outlive the
/// revocation or the expiry the host enforced). CWE-613 (insufficient session
/// expiration); the OAuth analogue is a revoked refresh token that still
/// rotates, RFC 9700 §4.14. Revocation is checked before expiry, and expiry is
/// exclusive, as in verification.
#[test]
fn attack_rotation_revives_an_expired_or_revoked_token() {
    let config = TokenConfig::default();
    let rng = CountingRng::new(3);
    let rotate = |expires_at, revoked_at| {
        token::rotate(
            &config,
            &rng,
            NOW,
            token::Previous {
                expires_at,
                revoked_at,
            },
            token::DEFAULT_ROTATION_OVERLAP_SECS,
            None,
        )
    };
    assert_eq!(rotate(Some(NOW), None).unwrap_err(), TokenError::Expired);
    assert_eq!(
        rotate(Some(NOW - 1), None).unwrap_err(),
        TokenError::Expired
    );
    assert_eq!(
        rotate(Some(NOW + 60), Some(NOW - 1)).unwrap_err(),
        TokenError::Revoked
    );
    assert_eq!(rotate(None, Some(NOW)).unwrap_err(), TokenError::Revoked);
    assert_eq!(
        rotate(Some(NOW - 1), Some(NOW - 5)).unwrap_err(),
        TokenError::Revoked
    );
    let live = rotate(Some(NOW + 1), None).unwrap();
    assert_eq!(live.previous_expires_at, NOW + 1);
    assert!(rotate(None, None).is_ok());
}

/// A misconfigured lifetime cap never widens the lifetime: an unparsable
/// `mcp_guard.max_token_lifetime_days` is refused (the server will not issue)
/// rather than replaced by a default or by "no maximum". CWE-1188 (insecure
/// default initialization), CWE-20.
#[test]
fn attack_misconfigured_lifetime_cap_is_refused_not_guessed() {
    for bad in [
        "",
        "-1",
        "-0x1",
        "1e9",
        "36501",
        "18446744073709551616",
        "∞",
        "unlimited",
    ] {
        assert_eq!(
            token::max_lifetime_from_days(bad),
            Err(TokenError::InvalidMaxLifetime),
            "{bad:?}"
        );
    }
    assert_eq!(token::max_lifetime_from_days("0"), Ok(None));
}
