//! `McpGuard\Scopes`: the scope grammar, for glue that stores or forwards
//! scopes (token rows, consent pages), so that no PHP regex decides it.

use ext_php_rs::binary_slice::BinarySlice;
use ext_php_rs::flags::ClassFlags;
use ext_php_rs::prelude::*;
use ext_php_rs::types::ZendHashTable;

use super::convert;
use super::exception::{guarded, invalid_argument};
use crate::core::policy::scope::is_scope_token;
use crate::core::policy::MAX_PRESENTED_SCOPES;

/// The scope grammar the policy grants by: an RFC 6749 §3.3 scope-token
/// (printable ASCII without space, `"` and `\`) of 1 to 128 bytes. Static
/// methods only; the class cannot be constructed.
#[php_class]
#[php(name = "McpGuard\\Scopes")]
#[php(flags = ClassFlags::Final)]
pub struct Scopes;

#[php_impl]
impl Scopes {
    /// Whether `$scope` is one scope-token (no white space, no newline, no
    /// control byte, at most 128 bytes).
    pub fn is_valid(scope: BinarySlice<u8>) -> bool {
        is_scope_token(&scope)
    }

    /// Refuses a list of scopes to store (a token row's scopes): every entry
    /// must be a string that is a scope-token, and there may be at most 256
    /// (the most the policy looks at). Keys are ignored.
    ///
    /// @param array $scopes
    /// @throws \McpGuard\Exception\InvalidArgumentException otherwise.
    pub fn check(scopes: &ZendHashTable) -> PhpResult<()> {
        guarded(|| {
            let scopes = convert::strings(scopes, MAX_PRESENTED_SCOPES + 1)
                .ok_or_else(|| invalid_argument("Every scope must be a string."))?;
            if scopes.len() > MAX_PRESENTED_SCOPES {
                return Err(invalid_argument("A token may carry at most 256 scopes."));
            }
            if !scopes.iter().all(|s| is_scope_token(s)) {
                return Err(invalid_argument(
                    "A scope must be an RFC 6749 scope-token of 1 to 128 bytes.",
                ));
            }
            Ok(())
        })
    }
}
