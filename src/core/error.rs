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
