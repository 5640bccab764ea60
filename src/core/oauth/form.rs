//! `application/x-www-form-urlencoded`, both ways: the authorization request
//! arrives as a query string and the token request as a form body; the
//! authorization response goes back as a query string. Read strictly: a
//! malformed percent escape, a non-UTF-8 value or a parameter given twice
//! (RFC 6749 §3.1, §3.2: "MUST NOT be included more than once") is refused,
//! so that no "which `redirect_uri` counts" question can arise.

use super::OAuthError;

/// Longest query string or form body read, in bytes.
pub const MAX_FORM_BYTES: usize = 16 * 1024;

/// Parameters that may appear several times (RFC 8707 §2: `resource`).
const REPEATABLE: &[&str] = &["resource"];

/// Decoded parameters, in order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Form(Vec<(String, String)>);

fn hex(b: u8) -> Option<u8> {
    match b {
        b'0'..=b'9' => Some(b - b'0'),
        b'a'..=b'f' => Some(b - b'a' + 10),
        b'A'..=b'F' => Some(b - b'A' + 10),
        _ => None,
    }
}

fn decode(part: &[u8]) -> Result<String, OAuthError> {
    let mut out = Vec::with_capacity(part.len());
    let mut i = 0;
    while let Some(&b) = part.get(i) {
        match b {
            b'+' => out.push(b' '),
            b'%' => {
                let hi = part.get(i + 1).copied().and_then(hex);
                let lo = part.get(i + 2).copied().and_then(hex);
                match (hi, lo) {
                    (Some(h), Some(l)) => out.push(h << 4 | l),
                    _ => return Err(OAuthError::MalformedRequest),
                }
                i += 2;
            }
            _ => out.push(b),
        }
        i += 1;
    }
    String::from_utf8(out).map_err(|_| OAuthError::MalformedRequest)
}

impl Form {
    /// Parses a query string or form body.
    pub fn parse(raw: &[u8]) -> Result<Self, OAuthError> {
        if raw.len() > MAX_FORM_BYTES {
            return Err(OAuthError::MalformedRequest);
        }
        let mut out: Vec<(String, String)> = Vec::new();
        for pair in raw.split(|&b| b == b'&').filter(|p| !p.is_empty()) {
            let (name, value) = match pair.iter().position(|&b| b == b'=') {
                Some(i) => (&pair[..i], &pair[i + 1..]),
                None => (pair, &b""[..]),
            };
            let name = decode(name)?;
            let value = decode(value)?;
            if value.chars().any(char::is_control) {
                return Err(OAuthError::MalformedRequest);
            }
            if !REPEATABLE.contains(&name.as_str()) && out.iter().any(|(n, _)| *n == name) {
                return Err(OAuthError::DuplicateParameter);
            }
            out.push((name, value));
        }
        Ok(Self(out))
    }

    /// The value of a parameter given once; an empty value counts as absent
    /// (RFC 6749 §3.1).
    pub fn get(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(n, v)| n == name && !v.is_empty())
            .map(|(_, v)| v.as_str())
    }

    /// The parameters of a form that may hold only the `allowed` names, each
    /// at most once (any other name refuses the whole form).
    pub fn only(raw: &[u8], allowed: &[&str]) -> Result<Vec<(String, String)>, OAuthError> {
        let form = Self::parse(raw)?;
        if form.0.iter().any(|(n, _)| {
            !allowed.contains(&n.as_str())
                || REPEATABLE.contains(&n.as_str())
                    && form.0.iter().filter(|(m, _)| m == n).count() > 1
        }) {
            return Err(OAuthError::MalformedRequest);
        }
        Ok(form.0)
    }

    /// Every non-empty value of a repeatable parameter.
    pub fn all(&self, name: &str) -> Vec<&str> {
        self.0
            .iter()
            .filter(|(n, v)| n == name && !v.is_empty())
            .map(|(_, v)| v.as_str())
            .collect()
    }
}

/// Percent-encodes a value for a query string (everything but unreserved).
pub fn encode(value: &str, out: &mut String) {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    for b in value.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(b));
        } else {
            out.push('%');
            out.push(char::from(HEX[usize::from(b >> 4)]));
            out.push(char::from(HEX[usize::from(b & 15)]));
        }
    }
}

/// `uri` with `params` appended to its query (`?` or `&`).
pub fn with_query(uri: &str, params: &[(&str, &str)]) -> String {
    let mut out = String::with_capacity(uri.len() + 64);
    out.push_str(uri);
    let mut sep = if uri.contains('?') { '&' } else { '?' };
    for (name, value) in params {
        out.push(sep);
        encode(name, &mut out);
        out.push('=');
        encode(value, &mut out);
        sep = '&';
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strict_parsing() {
        let f = Form::parse(b"a=1&b=x+y%20z&c=&resource=r1&resource=r2&&d").unwrap();
        assert_eq!(f.get("a"), Some("1"));
        assert_eq!(f.get("b"), Some("x y z"));
        assert_eq!(f.get("c"), None);
        assert_eq!(f.get("d"), None);
        assert_eq!(f.all("resource"), vec!["r1", "r2"]);
        assert_eq!(Form::parse(b"a=1&a=2"), Err(OAuthError::DuplicateParameter));
        assert_eq!(
            Form::parse(b"a=1&%61=2"),
            Err(OAuthError::DuplicateParameter)
        );
        for bad in [&b"a=%"[..], b"a=%4", b"a=%zz", b"a=%ff", b"a=%0a", b"a=%00"] {
            assert_eq!(
                Form::parse(bad),
                Err(OAuthError::MalformedRequest),
                "{bad:?}"
            );
        }
        assert!(Form::parse(&vec![b'a'; MAX_FORM_BYTES + 1]).is_err());
    }

    #[test]
    fn only_the_allowed_fields() {
        let f = Form::only(
            b"query=a%3Db%26c&decision=allow",
            &["query", "decision", "csrf"],
        )
        .unwrap();
        assert_eq!(
            f,
            vec![
                ("query".into(), "a=b&c".into()),
                ("decision".into(), "allow".into())
            ]
        );
        assert_eq!(
            Form::only(b"query=a&other=1", &["query"]),
            Err(OAuthError::MalformedRequest)
        );
        assert_eq!(
            Form::only(b"query=a&query=b", &["query"]),
            Err(OAuthError::DuplicateParameter)
        );
        assert_eq!(
            Form::only(b"resource=a&resource=b", &["resource"]),
            Err(OAuthError::MalformedRequest)
        );
        assert_eq!(
            Form::only(b"query=%ff", &["query"]),
            Err(OAuthError::MalformedRequest)
        );
    }

    #[test]
    fn query_building() {
        assert_eq!(
            with_query(
                "https://c.example/cb",
                &[("code", "a b"), ("state", "x&y=z")]
            ),
            "https://c.example/cb?code=a%20b&state=x%26y%3Dz"
        );
        assert_eq!(
            with_query("cursor://cb?k=v", &[("error", "access_denied")]),
            "cursor://cb?k=v&error=access_denied"
        );
    }
}
