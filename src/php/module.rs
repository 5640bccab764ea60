//! The module entry: start-up (INI, exception classes), the class list and the
//! `phpinfo()` / `php --ri mcp_guard` section.

use std::panic::catch_unwind;

use ext_php_rs::prelude::*;
use ext_php_rs::zend::ModuleEntry;
use ext_php_rs::{info_table_end, info_table_header, info_table_row, info_table_start};

use super::audit::{AuditEvent, Chain, ChainVerifier, Link};
use super::confirm::{ConfirmationCheck, Confirmations, IssuedConfirmation};
use super::credentials::Credentials;
use super::exception;
use super::guard::{Guard, Verdict};
use super::jwt::{KeySet, Signer, Verifier};
use super::mcp::{Envelope, Protocol};
use super::oauth::{
    AuthorizationRequest, AuthorizationResult, AuthorizationServer, ClientMetadata, IssuedCode,
    Pkce, RevocationRequest, TokenRequest,
};
use super::policy::{Decision, Policy};
use super::ratelimit::{self, RateLimitResult, RateLimiter};
use super::resource::{Challenge, OriginResult, Origins, Transport, TransportResult};
use super::scopes::Scopes;
use super::settings;
use super::tokens::{IssuedToken, Rotation, Tokens, VerifiedToken};

const SUCCESS: i32 = 0;
const FAILURE: i32 = -1;

/// Module start-up (MINIT). A panic here would abort the PHP process, so it is
/// caught and reported as a start-up failure.
pub fn startup(_ty: i32, module_number: i32) -> i32 {
    let ok = catch_unwind(|| {
        settings::register(module_number);
        let registered = exception::register().is_ok();
        // After the INI entries exist: the table's size is read from them.
        ratelimit::start();
        registered
    });
    match ok {
        Ok(true) => SUCCESS,
        _ => FAILURE,
    }
}

/// Module shutdown (MSHUTDOWN): unmaps the rate-limit table. A panic must not
/// unwind into PHP's C code, so it is caught (the mapping then goes with the
/// process).
pub extern "C" fn shutdown(_ty: i32, _module_number: i32) -> i32 {
    match catch_unwind(ratelimit::stop) {
        Ok(()) => SUCCESS,
        Err(_) => FAILURE,
    }
}

/// `php --ri mcp_guard`. Never prints the pepper, only whether one is set.
pub extern "C" fn info(_module: *mut ModuleEntry) {
    let _ = catch_unwind(|| {
        // Read from the engine, not through ini_get (which may be disabled).
        let values = settings::engine_values();
        let ini_display = |name: &str| values.get(name).cloned().flatten().unwrap_or_default();
        let pepper = match ini_display(settings::TOKEN_PEPPER) {
            v if !v.is_empty() => format!("set ({} bytes, value hidden)", v.len()),
            _ => "not set".to_owned(),
        };
        info_table_start!();
        info_table_header!("mcp_guard", "enabled");
        info_table_row!("version", env!("CARGO_PKG_VERSION"));
        info_table_row!("build", build_info().as_str());
        info_table_row!("built for", built_for().as_str());
        info_table_row!("token format", "<prefix>_<publicId>_<secret><checksum>");
        info_table_row!("token hashes", "sha256, hmac-sha256 (with pepper)");
        info_table_row!(
            "jwt algorithms",
            "HS256/384/512, RS256/384/512, PS256/384/512, ES256/384, EdDSA (ring)"
        );
        info_table_row!(
            "tool policy",
            "deny by default; manifests cached per worker (per thread under ZTS) by SHA-256"
        );
        info_table_end!();
        info_table_start!();
        info_table_header!("INI setting", "value");
        info_table_row!(settings::TOKEN_PEPPER, pepper.as_str());
        info_table_row!(
            settings::MAX_TOKEN_LIFETIME_DAYS,
            ini_display(settings::MAX_TOKEN_LIFETIME_DAYS).as_str()
        );
        for name in [
            settings::RATE_LIMIT_SLOTS,
            settings::RATE_LIMIT_WHEN_FULL,
            settings::RATE_LIMIT_TEST_CLOCK,
            settings::RATE_LIMIT_NAMESPACE,
            settings::RATE_LIMIT_NAMESPACE_SLOTS,
        ] {
            info_table_row!(name, ini_display(name).as_str());
        }
        info_table_end!();
        rate_limit_info();
    });
}

fn rate_limit_info() {
    use crate::core::error::GuardError;
    use crate::core::ratelimit::RateLimitError;
    info_table_start!();
    info_table_header!("rate limiter", "GCRA, shared-memory table");
    match ratelimit::info(super::env::now_us()) {
        Err(RateLimitError::TableUnavailable) => {
            info_table_row!("table", "UNAVAILABLE (mapping failed): hit() throws")
        }
        Err(e) => {
            let refused = format!("REFUSED ({}): hit() throws", e.reason());
            info_table_row!("namespace", refused.as_str());
        }
        Ok(i) => {
            let size = format!("{} slots ({} KiB)", i.slots, i.slots * 16 / 1024);
            let namespace = format!(
                "{}: slots {} to {} ({} principal, {} anonymous)",
                if i.namespace.is_empty() {
                    "default"
                } else {
                    i.namespace.as_str()
                },
                i.usage.region.start,
                i.usage.region.start + i.usage.region.len - 1,
                i.usage.principal.slots,
                i.usage.anonymous.slots,
            );
            let total = i.usage.total();
            let used = format!(
                "{} occupied, {} live (this namespace)",
                total.occupied, total.live
            );
            let sharing = if i.shared {
                format!(
                    "shared: inherited from pid {}, as every worker of this server",
                    i.creator_pid
                )
            } else {
                format!(
                    "created in this process (pid {}): shared with the processes it forks \
                     (php-fpm workers, php -S workers); per process if the extension is \
                     loaded per pool with php_admin_value[extension]",
                    i.creator_pid
                )
            };
            info_table_row!("table size", size.as_str());
            info_table_row!("namespace", namespace.as_str());
            info_table_row!("slots in use", used.as_str());
            info_table_row!("table sharing", sharing.as_str());
            info_table_row!("when full", i.when_full.as_str());
            if i.test_clock {
                info_table_row!(
                    "test clock",
                    "ENABLED: hit() accepts $now — never in production"
                );
            }
        }
    }
    info_table_end!();
}

fn build_info() -> String {
    format!(
        "{} {}, rustc {}",
        if cfg!(debug_assertions) {
            "debug"
        } else {
            "release"
        },
        std::env::consts::ARCH,
        env!("MCP_GUARD_RUSTC_VERSION"),
    )
}

/// The PHP this module was compiled against: its release (from the module API
/// number, which PHP compares before loading a module), thread safety and
/// debug mode. PHP itself refuses to load a module whose API number or build
/// id (thread safety, debug) differs from its own.
fn built_for() -> String {
    let api = ext_php_rs::ffi::ZEND_MODULE_API_NO;
    let release = match api {
        20210902 => "8.1",
        20220829 => "8.2",
        20230831 => "8.3",
        20240924 => "8.4",
        20250925 => "8.5",
        _ => "unknown release",
    };
    format!(
        "PHP {release} (module API {api}), {}{}",
        if ext_php_rs::PHP_ZTS {
            "ZTS (thread-safe)"
        } else {
            "NTS (not thread-safe)"
        },
        if ext_php_rs::PHP_DEBUG {
            ", debug build of PHP"
        } else {
            ""
        },
    )
}

#[php_module]
#[php(startup = "startup")]
pub fn get_module(module: ModuleBuilder) -> ModuleBuilder {
    module
        .info_function(info)
        .shutdown_function(shutdown)
        .class::<Tokens>()
        .class::<IssuedToken>()
        .class::<VerifiedToken>()
        .class::<Rotation>()
        .class::<Credentials>()
        .class::<Scopes>()
        .class::<Policy>()
        .class::<Decision>()
        .class::<Guard>()
        .class::<Verdict>()
        .class::<RateLimiter>()
        .class::<RateLimitResult>()
        .class::<KeySet>()
        .class::<Verifier>()
        .class::<Signer>()
        .class::<Pkce>()
        .class::<ClientMetadata>()
        .class::<AuthorizationServer>()
        .class::<AuthorizationResult>()
        .class::<AuthorizationRequest>()
        .class::<IssuedCode>()
        .class::<TokenRequest>()
        .class::<RevocationRequest>()
        .class::<Envelope>()
        .class::<Protocol>()
        .class::<AuditEvent>()
        .class::<Chain>()
        .class::<Link>()
        .class::<ChainVerifier>()
        .class::<Confirmations>()
        .class::<IssuedConfirmation>()
        .class::<ConfirmationCheck>()
        .class::<Origins>()
        .class::<OriginResult>()
        .class::<Transport>()
        .class::<TransportResult>()
        .class::<Challenge>()
}
