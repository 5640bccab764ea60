//! Recognises key material handed over where a raw HMAC secret belongs.
//!
//! A public key is known to everyone. If a host configures one as an HMAC
//! secret (a public PEM pasted into the "secret" setting, a JWKS URL's
//! content, an SSH key line), anyone can compute the HMAC and forge tokens:
//! CVE-2017-11424 (PyJWT) and CVE-2016-10555 (jwt-simple) are this confusion
//! on the verifier side. The algorithm is pinned per key here, so a token
//! cannot switch an RSA key to HS256; this check closes the configuration side
//! too: such material is refused as a secret ([`JwtError::AsymmetricKeyAsSecret`]).
//!
//! Recognised (after leading whitespace and a UTF-8 byte-order mark):
//!
//! * PEM or RFC 4716 armour anywhere (`-----BEGIN `, `---- BEGIN SSH2`): public
//!   and private keys, certificates, `OPENSSH PRIVATE KEY`;
//! * a JSON object or array naming `"kty"` or `"keys"` (a JWK or JWKS);
//! * an OpenSSH public key line (`ssh-rsa AAAA…`, `ssh-ed25519`,
//!   `ecdsa-sha2-nistp256`, … anywhere in the text, so `authorized_keys`
//!   options in front do not hide it), the SSH wire encoding of a key, and the
//!   binary `openssh-key-v1` private key format;
//! * DER key structures ([`der::is_key_structure`]: SubjectPublicKeyInfo,
//!   certificates, PKCS#8, PKCS#1, SEC 1), raw or base64-encoded without
//!   armour;
//! * an uncompressed P-256 / P-384 point (`04 || x || y`) that is on its curve.
//!
//! [`JwtError::AsymmetricKeyAsSecret`]: super::JwtError::AsymmetricKeyAsSecret

use super::{curve, der};

/// OpenSSH key type names (source: RFC 4253 §6.6, RFC 5656 §6.2, RFC 8709 §4,
/// and OpenSSH PROTOCOL.u2f for the `sk-` types).
const SSH_KEY_TYPES: [&str; 9] = [
    "ssh-rsa",
    "ssh-dss",
    "ssh-ed25519",
    "ssh-ed448",
    "ecdsa-sha2-nistp256",
    "ecdsa-sha2-nistp384",
    "ecdsa-sha2-nistp521",
    "sk-ssh-ed25519@openssh.com",
    "sk-ecdsa-sha2-nistp256@openssh.com",
];

/// Magic of the binary OpenSSH private key format (OpenSSH PROTOCOL.key).
const OPENSSH_KEY_MAGIC: &[u8] = b"openssh-key-v1\0";

fn trim_start(input: &[u8]) -> &[u8] {
    let input = input.strip_prefix(b"\xef\xbb\xbf").unwrap_or(input);
    let start = input
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .unwrap_or(input.len());
    input.get(start..).unwrap_or_default()
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

/// `ssh-… AAAA…` anywhere; an SSH key type is also a prefix of its
/// certificate type (`ssh-rsa-cert-v01@openssh.com`).
fn has_ssh_public_key_line(text: &[u8]) -> bool {
    let words: Vec<&[u8]> = text
        .split(|b| b.is_ascii_whitespace())
        .filter(|w| !w.is_empty())
        .collect();
    words.windows(2).any(|pair| match pair {
        [kind, blob] => {
            blob.starts_with(b"AAAA")
                && SSH_KEY_TYPES.iter().any(|t| kind.starts_with(t.as_bytes()))
        }
        _ => false,
    })
}

/// An SSH wire-format key: `uint32 length || key type name || …`.
fn is_ssh_wire_key(bytes: &[u8]) -> bool {
    let Some((len, rest)) = bytes.split_first_chunk::<4>() else {
        return false;
    };
    let len = u32::from_be_bytes(*len) as usize;
    rest.get(..len)
        .is_some_and(|name| SSH_KEY_TYPES.iter().any(|t| name.starts_with(t.as_bytes())))
}

fn base64_decodings(text: &[u8]) -> Vec<Vec<u8>> {
    use base64::Engine as _;
    let compact: Vec<u8> = text
        .iter()
        .copied()
        .filter(|b| !b.is_ascii_whitespace())
        .collect();
    let engines = [
        &base64::engine::general_purpose::STANDARD,
        &base64::engine::general_purpose::STANDARD_NO_PAD,
        &base64::engine::general_purpose::URL_SAFE,
        &base64::engine::general_purpose::URL_SAFE_NO_PAD,
    ];
    engines
        .iter()
        .filter_map(|e| e.decode(&compact).ok())
        .collect()
}

/// Whether `secret` is key material in one of the formats above.
pub fn is_key_material(secret: &[u8]) -> bool {
    let text = trim_start(secret);
    if contains(secret, b"-----BEGIN ") || contains(secret, b"---- BEGIN SSH2") {
        return true;
    }
    if (text.starts_with(b"{") || text.starts_with(b"["))
        && (contains(text, b"\"kty\"") || contains(text, b"\"keys\""))
    {
        return true;
    }
    if has_ssh_public_key_line(text)
        || is_ssh_wire_key(secret)
        || secret.starts_with(OPENSSH_KEY_MAGIC)
    {
        return true;
    }
    if der::is_key_structure(secret) || curve::ec_point_is_valid(secret) {
        return true;
    }
    // The same in base64 without armour (a PEM body or an SSH blob pasted
    // alone). Bounded: key material in base64 is never longer than a PEM.
    text.len() <= der::MAX_PEM_LEN
        && base64_decodings(text).iter().any(|d| {
            der::is_key_structure(d)
                || is_ssh_wire_key(d)
                || d.starts_with(OPENSSH_KEY_MAGIC)
                || curve::ec_point_is_valid(d)
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn raw_secrets_are_not_key_material() {
        for s in [
            &b"0123456789abcdef0123456789abcdef"[..],
            &[0x30; 64],
            &[0u8; 32],
            b"ssh-rsa is not a key without its blob, and neither is this",
            b"{\"not\":\"a key\",\"but\":\"json\"}................",
            b"MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY",
        ] {
            assert!(!is_key_material(s), "{:?}", String::from_utf8_lossy(s));
        }
        // Random-looking secrets (a fixed pseudo-random sequence).
        let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
        for _ in 0..2000 {
            let mut s = [0u8; 48];
            for b in s.iter_mut() {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                *b = x as u8;
            }
            assert!(!is_key_material(&s));
        }
    }

    #[test]
    fn key_formats_are_recognised() {
        for s in [
            &b"-----BEGIN PUBLIC KEY-----\nMFkw\n-----END PUBLIC KEY-----\n"[..],
            b"  \n-----BEGIN OPENSSH PRIVATE KEY-----\nb3Bl\n",
            b"Bag Attributes\n    friendlyName: x\n-----BEGIN CERTIFICATE-----\n",
            b"---- BEGIN SSH2 PUBLIC KEY ----\nComment: x\nAAAAB3NzaC1yc2E=\n",
            b"{\"kty\":\"RSA\",\"n\":\"AQAB\",\"e\":\"AQAB\"}",
            b"\xef\xbb\xbf {\"keys\":[]}",
            b"[{\"kty\":\"oct\",\"k\":\"AAAA\"}]",
            b"ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIG9 user@host",
            b"command=\"x\" ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQ user@host",
            b"ecdsa-sha2-nistp256 AAAAE2VjZHNhLXNoYTItbmlzdHAyNTY host",
            b"\x00\x00\x00\x0bssh-ed25519\x00\x00\x00\x20",
            b"openssh-key-v1\x00rest",
        ] {
            assert!(is_key_material(s), "{:?}", String::from_utf8_lossy(s));
        }
    }
}
