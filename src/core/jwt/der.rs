//! The little PEM (RFC 7468) and DER we need: public keys as
//! SubjectPublicKeyInfo (RFC 5280 §4.1) or PKCS#1 `RSAPublicKey`, and the
//! labels of private keys so they can be recognised and refused where a public
//! key belongs. Private keys themselves are parsed by ring.

use super::alg::Alg;
use super::JwtError;

/// A decoded PEM block.
#[derive(Debug)]
pub struct Pem {
    /// The label (`PUBLIC KEY`, `PRIVATE KEY`, ...).
    pub label: String,
    /// The DER bytes.
    pub der: Vec<u8>,
}

/// Largest PEM document accepted (an 8192-bit RSA private key is ~6.5 KiB).
pub const MAX_PEM_LEN: usize = 16 * 1024;

/// Whether the text looks like PEM rather than raw DER.
pub fn is_pem(input: &[u8]) -> bool {
    let trimmed = input
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .and_then(|i| input.get(i..))
        .unwrap_or_default();
    trimmed.starts_with(b"-----BEGIN ")
}

/// Decodes exactly one PEM block (surrounding whitespace allowed, nothing
/// else; encapsulated headers such as `Proc-Type` are refused).
pub fn pem_decode(input: &[u8]) -> Result<Pem, JwtError> {
    if input.len() > MAX_PEM_LEN {
        return Err(JwtError::InvalidKey);
    }
    let text = std::str::from_utf8(input).map_err(|_| JwtError::InvalidKey)?;
    let text = text.trim();
    let rest = text
        .strip_prefix("-----BEGIN ")
        .ok_or(JwtError::InvalidKey)?;
    let (label, rest) = rest.split_once("-----").ok_or(JwtError::InvalidKey)?;
    let end = format!("-----END {label}-----");
    let body = rest
        .strip_suffix(end.as_str())
        .ok_or(JwtError::InvalidKey)?;
    if body.contains(':') || body.contains('-') {
        return Err(JwtError::InvalidKey);
    }
    let b64: String = body.chars().filter(|c| !c.is_ascii_whitespace()).collect();
    use base64::Engine as _;
    let der = base64::engine::general_purpose::STANDARD
        .decode(b64.as_bytes())
        .map_err(|_| JwtError::InvalidKey)?;
    if der.is_empty() {
        return Err(JwtError::InvalidKey);
    }
    Ok(Pem {
        label: label.to_owned(),
        der,
    })
}

/// Whether a PEM label names private key material.
pub fn is_private_label(label: &str) -> bool {
    label.ends_with("PRIVATE KEY")
}

/// Reads one DER TLV: `(tag, content, rest)`. Definite lengths only, at most
/// 3 length bytes.
pub fn tlv(input: &[u8]) -> Result<(u8, &[u8], &[u8]), JwtError> {
    let (&tag, rest) = input.split_first().ok_or(JwtError::InvalidKey)?;
    let (&first, mut rest) = rest.split_first().ok_or(JwtError::InvalidKey)?;
    let len = if first < 0x80 {
        usize::from(first)
    } else {
        let n = usize::from(first & 0x7f);
        if n == 0 || n > 3 {
            return Err(JwtError::InvalidKey);
        }
        let (bytes, r) = rest.split_at_checked(n).ok_or(JwtError::InvalidKey)?;
        rest = r;
        let len = bytes
            .iter()
            .fold(0usize, |acc, b| (acc << 8) | usize::from(*b));
        if len < 0x80 || bytes.first() == Some(&0) {
            return Err(JwtError::InvalidKey); // not minimal (DER)
        }
        len
    };
    let (content, rest) = rest.split_at_checked(len).ok_or(JwtError::InvalidKey)?;
    Ok((tag, content, rest))
}

fn expect(input: &[u8], tag: u8) -> Result<(&[u8], &[u8]), JwtError> {
    let (t, content, rest) = tlv(input)?;
    if t != tag {
        return Err(JwtError::InvalidKey);
    }
    Ok((content, rest))
}

const SEQUENCE: u8 = 0x30;
const INTEGER: u8 = 0x02;
const BIT_STRING: u8 = 0x03;
const OID: u8 = 0x06;
const NULL: u8 = 0x05;

// Object identifiers, DER content bytes (source: RFC 3279 §2.3.1 and §2.3.5,
// RFC 5480 §2.1.1.1, RFC 8410 §3).
const OID_RSA: &[u8] = &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01];
const OID_EC: &[u8] = &[0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01];
const OID_P256: &[u8] = &[0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07];
const OID_P384: &[u8] = &[0x2b, 0x81, 0x04, 0x00, 0x22];
const OID_ED25519: &[u8] = &[0x2b, 0x65, 0x70];

/// A public key read from DER.
#[derive(Debug, PartialEq, Eq)]
pub enum PublicKeyDer {
    /// RSA modulus and exponent (big-endian, leading zeros stripped).
    Rsa {
        /// Modulus.
        n: Vec<u8>,
        /// Exponent.
        e: Vec<u8>,
    },
    /// EC point (uncompressed) and the algorithm its curve implies.
    Ec {
        /// ES256 for P-256, ES384 for P-384.
        alg: Alg,
        /// `04 || x || y`.
        point: Vec<u8>,
    },
    /// Ed25519 public key.
    Ed25519(Vec<u8>),
}

/// Strips the leading zero bytes of a DER INTEGER content, refusing negatives.
pub fn unsigned(int: &[u8]) -> Result<Vec<u8>, JwtError> {
    if int.first().is_some_and(|b| b & 0x80 != 0) {
        return Err(JwtError::InvalidKey);
    }
    let start = int.iter().position(|b| *b != 0).unwrap_or(int.len());
    let v = int.get(start..).unwrap_or_default().to_vec();
    if v.is_empty() {
        return Err(JwtError::InvalidKey);
    }
    Ok(v)
}

/// PKCS#1 `RSAPublicKey ::= SEQUENCE { modulus INTEGER, publicExponent INTEGER }`.
pub fn rsa_public_key(der: &[u8]) -> Result<PublicKeyDer, JwtError> {
    let (seq, rest) = expect(der, SEQUENCE)?;
    if !rest.is_empty() {
        return Err(JwtError::InvalidKey);
    }
    let (n, seq) = expect(seq, INTEGER)?;
    let (e, seq) = expect(seq, INTEGER)?;
    if !seq.is_empty() {
        return Err(JwtError::InvalidKey);
    }
    Ok(PublicKeyDer::Rsa {
        n: unsigned(n)?,
        e: unsigned(e)?,
    })
}

/// `SubjectPublicKeyInfo` for RSA, EC P-256/P-384 and Ed25519.
pub fn spki(der: &[u8]) -> Result<PublicKeyDer, JwtError> {
    let (seq, rest) = expect(der, SEQUENCE)?;
    if !rest.is_empty() {
        return Err(JwtError::InvalidKey);
    }
    let (alg_id, seq) = expect(seq, SEQUENCE)?;
    let (bits, seq) = expect(seq, BIT_STRING)?;
    if !seq.is_empty() {
        return Err(JwtError::InvalidKey);
    }
    let (&unused, key) = bits.split_first().ok_or(JwtError::InvalidKey)?;
    if unused != 0 {
        return Err(JwtError::InvalidKey);
    }
    let (oid, params) = expect(alg_id, OID)?;
    if oid == OID_RSA {
        // parameters: NULL (RFC 3279 §2.3.1); tolerate their absence.
        if !params.is_empty() {
            let (null, rest) = expect(params, NULL)?;
            if !null.is_empty() || !rest.is_empty() {
                return Err(JwtError::InvalidKey);
            }
        }
        rsa_public_key(key)
    } else if oid == OID_EC {
        let (curve, rest) = expect(params, OID)?;
        if !rest.is_empty() {
            return Err(JwtError::InvalidKey);
        }
        let alg = if curve == OID_P256 {
            Alg::ES256
        } else if curve == OID_P384 {
            Alg::ES384
        } else {
            return Err(JwtError::UnsupportedKey);
        };
        let coord = alg.ec_coordinate_len().unwrap_or(0);
        if key.len() != 1 + 2 * coord || key.first() != Some(&4) {
            return Err(JwtError::InvalidKey);
        }
        Ok(PublicKeyDer::Ec {
            alg,
            point: key.to_vec(),
        })
    } else if oid == OID_ED25519 {
        if !params.is_empty() || key.len() != 32 {
            return Err(JwtError::InvalidKey);
        }
        Ok(PublicKeyDer::Ed25519(key.to_vec()))
    } else {
        Err(JwtError::UnsupportedKey)
    }
}

const OCTET_STRING: u8 = 0x04;
/// `[0]` and `[1]` (constructed, context-specific): SEC 1 `ECPrivateKey` options.
const CONTEXT_0: u8 = 0xa0;
const CONTEXT_1: u8 = 0xa1;

/// The TLVs of a DER content, at most `max` of them; `None` when they do
/// not exactly fill it.
fn children(mut content: &[u8], max: usize) -> Option<Vec<(u8, &[u8])>> {
    let mut out = Vec::new();
    while !content.is_empty() {
        if out.len() == max {
            return None;
        }
        let (tag, value, rest) = tlv(content).ok()?;
        out.push((tag, value));
        content = rest;
    }
    Some(out)
}

/// An `AlgorithmIdentifier`: a SEQUENCE that starts with an OID.
fn is_alg_id(tag: u8, content: &[u8]) -> bool {
    tag == SEQUENCE && tlv(content).is_ok_and(|(t, _, _)| t == OID)
}

/// Whether `der` is exactly one DER structure of key material: a
/// SubjectPublicKeyInfo (RFC 5280 §4.1), an X.509 certificate (or anything
/// else signed the same way: `SEQUENCE { SEQUENCE, AlgorithmIdentifier,
/// BIT STRING }`), a PKCS#8 `PrivateKeyInfo` or `EncryptedPrivateKeyInfo`
/// (RFC 5958), a PKCS#1 `RSAPublicKey` or `RSAPrivateKey` (RFC 8017 A.1), or
/// a SEC 1 `ECPrivateKey` (RFC 5915).
///
/// Used to refuse such material as an HMAC secret. The shapes are exact
/// (outer length, tags, element counts), so random secret bytes match with
/// negligible probability.
pub fn is_key_structure(der: &[u8]) -> bool {
    let Ok((SEQUENCE, content, [])) = tlv(der) else {
        return false;
    };
    let Some(items) = children(content, 16) else {
        return false;
    };
    match items.as_slice() {
        // SubjectPublicKeyInfo; EncryptedPrivateKeyInfo.
        [(t, a), (BIT_STRING | OCTET_STRING, _)] if is_alg_id(*t, a) => true,
        // Certificate, CRL, CSR.
        [(SEQUENCE, _), (t, a), (BIT_STRING, _)] if is_alg_id(*t, a) => true,
        // PrivateKeyInfo / OneAsymmetricKey (version, algorithm, key, ...).
        [(INTEGER, _), (t, a), (OCTET_STRING, _), ..] if is_alg_id(*t, a) => true,
        // RSAPublicKey with a modulus of at least 512 bits.
        [(INTEGER, n), (INTEGER, _)] => n.len() >= 64,
        // ECPrivateKey: version 1, the private key, optional [0] and [1].
        [(INTEGER, [1]), (OCTET_STRING, _), rest @ ..] => {
            rest.len() <= 2 && rest.iter().all(|(t, _)| *t == CONTEXT_0 || *t == CONTEXT_1)
        }
        // RSAPrivateKey: version 0 (or 1 with otherPrimeInfos), then 8 integers.
        [(INTEGER, [0 | 1]), rest @ ..] => {
            rest.len() >= 8 && rest.iter().take(8).all(|(t, _)| *t == INTEGER)
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tlv_refuses_truncation_and_non_minimal_lengths() {
        assert!(tlv(&[]).is_err());
        assert!(tlv(&[0x30]).is_err());
        assert!(tlv(&[0x30, 0x02, 0x01]).is_err());
        assert!(tlv(&[0x30, 0x81, 0x05, 0, 0, 0, 0, 0]).is_err());
        assert!(tlv(&[0x30, 0x80]).is_err());
        assert_eq!(
            tlv(&[0x02, 0x01, 0x07, 0xff]).unwrap(),
            (0x02, &[7u8][..], &[0xffu8][..])
        );
    }

    #[test]
    fn pem_refuses_garbage() {
        assert!(pem_decode(b"hello").is_err());
        assert!(
            pem_decode(b"-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PRIVATE KEY-----").is_err()
        );
        assert!(
            pem_decode(b"-----BEGIN X-----\nProc-Type: 4,ENCRYPTED\nAAAA\n-----END X-----")
                .is_err()
        );
        let p = pem_decode(b"  -----BEGIN X-----\nAAEC\n-----END X-----\n").unwrap();
        assert_eq!(
            (p.label.as_str(), p.der.as_slice()),
            ("X", &[0u8, 1, 2][..])
        );
    }
}
