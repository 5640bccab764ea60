//! Canonical scopes, built-in roles and platform aliases, and the never-writable
//! field list.
//!
//! ## Canonical scopes
//!
//! A canonical scope is an action — `discover` (list tools), `read`, `write` —
//! optionally qualified by a resource: `entries:read`, `products:write`
//! (resource `[a-z][a-z0-9_-]{0,63}`). A global action covers every resource:
//! a caller holding `read` satisfies a tool that requires `entries:read`; a
//! caller holding `entries:read` does not satisfy `read` or `orders:read`.
//! Actions do not imply each other (`write` does not grant `read`): roles list
//! every scope they grant.
//!
//! ## Built-in roles (a manifest may add roles, never redefine these)
//!
//! | role | scopes |
//! |---|---|
//! | `viewer` | `discover`, `read` |
//! | `editor` | `discover`, `read`, `write` |
//!
//! ## Built-in aliases (a manifest may add aliases, never redefine these)
//!
//! | presented scope | canonical | platform |
//! |---|---|---|
//! | `mcp.discover` | `discover` | PrestaShop MCP |
//! | `mcp.read` | `read` | PrestaShop MCP |
//! | `mcp.write` | `write` | PrestaShop MCP |
//! | `<resource>:<action>` | itself | Statamic style (`entries:read`): already canonical |
//!
//! A presented scope that is neither canonical nor an alias grants nothing; in
//! particular a wildcard such as `*` is not honoured (a typo or a catch-all
//! must never open a door).
//!
//! ## Never-writable fields
//!
//! Refused in the arguments of every write and destructive tool, at any depth,
//! whatever the manifest says; a manifest that lists one for such a tool does
//! not compile. Names are compared after [`normalize_field`] (ASCII lower case,
//! `_`, `-`, `.` and spaces removed), so `isActive`, `is_active` and `IS-ACTIVE`
//! are the same name. See [`FORBIDDEN_EXACT`] and [`FORBIDDEN_CONTAINS`]. The
//! manifest's `forbidden_fields` adds names; nothing removes one. The list is
//! global (not per resource) because the policy cannot reliably know which
//! tool touches a customer record, and a wrong tag must not reopen the door.

/// The three actions of the canonical scopes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// `discover`: may list tools.
    Discover,
    /// `read`.
    Read,
    /// `write` (also what write and destructive tools must require).
    Write,
}

impl Action {
    fn parse(s: &str) -> Option<Self> {
        match s {
            "discover" => Some(Self::Discover),
            "read" => Some(Self::Read),
            "write" => Some(Self::Write),
            _ => None,
        }
    }
}

/// Built-in roles: name → scopes.
pub const BUILTIN_ROLES: &[(&str, &[&str])] = &[
    ("viewer", &["discover", "read"]),
    ("editor", &["discover", "read", "write"]),
];

/// Built-in aliases: presented scope → canonical scope.
pub const BUILTIN_ALIASES: &[(&str, &str)] = &[
    ("mcp.discover", "discover"),
    ("mcp.read", "read"),
    ("mcp.write", "write"),
];

/// Never-writable field names (normalized): credentials, privilege and
/// account-state fields, and the e-mail address (the login of customer and
/// employee records). The platform fields are those of the PrestaShop 8/9
/// `Customer`, `Employee` and `Address` models and of Statamic's users
/// (file and Eloquent drivers, two-factor authentication, passkeys, OAuth
/// connections) and roles that hold a secret or grant privilege.
pub const FORBIDDEN_EXACT: &[&str] = &[
    // credentials
    "password",
    "passwd",
    "pwd",
    "passphrase",
    "apikey",
    "secret",
    "token",
    // PrestaShop `secure_key` (Customer, Order, Cart): the secret in guest
    // order-tracking and order-confirmation links.
    "securekey",
    // Statamic passkey `credential` (a WebAuthn login credential).
    "credential",
    "credentials",
    // Statamic OAuth connection `provider_user_id`: links the account to an
    // outside identity that can then log in as it.
    "provideruserid",
    // privilege (PrestaShop `id_profile`, `id_default_group`; Statamic `super`, `roles`, `groups`)
    "role",
    "roles",
    "roleid",
    "idrole",
    "idprofile",
    "profileid",
    "admin",
    "isadmin",
    "superadmin",
    "issuperadmin",
    "super",
    "permission",
    "permissions",
    "scope",
    "scopes",
    "groups",
    "iddefaultgroup",
    // PrestaShop Customer `groupBox`: group membership, hence prices,
    // payment and carrier access.
    "groupbox",
    // PrestaShop Customer B2B credit: `outstanding_allow_amount` (the credit
    // allowed) and `max_payment_days` (the payment term).
    "outstandingallowamount",
    "maxpaymentdays",
    // account state
    "active",
    "isactive",
    // PrestaShop Customer `is_guest` (guest or registered account) and
    // Customer/Address `deleted` (soft deletion: clearing it restores a
    // deleted account and its login).
    "isguest",
    "deleted",
    // identity (Laravel / Statamic `email_verified_at` marks the login
    // address as verified)
    "email",
    "emailaddress",
    "newemail",
    "emailverifiedat",
];

/// Never-writable if the normalized name contains one of these (`new_password`,
/// `client_secret`, `access_token`, `private_key`, Statamic's
/// `two_factor_secret`, `two_factor_recovery_codes`, `two_factor_confirmed_at`
/// and `passkeys`…).
pub const FORBIDDEN_CONTAINS: &[&str] = &[
    "password",
    "passwd",
    "secret",
    "apikey",
    "token",
    "privatekey",
    "twofactor",
    "recoverycode",
    "passkey",
];

/// Longest field name that can be normalized (argument keys are capped at
/// [`super::value::MAX_KEY_BYTES`]).
const NORMALIZE_CAP: usize = 128;

/// Normalizes a field name into `buf`: ASCII lower case, `_`, `-`, `.` and
/// spaces dropped; returns the used prefix. Longer names are truncated (they
/// are refused by the key limit anyway).
pub fn normalize_field<'b>(name: &str, buf: &'b mut [u8; NORMALIZE_CAP]) -> &'b [u8] {
    let mut n = 0;
    for &b in name.as_bytes() {
        if matches!(b, b'_' | b'-' | b'.' | b' ') {
            continue;
        }
        if let Some(slot) = buf.get_mut(n) {
            *slot = b.to_ascii_lowercase();
            n += 1;
        } else {
            break;
        }
    }
    buf.get(..n).unwrap_or(&[])
}

/// The never-writable list in force: the built-in one plus the manifest's.
#[derive(Debug, Clone, Default)]
pub struct Forbidden {
    extra: Vec<Vec<u8>>,
}

impl Forbidden {
    /// Adds a name (normalized); the built-in list cannot shrink.
    pub fn add(&mut self, name: &str) {
        let mut buf = [0u8; NORMALIZE_CAP];
        let n = normalize_field(name, &mut buf).to_vec();
        if !n.is_empty() && !self.extra.contains(&n) {
            self.extra.push(n);
        }
    }

    /// Whether `name` is never writable.
    pub fn contains(&self, name: &str) -> bool {
        let mut buf = [0u8; NORMALIZE_CAP];
        let n = normalize_field(name, &mut buf);
        FORBIDDEN_EXACT.iter().any(|f| f.as_bytes() == n)
            || FORBIDDEN_CONTAINS
                .iter()
                .any(|f| n.windows(f.len()).any(|w| w == f.as_bytes()))
            || self.extra.iter().any(|f| f.as_slice() == n)
    }
}

fn is_resource(s: &str) -> bool {
    let b = s.as_bytes();
    !b.is_empty()
        && b.len() <= 64
        && b.first().is_some_and(u8::is_ascii_lowercase)
        && b.iter()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, b'_' | b'-'))
}

/// Splits a canonical scope: `read` → `(None, Read)`, `entries:read` →
/// `(Some("entries"), Read)`; `None` when `s` is not canonical.
pub fn parse_canonical(s: &str) -> Option<(Option<&str>, Action)> {
    match s.split_once(':') {
        None => Action::parse(s).map(|a| (None, a)),
        Some((res, act)) => {
            if is_resource(res) {
                Action::parse(act).map(|a| (Some(res), a))
            } else {
                None
            }
        }
    }
}

/// Whether `s` can be the name of an alias: printable ASCII without spaces,
/// 1–128 bytes.
pub fn is_alias_name(s: &str) -> bool {
    !s.is_empty() && s.len() <= 128 && s.bytes().all(|b| b.is_ascii_graphic())
}

/// Whether `s` can be the name of a role: `[a-z][a-z0-9_-]{0,63}`.
pub fn is_role_name(s: &str) -> bool {
    is_resource(s)
}

/// Whether `s` is a scope a credential can carry and the policy can look at:
/// an RFC 6749 §3.3 scope-token (`1*( %x21 / %x23-5B / %x5D-7E )`: printable
/// ASCII without space, `"` and `\`, so it fits a space-separated `scope`
/// and a quoted `WWW-Authenticate` parameter) of at most
/// [`super::MAX_SCOPE_LEN`] bytes (the policy ignores longer ones). Canonical
/// scopes and the built-in aliases are all scope-tokens; a string with a
/// newline, a space or a control byte never is.
pub fn is_scope_token(s: &[u8]) -> bool {
    !s.is_empty() && s.len() <= super::MAX_SCOPE_LEN && s.iter().all(|&b| is_scope_char(b))
}

/// RFC 6749 §3.3 `NQCHAR` without the space: `%x21 / %x23-5B / %x5D-7E`, the
/// one definition of a scope-token's characters (the JWT `scope` claim and
/// OAuth requests use it too).
pub fn is_scope_char(b: u8) -> bool {
    b == 0x21 || (0x23..=0x5b).contains(&b) || (0x5d..=0x7e).contains(&b)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn canonical_scopes() {
        assert_eq!(parse_canonical("read"), Some((None, Action::Read)));
        assert_eq!(
            parse_canonical("entries:write"),
            Some((Some("entries"), Action::Write))
        );
        for bad in [
            "",
            "*",
            "raed",
            "Entries:read",
            ":read",
            "a:b:read",
            "mcp.read",
        ] {
            assert_eq!(parse_canonical(bad), None, "{bad}");
        }
    }

    #[test]
    fn scope_tokens() {
        for ok in [
            "read",
            "entries:read",
            "mcp.read",
            "!",
            "~",
            "a#[]{}",
            &"r".repeat(128),
        ] {
            assert!(is_scope_token(ok.as_bytes()), "{ok}");
        }
        for (alias, canonical) in BUILTIN_ALIASES {
            assert!(is_scope_token(alias.as_bytes()), "{alias}");
            assert!(is_scope_token(canonical.as_bytes()), "{canonical}");
        }
        for (_, scopes) in BUILTIN_ROLES {
            assert!(scopes.iter().all(|s| is_scope_token(s.as_bytes())));
        }
        for bad in [
            &b""[..],
            b"mcp.read\n",
            b"mcp.read ",
            b" read",
            b"a b",
            b"\"read\"",
            b"re\\ad",
            b"read\0",
            b"read\t",
            b"\x7f",
            b"r\xc3\xa9ad",
            b"\xff",
            &[b'r'; 129],
        ] {
            assert!(!is_scope_token(bad), "{bad:?}");
        }
    }

    #[test]
    fn forbidden_names_are_normalized() {
        let f = Forbidden::default();
        for name in [
            "password",
            "Password",
            "new_password",
            "isActive",
            "IS-ACTIVE",
            "id_profile",
            "api_key",
            "client_secret",
            "access_token",
            "email",
            "E_mail",
        ] {
            assert!(f.contains(name), "{name}");
        }
        for name in ["name", "price", "description", "quantity", "reference"] {
            assert!(!f.contains(name), "{name}");
        }
        let mut g = Forbidden::default();
        g.add("vat_number");
        assert!(g.contains("VatNumber"));
    }
}
