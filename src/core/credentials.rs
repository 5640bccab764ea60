//! The `Authorization` request header: `Bearer` (RFC 6750 §2.1) and `Basic`
//! (RFC 7617), parsed strictly.
//!
//! * Bearer: scheme case-insensitive, one or more spaces, exactly one
//!   `b64token` (`1*( ALPHA / DIGIT / "-" / "." / "_" / "~" / "+" / "/" ) *"="`).
//!   An empty credential, a comma (two credentials folded into one header),
//!   inner white space or any other character is `invalid_request`.
//! * Basic: standard base64 with padding, decoding to UTF-8 `user:password`
//!   without control characters; anything else is `invalid_request`.
//! * Any other scheme, or no header: no credentials (the host answers 401).
//! * A header over [`MAX_HEADER_LEN`] bytes is refused before it is looked at.

use std::fmt;

use base64::Engine;

/// Longest `Authorization` header accepted, in bytes.
pub const MAX_HEADER_LEN: usize = 4096;

crate::error_table! {
    /// Why an `Authorization` header was refused. Every variant is an OAuth
    /// `invalid_request`, with the same generic message.
    pub enum CredentialsError {
        /// The header is longer than [`MAX_HEADER_LEN`].
        TooLarge => InvalidRequest, "header_too_large", "The Authorization header is malformed.";
        /// The scheme is there but the credential is empty.
        Empty => InvalidRequest, "empty_credentials", "The Authorization header is malformed.";
        /// A comma: several credentials folded into one header.
        MultipleCredentials => InvalidRequest, "multiple_credentials", "The Authorization header is malformed.";
        /// White space inside the credential.
        InnerWhitespace => InvalidRequest, "inner_whitespace", "The Authorization header is malformed.";
        /// A character outside the credential's grammar.
        InvalidCharacter => InvalidRequest, "invalid_character", "The Authorization header is malformed.";
        /// `Basic` credentials that are not valid padded base64.
        InvalidBase64 => InvalidRequest, "invalid_base64", "The Authorization header is malformed.";
        /// `Basic` credentials whose decoded bytes are not UTF-8.
        InvalidUtf8 => InvalidRequest, "invalid_utf8", "The Authorization header is malformed.";
        /// `Basic` credentials without the `:` between user and password.
        MissingColon => InvalidRequest, "missing_colon", "The Authorization header is malformed.";
    }
}

/// What the header carried.
#[derive(Clone, PartialEq, Eq)]
pub enum Credentials<'a> {
    /// No header, an empty one, or a scheme this module does not handle.
    None,
    /// A bearer token, exactly as sent.
    Bearer(&'a str),
    /// Decoded Basic credentials for the host to check.
    Basic {
        /// The user id (may be empty; the host decides).
        username: String,
        /// The password.
        password: String,
    },
}

impl fmt::Debug for Credentials<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Never prints a secret.
        match self {
            Self::None => f.write_str("None"),
            Self::Bearer(_) => f.write_str("Bearer(..)"),
            Self::Basic { .. } => f.write_str("Basic { .. }"),
        }
    }
}

/// HTTP optional white space (RFC 9110 §5.6.3).
fn is_ows(b: u8) -> bool {
    b == b' ' || b == b'\t'
}

/// `s` without optional white space at either end.
pub(crate) fn trim_ows(mut s: &[u8]) -> &[u8] {
    while let [first, rest @ ..] = s {
        if !is_ows(*first) {
            break;
        }
        s = rest;
    }
    while let [rest @ .., last] = s {
        if !is_ows(*last) {
            break;
        }
        s = rest;
    }
    s
}

/// Parses the raw header value (`None` when the request has no header).
pub fn parse(header: Option<&[u8]>) -> Result<Credentials<'_>, CredentialsError> {
    let Some(raw) = header else {
        return Ok(Credentials::None);
    };
    if raw.len() > MAX_HEADER_LEN {
        return Err(CredentialsError::TooLarge);
    }
    let value = trim_ows(raw);
    if value.is_empty() {
        return Ok(Credentials::None);
    }
    let scheme_end = value.iter().position(|&b| is_ows(b)).unwrap_or(value.len());
    let (scheme, rest) = value.split_at(scheme_end);
    if scheme.eq_ignore_ascii_case(b"bearer") {
        parse_bearer(rest).map(Credentials::Bearer)
    } else if scheme.eq_ignore_ascii_case(b"basic") {
        parse_basic(rest)
    } else {
        Ok(Credentials::None)
    }
}

/// The part after the scheme: `1*SP credential`. Returns the credential.
fn after_scheme(rest: &[u8]) -> Result<&[u8], CredentialsError> {
    // RFC 6750 and RFC 7617 allow only spaces between scheme and credential.
    let credential = match rest.iter().position(|&b| b != b' ') {
        Some(i) => &rest[i..],
        None => return Err(CredentialsError::Empty),
    };
    if rest.first() != Some(&b' ') {
        // A tab straight after the scheme.
        return Err(CredentialsError::InvalidCharacter);
    }
    if credential.contains(&b',') {
        return Err(CredentialsError::MultipleCredentials);
    }
    if credential.iter().any(|&b| is_ows(b)) {
        return Err(CredentialsError::InnerWhitespace);
    }
    Ok(credential)
}

fn parse_bearer(rest: &[u8]) -> Result<&str, CredentialsError> {
    let token = after_scheme(rest)?;
    let body_len = token.len() - token.iter().rev().take_while(|&&b| b == b'=').count();
    if body_len == 0 {
        return Err(CredentialsError::InvalidCharacter);
    }
    let valid = token[..body_len].iter().all(|&b| {
        b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~' | b'+' | b'/')
    });
    if !valid {
        return Err(CredentialsError::InvalidCharacter);
    }
    // Only ASCII passed the check above.
    std::str::from_utf8(token).map_err(|_| CredentialsError::InvalidCharacter)
}

fn parse_basic(rest: &[u8]) -> Result<Credentials<'static>, CredentialsError> {
    let encoded = after_scheme(rest)?;
    let decoded = base64::engine::general_purpose::STANDARD
        .decode(encoded)
        .map_err(|_| CredentialsError::InvalidBase64)?;
    let text = String::from_utf8(decoded).map_err(|_| CredentialsError::InvalidUtf8)?;
    if text.chars().any(char::is_control) {
        return Err(CredentialsError::InvalidCharacter);
    }
    let (username, password) = text.split_once(':').ok_or(CredentialsError::MissingColon)?;
    Ok(Credentials::Basic {
        username: username.to_owned(),
        password: password.to_owned(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(s: &str) -> Result<Credentials<'_>, CredentialsError> {
        parse(Some(s.as_bytes()))
    }

    #[test]
    fn bearer_accepts_the_rfc_6750_grammar() {
        assert_eq!(
            p("Bearer mF_9.B5f-4.1JqM"),
            Ok(Credentials::Bearer("mF_9.B5f-4.1JqM"))
        );
        assert_eq!(p("bearer abc"), Ok(Credentials::Bearer("abc")));
        assert_eq!(p("BEARER  abc=="), Ok(Credentials::Bearer("abc==")));
        assert_eq!(p("  Bearer a~+/b \t"), Ok(Credentials::Bearer("a~+/b")));
    }

    #[test]
    fn bearer_refusals() {
        use CredentialsError::*;
        for (h, e) in [
            ("Bearer", Empty),
            ("Bearer   ", Empty),
            ("Bearer a,Bearer b", MultipleCredentials),
            ("Bearer a, b", MultipleCredentials),
            ("Bearer a b", InnerWhitespace),
            ("Bearer a\tb", InnerWhitespace),
            ("Bearer\tabc", InvalidCharacter),
            ("Bearer a=b", InvalidCharacter),
            ("Bearer ===", InvalidCharacter),
            ("Bearer a\"b", InvalidCharacter),
            ("Bearer a\0b", InvalidCharacter),
            ("Bearer é", InvalidCharacter),
        ] {
            assert_eq!(p(h), Err(e), "{h:?}");
        }
        let big = format!("Bearer {}", "a".repeat(MAX_HEADER_LEN));
        assert_eq!(p(&big), Err(TooLarge));
        let edge = format!("Bearer {}", "a".repeat(MAX_HEADER_LEN - 7));
        assert!(p(&edge).is_ok());
        assert_eq!(parse(Some(b"Bearer \xff")), Err(InvalidCharacter));
    }

    #[test]
    fn basic_decodes_user_and_password() {
        // RFC 7617 §2 example: "Aladdin:open sesame".
        assert_eq!(
            p("Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ=="),
            Ok(Credentials::Basic {
                username: "Aladdin".into(),
                password: "open sesame".into()
            })
        );
        // The password may contain colons; the first one splits.
        assert_eq!(
            p("basic YTpiOmM="),
            Ok(Credentials::Basic {
                username: "a".into(),
                password: "b:c".into()
            })
        );
    }

    #[test]
    fn basic_refusals() {
        use CredentialsError::*;
        for (h, e) in [
            ("Basic", Empty),
            ("Basic !!!", InvalidBase64),
            ("Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ", InvalidBase64),
            ("Basic YWJj", MissingColon),
            ("Basic /w==", InvalidUtf8),
            ("Basic YQBiOmM=", InvalidCharacter),
            ("Basic YTpi, YTpi", MultipleCredentials),
        ] {
            assert_eq!(p(h), Err(e), "{h:?}");
        }
    }

    #[test]
    fn other_schemes_and_absence_mean_no_credentials() {
        for h in [
            "",
            "   ",
            "Digest username=x",
            "Bearerx abc",
            "Token abc",
            "\u{1}",
        ] {
            assert_eq!(p(h), Ok(Credentials::None), "{h:?}");
        }
        assert_eq!(parse(None), Ok(Credentials::None));
    }

    #[test]
    fn debug_never_prints_secrets() {
        let c = p("Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==").unwrap();
        assert!(!format!("{c:?}").contains("sesame"));
        let c = p("Bearer topsecret").unwrap();
        assert!(!format!("{c:?}").contains("topsecret"));
    }
}
