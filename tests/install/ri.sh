#!/usr/bin/env bash
# `php --ri mcp_guard` (installed module) names the version, the build and
# every INI setting, and never prints the pepper itself.
set -euo pipefail
PHP="${PHP:-/usr/bin/php8.2}"
OUT="$("$PHP" -d mcp_guard.token_pepper=ri-test-pepper-0123456789abcdefghijkl --ri mcp_guard)"
echo "$OUT"
fail() { echo "php --ri: $1"; exit 1; }
grep -q "^version => $("$PHP" -r 'echo phpversion("mcp_guard");')$" <<<"$OUT" || fail "no version row"
grep -q "^build => release" <<<"$OUT" || fail "no build row"
# The PHP it was built for: this PHP's release, module API and thread safety.
API="$("$PHP" -i | sed -n 's/^PHP Extension => //p')"
TS="$("$PHP" -r 'echo PHP_ZTS ? "ZTS (thread-safe)" : "NTS (not thread-safe)";')"
REL="$("$PHP" -r 'echo PHP_MAJOR_VERSION, ".", PHP_MINOR_VERSION;')"
grep -qx "built for => PHP $REL (module API $API), $TS" <<<"$OUT" || fail "built-for row is not 'PHP $REL (module API $API), $TS'"
for ini in mcp_guard.token_pepper mcp_guard.max_token_lifetime_days \
  mcp_guard.rate_limit_slots mcp_guard.rate_limit_when_full mcp_guard.rate_limit_test_clock \
  mcp_guard.rate_limit_namespace mcp_guard.rate_limit_namespace_slots; do
  grep -q "^$ini => " <<<"$OUT" || fail "INI $ini not shown"
done
for row in "table size" "namespace" "slots in use" "table sharing" "when full"; do
  grep -q "^$row => " <<<"$OUT" || fail "rate-limit row '$row' not shown"
done
if grep -q "^test clock => ENABLED" <<<"$OUT"; then fail "the test clock is on by default"; fi
if grep -q "ri-test-pepper" <<<"$OUT"; then fail "the pepper is printed"; fi
grep -q "^mcp_guard.token_pepper => set (37 bytes, value hidden)$" <<<"$OUT" || fail "pepper row wrong"
grep -q "^namespace => default: slots 0 to 131071 (65536 principal, 65536 anonymous)$" <<<"$OUT" || fail "namespace row wrong"
