#!/usr/bin/env bash
# Sets everything up on Debian 12 and runs every test of mcp_guard:
# Rust format/lint/unit/integration tests, the PHP suites through the built
# module, the stub check, a valgrind leak check, the three install paths, the
# demo, and the dependency audit. `.ci/run` calls exactly this.
#
#   MCP_GUARD_SKIP_APT=1     skip apt-get (packages already installed)
#   MCP_GUARD_SKIP_VALGRIND=1  skip the (slow) valgrind step
set -uo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
# shellcheck source=setup.sh
source "$ROOT/scripts/setup.sh"
set +e

install_packages "${MATRIX_PACKAGES[@]}"
check_rust
export MCP_GUARD_SKIP_APT=1 # installed once above; the install/demo steps must not redo it

PASSED=0; FAILED=0; FAILED_STEPS=()
step() {
  local name="$1"; shift
  echo
  echo "=== $name"
  local t0=$SECONDS
  if "$@"; then
    PASSED=$((PASSED + 1)); echo "--- ok: $name ($((SECONDS - t0)) s)"
  else
    FAILED=$((FAILED + 1)); FAILED_STEPS+=("$name"); echo "--- FAILED: $name ($((SECONDS - t0)) s)"
  fi
}
require() { # a step the rest depends on
  step "$@"
  if [ "$FAILED" -gt 0 ]; then echo "steps: $PASSED passed, $FAILED failed"; exit 1; fi
}

require "cargo fmt --check" cargo fmt --all -- --check
require "cargo build --release" cargo build --release --locked
MCP_GUARD_SO="$ROOT/target/release/libmcp_guard.so"; export MCP_GUARD_SO
PHPX=("$PHP" -n -d "extension=$MCP_GUARD_SO")

step "cargo clippy (with PHP bindings)" cargo clippy --release --locked --all-targets -- -D warnings
step "cargo clippy (core only)" cargo clippy --locked --no-default-features --all-targets -- -D warnings
step "cargo test (core: unit, integration, property)" cargo test --locked --no-default-features
step "stubs match the built module" "${PHPX[@]}" tools/stubs.php --check

phpunit_all() {
  scripts/php.sh /usr/bin/phpunit -c tests/php/phpunit.xml "$@"
}
step "PHPUnit (extension + glue, through the built .so)" phpunit_all
step "PHPUnit glue suite against a real MariaDB (private socket)" bash tests/db/mariadb.sh
step "rate limit: Redis backend + agreement with shared memory (real redis-server)" bash tests/ratelimit/redis.sh
step "rate limit: exact across php-fpm workers and php -S workers (SIGKILL included)" bash tests/ratelimit/fpm.sh
step "token settings under php-fpm: per-pool and per-request values, read without ini_get" bash tests/tokens/fpm_ini.sh
step "OAuth: codes and refresh tokens raced by php-fpm workers (SQLite WAL + private MariaDB)" bash tests/oauth/concurrency.sh
step "audit: one chain from 8 processes x 200 appends (SQLite WAL, Monolog JSON lines, private MariaDB)" bash tests/audit/concurrency.sh
step "OAuth: consent page in headless Chromium (Selenium, escaping, CSRF, framing, headers)" bash tests/oauth/browser.sh
step "OAuth: the Python mcp SDK's OAuth client against the endpoints and the guarded MCP endpoint, both SDK modes (discovery, registration, consent, token, tools, refresh)" bash tests/oauth/mcp_sdk.sh
step "MCP: the Python mcp SDK in both of its modes against the endpoint (2026-07-28 discover, 2025-11-25 initialize)" bash tests/mcp/sdk_eras.sh
step "MCP guarded endpoint: the Python mcp SDK with API tokens from bin/mcp-guard, both modes (scopes, 403, confirmation)" bash tests/mcp/sdk_guarded.sh
step "admin CLI: bin/mcp-guard as a process (stdout/stderr/exit codes, SQLite)" bash tests/cli/cli.sh
step "PrestaShop module: stand-ins + private MariaDB (install/upgrade/uninstall SQL, behaviour table over HTTP, Bearer/Basic, Accounts JWTs, own OAuth, back office), php-fpm with REDIRECT_HTTP_AUTHORIZATION, Python mcp SDK via fc=module" bash tests/prestashop/prestashop.sh
step "Statamic adapter: Laravel 8.83 kernel + middleware (behaviour table, order, OAuth, CP page) and the Python mcp SDK through php -S" bash tests/statamic/statamic.sh
step "JWT interop with PyJWT (venv from PyPI, both directions)" bash tests/jwt/interop.sh
step "fuzz smoke (every cargo-fuzz target, ~25 s each)" bash tests/fuzz/smoke.sh

# pcre.jit=0: PCRE's JIT code reads 16 bytes at a time past short subjects,
# which valgrind reports as invalid reads in PHP itself, not in mcp_guard.
# Every suite of phpunit.xml (extension + glue): none needs a service here
# (the Redis and MariaDB tests skip without their env). Processes the tests
# start themselves (PhpProcess, e.g. HostileInputTest) run without valgrind.
# The rate-limit table is mmap'd, which valgrind does not track: its unmapping
# at shutdown is checked by RateLimitShutdownTest (strace) instead.
valgrind_suite() {
  local log; log="$(mktemp)"
  USE_ZEND_ALLOC=0 ZEND_DONT_UNLOAD_MODULES=1 \
  PHP_RUNNER="valgrind --quiet --error-exitcode=99 --suppressions=$ROOT/tests/valgrind/php82.supp --leak-check=full --show-leak-kinds=definite,indirect --errors-for-leak-kinds=definite,indirect --log-file=$log" \
    scripts/php.sh -d pcre.jit=0 /usr/bin/phpunit -c tests/php/phpunit.xml
  local rc=$?
  cat "$log"
  if [ "$rc" -ne 0 ]; then echo "valgrind: errors or definite/indirect leaks (exit $rc)"; fi
  rm -f "$log"
  return "$rc"
}
if [ "${MCP_GUARD_SKIP_VALGRIND:-0}" = 1 ]; then
  echo "(valgrind step skipped: MCP_GUARD_SKIP_VALGRIND=1)"
else
  step "valgrind: every PHP suite, 0 errors, 0 definite/indirect leaks" valgrind_suite
fi

step "install path: scripts/install.sh (php -m and php-fpm -m list mcp_guard)" bash scripts/install.sh
step "install path: phpize && ./configure --enable-mcp_guard && make && make install" bash tests/install/phpize.sh
step "install path: composer.json php-ext block (PIE)" "$PHP" tests/install/pie-metadata.php
step "php --ri mcp_guard shows version, build, the PHP it was built for and every INI setting" bash tests/install/ri.sh
step "matrix: PHP 8.4 NTS (Debian 13 root) and 8.2 ZTS (built from Debian's source): build, PHPUnit, php-fpm limiter, install paths, php --ri; 8 threads on ZTS; wrong-PHP loads refused" bash scripts/matrix.sh 8.4-nts 8.2-zts
step "demo: scripts/demo.sh served and driven by the Python SDK (token, OAuth), the MCP Inspector CLI, a burst, audit:verify" bash tests/demo/demo.sh

audit() {
  local db="$ROOT/../shared/advisory-db"
  if [ ! -d "$db" ]; then
    echo "cargo audit skipped: no advisory database at ../shared/advisory-db (offline machine)"
    return 0
  fi
  if ! cargo audit --version >/dev/null 2>&1; then
    cargo install cargo-audit --locked --quiet || return 1
  fi
  cargo audit --db "$db" --no-fetch --stale
}
step "cargo audit (vendored RustSec snapshot)" audit

echo
if [ "$FAILED" -gt 0 ]; then
  printf 'failed step: %s\n' "${FAILED_STEPS[@]}"
fi
echo "steps: $PASSED passed, $FAILED failed"
[ "$FAILED" -eq 0 ]
