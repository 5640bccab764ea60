//! The module entry: start-up (INI, exception classes), the class list and the
//! `phpinfo()` / `php --ri mcp_guard` section.

use std::panic::catch_unwind;

use ext_php_rs::prelude::*;
use ext_php_rs::zend::ModuleEntry;
use ext_php_rs::{info_table_end, info_table_header, info_table_row, info_table_start};

use super::credentials::Credentials;
use super::exception;
use super::jwt::{KeySet, Signer, Verifier};
use super::settings;
use super::tokens::{IssuedToken, Rotation, Tokens, VerifiedToken};

const SUCCESS: i32 = 0;
const FAILURE: i32 = -1;

/// Module start-up (MINIT). A panic here would abort the PHP process, so it is
/// caught and reported as a start-up failure.
pub fn startup(_ty: i32, module_number: i32) -> i32 {
    let ok = catch_unwind(|| {
        settings::register(module_number);
        // jsonwebtoken's process-wide crypto: ring, with our key policy.
        crate::core::jwt::provider::install() && exception::register().is_ok()
    });
    match ok {
        Ok(true) => SUCCESS,
        _ => FAILURE,
    }
}

fn ini_display(name: &str) -> String {
    settings::ini_get(name)
        .map(|v| String::from_utf8_lossy(&v).into_owned())
        .unwrap_or_default()
}

/// `php --ri mcp_guard`. Never prints the pepper, only whether one is set.
pub extern "C" fn info(_module: *mut ModuleEntry) {
    let _ = catch_unwind(|| {
        let pepper = match settings::ini_get(settings::TOKEN_PEPPER) {
            Some(v) if !v.is_empty() => format!("set ({} bytes, value hidden)", v.len()),
            _ => "not set".to_owned(),
        };
        info_table_start!();
        info_table_header!("mcp_guard", "enabled");
        info_table_row!("version", env!("CARGO_PKG_VERSION"));
        info_table_row!("build", build_info().as_str());
        info_table_row!("token format", "<prefix>_<publicId>_<secret><checksum>");
        info_table_row!("token hashes", "sha256, hmac-sha256 (with pepper)");
        info_table_row!(
            "jwt algorithms",
            "HS256/384/512, RS256/384/512, PS256/384/512, ES256/384, EdDSA (ring)"
        );
        info_table_end!();
        info_table_start!();
        info_table_header!("INI setting", "value");
        info_table_row!(settings::TOKEN_PEPPER, pepper.as_str());
        info_table_row!(
            settings::MAX_TOKEN_LIFETIME_DAYS,
            ini_display(settings::MAX_TOKEN_LIFETIME_DAYS).as_str()
        );
        info_table_end!();
    });
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

#[php_module]
#[php(startup = "startup")]
pub fn get_module(module: ModuleBuilder) -> ModuleBuilder {
    module
        .info_function(info)
        .class::<Tokens>()
        .class::<IssuedToken>()
        .class::<VerifiedToken>()
        .class::<Rotation>()
        .class::<Credentials>()
        .class::<KeySet>()
        .class::<Verifier>()
        .class::<Signer>()
}
