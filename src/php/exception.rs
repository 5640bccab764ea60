//! The `McpGuard\Exception\…` hierarchy and the one place where core errors
//! become PHP exceptions.
//!
//! The classes are registered with `ClassBuilder` rather than `#[php_class]` so
//! that they keep `\Exception`'s own object handler: PHP then fills in the file,
//! line and trace of every exception we throw, which a Rust-backed object would
//! leave empty.
//!
//! * `errorCode()` — the OAuth error code (`invalid_token`, `invalid_request`,
//!   …) or, where OAuth has none, our own (`invalid_argument`,
//!   `server_error`); fixed per class.
//! * `reason()` — the machine-readable reason for the audit log (`expired`,
//!   `bad_checksum`, …). It is carried as the exception's integer code: the
//!   CRC32 of the reason string (31 bits), so a code never changes meaning and
//!   the reason tables can grow in any order.

use std::cell::{Cell, RefCell};
use std::panic::{catch_unwind, AssertUnwindSafe};

use ext_php_rs::args::ArgInfoTables;
use ext_php_rs::builders::{ClassBuilder, FunctionBuilder};
use ext_php_rs::exception::PhpException;
use ext_php_rs::flags::{DataType, MethodFlags};
use ext_php_rs::prelude::PhpResult;
use ext_php_rs::types::Zval;
use ext_php_rs::zend::{ce, run_handler, ClassEntry, ExecuteData};

use crate::core::audit::{AuditError, ChainError};
use crate::core::confirm::ConfirmationError;
use crate::core::credentials::CredentialsError;
use crate::core::error::{ErrorKind, GuardError};
use crate::core::guard::GuardConfigError;
use crate::core::jwt::JwtError;
use crate::core::mcp::McpRefusal;
use crate::core::oauth::OAuthError;
use crate::core::policy::{PolicyError, Problem, QueryError};
use crate::core::ratelimit::RateLimitError;
use crate::core::resource::{Refusal as ResourceRefusal, ResourceError};
use crate::core::token::TokenError;

/// Base class of every exception mcp_guard throws (and of those the PHP glue
/// throws). `errorCode()` is the OAuth error code where one exists,
/// `reason()` the machine-readable reason for the audit log; the message is
/// generic and never holds a secret or the input.
pub const GUARD: &str = "McpGuard\\Exception\\GuardException";
/// The presented credential (API token, JWT) is not valid: answer 401 with
/// `WWW-Authenticate: Bearer error="invalid_token"`. `errorCode()` is
/// `invalid_token`; `reason()` says why (`expired`, `bad_signature`, …) for
/// the audit log only, never for the client.
const INVALID_TOKEN: &str = "McpGuard\\Exception\\InvalidTokenException";
/// The request is malformed (e.g. the `Authorization` header): answer 400.
/// `errorCode()` is `invalid_request`.
const INVALID_REQUEST: &str = "McpGuard\\Exception\\InvalidRequestException";
/// The calling code passed a value outside the documented range: a bug in
/// the host, never something a client can cause alone. `errorCode()` is
/// `invalid_argument`.
const INVALID_ARGUMENT: &str = "McpGuard\\Exception\\InvalidArgumentException";
/// An OAuth request was refused: answer with `errorCode()` (the OAuth error
/// code of RFC 6749 §5.2, RFC 7591 §3.2.2 or RFC 8707: `invalid_grant`,
/// `invalid_client`, `invalid_target`, …) and `httpStatus()`; `reason()`
/// says exactly why, for the audit log only.
const OAUTH: &str = "McpGuard\\Exception\\OAuthException";
/// The server's own configuration is unusable (a weak pepper, a bad manifest,
/// a key that must not be used): fix the configuration, answer 500.
/// `errorCode()` is `server_error`.
const CONFIGURATION: &str = "McpGuard\\Exception\\ConfigurationException";

/// Every class with its error code, most specific first, base class last.
const CLASSES: &[(&str, &str)] = &[
    (OAUTH, "invalid_request"),
    (INVALID_TOKEN, "invalid_token"),
    (INVALID_REQUEST, "invalid_request"),
    (INVALID_ARGUMENT, "invalid_argument"),
    (CONFIGURATION, "server_error"),
    (GUARD, "server_error"),
];

/// Reasons the bindings themselves throw with (not from a core error).
const BINDING_REASONS: &[&str] = &["internal_error", "invalid_value"];

/// Every reason the extension can throw with, table by table, so `reason()`
/// can map a code back to its string. Code 0 (an exception constructed by
/// PHP code) is `unspecified`.
const REASON_TABLES: &[&[&str]] = &[
    BINDING_REASONS,
    CredentialsError::REASONS,
    JwtError::REASONS,
    RateLimitError::REASONS,
    TokenError::REASONS,
    OAuthError::REASONS,
    GuardConfigError::REASONS,
    ResourceError::REASONS,
    // resource refusals (McpGuard\Resource results, not exceptions)
    ResourceRefusal::REASONS,
    // tool policy (McpGuard\Policy; refusals are decisions, not exceptions)
    Problem::REASONS,
    QueryError::REASONS,
    // MCP envelope (McpGuard\Mcp\Envelope; refusals are values, not exceptions)
    McpRefusal::REASONS,
    // audit events and chain (chain breaks are reported, never thrown)
    AuditError::REASONS,
    ChainError::REASONS,
    ConfirmationError::REASONS,
];

fn all_reasons() -> impl Iterator<Item = &'static str> {
    REASON_TABLES.iter().flat_map(|t| t.iter().copied())
}

fn reason_code(reason: &str) -> i32 {
    // 31 bits so the code is never negative; 0 is kept for "unspecified".
    let code = (crc32fast::hash(reason.as_bytes()) & 0x7fff_ffff) as i32;
    code.max(1)
}

fn class_for(kind: ErrorKind) -> &'static str {
    match kind {
        ErrorKind::InvalidToken => INVALID_TOKEN,
        ErrorKind::InvalidRequest => INVALID_REQUEST,
        ErrorKind::InvalidArgument => INVALID_ARGUMENT,
        ErrorKind::Configuration => CONFIGURATION,
        _ => GUARD,
    }
}

fn exception(class: &str, message: String, reason: &str) -> PhpException {
    let ce = ClassEntry::try_find(class).unwrap_or_else(ce::exception);
    PhpException::new(message, reason_code(reason), ce)
}

/// The one mapping from a core error to a PHP exception.
pub fn to_php<E: GuardError>(err: E) -> PhpException {
    exception(class_for(err.kind()), err.to_string(), err.reason())
}

/// `?` in a binding body turns any core error into its exception.
macro_rules! exceptions_from {
    ($($error:ty),+ $(,)?) => {
        $(
            impl From<$error> for PhpException {
                fn from(err: $error) -> Self {
                    to_php(err)
                }
            }
        )+
    };
}

/// OAuth refusals are `OAuthException`s (their `errorCode()` is the OAuth
/// code of their reason); a configuration or internal failure keeps its own
/// class.
impl From<OAuthError> for PhpException {
    fn from(err: OAuthError) -> Self {
        match err.kind() {
            ErrorKind::Configuration | ErrorKind::Internal => to_php(err),
            _ => exception(OAUTH, err.to_string(), err.reason()),
        }
    }
}

exceptions_from!(
    AuditError,
    ConfirmationError,
    CredentialsError,
    GuardConfigError,
    JwtError,
    PolicyError,
    QueryError,
    RateLimitError,
    ResourceError,
    TokenError
);

/// An argument outside its documented range (a bug in the calling code).
pub fn invalid_argument(message: &str) -> PhpException {
    exception(INVALID_ARGUMENT, message.to_owned(), "invalid_value")
}

/// Runs a binding body; a panic inside becomes a `GuardException`
/// (`internal_error`) instead of reaching PHP as a Rust panic `\Error`.
pub fn guarded<T>(body: impl FnOnce() -> PhpResult<T>) -> PhpResult<T> {
    catch_unwind(AssertUnwindSafe(body)).unwrap_or_else(|_| {
        Err(exception(
            GUARD,
            "Internal error in mcp_guard.".to_owned(),
            "internal_error",
        ))
    })
}

/// The OAuth error code of this exception's class (`invalid_token`,
/// `invalid_request`, `invalid_argument`, `server_error`).
extern "C" fn error_code_handler(ex: &mut ExecuteData, retval: &mut Zval) {
    run_handler(AssertUnwindSafe(|| {
        let code = ex
            .get_self()
            .and_then(|this| {
                if let Some(e) = oauth_error_of(this) {
                    return e.oauth_code();
                }
                CLASSES.iter().find_map(|(class, code)| {
                    ClassEntry::try_find(class)
                        .filter(|ce| this.instance_of(ce))
                        .map(|_| *code)
                })
            })
            .unwrap_or("server_error");
        // A plain string always fits in a zval.
        let _ = retval.set_string(code, false);
    }));
}

/// The OAuth error an `OAuthException` carries (by its reason code); `None`
/// for any other exception, or one PHP code constructed.
fn oauth_error_of(this: &ext_php_rs::types::ZendObject) -> Option<OAuthError> {
    let ce = ClassEntry::try_find(OAUTH)?;
    if !this.instance_of(ce) {
        return None;
    }
    let code = this.get_property::<i64>("code").ok()?;
    OAuthError::ALL
        .iter()
        .find(|e| i64::from(reason_code(e.reason())) == code)
        .copied()
}

/// The HTTP status to answer with: 401 for `invalid_client`, 503 for
/// `temporarily_unavailable`, 500 for `server_error`, else 400.
extern "C" fn http_status_handler(ex: &mut ExecuteData, retval: &mut Zval) {
    run_handler(AssertUnwindSafe(|| {
        let status = ex
            .get_self()
            .and_then(|this| oauth_error_of(this))
            .map_or(400, |e| e.http_status());
        retval.set_long(i64::from(status));
    }));
}

/// The machine-readable reason (`expired`, `bad_checksum`, `weak_pepper`, …)
/// for the audit log; `unspecified` for an exception PHP code constructed.
/// (Carried as the exception's integer code.)
extern "C" fn reason_handler(ex: &mut ExecuteData, retval: &mut Zval) {
    run_handler(AssertUnwindSafe(|| {
        let reason = ex
            .get_self()
            .and_then(|this| this.get_property::<i64>("code").ok())
            .and_then(|code| all_reasons().find(|r| i64::from(reason_code(r)) == code))
            .unwrap_or("unspecified");
        let _ = retval.set_string(reason, false);
    }));
}

thread_local! {
    /// `GuardException`'s class entry while the hierarchy is being registered:
    /// during start-up the runtime class table (which `ClassEntry::try_find`
    /// reads) does not exist yet.
    static GUARD_CE: Cell<Option<&'static ClassEntry>> = const { Cell::new(None) };
    /// The argument-info tables of the hand-registered methods: the engine
    /// points into them until the module shuts down, so they are owned here
    /// (freed at process exit, after the engine is gone) rather than leaked.
    /// Under ZTS they belong to the start-up thread, which the threaded
    /// SAPIs (Apache's worker and event MPMs, FrankenPHP, the embed SAPI)
    /// keep until the module shuts down; request threads never touch them.
    static ARG_INFO: RefCell<Vec<ArgInfoTables>> = const { RefCell::new(Vec::new()) };
}

fn keep_arg_info(class: &'static mut ClassEntry, tables: ArgInfoTables) {
    ARG_INFO.with(|kept| kept.borrow_mut().push(tables));
    if class.name() == Some(GUARD) {
        GUARD_CE.with(|c| c.set(Some(class)));
    }
}

fn parent_guard() -> &'static ClassEntry {
    GUARD_CE.with(Cell::get).unwrap_or_else(ce::exception)
}

/// Registers the hierarchy. Called from module start-up, before any class that
/// throws these is registered.
pub fn register() -> ext_php_rs::error::Result<()> {
    ClassBuilder::new(GUARD)
        .extends((ce::exception, "\\Exception"))
        .method(
            FunctionBuilder::new("errorCode", error_code_handler).returns(
                DataType::String,
                false,
                false,
            ),
            MethodFlags::Public | MethodFlags::Final,
        )
        .method(
            FunctionBuilder::new("reason", reason_handler).returns(DataType::String, false, false),
            MethodFlags::Public | MethodFlags::Final,
        )
        .registration(keep_arg_info)
        .register()?;
    if GUARD_CE.with(Cell::get).is_none() {
        return Err(ext_php_rs::error::Error::InvalidPointer);
    }
    for (class, _) in CLASSES.iter().filter(|(c, _)| *c != GUARD) {
        let mut builder = ClassBuilder::new(*class).extends((parent_guard, GUARD));
        if *class == OAUTH {
            builder = builder.method(
                FunctionBuilder::new("httpStatus", http_status_handler).returns(
                    DataType::Long,
                    false,
                    false,
                ),
                MethodFlags::Public | MethodFlags::Final,
            );
        }
        builder.registration(keep_arg_info).register()?;
    }
    Ok(())
}
