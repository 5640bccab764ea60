//! INI settings. All are `PHP_INI_SYSTEM`: php.ini, a conf.d file, or a
//! php-fpm pool's `php_admin_value[...]`, never `ini_set()` from a script.
//!
//! | setting | default | meaning |
//! |---|---|---|
//! | `mcp_guard.token_pepper` | empty (no pepper) | HMAC key for stored token hashes, ≥ 32 bytes |
//! | `mcp_guard.max_token_lifetime_days` | `365` | longest token lifetime; `0` = no maximum |
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
//! Values are read when a `McpGuard\Tokens` is built (so a pool-level value
//! applies), and the parsed pepper is cached per worker by its value.

use std::cell::RefCell;
use std::os::raw::{c_int, c_void};
use std::sync::atomic::{AtomicU64, Ordering};

use ext_php_rs::ffi::{zend_ini_entry, zend_string};
use ext_php_rs::flags::IniEntryPermission;
use ext_php_rs::types::ZendCallable;
use ext_php_rs::zend::{IniEntryDef, IniEntryDefs};

use crate::core::token::{Pepper, TokenError, SECS_PER_DAY};

pub const TOKEN_PEPPER: &str = "mcp_guard.token_pepper";
pub const MAX_TOKEN_LIFETIME_DAYS: &str = "mcp_guard.max_token_lifetime_days";
pub const RATE_LIMIT_SLOTS: &str = "mcp_guard.rate_limit_slots";
pub const RATE_LIMIT_WHEN_FULL: &str = "mcp_guard.rate_limit_when_full";
pub const RATE_LIMIT_TEST_CLOCK: &str = "mcp_guard.rate_limit_test_clock";
pub const RATE_LIMIT_NAMESPACE: &str = "mcp_guard.rate_limit_namespace";
pub const RATE_LIMIT_NAMESPACE_SLOTS: &str = "mcp_guard.rate_limit_namespace_slots";

/// Longest configurable maximum lifetime: 100 years in days.
const MAX_LIFETIME_DAYS_LIMIT: u64 = 36_500;

static INI: IniEntryDefs<8> = IniEntryDefs::new([
    IniEntryDef::new(c"mcp_guard.token_pepper", c"", IniEntryPermission::System),
    IniEntryDef::new(
        c"mcp_guard.max_token_lifetime_days",
        c"365",
        IniEntryPermission::System,
    ),
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

/// How many times the engine changed a namespace setting so far: a value read
/// at generation `g` is still current while this returns `g`.
pub fn namespace_generation() -> u64 {
    NAMESPACE_GENERATION.load(Ordering::Relaxed)
}

/// Registers the INI entries (module start-up).
pub fn register(module_number: i32) {
    IniEntryDef::register(INI.as_slice(), module_number);
}

/// The current value of one of our INI settings, through PHP's `ini_get`, so
/// per-pool values are seen.
///
/// (`ZendCallable` by name rather than `zend::Function`: copying an internal
/// function's entry into a `Function` reads past its allocation.)
pub fn ini_get(name: &str) -> Option<Vec<u8>> {
    let f = ZendCallable::try_from_name("ini_get").ok()?;
    let v = f.try_call(vec![&name]).ok()?;
    v.zend_str().map(|s| s.as_bytes().to_vec())
}

thread_local! {
    static PEPPER_CACHE: RefCell<Option<(Vec<u8>, Pepper)>> = const { RefCell::new(None) };
}

/// The configured pepper: `Ok(None)` when unset, an error when it is too short
/// (a weak pepper is never silently ignored).
pub fn pepper() -> Result<Option<Pepper>, TokenError> {
    let raw = ini_get(TOKEN_PEPPER).unwrap_or_default();
    if raw.is_empty() {
        return Ok(None);
    }
    PEPPER_CACHE.with(|cache| {
        if let Some((value, pepper)) = cache.borrow().as_ref() {
            if *value == raw {
                return Ok(Some(pepper.clone()));
            }
        }
        let pepper = Pepper::new(&raw)?;
        *cache.borrow_mut() = Some((raw, pepper.clone()));
        Ok(Some(pepper))
    })
}

/// The configured maximum lifetime in seconds, `None` for no maximum. A value
/// that is not a whole number of days in range falls back to the 365-day
/// default rather than to "no maximum".
pub fn max_lifetime_secs() -> Option<u64> {
    let days = ini_get(MAX_TOKEN_LIFETIME_DAYS)
        .and_then(|v| String::from_utf8(v).ok())
        .and_then(|v| v.trim().parse::<u64>().ok())
        .filter(|d| *d <= MAX_LIFETIME_DAYS_LIMIT)
        .unwrap_or(365);
    (days != 0).then_some(days * SECS_PER_DAY)
}
