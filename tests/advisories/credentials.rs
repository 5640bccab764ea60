//! The `Authorization` header (RFC 6750 §2.1, RFC 7617) and where a bearer
//! token may come from.

use mcp_guard::core::credentials::{self, Credentials, CredentialsError, MAX_HEADER_LEN};

fn parse(s: &[u8]) -> Result<Credentials<'_>, CredentialsError> {
    credentials::parse(Some(s))
}

/// Token in the query string: RFC 6750 §2.3 and §5.3 (tokens in URLs leak
/// through logs, `Referer` and history), RFC 9700 §2.5 / OAuth 2.1 §5.2
/// (the query form MUST NOT be used), MCP authorization spec ("access tokens
/// MUST NOT be included in the URI query string").
///
/// Our API has no way to take one: the only entry point for a presented
/// credential is `credentials::parse`, which takes the raw `Authorization`
/// header value. This test pins that: no source file of the extension or the
/// glue reads `$_GET`, `$_REQUEST`, `QUERY_STRING`, `parse_str` or an
/// `['access_token']` parameter (nor ext-php-rs's request-variable accessors),
/// and a request target pasted where the header goes is refused.
#[test]
fn attack_token_in_query_string() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    collect(&root.join("src"), &mut files);
    collect(&root.join("php"), &mut files);
    assert!(files.len() > 10, "the scan found the sources");
    for f in &files {
        let text = std::fs::read_to_string(f).unwrap();
        let is_php = f.extension().and_then(|x| x.to_str()) == Some("php");
        // PHP: the superglobals and functions that read a query string.
        // Rust: ext-php-rs accessors of the same data.
        let needles: &[&str] = if is_php {
            &[
                "$_GET",
                "$_REQUEST",
                "QUERY_STRING",
                "parse_str",
                "['access_token']",
            ]
        } else {
            &[
                "http_get_vars",
                "http_request_vars",
                "QUERY_STRING",
                "query_string",
            ]
        };
        for needle in needles {
            assert!(
                !text.contains(needle),
                "{} reads {needle}: bearer tokens come from the Authorization header only",
                f.display()
            );
        }
    }
    // A URL with the token in its query is not a credential.
    assert_eq!(
        parse(b"Bearer /mcp?access_token=mcp_abc"),
        Err(CredentialsError::InvalidCharacter)
    );
    assert_eq!(parse(b"/mcp?access_token=mcp_abc"), Ok(Credentials::None));
    // And no header is no credential, whatever else the request holds.
    assert_eq!(credentials::parse(None), Ok(Credentials::None));
}

fn collect(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            collect(&p, out);
        } else if matches!(p.extension().and_then(|x| x.to_str()), Some("rs" | "php")) {
            out.push(p);
        }
    }
}

/// Two credentials folded into one header, or two schemes: the parser must not
/// pick one (request smuggling between a proxy and the app). RFC 9110 §11.6.2
/// (one credential per `Authorization`), RFC 9110 §5.3 (a list-folded field),
/// RFC 6750 §2.1 (`b64token` grammar: no comma, no space).
#[test]
fn attack_folded_or_duplicate_credentials() {
    for h in [
        &b"Bearer abc, Bearer def"[..],
        b"Bearer abc,def",
        b"Bearer abc def",
        b"Bearer abc\tdef",
        b"Basic dTpw, Bearer abc",
    ] {
        assert!(parse(h).is_err(), "{}", String::from_utf8_lossy(h));
    }
}

/// Header smuggling bytes: NUL, CR/LF, non-ASCII and invalid UTF-8 inside the
/// credential are refused, never truncated. RFC 9110 §5.5 (field values:
/// CR, LF and NUL are invalid), RFC 6750 §2.1.
#[test]
fn attack_control_bytes_and_invalid_utf8_in_header() {
    for h in [
        &b"Bearer abc\0def"[..],
        b"Bearer abc\r\nX-Admin: 1",
        b"Bearer \xff\xfe",
        b"Bearer abc\xc3\xa9",
        b"Basic \0",
    ] {
        assert!(parse(h).is_err(), "{}", String::from_utf8_lossy(h));
    }
    // Basic whose decoded text has a control character or is not UTF-8.
    use base64::Engine as _;
    let b64 = |s: &[u8]| base64::engine::general_purpose::STANDARD.encode(s);
    assert_eq!(
        parse(format!("Basic {}", b64(b"u\0:p")).as_bytes()),
        Err(CredentialsError::InvalidCharacter)
    );
    assert_eq!(
        parse(format!("Basic {}", b64(b"u:\xff")).as_bytes()),
        Err(CredentialsError::InvalidUtf8)
    );
}

/// Size DoS through the header: refused before it is looked at.
/// RFC 9110 §5.4 (a server may refuse large fields; 431 in RFC 6585 §5).
#[test]
fn attack_huge_header() {
    let mut h = b"Bearer ".to_vec();
    h.resize(MAX_HEADER_LEN + 1, b'a');
    assert_eq!(parse(&h), Err(CredentialsError::TooLarge));
    let big = vec![b'a'; 10 * 1024 * 1024];
    assert_eq!(parse(&big), Err(CredentialsError::TooLarge));
}

/// Non-canonical base64 in Basic credentials (missing padding, non-zero pad
/// bits, URL alphabet): one encoding per credential. RFC 7617 §2 (base64 of
/// RFC 4648 §4), RFC 4648 §3.5 (canonical encoding).
#[test]
fn attack_non_canonical_basic_base64() {
    // "u:p" is dTpw; "u:pw" is dTpwdw==.
    assert!(matches!(
        parse(b"Basic dTpw"),
        Ok(Credentials::Basic { .. })
    ));
    assert!(matches!(
        parse(b"Basic dTpwdw=="),
        Ok(Credentials::Basic { .. })
    ));
    for h in [
        &b"Basic dTpwdw"[..],
        b"Basic dTpwdx==",
        b"Basic dTpwdw=",
        b"Basic dT-wdw==",
    ] {
        assert_eq!(
            parse(h),
            Err(CredentialsError::InvalidBase64),
            "{}",
            String::from_utf8_lossy(h)
        );
    }
}
