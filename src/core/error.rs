//! What every core error can say about itself.
//!
//! Each concept has its own `#[non_exhaustive]` error enum. They all implement
//! [`GuardError`], which is the only thing the PHP bindings look at when they
//! turn an error into an exception: the [`ErrorKind`] picks the exception class,
//! [`GuardError::reason`] is the machine-readable reason for the audit log.

/// The family an error belongs to. The bindings map each kind to exactly one
/// PHP exception class.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum ErrorKind {
    /// The presented credential is not valid (OAuth `invalid_token`).
    InvalidToken,
    /// The request is malformed (OAuth `invalid_request`).
    InvalidRequest,
    /// The calling code passed a value outside the documented range: a bug in
    /// the host, never something a client can cause by itself.
    InvalidArgument,
    /// The server's own configuration is unusable (weak pepper, a stored hash
    /// made with a pepper that is not configured, ...).
    Configuration,
    /// Something failed inside the extension (the OS random generator, a bug).
    Internal,
}

/// Implemented by every error enum of the core.
pub trait GuardError: std::error::Error {
    /// Which family the error belongs to.
    fn kind(&self) -> ErrorKind;
    /// A stable, machine-readable reason (`snake_case`) for audit logs. It never
    /// contains input data.
    fn reason(&self) -> &'static str;
}

/// Declares an error enum from its table: one row per variant with its
/// [`ErrorKind`], its reason (the stable `snake_case` string of the audit
/// log), its message (generic: never input, never a secret) and, optionally,
/// `oauth "code"`: the OAuth error code a client is answered with. It defines
/// the enum, `Display` (the message), [`GuardError`], and two constants the
/// bindings and tests read: `REASONS` (every reason, in table order) and
/// `ALL` (every variant). So a reason, a kind or a message cannot drift
/// between places: the table is the only place.
///
/// ```
/// mcp_guard::error_table! {
///     /// Why a thing failed.
///     pub enum ThingError {
///         /// The input was bad.
///         Bad => InvalidRequest, "bad_input", "The input is invalid.";
///         /// The configuration was bad.
///         Misconfigured => Configuration, "misconfigured", "The thing is misconfigured.";
///         /// The grant was bad.
///         BadGrant => InvalidRequest, "bad_grant", "The grant is invalid.", oauth "invalid_grant";
///     }
/// }
/// use mcp_guard::core::error::{ErrorKind, GuardError};
/// assert_eq!(ThingError::Bad.reason(), "bad_input");
/// assert_eq!(ThingError::Misconfigured.kind(), ErrorKind::Configuration);
/// assert_eq!(ThingError::Bad.to_string(), "The input is invalid.");
/// assert_eq!(ThingError::REASONS, &["bad_input", "misconfigured", "bad_grant"]);
/// assert_eq!(ThingError::BadGrant.oauth_code(), Some("invalid_grant"));
/// assert_eq!(ThingError::Bad.oauth_code(), None);
/// ```
#[macro_export]
macro_rules! error_table {
    (
        $(#[$meta:meta])*
        $vis:vis enum $name:ident {
            $(
                $(#[$vmeta:meta])*
                $variant:ident => $kind:ident, $reason:literal, $message:literal $(, oauth $code:literal)?;
            )+
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        #[non_exhaustive]
        $vis enum $name {
            $( $(#[$vmeta])* $variant, )+
        }

        impl $name {
            /// Every reason this error can give, in table order.
            pub const REASONS: &'static [&'static str] = &[$($reason),+];
            /// Every variant, in table order.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The generic message (what `Display` writes).
            pub const fn message(&self) -> &'static str {
                match self {
                    $( Self::$variant => $message, )+
                }
            }

            /// The OAuth error code of the table's `oauth` column (RFC 6749
            /// §5.2, RFC 7591 §3.2.2, RFC 8707 §2, RFC 6750 §3.1), if the row
            /// has one.
            #[allow(unused_mut, unused_assignments)]
            pub const fn oauth_code(&self) -> Option<&'static str> {
                match self {
                    $( Self::$variant => {
                        let mut code = None;
                        $( code = Some($code); )?
                        code
                    } )+
                }
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.message())
            }
        }

        impl ::std::error::Error for $name {}

        impl $crate::core::error::GuardError for $name {
            fn kind(&self) -> $crate::core::error::ErrorKind {
                match self {
                    $( Self::$variant => $crate::core::error::ErrorKind::$kind, )+
                }
            }

            fn reason(&self) -> &'static str {
                match self {
                    $( Self::$variant => $reason, )+
                }
            }
        }
    };
}
