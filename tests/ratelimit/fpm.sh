#!/usr/bin/env bash
# Exactness across processes. Starts php-fpm (pm = static, 8 workers, a unix
# socket in a temp dir) with the freshly built module loaded in the master, so
# every worker inherits one shared table, and the test clock enabled. Then:
#   1. rounds of N >> burst concurrent requests on a fresh key at a frozen
#      clock: exactly `burst` allowed, every round, served by several workers;
#   2. advancing the clock by one emission interval allows exactly one more;
#   3. a worker SIGKILLed during a burst: the key keeps working and the count
#      stays exact;
#   4. php-fpm with the module loaded per pool (php_admin_value[extension])
#      reports a per-process table (shared = false);
#   5. php -S with PHP_CLI_SERVER_WORKERS=4: exactly `burst` allowed too.
# Everything it starts is stopped on exit.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
PHP="${PHP:-/usr/bin/php8.2}"
FPM="${PHP_FPM:-/usr/sbin/php-fpm8.2}"
SO="${MCP_GUARD_SO:-$ROOT/target/release/libmcp_guard.so}"
[ -f "$SO" ] || { echo "no module at $SO: cargo build --release first"; exit 2; }
command -v cgi-fcgi >/dev/null || { echo "cgi-fcgi missing (apt-get install libfcgi-bin)"; exit 1; }
[ -x "$FPM" ] || { echo "php-fpm missing (apt-get install php8.2-fpm)"; exit 1; }
# shellcheck source=free_port.sh
source "$ROOT/tests/ratelimit/free_port.sh"

DIR="$(mktemp -d)"
PIDS=()
cleanup() {
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${PIDS[@]}"; do wait "$p" 2>/dev/null || true; done
  rm -rf "$DIR"
}
trap cleanup EXIT

BURST=10
PERIOD=60
EMISSION=$((PERIOD * 1000000 / BURST)) # µs
NOW=1800000000000000
FAILS=0
check() { # check NAME EXPECTED ACTUAL
  if [ "$2" = "$3" ]; then echo "ok   $1 ($3)"; else echo "FAIL $1: expected $2, got $3"; FAILS=$((FAILS + 1)); fi
}

cat >"$DIR/hit.php" <<PHP
<?php
parse_str(\$_SERVER['QUERY_STRING'] ?? '', \$q);
if ((\$q['op'] ?? '') === 'info') { echo json_encode(McpGuard\RateLimiter::tableInfo()); return; }
if (isset(\$q['sleep'])) { usleep((int) \$q['sleep']); }
\$rl = new McpGuard\RateLimiter(['burst' => ['limit' => $BURST, 'period' => $PERIOD]]);
\$r = \$rl->hit((string) \$q['key'], 'burst', 1, (int) \$q['now']);
echo \$r->allowed() ? 'ALLOWED' : 'REFUSED', ' ', getmypid(), "\n";
PHP

fpm_conf() { # fpm_conf NAME EXTRA_POOL_LINES
  local user=""
  if [ "$(id -u)" = 0 ]; then user=$'user = root\ngroup = root'; fi
  cat >"$DIR/$1.conf" <<CONF
[global]
error_log = $DIR/$1.log
pid = $DIR/$1.pid
daemonize = no
[pool]
$user
listen = $DIR/$1.sock
pm = static
pm.max_children = 8
clear_env = no
catch_workers_output = yes
$2
CONF
}

start_fpm() { # start_fpm NAME [php -d args...]
  local name="$1"; shift
  local asroot=()
  if [ "$(id -u)" = 0 ]; then asroot=(-R); fi
  "$FPM" -n -y "$DIR/$name.conf" -F "${asroot[@]}" "$@" &
  PIDS+=($!)
  for _ in $(seq 1 100); do [ -S "$DIR/$name.sock" ] && return 0; sleep 0.05; done
  cat "$DIR/$name.log"; return 1
}

# One FastCGI request: req SOCKET QUERY
req() {
  SCRIPT_FILENAME="$DIR/hit.php" SCRIPT_NAME=/hit.php REQUEST_METHOD=GET QUERY_STRING="$2" \
    cgi-fcgi -bind -connect "$1" 2>/dev/null | tr -d '\r' | grep -E '^(ALLOWED|REFUSED|\{)' || echo ERROR
}
export -f req
export DIR

# burst SOCKET KEY NOW N [SLEEP_US]: N parallel requests, prints the responses.
burst() {
  seq 1 "$4" | xargs -P 48 -I{} bash -c "req '$1' 'key=$2&now=$3&sleep=${5:-0}'"
}

fpm_conf shared ""
start_fpm shared -d "extension=$SO" -d mcp_guard.rate_limit_test_clock=1
SOCK="$DIR/shared.sock"

info="$(req "$SOCK" op=info)"
check "the table is shared by the workers (inherited from the master)" true "$(echo "$info" | "$PHP" -n -r 'echo json_decode(stream_get_contents(STDIN), true)["shared"] ? "true" : "false";')"

# 1. Exactness at a frozen clock, several rounds.
for round in 1 2 3 4 5; do
  key="round$round-$RANDOM"
  out="$(burst "$SOCK" "$key" "$NOW" 200 2000)"
  check "round $round: 200 concurrent hits, burst $BURST" "$BURST" "$(grep -c '^ALLOWED' <<<"$out" || true)"
  workers="$(awk '{print $2}' <<<"$out" | sort -u | wc -l)"
  if [ "$workers" -lt 2 ]; then echo "FAIL round $round: served by only $workers worker"; FAILS=$((FAILS + 1)); fi
done

# 2. One emission interval later: exactly one more.
key="refill-$RANDOM"
burst "$SOCK" "$key" "$NOW" 100 >/dev/null
check "frozen clock: nothing more" 0 "$(burst "$SOCK" "$key" "$NOW" 50 | grep -c '^ALLOWED' || true)"
check "one emission interval minus 1 µs: nothing" 0 "$(burst "$SOCK" "$key" $((NOW + EMISSION - 1)) 50 | grep -c '^ALLOWED' || true)"
check "one emission interval later: exactly one" 1 "$(burst "$SOCK" "$key" $((NOW + EMISSION)) 50 | grep -c '^ALLOWED' || true)"

# 3. SIGKILL a worker in the middle of a burst (requests sleep 30 ms before
#    their hit, so workers are busy when the kill lands).
key="kill-$RANDOM"
MASTER="$(cat "$DIR/shared.pid")"
burst "$SOCK" "$key" "$NOW" 200 30000 >"$DIR/kill.out" &
BURST_PID=$!
sleep 0.2
VICTIM="$(pgrep -P "$MASTER" | head -n 1)"
kill -9 "$VICTIM"
wait "$BURST_PID" || true
allowed="$(grep -c '^ALLOWED' "$DIR/kill.out" || true)"
errors="$(grep -c '^ERROR' "$DIR/kill.out" || true)"
echo "     killed worker $VICTIM: $allowed allowed, $errors requests lost with it"
if [ "$allowed" -gt "$BURST" ] || [ $((allowed + errors)) -lt "$BURST" ]; then
  echo "FAIL kill: $allowed allowed, $errors lost (burst $BURST)"; FAILS=$((FAILS + 1))
else
  echo "ok   kill: never more than the burst, and only the killed requests unaccounted"
fi
check "after the kill: the key is spent, nothing more at the same clock" 0 "$(burst "$SOCK" "$key" "$NOW" 50 | grep -c '^ALLOWED' || true)"
check "after the kill: one interval later, exactly one" 1 "$(burst "$SOCK" "$key" $((NOW + EMISSION)) 50 | grep -c '^ALLOWED' || true)"
check "after the kill: a fresh key gets exactly its burst" "$BURST" "$(burst "$SOCK" "fresh-$RANDOM" "$NOW" 100 | grep -c '^ALLOWED' || true)"

# 4. Loaded per pool: each worker has its own table, and says so.
fpm_conf perpool "php_admin_value[extension] = $SO"
start_fpm perpool -d mcp_guard.rate_limit_test_clock=1
info="$(req "$DIR/perpool.sock" op=info)"
check "per-pool loading is reported as per process" false "$(echo "$info" | "$PHP" -n -r 'echo json_decode(stream_get_contents(STDIN), true)["shared"] ? "true" : "false";')"
raw="$(SCRIPT_FILENAME="$DIR/hit.php" SCRIPT_NAME=/hit.php REQUEST_METHOD=GET QUERY_STRING="key=perpool&now=$NOW" \
  cgi-fcgi -bind -connect "$DIR/perpool.sock" 2>&1; sleep 0.2; cat "$DIR/perpool.log")"
check "per-pool loading warns (E_WARNING)" 1 "$(grep -c 'own rate-limit table' <<<"$raw" | awk '{print ($1 > 0) ? 1 : 0}')"
check "the shared server logs no such warning" 0 "$(grep -c 'own rate-limit table' "$DIR/shared.log" || true)"

# 5. php -S with 4 workers.
PORT="$(free_port)"
PHP_CLI_SERVER_WORKERS=4 "$PHP" -n -d "extension=$SO" -d mcp_guard.rate_limit_test_clock=1 \
  -S "127.0.0.1:$PORT" -t "$DIR" >"$DIR/cli-server.log" 2>&1 &
PIDS+=($!)
for _ in $(seq 1 100); do curl -s "http://127.0.0.1:$PORT/hit.php?op=info" >/dev/null 2>&1 && break; sleep 0.05; done
key="cli-$RANDOM"
out="$(seq 1 100 | xargs -P 32 -I{} curl -s "http://127.0.0.1:$PORT/hit.php?key=$key&now=$NOW&sleep=2000")"
check "php -S (4 workers): 100 concurrent hits, burst $BURST" "$BURST" "$(grep -c '^ALLOWED' <<<"$out" || true)"
check "php -S: served by several workers" true "$([ "$(awk '{print $2}' <<<"$out" | sort -u | wc -l)" -ge 2 ] && echo true || echo false)"

echo
if [ "$FAILS" -gt 0 ]; then echo "rate limit across processes: $FAILS failed"; exit 1; fi
echo "rate limit across processes: all checks passed"
