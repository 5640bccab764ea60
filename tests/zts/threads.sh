#!/usr/bin/env bash
# mcp_guard under a thread-safe (ZTS) PHP with real threads: tests/zts/threads.c
# (the embed SAPI, one process, THREADS threads serving REQUESTS requests each,
# started together) runs tests/zts/request.php on every request. Checks:
#   - one rate-limit table for the whole process: per key and namespace,
#     exactly `limit` (10) hits are allowed in all, across every thread;
#   - INI values per request: even threads run in namespace "even", odd ones
#     in "odd" (set per request, restored by PHP at its end), and each request
#     sees its own thread's value, never another thread's;
#   - the per-thread caches (compiled guard, policy) give every thread the
#     same decisions (the editor's update allowed, an unknown field and the
#     viewer refused).
#
#   PHP_CONFIG=/path/to/zts/bin/php-config MCP_GUARD_SO=… bash tests/zts/threads.sh
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
PHP_CONFIG="${PHP_CONFIG:?set PHP_CONFIG to the php-config of a thread-safe PHP built with --enable-embed}"
SO="${MCP_GUARD_SO:?set MCP_GUARD_SO to a ZTS build of mcp_guard}"
THREADS="${ZTS_THREADS:-8}"
REQUESTS="${ZTS_REQUESTS:-200}"
LIMIT=10
PREFIX="$("$PHP_CONFIG" --prefix)"
"$PHP_CONFIG" --configure-options | grep -q -- '--enable-zts' || { echo "not a ZTS PHP: $PHP_CONFIG"; exit 2; }
[ -f "$PREFIX/lib/libphp.so" ] || { echo "no embed SAPI at $PREFIX/lib/libphp.so (configure --enable-embed)"; exit 2; }

DIR="$(mktemp -d)"; trap 'rm -rf "$DIR"' EXIT
# shellcheck disable=SC2046 # php-config prints one -I option per directory
gcc -O1 -Wall -Werror -o "$DIR/threads" "$ROOT/tests/zts/threads.c" $("$PHP_CONFIG" --includes) \
  -L"$PREFIX/lib" -Wl,-rpath,"$PREFIX/lib" -lphp -lpthread
cat >"$DIR/php.ini" <<INI
extension=$SO
mcp_guard.rate_limit_test_clock=1
INI
echo "host: $THREADS threads x $REQUESTS requests, $("$PHP_CONFIG" --version) ZTS"
# Only this php.ini: no scan dir, so an installed mcp_guard.ini cannot load the module twice.
PHPRC="$DIR" PHP_INI_SCAN_DIR= "$DIR/threads" "$ROOT/tests/zts/request.php" "$THREADS" "$REQUESTS" >"$DIR/out" 2>"$DIR/err" || {
  echo "the threaded host failed:"; cat "$DIR/err"; exit 1; }
if [ -s "$DIR/err" ]; then echo "stderr is not empty:"; cat "$DIR/err"; exit 1; fi

awk -v threads="$THREADS" -v requests="$REQUESTS" -v limit="$LIMIT" '
  $1 !~ /^request=/ { printf "FAIL unexpected output: %s\n", $0; bad++; next }
  { delete f; for (i = 1; i <= NF; i++) { split($i, kv, "="); f[kv[1]] = kv[2] } }
  { lines++
    want = (f["thread"] % 2 == 0) ? "even" : "odd"
    if (f["ns"] != want) { printf "FAIL thread %s request %s ran in namespace %s, not %s\n", f["thread"], f["request"], f["ns"], want; bad++ }
    if (f["guard"] != "ok") { printf "FAIL thread %s request %s: guard decisions differ\n", f["thread"], f["request"]; bad++ }
    if (f["pid"] != f["shared_pid"]) { printf "FAIL thread %s: the table was not made by this process\n", f["thread"]; bad++ }
    pids[f["pid"]] = 1; seen[f["thread"]] = 1
    allowed[f["ns"] " " f["request"]] += f["allowed"] }
  END {
    if (lines != threads * requests) { printf "FAIL %d result lines, expected %d\n", lines, threads * requests; bad++ }
    n = 0; for (p in pids) n++
    if (n != 1) { printf "FAIL %d processes, expected 1\n", n; bad++ }
    t = 0; for (s in seen) t++
    if (t != threads) { printf "FAIL %d threads answered, expected %d\n", t, threads; bad++ }
    keys = 0; exact = 0
    for (k in allowed) { keys++; if (allowed[k] == limit) exact++; else { printf "FAIL key %s: %d allowed in all, expected %d\n", k, allowed[k], limit; bad++ } }
    printf "%d requests on %d threads of one process; %d of %d keys (namespace x request) allowed exactly %d\n", lines, t, exact, keys, limit
    exit bad > 0 }' "$DIR/out"
echo "ok: one table, per-request namespaces, the same decisions on every thread"
