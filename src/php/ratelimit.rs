//! `McpGuard\RateLimiter` and `McpGuard\RateLimit\Result`, plus the shared
//! table's life cycle (mapped at module start-up, unmapped at shutdown).
#![allow(non_snake_case)]

use std::sync::{Once, RwLock};

use ext_php_rs::binary_slice::BinarySlice;
use ext_php_rs::boxed::ZBox;
use ext_php_rs::error::php_error;
use ext_php_rs::flags::ClassFlags;
use ext_php_rs::flags::ErrorType;
use ext_php_rs::prelude::*;
use ext_php_rs::types::{ZendCallable, ZendHashTable};
use ext_php_rs::zend::ExecutorGlobals;

use super::env::{now_us, rng};
use super::exception::{guarded, invalid_argument};
use super::settings;
use crate::core::json::view::{Key, View};
use crate::core::ratelimit::gcra::{ceil_secs, Refusal, MICROS_PER_SEC};
use crate::core::ratelimit::shm::{SharedSlots, DEFAULT_SLOTS};
use crate::core::ratelimit::table::DEFAULT_WINDOW;
use crate::core::ratelimit::{
    self, check_policy_name, Decision, HashKey, Policies, RateLimitError, Table, Usage, WhenFull,
};

/// The table of this server, mapped in module start-up.
struct Shared {
    slots: SharedSlots,
    key: HashKey,
    when_full: WhenFull,
    test_clock: bool,
}

static SHARED: RwLock<Option<Shared>> = RwLock::new(None);

fn ini_values() -> (usize, WhenFull, bool) {
    let values = ExecutorGlobals::get().ini_values();
    let get = |name: &str| values.get(name).cloned().flatten().unwrap_or_default();
    let slots = get(settings::RATE_LIMIT_SLOTS)
        .trim()
        .parse::<usize>()
        .unwrap_or(DEFAULT_SLOTS);
    // Anything but an exact `evict` keeps the secure default.
    let when_full = WhenFull::parse(&get(settings::RATE_LIMIT_WHEN_FULL)).unwrap_or_default();
    let test_clock = get(settings::RATE_LIMIT_TEST_CLOCK).trim() == "1";
    (slots, when_full, test_clock)
}

/// Maps the table (module start-up). A failure leaves the limiter
/// unavailable — `hit()` then throws — rather than failing all of PHP.
pub fn start() {
    let (slots, when_full, test_clock) = ini_values();
    let made = SharedSlots::map(slots).and_then(|slots| {
        let key = HashKey::generate(&rng())?;
        Ok(Shared {
            slots,
            key,
            when_full,
            test_clock,
        })
    });
    let mut guard = SHARED.write().unwrap_or_else(|e| e.into_inner());
    *guard = made.ok();
}

/// Unmaps the table (module shutdown).
pub fn stop() {
    let mut guard = SHARED.write().unwrap_or_else(|e| e.into_inner());
    *guard = None;
}

fn with_table<T>(
    body: impl FnOnce(&Shared, Table<'_>) -> Result<T, RateLimitError>,
) -> Result<T, RateLimitError> {
    let guard = SHARED.read().unwrap_or_else(|e| e.into_inner());
    let shared = guard.as_ref().ok_or(RateLimitError::TableUnavailable)?;
    let table = Table::new(shared.slots.slots(), DEFAULT_WINDOW, shared.when_full)?;
    body(shared, table)
}

static PER_PROCESS_CHECK: Once = Once::new();

/// Once per process: a PHP-FPM worker that made its own table (the extension
/// was loaded per pool with `php_admin_value[extension]`) limits alone, so
/// every limit is multiplied by the number of workers. Say so in the log.
fn warn_if_per_process_fpm(shared: &Shared) {
    PER_PROCESS_CHECK.call_once(|| {
        if shared.slots.inherited() {
            return;
        }
        // ZendCallable by name: copying an internal function into a
        // `zend::Function` reads past its allocation (see settings::ini_get).
        let sapi = ZendCallable::try_from_name("php_sapi_name")
            .ok()
            .and_then(|f| f.try_call(vec![]).ok())
            .and_then(|v| v.string());
        if sapi.as_deref() == Some("fpm-fcgi") {
            php_error(
                &ErrorType::Warning,
                "mcp_guard: this PHP-FPM worker has its own rate-limit table, so limits are \
                 per worker: load mcp_guard in php.ini or conf.d (the master), not with \
                 php_admin_value[extension]",
            );
        }
    });
}

/// Table facts for `php --ri` and `RateLimiter::tableInfo()`.
pub struct Info {
    pub usage: Usage,
    pub shared: bool,
    pub creator_pid: u32,
    pub when_full: WhenFull,
    pub test_clock: bool,
}

pub fn info() -> Option<Info> {
    with_table(|shared, table| {
        Ok(Info {
            usage: table.usage(now_us()),
            shared: shared.slots.inherited(),
            creator_pid: shared.slots.creator_pid(),
            when_full: shared.when_full,
            test_clock: shared.test_clock,
        })
    })
    .ok()
}

fn int(v: u64) -> i64 {
    i64::try_from(v).unwrap_or(i64::MAX)
}

fn policy_from(value: &ext_php_rs::types::Zval) -> Option<(u64, u64)> {
    let arr = value.array()?;
    if arr.len() != 2 {
        return None;
    }
    let limit = u64::try_from(arr.get("limit")?.long()?).ok()?;
    let period = u64::try_from(arr.get("period")?.long()?).ok()?;
    Some((limit, period))
}

/// A GCRA rate limiter whose state lives in the server's shared table, so all
/// PHP-FPM workers share exact limits.
///
/// Policies are named; without an argument the defaults apply: `catalogue`
/// 600 / 60 s, `write` 30 / 60 s, `anonymous` 60 / 60 s.
#[php_class]
#[php(name = "McpGuard\\RateLimiter")]
#[php(flags = ClassFlags::Final)]
pub struct RateLimiter {
    policies: Policies,
}

#[php_impl]
impl RateLimiter {
    /// @param array<string, array{limit: int, period: int}>|null $policies
    ///   name (`[a-z0-9_.-]{1,64}`) → limit per period (seconds); null = defaults.
    pub fn __construct(policies: Option<&ZendHashTable>) -> PhpResult<Self> {
        guarded(|| {
            let Some(given) = policies else {
                return Ok(Self {
                    policies: Policies::default(),
                });
            };
            let mut set = Policies::empty();
            // Keys are read through the one converter: a key that is not a
            // UTF-8 string is an invalid name, never a panic.
            given.entries(|key, value| -> PhpResult<()> {
                let name = match key {
                    Key::Name(bytes) => {
                        std::str::from_utf8(bytes).map_err(|_| RateLimitError::InvalidPolicyName)?
                    }
                    Key::Index(_) => return Err(RateLimitError::InvalidPolicyName.into()),
                };
                let (limit, period) = policy_from(value).ok_or_else(|| {
                    invalid_argument("Each policy must be ['limit' => int, 'period' => int].")
                })?;
                set.insert(name, limit, period)?;
                Ok(())
            })?;
            Ok(Self { policies: set })
        })
    }

    /// Records a hit of `cost` on `key` under `policy`.
    ///
    /// @param string $key any bytes (hashed; size does not matter), e.g. from
    ///   `RateLimiter::tokenKey()`.
    /// @param int|null $now Unix time in microseconds: only accepted when the
    ///   INI setting mcp_guard.rate_limit_test_clock=1 (tests); null = the clock.
    /// @throws \McpGuard\Exception\InvalidArgumentException unknown policy, cost out of range.
    /// @throws \McpGuard\Exception\ConfigurationException no table, or $now without the test clock.
    #[php(defaults(cost = 1))]
    pub fn hit(
        &self,
        key: BinarySlice<u8>,
        policy: BinarySlice<u8>,
        cost: i64,
        now: Option<i64>,
    ) -> PhpResult<RateLimitResult> {
        guarded(|| {
            let name = std::str::from_utf8(&policy).map_err(|_| RateLimitError::UnknownPolicy)?;
            let p = *self.policies.get(name)?;
            let cost = u64::try_from(cost).map_err(|_| RateLimitError::InvalidCost)?;
            let decision = with_table(|shared, table| {
                warn_if_per_process_fpm(shared);
                let now = match now {
                    None => now_us(),
                    Some(_) if !shared.test_clock => return Err(RateLimitError::TestClockDisabled),
                    Some(n) => u64::try_from(n).map_err(|_| RateLimitError::InvalidTime)?,
                };
                table.hit(shared.key.fingerprint(name, &key), &p, now, cost)
            })?;
            Ok(RateLimitResult {
                policy: name.to_owned(),
                period_secs: p.period_us() / MICROS_PER_SEC,
                decision,
            })
        })
    }

    /// The configured policies: name → ['limit' => int, 'period' => int].
    pub fn policies(&self) -> PhpResult<ZBox<ZendHashTable>> {
        let mut out = ZendHashTable::new();
        for (name, p) in self.policies.iter() {
            let mut entry = ZendHashTable::new();
            entry.insert("limit", int(p.limit()))?;
            entry.insert("period", int(p.period_us() / MICROS_PER_SEC))?;
            out.insert(name, entry)?;
        }
        Ok(out)
    }

    /// `ip:<address>` (IPv6: its /64).
    /// @throws \McpGuard\Exception\InvalidArgumentException reason invalid_key.
    pub fn ip_key(ip: BinarySlice<u8>) -> PhpResult<String> {
        guarded(|| Ok(ratelimit::ip_key(&ip)?))
    }

    /// `token:<publicId>`.
    pub fn token_key(publicId: BinarySlice<u8>) -> PhpResult<String> {
        guarded(|| Ok(ratelimit::principal_key("token", &publicId)?))
    }

    /// `user:<id>`.
    pub fn user_key(id: BinarySlice<u8>) -> PhpResult<String> {
        guarded(|| Ok(ratelimit::principal_key("user", &id)?))
    }

    /// Facts about the shared table: slots, occupied, live, shared (true in a
    /// process forked from the one that mapped it, e.g. a PHP-FPM worker),
    /// creatorPid, pid, whenFull, window, testClock.
    /// @throws \McpGuard\Exception\ConfigurationException when there is no table.
    pub fn table_info() -> PhpResult<ZBox<ZendHashTable>> {
        guarded(|| {
            let i = info().ok_or(RateLimitError::TableUnavailable)?;
            let mut out = ZendHashTable::new();
            out.insert("slots", int(i.usage.slots as u64))?;
            out.insert("occupied", int(i.usage.occupied as u64))?;
            out.insert("live", int(i.usage.live as u64))?;
            out.insert("shared", i.shared)?;
            out.insert("creatorPid", i64::from(i.creator_pid))?;
            out.insert("pid", i64::from(std::process::id()))?;
            out.insert("whenFull", i.when_full.as_str())?;
            out.insert("window", int(DEFAULT_WINDOW as u64))?;
            out.insert("testClock", i.test_clock)?;
            Ok(out)
        })
    }
}

/// The decision on one hit. Also built by the Redis backend
/// (`McpGuard\Server\RateLimit\RedisRateLimiter`) from its script's answer.
#[php_class]
#[php(name = "McpGuard\\RateLimit\\Result")]
#[php(flags = ClassFlags::Final)]
pub struct RateLimitResult {
    policy: String,
    period_secs: u64,
    decision: Decision,
}

fn non_negative(v: i64) -> PhpResult<u64> {
    u64::try_from(v).map_err(|_| invalid_argument("The value must not be negative."))
}

#[php_impl]
impl RateLimitResult {
    /// For other backends: the same decision fields the extension computes.
    ///
    /// @param string|null $reason null when allowed; `rate_limited` or `table_full`.
    pub fn __construct(
        policy: String,
        limit: i64,
        periodSeconds: i64,
        remaining: i64,
        retryAfterMicros: i64,
        resetAfterMicros: i64,
        reason: Option<String>,
    ) -> PhpResult<Self> {
        guarded(|| {
            check_policy_name(&policy)?;
            let refusal = match reason.as_deref() {
                None => None,
                Some("rate_limited") => Some(Refusal::RateLimited),
                Some("table_full") => Some(Refusal::TableFull),
                Some(_) => return Err(invalid_argument("Unknown refusal reason.")),
            };
            let limit = non_negative(limit)?;
            let remaining = non_negative(remaining)?;
            if limit == 0 || remaining > limit {
                return Err(invalid_argument(
                    "The limit or remaining count is out of range.",
                ));
            }
            Ok(Self {
                policy,
                period_secs: non_negative(periodSeconds)?,
                decision: Decision {
                    refusal,
                    limit,
                    remaining,
                    retry_after_us: non_negative(retryAfterMicros)?,
                    reset_after_us: non_negative(resetAfterMicros)?,
                },
            })
        })
    }

    /// Whether the hit was allowed (and counted).
    pub fn allowed(&self) -> bool {
        self.decision.allowed()
    }

    /// Null when allowed; `rate_limited` or `table_full` (for the audit log).
    pub fn reason(&self) -> Option<&'static str> {
        self.decision.refusal.map(|r| r.reason())
    }

    /// The policy's name.
    pub fn policy(&self) -> String {
        self.policy.clone()
    }

    /// The policy's limit.
    pub fn limit(&self) -> i64 {
        int(self.decision.limit)
    }

    /// The policy's period in seconds.
    pub fn period(&self) -> i64 {
        int(self.period_secs)
    }

    /// Units that can still be spent now.
    pub fn remaining(&self) -> i64 {
        int(self.decision.remaining)
    }

    /// Whole seconds (rounded up) until a retry can succeed; 0 when allowed.
    pub fn retry_after(&self) -> i64 {
        int(ceil_secs(self.decision.retry_after_us))
    }

    /// Whole seconds (rounded up) until the full limit is back.
    pub fn reset_after(&self) -> i64 {
        int(ceil_secs(self.decision.reset_after_us))
    }

    /// `retryAfter()` in microseconds.
    pub fn retry_after_micros(&self) -> i64 {
        int(self.decision.retry_after_us)
    }

    /// `resetAfter()` in microseconds.
    pub fn reset_after_micros(&self) -> i64 {
        int(self.decision.reset_after_us)
    }

    /// The response headers (draft-ietf-httpapi-ratelimit-headers, structured
    /// fields): `RateLimit-Policy: "<name>";q=<limit>;w=<seconds>`,
    /// `RateLimit: "<name>";r=<remaining>;t=<seconds>`, and, when refused,
    /// `Retry-After: <seconds>`.
    pub fn headers(&self) -> PhpResult<ZBox<ZendHashTable>> {
        let mut out = ZendHashTable::new();
        out.insert(
            "RateLimit-Policy",
            format!(
                "\"{}\";q={};w={}",
                self.policy, self.decision.limit, self.period_secs
            ),
        )?;
        out.insert(
            "RateLimit",
            format!(
                "\"{}\";r={};t={}",
                self.policy,
                self.decision.remaining,
                ceil_secs(self.decision.reset_after_us)
            ),
        )?;
        if !self.decision.allowed() {
            out.insert(
                "Retry-After",
                ceil_secs(self.decision.retry_after_us).max(1).to_string(),
            )?;
        }
        Ok(out)
    }
}
