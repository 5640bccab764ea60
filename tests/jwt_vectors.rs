//! JWS known-answer vectors, typed in from the RFCs (each block names its
//! source), run through our ring primitives and, where the payload is a JWT,
//! through the verifier.

use std::sync::Arc;

use mcp_guard::core::jwt::alg::{self, Alg, PrivateMaterial};
use mcp_guard::core::jwt::keys::{required_members, thumbprint, KeySet};
use mcp_guard::core::jwt::verify::{Profile, Verifier, VerifierConfig};
use mcp_guard::core::jwt::{b64_decode, JwtError};
use ring::rand::SystemRandom;
use ring::rsa::{KeyPairComponents, PublicKeyComponents};
use ring::signature::{Ed25519KeyPair, RsaKeyPair};

fn d(s: &str) -> Vec<u8> {
    b64_decode(s.as_bytes()).unwrap()
}

fn split(token: &str) -> (&str, Vec<u8>) {
    let dot = token.rfind('.').unwrap();
    (&token[..dot], d(&token[dot + 1..]))
}

/// Verifies `token` with the set's only key at the primitive level.
fn primitive_ok(set: &KeySet, token: &str) -> bool {
    let (input, sig) = split(token);
    let key = &set.keys()[0];
    alg::verify(key.alg, &key.material, input.as_bytes(), &sig).is_ok()
}

/// The RFC 7515 claims {"iss":"joe","exp":1300819380,...} have no `aud`:
/// through the verifier the signature passes and the strict claim rules
/// refuse the token, which shows both layers.
fn through_verifier(set: KeySet, token: &str) -> Result<(), JwtError> {
    let mut c = VerifierConfig::new("joe", vec!["anything".into()]);
    c.profile = Profile::Jwt;
    Verifier::new(Arc::new(set), c)?
        .verify(token.as_bytes(), 1_300_819_000)
        .map(|_| ())
}

// RFC 7515 Appendix A: JWS Protected Header / Payload shared by A.1-A.3.
const A_PAYLOAD: &str = "eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlfQ";

// RFC 7515 Appendix A.1 (HS256).
const A1_K: &str =
    "AyM1SysPpbyDfgZld3umj1qzKObwVMkoqQ-EstJQLr_T-1qS0gZH75aKtMN3Yj0iPS4hcgUuTwjAzZr1Z9CAow";
const A1_HEADER: &str = "eyJ0eXAiOiJKV1QiLA0KICJhbGciOiJIUzI1NiJ9";
const A1_SIG: &str = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";

#[test]
fn rfc7515_a1_hs256() {
    let token = format!("{A1_HEADER}.{A_PAYLOAD}.{A1_SIG}");
    let set = KeySet::from_secret(&d(A1_K), Alg::HS256, None).unwrap();
    assert!(primitive_ok(&set, &token));
    // Signing reproduces the signature byte for byte.
    let key = PrivateMaterial::Hmac(alg::hmac_key(Alg::HS256, &d(A1_K)));
    let sig = alg::sign(
        Alg::HS256,
        &key,
        format!("{A1_HEADER}.{A_PAYLOAD}").as_bytes(),
        &SystemRandom::new(),
    )
    .unwrap();
    assert_eq!(sig, d(A1_SIG));
    assert_eq!(through_verifier(set, &token), Err(JwtError::MissingClaim));
}

// RFC 7515 Appendix A.2 (RS256): the RSA key of Figure "RSA key" (n, e, d, p, q, dp, dq, qi).
const A2_N: &str = "ofgWCuLjybRlzo0tZWJjNiuSfb4p4fAkd_wWJcyQoTbji9k0l8W26mPddxHmfHQp-Vaw-4qPCJrcS2mJPMEzP1Pt0Bm4d4QlL-yRT-SFd2lZS-pCgNMsD1W_YpRPEwOWvG6b32690r2jZ47soMZo9wGzjb_7OMg0LOL-bSf63kpaSHSXndS5z5rexMdbBYUsLA9e-KXBdQOS-UTo7WTBEMa2R2CapHg665xsmtdVMTBQY4uDZlxvb3qCo5ZwKh9kG4LT6_I5IhlJH7aGhyxXFvUK-DWNmoudF8NAco9_h9iaGNj8q2ethFkMLs91kzk2PAcDTW9gb54h4FRWyuXpoQ";
const A2_D: &str = "Eq5xpGnNCivDflJsRQBXHx1hdR1k6Ulwe2JZD50LpXyWPEAeP88vLNO97IjlA7_GQ5sLKMgvfTeXZx9SE-7YwVol2NXOoAJe46sui395IW_GO-pWJ1O0BkTGoVEn2bKVRUCgu-GjBVaYLU6f3l9kJfFNS3E0QbVdxzubSu3Mkqzjkn439X0M_V51gfpRLI9JYanrC4D4qAdGcopV_0ZHHzQlBjudU2QvXt4ehNYTCBr6XCLQUShb1juUO1ZdiYoFaFQT5Tw8bGUl_x_jTj3ccPDVZFD9pIuhLhBOneufuBiB4cS98l2SR_RQyGWSeWjnczT0QU91p1DhOVRuOopznQ";
const A2_P: &str = "4BzEEOtIpmVdVEZNCqS7baC4crd0pqnRH_5IB3jw3bcxGn6QLvnEtfdUdiYrqBdss1l58BQ3KhooKeQTa9AB0Hw_Py5PJdTJNPY8cQn7ouZ2KKDcmnPGBY5t7yLc1QlQ5xHdwW1VhvKn-nXqhJTBgIPgtldC-KDV5z-y2XDwGUc";
const A2_Q: &str = "uQPEfgmVtjL0Uyyx88GZFF1fOunH3-7cepKmtH4pxhtCoHqpWmT8YAmZxaewHgHAjLYsp1ZSe7zFYHj7C6ul7TjeLQeZD_YwD66t62wDmpe_HlB-TnBA-njbglfIsRLtXlnDzQkv5dTltRJ11BKBBypeeF6689rjcJIDEz9RWdc";
const A2_DP: &str = "BwKfV3Akq5_MFZDFZCnW-wzl-CCo83WoZvnLQwCTeDv8uzluRSnm71I3QCLdhrqE2e9YkxvuxdBfpT_PI7Yz-FOKnu1R6HsJeDCjn12Sk3vmAktV2zb34MCdy7cpdTh_YVr7tss2u6vneTwrA86rZtu5Mbr1C1XsmvkxHQAdYo0";
const A2_DQ: &str = "h_96-mK1R_7glhsum81dZxjTnYynPbZpHziZjeeHcXYsXaaMwkOlODsWa7I9xXDoRwbKgB719rrmI2oKr6N3Do9U0ajaHF-NKJnwgjMd2w9cjz3_-kyNlxAr2v4IKhGNpmM5iIgOS1VZnOZ68m6_pbLBSp3nssTdlqvd0tIiTHU";
const A2_QI: &str = "IYd7DHOhrWvxkwPQsRM2tOgrjbcrfvtQJipd-DlcxyVuuM9sQLdgjVk2oy26F0EmpScGLq2MowX7fhd_QJQ3ydy5cY7YIBi87w93IKLEdfnbJtoOPLUW0ITrJReOgo1cq9SbsxYawBgfp_gh6A5603k2-ZQwVK0JKSHuLFkuQ3U";
const A2_HEADER: &str = "eyJhbGciOiJSUzI1NiJ9";
const A2_SIG: &str = "cC4hiUPoj9Eetdgtv3hF80EGrhuB__dzERat0XF9g2VtQgr9PJbu3XOiZj5RZmh7AAuHIm4Bh-0Qc_lF5YKt_O8W2Fp5jujGbds9uJdbF9CUAr7t1dnZcAcQjbKBYNX4BAynRFdiuB--f_nZLgrnbyTyWzO75vRK5h6xBArLIARNPvkSjtQBMHlb1L07Qe7K0GarZRmB_eSN9383LcOLn6_dO--xi12jzDwusC-eOkHWEsqtFZESc6BfI7noOPqvhJ1phCnvWh6IeYI2w9QOYEUipUTI8np6LbgGY9Fs98rqVt5AXLIhWkWywlVmtVrBp0igcN_IoypGlUPQGe77Rw";

/// The RFC 7515 A.2 RSA key as a public JWK (for other tests too).
pub fn a2_public_jwk(extra: &str) -> String {
    format!(r#"{{"kty":"RSA","n":"{A2_N}","e":"AQAB"{extra}}}"#)
}

#[test]
fn rfc7515_a2_rs256() {
    let token = format!("{A2_HEADER}.{A_PAYLOAD}.{A2_SIG}");
    let set =
        KeySet::from_jwks(a2_public_jwk(r#","alg":"RS256""#).as_bytes(), None, false).unwrap();
    assert!(primitive_ok(&set, &token));
    // PKCS#1 v1.5 is deterministic: signing with the private key reproduces it.
    let kp = RsaKeyPair::from_components(&KeyPairComponents {
        public_key: PublicKeyComponents {
            n: d(A2_N),
            e: d("AQAB"),
        },
        d: d(A2_D),
        p: d(A2_P),
        q: d(A2_Q),
        dP: d(A2_DP),
        dQ: d(A2_DQ),
        qInv: d(A2_QI),
    })
    .unwrap();
    let sig = alg::sign(
        Alg::RS256,
        &PrivateMaterial::Rsa(kp),
        format!("{A2_HEADER}.{A_PAYLOAD}").as_bytes(),
        &SystemRandom::new(),
    )
    .unwrap();
    assert_eq!(sig, d(A2_SIG));
    assert_eq!(through_verifier(set, &token), Err(JwtError::MissingClaim));
    // The same signature under PS256 or with another payload does not verify.
    let set =
        KeySet::from_jwks(a2_public_jwk(r#","alg":"RS256""#).as_bytes(), None, false).unwrap();
    assert!(!primitive_ok(
        &set,
        &format!("{A2_HEADER}.{A_PAYLOAD}x.{A2_SIG}")
    ));
}

// RFC 7515 Appendix A.3 (ES256).
const A3_X: &str = "f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU";
const A3_Y: &str = "x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0";
const A3_HEADER: &str = "eyJhbGciOiJFUzI1NiJ9";
const A3_SIG: &str =
    "DtEhU3ljbEg8L38VWAfUAqOyKAM6-Xx-F4GawxaepmXFCgfTjDxw5djxLa8ISlSApmWQxfKTUJqPP3-Kg6NU1Q";

#[test]
fn rfc7515_a3_es256() {
    let token = format!("{A3_HEADER}.{A_PAYLOAD}.{A3_SIG}");
    let jwk = format!(r#"{{"kty":"EC","crv":"P-256","x":"{A3_X}","y":"{A3_Y}","alg":"ES256"}}"#);
    let set = KeySet::from_jwks(jwk.as_bytes(), None, false).unwrap();
    assert!(primitive_ok(&set, &token));
    assert_eq!(through_verifier(set, &token), Err(JwtError::MissingClaim));
    // The private `d` of the RFC's JWK is refused in a public set.
    let private = format!(
        r#"{{"kty":"EC","crv":"P-256","x":"{A3_X}","y":"{A3_Y}","d":"jpsQnnGQmL-YBIffH1136cspYG6-0iY7X1fCE9-E9LI","alg":"ES256"}}"#
    );
    assert_eq!(
        KeySet::from_jwks(private.as_bytes(), None, false).unwrap_err(),
        JwtError::PrivateKeyMaterial
    );
}

// RFC 7520 §4: payload (Figure 8) and keys (Figure 3 RSA "bilbo.baggins@hobbiton.example",
// Figure 5 symmetric key "018c0ae5-4d9b-471b-bfd6-eef314bc7037").
const C_PAYLOAD: &str = "SXTigJlzIGEgZGFuZ2Vyb3VzIGJ1c2luZXNzLCBGcm9kbywgZ29pbmcgb3V0IHlvdXIgZG9vci4gWW91IHN0ZXAgb250byB0aGUgcm9hZCwgYW5kIGlmIHlvdSBkb24ndCBrZWVwIHlvdXIgZmVldCwgdGhlcmXigJlzIG5vIGtub3dpbmcgd2hlcmUgeW91IG1pZ2h0IGJlIHN3ZXB0IG9mZiB0by4";
const C_RSA_N: &str = "n4EPtAOCc9AlkeQHPzHStgAbgs7bTZLwUBZdR8_KuKPEHLd4rHVTeT-O-XV2jRojdNhxJWTDvNd7nqQ0VEiZQHz_AJmSCpMaJMRBSFKrKb2wqVwGU_NsYOYL-QtiWN2lbzcEe6XC0dApr5ydQLrHqkHHig3RBordaZ6Aj-oBHqFEHYpPe7Tpe-OfVfHd1E6cS6M1FZcD1NNLYD5lFHpPI9bTwJlsde3uhGqC0ZCuEHg8lhzwOHrtIQbS0FVbb9k3-tVTU4fg_3L_vniUFAKwuCLqKnS2BYwdq_mzSnbLY7h_qixoR7jig3__kRhuaxwUkRz5iaiQkqgc5gHdrNP5zw";
const C_KID: &str = "bilbo.baggins@hobbiton.example";
const C_HMAC_K: &str = "hJtXIZ2uSN5kbQfbtTNWbpdmhkV8FJG-Onbc6mxCcYg";

fn bilbo(alg: &str) -> KeySet {
    let jwk = format!(r#"{{"kty":"RSA","kid":"{C_KID}","use":"sig","n":"{C_RSA_N}","e":"AQAB"}}"#);
    KeySet::from_jwks(jwk.as_bytes(), Alg::from_name(alg), false).unwrap()
}

#[test]
fn rfc7520_4_1_rs256() {
    // §4.1.3, Figure 13.
    let token = format!("eyJhbGciOiJSUzI1NiIsImtpZCI6ImJpbGJvLmJhZ2dpbnNAaG9iYml0b24uZXhhbXBsZSJ9.{C_PAYLOAD}.MRjdkly7_-oTPTS3AXP41iQIGKa80A0ZmTuV5MEaHoxnW2e5CZ5NlKtainoFmKZopdHM1O2U4mwzJdQx996ivp83xuglII7PNDi84wnB-BDkoBwA78185hX-Es4JIwmDLJK3lfWRa-XtL0RnltuYv746iYTh_qHRD68BNt1uSNCrUCTJDt5aAE6x8wW1Kt9eRo4QPocSadnHXFxnt8Is9UzpERV0ePPQdLuW3IS_de3xyIrDaLGdjluPxUAhb6L2aXic1U12podGU0KLUQSE_oI-ZnmKJ3F4uOZDnd6QZWJushZ41Axf_fcIe8u9ipH84ogoree7vjbU5y18kDquDg");
    assert!(primitive_ok(&bilbo("RS256"), &token));
    // The payload is prose, not a claims set: signature passes, then malformed.
    assert_eq!(
        through_verifier(bilbo("RS256"), &token),
        Err(JwtError::Malformed)
    );
    // Pinned to PS256, the same key refuses the RS256 token before any crypto.
    assert_eq!(
        through_verifier(bilbo("PS256"), &token),
        Err(JwtError::AlgNotAllowed)
    );
}

#[test]
fn rfc7520_4_2_ps384() {
    // §4.2.3, Figure 20 (PSS is randomized: verification only).
    let token = format!("eyJhbGciOiJQUzM4NCIsImtpZCI6ImJpbGJvLmJhZ2dpbnNAaG9iYml0b24uZXhhbXBsZSJ9.{C_PAYLOAD}.cu22eBqkYDKgIlTpzDXGvaFfz6WGoz7fUDcfT0kkOy42miAh2qyBzk1xEsnk2IpN6-tPid6VrklHkqsGqDqHCdP6O8TTB5dDDItllVo6_1OLPpcbUrhiUSMxbbXUvdvWXzg-UD8biiReQFlfz28zGWVsdiNAUf8ZnyPEgVFn442ZdNqiVJRmBqrYRXe8P_ijQ7p8Vdz0TTrxUeT3lm8d9shnr2lfJT8ImUjvAA2Xez2Mlp8cBE5awDzT0qI0n6uiP1aCN_2_jLAeQTlqRHtfa64QQSUmFAAjVKPbByi7xho0uTOcbH510a6GYmJUAfmWjwZ6oD4ifKo8DYM-X72Eaw");
    assert!(primitive_ok(&bilbo("PS384"), &token));
    assert!(!primitive_ok(&bilbo("PS256"), &token));
    assert_eq!(
        through_verifier(bilbo("PS384"), &token),
        Err(JwtError::Malformed)
    );
}

#[test]
fn rfc7520_4_3_es512_is_not_supported() {
    // §4.3: ES512 on P-521. ring has no P-521, so the key and the alg are refused.
    let jwk = r#"{"kty":"EC","kid":"bilbo.baggins@hobbiton.example","use":"sig","crv":"P-521","x":"AHKZLLOsCOzz5cY97ewNUajB957y-C-U88c3v13nmGZx6sYl_oJXu9A5RkTKqjqvjyekWF-7ytDyRXYgCF5cj0Kt","y":"AdymlHvOiLxXkEhayXQnNCvDX4h9htZaCJN34kfmC6pV5OhQHiraVySsUdaQkAgDPrwQrJmbnX9cwlGfP-HqHZR1","alg":"ES512"}"#;
    assert_eq!(
        KeySet::from_jwks(jwk.as_bytes(), None, false).unwrap_err(),
        JwtError::AlgMismatch
    );
    assert_eq!(Alg::from_name("ES512"), None);
}

#[test]
fn rfc7520_4_4_hs256() {
    // §4.4.3, Figure 34.
    let token = format!("eyJhbGciOiJIUzI1NiIsImtpZCI6IjAxOGMwYWU1LTRkOWItNDcxYi1iZmQ2LWVlZjMxNGJjNzAzNyJ9.{C_PAYLOAD}.s0h6KThzkfBBBkLspW1h84VsJZFTsPPqMDA7g1Md7p0");
    let jwk = format!(
        r#"{{"kty":"oct","kid":"018c0ae5-4d9b-471b-bfd6-eef314bc7037","use":"sig","alg":"HS256","k":"{C_HMAC_K}"}}"#
    );
    let set = KeySet::from_jwks(jwk.as_bytes(), None, true).unwrap();
    assert!(primitive_ok(&set, &token));
    assert_eq!(through_verifier(set, &token), Err(JwtError::Malformed));
    // A published JWKS never carries the secret.
    assert_eq!(
        KeySet::from_jwks(jwk.as_bytes(), None, false).unwrap_err(),
        JwtError::PrivateKeyMaterial
    );
}

// RFC 8037 Appendix A.1 (key), A.3 (thumbprint), A.4 (JWS).
const E_D: &str = "nWGxne_9WmC6hEr0kuwsxERJxWl7MmkZcDusAxyuf2A";
const E_X: &str = "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo";
const E_JWS: &str = "eyJhbGciOiJFZERTQSJ9.RXhhbXBsZSBvZiBFZDI1NTE5IHNpZ25pbmc.hgyY0il_MGCjP0JzlnLWG1PPOt7-09PGcvMg3AIbQR6dWbhijcNR4ki4iylGjg5BhVsPt9g7sVvpAr_MuM0KAg";

#[test]
fn rfc8037_eddsa() {
    let jwk = format!(r#"{{"kty":"OKP","crv":"Ed25519","x":"{E_X}","alg":"EdDSA"}}"#);
    let set = KeySet::from_jwks(jwk.as_bytes(), None, false).unwrap();
    assert!(primitive_ok(&set, E_JWS));
    // A.3: thumbprint of the public key.
    let members = required_members(&set.keys()[0].material).unwrap();
    assert_eq!(
        thumbprint(&members),
        "kPrK_qmxVWaYVA9wwBF6Iuo3vVzz7TxHCTwXBygrS4k"
    );
    // A.4: Ed25519 is deterministic; signing reproduces the JWS.
    let kp = Ed25519KeyPair::from_seed_and_public_key(&d(E_D), &d(E_X)).unwrap();
    let (input, sig) = split(E_JWS);
    let ours = alg::sign(
        Alg::EdDSA,
        &PrivateMaterial::Ed25519(kp),
        input.as_bytes(),
        &SystemRandom::new(),
    )
    .unwrap();
    assert_eq!(ours, sig);
    // "Example of Ed25519 signing" is not a claims set.
    let mut c = VerifierConfig::new("i", vec!["a".into()]);
    c.profile = Profile::Jwt;
    let v = Verifier::new(Arc::new(set), c).unwrap();
    assert_eq!(
        v.verify(E_JWS.as_bytes(), 0).unwrap_err(),
        JwtError::Malformed
    );
    // The private `d` is refused in a public set.
    let private =
        format!(r#"{{"kty":"OKP","crv":"Ed25519","x":"{E_X}","d":"{E_D}","alg":"EdDSA"}}"#);
    assert_eq!(
        KeySet::from_jwks(private.as_bytes(), None, false).unwrap_err(),
        JwtError::PrivateKeyMaterial
    );
}
