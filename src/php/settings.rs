//! INI settings. All are `PHP_INI_SYSTEM`: php.ini, a conf.d file, or a
//! php-fpm pool's `php_admin_value[...]`, never `ini_set()` from a script.
//!
//! | setting | default | meaning |
//! |---|---|---|
//! | `mcp_guard.token_pepper` | empty (no pepper) | HMAC key for stored token hashes, ≥ 32 bytes of UTF-8 text |
//! | `mcp_guard.max_token_lifetime_days` | `365` | longest token lifetime, whole days 0 … 36500; `0` = no maximum |
//! | `mcp_guard.rate_limit_slots` | `131072` | slots of the shared rate-limit table (64 … 16777216; 16 bytes each) |
//! | `mcp_guard.rate_limit_when_full` | `refuse` | a new key finding no free slot: `refuse` the hit, or `evict` the soonest-expiring key |
//! | `mcp_guard.rate_limit_test_clock` | `0` | `1` lets `RateLimiter::hit()` take a `$now` (tests only) |
//! | `mcp_guard.rate_limit_namespace` | empty (the default namespace) | this pool's (or site's) own region of the table, `[a-z0-9_.-]{1,64}` |
//! | `mcp_guard.rate_limit_namespace_slots` | `0` (the whole table) | slots the namespace claims at its first hit (64 … 16777216) |
//!
//! The first three rate-limit settings are read once, at module start-up,
//! where the table is mapped (changing them needs a restart of PHP-FPM). The
//! two namespace settings are read by every `RateLimiter` when it is built, so
//! a pool's `php_admin_value` (applied in the worker, after the fork) and a
//! FastCGI `PHP_ADMIN_VALUE` (applied per request) count. Reading them from
//! the engine copies every INI entry (ext-php-rs' only safe way, tens of µs),
//! so they are read again only after the engine changed one of them: both
//! entries have an `on_modify` handler that bumps [`namespace_generation`]
//! (it looks at no pointer: a notification, no `unsafe`).
//!
//! ## How the token settings are read
//!
//! From the engine's own table of INI entries (`EG(ini_directives)`, through
//! ext-php-rs's `ExecutorGlobals::ini_values()`), never by calling a PHP
//! function: `disable_functions=ini_get` (common shared-hosting hardening)
//! once made the pepper and the lifetime cap silently disappear. A setting
//! that cannot be read, or read exactly, is a `ConfigurationException`, never
//! a default.
//!
//! `ini_values()` copies every INI entry of the process (about 300, tens of
//! µs), and it is the only safe ext-php-rs API for INI values (a single-entry
//! lookup needs `unsafe`, which is allowed only in the rate-limit table). A
//! `PHP_INI_SYSTEM` value can change between two requests of one worker (a
//! FastCGI `PHP_ADMIN_VALUE` parameter rewrites the worker's value, Apache's
//! per-directory `php_admin_value` applies per request, the end of a request
//! restores it), and every such change goes through the entry's `on_modify`
//! handler. So, as for the namespace settings, both token entries count their
//! changes (a notification, no pointer read), and the settings are read from
//! the engine again only when the count moved: an unchanged value costs a
//! counter comparison.
//!
//! `ini_values()` decodes values that are not UTF-8 lossily; a pepper that
//! was altered that way (it holds U+FFFD) is refused rather than used as a
//! different key. A binary pepper can still be passed to `new Tokens()`.

use std::cell::RefCell;
use std::collections::HashMap;
use std::os::raw::{c_int, c_void};
use std::sync::atomic::{AtomicU64, Ordering};

use ext_php_rs::ffi::{zend_ini_entry, zend_string};
use ext_php_rs::flags::IniEntryPermission;
use ext_php_rs::zend::{ExecutorGlobals, IniEntryDef, IniEntryDefs};

use crate::core::token::{self, Pepper, TokenError};

pub const TOKEN_PEPPER: &str = "mcp_guard.token_pepper";
pub const MAX_TOKEN_LIFETIME_DAYS: &str = "mcp_guard.max_token_lifetime_days";
pub const RATE_LIMIT_SLOTS: &str = "mcp_guard.rate_limit_slots";
pub const RATE_LIMIT_WHEN_FULL: &str = "mcp_guard.rate_limit_when_full";
pub const RATE_LIMIT_TEST_CLOCK: &str = "mcp_guard.rate_limit_test_clock";
pub const RATE_LIMIT_NAMESPACE: &str = "mcp_guard.rate_limit_namespace";
pub const RATE_LIMIT_NAMESPACE_SLOTS: &str = "mcp_guard.rate_limit_namespace_slots";

static INI: IniEntryDefs<8> = IniEntryDefs::new([
    IniEntryDef {
        on_modify: Some(token_setting_changed),
        ..IniEntryDef::new(c"mcp_guard.token_pepper", c"", IniEntryPermission::System)
    },
    IniEntryDef {
        on_modify: Some(token_setting_changed),
        ..IniEntryDef::new(
            c"mcp_guard.max_token_lifetime_days",
            c"365",
            IniEntryPermission::System,
        )
    },
    IniEntryDef::new(
        c"mcp_guard.rate_limit_slots",
        c"131072",
        IniEntryPermission::System,
    ),
    IniEntryDef::new(
        c"mcp_guard.rate_limit_when_full",
        c"refuse",
        IniEntryPermission::System,
    ),
    IniEntryDef::new(
        c"mcp_guard.rate_limit_test_clock",
        c"0",
        IniEntryPermission::System,
    ),
    IniEntryDef {
        on_modify: Some(namespace_changed),
        ..IniEntryDef::new(
            c"mcp_guard.rate_limit_namespace",
            c"",
            IniEntryPermission::System,
        )
    },
    IniEntryDef {
        on_modify: Some(namespace_changed),
        ..IniEntryDef::new(
            c"mcp_guard.rate_limit_namespace_slots",
            c"0",
            IniEntryPermission::System,
        )
    },
    IniEntryDef::end(),
]);

/// Changes of the namespace settings seen in this process.
static NAMESPACE_GENERATION: AtomicU64 = AtomicU64::new(0);

/// The engine's `on_modify` of the namespace settings: called before every
/// change of their value (registration, a pool's `php_admin_value`, a FastCGI
/// `PHP_ADMIN_VALUE`, a restore), it only counts the change and accepts it
/// (`SUCCESS`); the value is read from the engine afterwards.
extern "C" fn namespace_changed(
    _entry: *mut zend_ini_entry,
    _new_value: *mut zend_string,
    _arg1: *mut c_void,
    _arg2: *mut c_void,
    _arg3: *mut c_void,
    _stage: c_int,
) -> c_int {
    NAMESPACE_GENERATION.fetch_add(1, Ordering::Relaxed);
    0
}

/// Changes of the token settings seen in this process.
static TOKEN_GENERATION: AtomicU64 = AtomicU64::new(0);

/// The engine's `on_modify` of the token settings (pepper, lifetime cap):
/// like [`namespace_changed`], it only counts the change (registration, a
/// pool's `php_admin_value`, a FastCGI `PHP_ADMIN_VALUE`, the restore at the
/// end of a request) and accepts it; the value is read from the engine
/// afterwards, when it is next needed.
extern "C" fn token_setting_changed(
    _entry: *mut zend_ini_entry,
    _new_value: *mut zend_string,
    _arg1: *mut c_void,
    _arg2: *mut c_void,
    _arg3: *mut c_void,
    _stage: c_int,
) -> c_int {
    TOKEN_GENERATION.fetch_add(1, Ordering::Relaxed);
    0
}

/// How many times the engine changed a namespace setting so far: a value read
/// at generation `g` is still current while this returns `g`.
pub fn namespace_generation() -> u64 {
    NAMESPACE_GENERATION.load(Ordering::Relaxed)
}

/// Registers the INI entries (module start-up).
pub fn register(module_number: i32) {
    IniEntryDef::register(INI.as_slice(), module_number);
}

/// Every INI value of the process as the engine holds it now (`None`: the
/// entry has no value). Values that are not UTF-8 come back lossily decoded.
pub fn engine_values() -> HashMap<String, Option<String>> {
    ExecutorGlobals::get().ini_values()
}

/// The token settings as read in one request, each with its own verdict.
#[derive(Clone)]
struct TokenSettings {
    /// The INI pepper; `Ok(None)` when the setting is empty.
    pepper: Result<Option<Pepper>, TokenError>,
    /// The maximum lifetime in seconds; `Ok(None)` for no maximum.
    max_lifetime_secs: Result<Option<u64>, TokenError>,
}

thread_local! {
    /// The token settings as read at change number `.0` of
    /// [`TOKEN_GENERATION`]: still current while no change was counted since.
    static TOKEN_SETTINGS: RefCell<Option<(u64, TokenSettings)>> = const { RefCell::new(None) };
}

/// The token settings, read from the engine again only after the engine
/// changed one of them (the `on_modify` counter), so that a value that
/// changes between two requests of one worker is seen, and an unchanged one
/// costs a counter comparison instead of a copy of every INI value.
fn token_settings() -> TokenSettings {
    let generation = TOKEN_GENERATION.load(Ordering::Acquire);
    let cached = TOKEN_SETTINGS.with(|c| match c.borrow().as_ref() {
        Some((at, settings)) if *at == generation => Some(settings.clone()),
        _ => None,
    });
    if let Some(settings) = cached {
        return settings;
    }
    let settings = read_token_settings(&engine_values());
    TOKEN_SETTINGS.with(|c| *c.borrow_mut() = Some((generation, settings.clone())));
    settings
}

/// The configured pepper: `Ok(None)` when unset; an error when it is too
/// short or cannot be read exactly (a weak or altered pepper is never
/// silently ignored).
pub fn pepper() -> Result<Option<Pepper>, TokenError> {
    token_settings().pepper
}

/// The configured maximum lifetime in seconds, `Ok(None)` for no maximum; an
/// error when the setting is not a whole number of days in range (never a
/// fallback).
pub fn max_lifetime_secs() -> Result<Option<u64>, TokenError> {
    token_settings().max_lifetime_secs
}

fn read_token_settings(values: &HashMap<String, Option<String>>) -> TokenSettings {
    let get = |name: &str| values.get(name).and_then(Option::as_deref);
    TokenSettings {
        pepper: token::pepper_from_setting(get(TOKEN_PEPPER)),
        max_lifetime_secs: get(MAX_TOKEN_LIFETIME_DAYS)
            .ok_or(TokenError::SettingUnreadable)
            .and_then(token::max_lifetime_from_days),
    }
}
