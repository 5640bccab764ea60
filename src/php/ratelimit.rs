//! `McpGuard\RateLimiter` and `McpGuard\RateLimit\Result`, plus the shared
//! table's life cycle (mapped at module start-up, unmapped at shutdown).
#![allow(non_snake_case)]

use std::cell::RefCell;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Once, RwLock};

use ext_php_rs::binary_slice::BinarySlice;
use ext_php_rs::boxed::ZBox;
use ext_php_rs::error::php_error;
use ext_php_rs::flags::ClassFlags;
use ext_php_rs::flags::ErrorType;
use ext_php_rs::prelude::*;
use ext_php_rs::types::{ZendCallable, ZendHashTable, Zval};
use ext_php_rs::zend::ExecutorGlobals;

use super::env::{now_us, rng};
use super::exception::{guarded, invalid_argument};
use super::settings;
use crate::core::ratelimit::gcra::{ceil_secs, Refusal, MAX_NOW_MICROS, MICROS_PER_SEC};
use crate::core::ratelimit::headers;
use crate::core::ratelimit::script::{self, Reply};
use crate::core::ratelimit::shm::{SharedSlots, DEFAULT_SLOTS};
use crate::core::ratelimit::space::Directory;
use crate::core::ratelimit::table::DEFAULT_PROBES;
use crate::core::ratelimit::{
    self, check_policy_name, Decision, HashKey, Namespace, NamespaceId, Rate, RateLimitError,
    Rates, Region, Space, SpaceUsage, Usage, WhenFull,
};

/// The table of this server, mapped in module start-up.
struct Shared {
    slots: SharedSlots,
    key: HashKey,
    when_full: WhenFull,
}

static SHARED: RwLock<Option<Shared>> = RwLock::new(None);

/// `mcp_guard.rate_limit_test_clock`, as read at module start-up (so a
/// per-pool value cannot turn it on); kept apart from the table so the Redis
/// backend has the same answer when the table could not be mapped.
static TEST_CLOCK: AtomicBool = AtomicBool::new(false);

fn startup_settings() -> (usize, WhenFull, bool) {
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
    let (slots, when_full, test_clock) = startup_settings();
    TEST_CLOCK.store(test_clock, Ordering::Relaxed);
    let made = SharedSlots::map(slots).and_then(|slots| {
        let key = HashKey::generate(&rng())?;
        Ok(Shared {
            slots,
            key,
            when_full,
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

thread_local! {
    /// The namespace settings as last read, with the generation they were
    /// read at (see [`settings::namespace_generation`]).
    static NAMESPACE: RefCell<Option<(u64, Result<Namespace, RateLimitError>)>> =
        const { RefCell::new(None) };
}

/// This request's namespace, from the engine's INI table (never through a
/// PHP function, which the host may have disabled): per pool through
/// `php_admin_value`, or per request through FastCGI `PHP_ADMIN_VALUE`. A
/// value that is missing or not allowed is refused, never replaced by the
/// default namespace. Read again only after the engine changed a setting.
fn namespace_setting() -> Result<Namespace, RateLimitError> {
    let generation = settings::namespace_generation();
    if let Some(known) = NAMESPACE.with(|c| match c.borrow().as_ref() {
        Some((at, ns)) if *at == generation => Some(ns.clone()),
        _ => None,
    }) {
        return known;
    }
    let ns = read_namespace_setting();
    NAMESPACE.with(|c| *c.borrow_mut() = Some((generation, ns.clone())));
    ns
}

fn read_namespace_setting() -> Result<Namespace, RateLimitError> {
    let values = ExecutorGlobals::get().ini_values();
    let get = |name: &str| values.get(name).cloned().flatten();
    match (
        get(settings::RATE_LIMIT_NAMESPACE),
        get(settings::RATE_LIMIT_NAMESPACE_SLOTS),
    ) {
        (Some(name), Some(slots)) => Namespace::parse(name.as_bytes(), slots.as_bytes()),
        _ => Err(RateLimitError::InvalidNamespace),
    }
}

thread_local! {
    /// The namespace last opened, with its id and region: regions never move
    /// while the mapping lives, so this saves the directory walk (and the
    /// hash of the name) on every hit. Keyed by the mapping's address too, in
    /// case the module was restarted.
    static REGION: RefCell<Option<(usize, Namespace, NamespaceId, Region)>> =
        const { RefCell::new(None) };
}

/// Runs `body` on namespace `ns`'s share of the shared table.
fn with_space<T>(
    ns: &Namespace,
    body: impl FnOnce(&Shared, &Space<'_>) -> Result<T, RateLimitError>,
) -> Result<T, RateLimitError> {
    let guard = SHARED.read().unwrap_or_else(|e| e.into_inner());
    let shared = guard.as_ref().ok_or(RateLimitError::TableUnavailable)?;
    let (directory, slots) = (shared.slots.directory(), shared.slots.slots());
    let mapping = directory.as_ptr() as usize;
    let cached = REGION.with(|c| match c.borrow().as_ref() {
        Some((at, known, id, region)) if *at == mapping && known == ns => Some((*id, *region)),
        _ => None,
    });
    let (id, region) = match cached {
        Some(found) => found,
        None => {
            let id = shared.key.namespace_id(ns.name());
            let region = Directory::new(directory, slots.len()).region(id, ns.slots())?;
            REGION.with(|c| *c.borrow_mut() = Some((mapping, ns.clone(), id, region)));
            (id, region)
        }
    };
    let space = Space::new(slots, id, region, DEFAULT_PROBES, shared.when_full)?;
    body(shared, &space)
}

/// One hit of cost 1 on the shared table, for the guard (`guard.rs`): this
/// request's namespace, the system clock (or `now` under the test clock).
pub(crate) fn shared_hit(
    name: &str,
    rate: &Rate,
    key: &[u8],
    now: Option<i64>,
) -> Result<Decision, RateLimitError> {
    let now = clock(now)?;
    let ns = namespace_setting()?;
    with_space(&ns, |shared, space| {
        warn_if_per_process_fpm(shared);
        space.hit(&shared.key, name, rate, key, now, 1)
    })
}

/// The clock of one call: the system's, or the caller's `$now` when the test
/// clock is enabled.
fn clock(now: Option<i64>) -> Result<u64, RateLimitError> {
    match now {
        None => Ok(now_us()),
        Some(_) if !TEST_CLOCK.load(Ordering::Relaxed) => Err(RateLimitError::TestClockDisabled),
        Some(n) => u64::try_from(n)
            .ok()
            .filter(|n| (1..=MAX_NOW_MICROS).contains(n))
            .ok_or(RateLimitError::InvalidTime),
    }
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

/// Table facts for `php --ri` and `RateLimiter::tableInfo()`: the table's
/// size, and the usage of this request's namespace only (a co-tenant's
/// activity is not shown).
pub struct Info {
    pub slots: usize,
    pub namespace: String,
    pub usage: SpaceUsage,
    pub window: usize,
    pub shared: bool,
    pub creator_pid: u32,
    pub when_full: WhenFull,
    pub test_clock: bool,
}

pub fn info(now: u64) -> Result<Info, RateLimitError> {
    let ns = namespace_setting()?;
    with_space(&ns, |shared, space| {
        Ok(Info {
            slots: shared.slots.slots().len(),
            namespace: ns.name().to_owned(),
            usage: space.usage(now),
            window: space.window(),
            shared: shared.slots.inherited(),
            creator_pid: shared.slots.creator_pid(),
            when_full: shared.when_full,
            test_clock: TEST_CLOCK.load(Ordering::Relaxed),
        })
    })
}

fn int(v: u64) -> i64 {
    i64::try_from(v).unwrap_or(i64::MAX)
}

fn usage_array(u: &Usage) -> PhpResult<ZBox<ZendHashTable>> {
    let mut out = ZendHashTable::new();
    out.insert("slots", int(u.slots as u64))?;
    out.insert("occupied", int(u.occupied as u64))?;
    out.insert("live", int(u.live as u64))?;
    Ok(out)
}

/// A GCRA rate limiter whose state lives in the server's shared table, so all
/// PHP-FPM workers share exact limits.
///
/// Policies are named; without an argument the defaults apply: `catalogue`
/// 600 / 60 s, `write` 30 / 60 s, `anonymous` 60 / 60 s. The limiter uses the
/// namespace its INI settings name when it is built
/// (`mcp_guard.rate_limit_namespace`, `…_namespace_slots`).
#[php_class]
#[php(name = "McpGuard\\RateLimiter")]
#[php(flags = ClassFlags::Final)]
pub struct RateLimiter {
    rates: Rates,
    /// This limiter's namespace, or why its settings are refused (thrown by
    /// `hit()`, so a limiter for Redis alone does not depend on them).
    namespace: Result<Namespace, RateLimitError>,
}

impl RateLimiter {
    fn rate<'p>(&self, policy: &'p [u8]) -> Result<(&'p str, Rate), RateLimitError> {
        let name = std::str::from_utf8(policy).map_err(|_| RateLimitError::UnknownPolicy)?;
        Ok((name, *self.rates.get(name)?))
    }
}

fn cost_of(cost: i64) -> Result<u64, RateLimitError> {
    u64::try_from(cost).map_err(|_| RateLimitError::InvalidCost)
}

fn result(name: &str, rate: &Rate, decision: Decision) -> RateLimitResult {
    RateLimitResult {
        policy: name.to_owned(),
        period_secs: rate.period_us() / MICROS_PER_SEC,
        decision,
    }
}

#[php_impl]
impl RateLimiter {
    /// @param array<string, array{limit: int, period: int}>|null $policies
    ///   name (`[a-z0-9_.-]{1,64}`) → limit per period (seconds); null = defaults.
    pub fn __construct(policies: Option<&ZendHashTable>) -> PhpResult<Self> {
        guarded(|| {
            // Through the one view of PHP values: a key that is not a UTF-8
            // string is an invalid name, never a panic.
            let rates = match policies {
                None => Rates::default(),
                Some(given) => Rates::from_view(given)?,
            };
            Ok(Self {
                rates,
                namespace: namespace_setting(),
            })
        })
    }

    /// Records a hit of `cost` on `key` under `policy`.
    ///
    /// @param string $key any bytes (hashed; size does not matter), e.g. from
    ///   `RateLimiter::tokenKey()`. Keys starting `token:` or `user:` live in
    ///   the principal share of the namespace, every other key in the
    ///   anonymous share.
    /// @param int|null $now Unix time in microseconds: only accepted when the
    ///   INI setting mcp_guard.rate_limit_test_clock=1 (tests); null = the clock.
    /// @throws \McpGuard\Exception\InvalidArgumentException unknown policy, cost out of range.
    /// @throws \McpGuard\Exception\ConfigurationException no table, $now without the
    ///   test clock, an invalid namespace setting, or no room for the namespace.
    #[php(defaults(cost = 1))]
    pub fn hit(
        &self,
        key: BinarySlice<u8>,
        policy: BinarySlice<u8>,
        cost: i64,
        now: Option<i64>,
    ) -> PhpResult<RateLimitResult> {
        guarded(|| {
            let (name, rate) = self.rate(&policy)?;
            let cost = cost_of(cost)?;
            let now = clock(now)?;
            let ns = self.namespace.as_ref().map_err(|e| *e)?;
            let decision = with_space(ns, |shared, space| {
                warn_if_per_process_fpm(shared);
                space.hit(&shared.key, name, &rate, &key, now, cost)
            })?;
            Ok(result(name, &rate, decision))
        })
    }

    /// The configured policies: name → ['limit' => int, 'period' => int].
    pub fn policies(&self) -> PhpResult<ZBox<ZendHashTable>> {
        let mut out = ZendHashTable::new();
        for (name, p) in self.rates.iter() {
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

    /// `token:<publicId>`. Only for a token that was verified: principal
    /// keys have their own share of the table.
    pub fn token_key(publicId: BinarySlice<u8>) -> PhpResult<String> {
        guarded(|| Ok(ratelimit::principal_key("token", &publicId)?))
    }

    /// `user:<id>`. Only for an authenticated user: principal keys have
    /// their own share of the table.
    pub fn user_key(id: BinarySlice<u8>) -> PhpResult<String> {
        guarded(|| Ok(ratelimit::principal_key("user", &id)?))
    }

    /// Facts about the shared table and this request's namespace: slots (of
    /// the table), namespace (`""`: the default one), namespaceSlots,
    /// occupied and live (of the namespace), principal and anonymous
    /// (['slots', 'occupied', 'live'] of each share), shared (true in a
    /// process forked from the one that mapped it, e.g. a PHP-FPM worker),
    /// creatorPid, pid, whenFull, window (most slots one key may use),
    /// testClock.
    ///
    /// @param int|null $now Unix microseconds at which `live` is counted: only
    ///   with mcp_guard.rate_limit_test_clock=1, as for `hit()`; null = the clock.
    /// @throws \McpGuard\Exception\ConfigurationException no table, $now without
    ///   the test clock, or an invalid namespace setting.
    pub fn table_info(now: Option<i64>) -> PhpResult<ZBox<ZendHashTable>> {
        guarded(|| {
            let i = info(clock(now)?)?;
            let total = i.usage.total();
            let mut out = ZendHashTable::new();
            out.insert("slots", int(i.slots as u64))?;
            out.insert("namespace", i.namespace.as_str())?;
            out.insert("namespaceSlots", int(i.usage.region.len as u64))?;
            out.insert("occupied", int(total.occupied as u64))?;
            out.insert("live", int(total.live as u64))?;
            out.insert("principal", usage_array(&i.usage.principal)?)?;
            out.insert("anonymous", usage_array(&i.usage.anonymous)?)?;
            out.insert("shared", i.shared)?;
            out.insert("creatorPid", i64::from(i.creator_pid))?;
            out.insert("pid", i64::from(std::process::id()))?;
            out.insert("whenFull", i.when_full.as_str())?;
            out.insert("window", int(i.window as u64))?;
            out.insert("testClock", i.test_clock)?;
            Ok(out)
        })
    }

    /// For a store outside the shared table (Redis): the Lua script that
    /// reads and conditionally stores a key's state atomically. The decision
    /// itself is made by `scriptResult()`.
    pub fn script() -> &'static str {
        script::SCRIPT
    }

    /// For a store outside the shared table: checks one hit like `hit()`
    /// (policy, cost, test clock) and gives the script's `KEYS[1]` suffix (put
    /// your prefix before it: `<policy>:<64 hex>`, bounded whatever the key's
    /// size) and `ARGV[1..4]`, as strings, in that order.
    ///
    /// @return list<string> [key suffix, now or '' (the store's clock),
    ///   emission interval µs, tolerance µs, cost]
    /// @throws \McpGuard\Exception\InvalidArgumentException unknown policy, cost out of range.
    /// @throws \McpGuard\Exception\ConfigurationException $now without the test clock.
    #[php(defaults(cost = 1))]
    pub fn script_arguments(
        &self,
        key: BinarySlice<u8>,
        policy: BinarySlice<u8>,
        cost: i64,
        now: Option<i64>,
    ) -> PhpResult<Vec<String>> {
        guarded(|| {
            let (name, rate) = self.rate(&policy)?;
            let cost = cost_of(cost)?;
            let now = now.map(|n| clock(Some(n))).transpose()?;
            let [clock_arg, emission, tolerance, cost] = script::arguments(&rate, cost, now)?;
            Ok(vec![
                script::store_key(name, &key),
                clock_arg,
                emission,
                tolerance,
                cost,
            ])
        })
    }

    /// For a store outside the shared table: the decision on one hit of
    /// `cost` under `policy`, from the script's reply exactly as the store
    /// returned it (`false` when the call failed).
    ///
    /// @throws \McpGuard\Exception\GuardException reason rate_limit_backend_failed:
    ///   the call failed, or the reply is not the step the extension computes
    ///   (fail closed: do not serve the request).
    pub fn script_result(
        &self,
        policy: BinarySlice<u8>,
        cost: i64,
        reply: &Zval,
    ) -> PhpResult<RateLimitResult> {
        guarded(|| {
            let (name, rate) = self.rate(&policy)?;
            let cost = cost_of(cost)?;
            let decision = script::decide(&rate, cost, Reply::from_view(reply)?)?;
            Ok(result(name, &rate, decision))
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
        for (name, value) in headers::rate_limit(&self.policy, self.period_secs, &self.decision) {
            out.insert(name, value)?;
        }
        Ok(out)
    }
}
