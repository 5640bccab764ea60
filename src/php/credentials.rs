//! `McpGuard\Credentials`: the parsed `Authorization` header.

use ext_php_rs::binary_slice::BinarySlice;
use ext_php_rs::flags::ClassFlags;
use ext_php_rs::prelude::*;

use super::exception::guarded;
use crate::core::credentials::{self, Credentials as Parsed};

#[derive(Clone)]
enum Kind {
    None,
    Bearer(String),
    Basic { username: String, password: String },
}

/// What the `Authorization` header carried: a bearer token, Basic credentials
/// for the host to check, or nothing usable. Secrets are not visible to
/// `var_dump` and the object cannot be serialized.
#[php_class]
#[php(name = "McpGuard\\Credentials")]
#[php(flags = ClassFlags::Final)]
pub struct Credentials(Kind);

#[php_impl]
impl Credentials {
    /// Parses the raw header value (`$_SERVER['HTTP_AUTHORIZATION'] ?? null`).
    ///
    /// @throws \McpGuard\Exception\InvalidRequestException for a malformed Bearer
    ///   or Basic credential, or a header over 4 KiB.
    pub fn from_header(header: Option<BinarySlice<u8>>) -> PhpResult<Self> {
        guarded(|| {
            let kind = match credentials::parse(header.as_deref().copied())? {
                Parsed::None => Kind::None,
                Parsed::Bearer(t) => Kind::Bearer(t.to_owned()),
                Parsed::Basic { username, password } => Kind::Basic { username, password },
            };
            Ok(Self(kind))
        })
    }

    /// `"bearer"`, `"basic"` or `"none"`.
    pub fn scheme(&self) -> &'static str {
        match self.0 {
            Kind::None => "none",
            Kind::Bearer(_) => "bearer",
            Kind::Basic { .. } => "basic",
        }
    }

    /// False when there were no usable credentials (answer 401 with a challenge).
    pub fn is_present(&self) -> bool {
        !matches!(self.0, Kind::None)
    }

    /// The bearer token, or null.
    pub fn bearer_token(&self) -> Option<String> {
        match &self.0 {
            Kind::Bearer(t) => Some(t.clone()),
            _ => None,
        }
    }

    /// The Basic user id, or null.
    pub fn username(&self) -> Option<String> {
        match &self.0 {
            Kind::Basic { username, .. } => Some(username.clone()),
            _ => None,
        }
    }

    /// The Basic password, or null.
    pub fn password(&self) -> Option<String> {
        match &self.0 {
            Kind::Basic { password, .. } => Some(password.clone()),
            _ => None,
        }
    }
}
