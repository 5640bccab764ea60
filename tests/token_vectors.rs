//! Known-answer tests of the token building blocks, with their sources.

use mcp_guard::core::base62;
use mcp_guard::core::credentials::{self, Credentials};
use mcp_guard::core::rng::testing::CountingRng;
use mcp_guard::core::token::{self, Pepper, StoredToken, TokenConfig};

#[test]
fn crc32_check_value_in_base62() {
    // CRC-32 (IEEE) of "123456789" is 0xCBF43926: the "check" value of the
    // CRC RevEng catalogue entry CRC-32/ISO-HDLC.
    assert_eq!(crc32fast::hash(b"123456789"), 0xCBF4_3926);
    assert_eq!(
        base62::encode_fixed(0xCBF4_3926, 6).as_deref(),
        Some("3jZRME")
    );
}

#[test]
fn sha256_storage_format() {
    // FIPS 180-2, Appendix B.1: SHA-256("abc").
    assert_eq!(
        token::hash_for_storage(None, "abc"),
        "sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
    );
}

#[test]
fn hmac_sha256_storage_format() {
    // RFC 4231 §4.7 (test case 6): key = 131 bytes of 0xaa,
    // data = "Test Using Larger Than Block-Size Key - Hash Key First".
    let pepper = Pepper::new(&[0xaa; 131]).unwrap();
    let stored = token::hash_for_storage(
        Some(&pepper),
        "Test Using Larger Than Block-Size Key - Hash Key First",
    );
    assert_eq!(
        stored,
        format!(
            "hmac-sha256:{}:60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54",
            pepper.id()
        )
    );
}

#[test]
fn deterministic_issue_is_exact() {
    // With a counting byte stream every symbol is predictable: this pins the
    // whole format (layout, alphabet, rejection sampling, checksum). The public
    // id draws 22 bytes (16 needed + slack for rejections) and uses 16, so the
    // secret starts at byte 22 ('M'); bytes 62, 63, 64 wrap to '0', '1', '2'.
    let t = token::issue(
        &TokenConfig::default(),
        &CountingRng::new(0),
        1_000,
        Some(60),
    )
    .unwrap();
    assert_eq!(t.public_id, "0123456789ABCDEF");
    let body = &t.plaintext[..t.plaintext.len() - 6];
    assert_eq!(
        body,
        "mcp_0123456789ABCDEF_MNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz012"
    );
    let crc = crc32fast::hash(body.as_bytes());
    assert_eq!(
        &t.plaintext[body.len()..],
        base62::encode_fixed(u64::from(crc), 6).unwrap()
    );
    assert_eq!(t.expires_at, Some(1_060));
    let stored = StoredToken {
        hash: &t.hash,
        expires_at: t.expires_at,
        revoked_at: None,
    };
    assert!(token::verify(
        &TokenConfig::default(),
        t.plaintext.as_bytes(),
        Some(stored),
        1_059
    )
    .is_ok());
}

#[test]
fn rfc_6750_and_7617_examples() {
    // RFC 6750 §2.1 example credential; RFC 7617 §2 example.
    assert_eq!(
        credentials::parse(Some(b"Bearer mF_9.B5f-4.1JqM")),
        Ok(Credentials::Bearer("mF_9.B5f-4.1JqM"))
    );
    assert_eq!(
        credentials::parse(Some(b"Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==")),
        Ok(Credentials::Basic {
            username: "Aladdin".to_owned(),
            password: "open sesame".to_owned()
        })
    );
}
