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
#   5. php -S with PHP_CLI_SERVER_WORKERS=4: exactly `burst` allowed too;
#   6. co-tenants: one master, pools with their own namespaces
#      (php_admin_value[mcp_guard.rate_limit_namespace], …_namespace_slots):
#      one pool cannot spend another's ip:/user:/token: keys, filling one
#      pool's region gives no other pool table_full, tableInfo() shows a pool
#      only its own usage, a pool without a namespace cannot take a table
#      that is already shared out, and FastCGI PHP_ADMIN_VALUE sets the
#      namespace per request (and, as php-fpm does with every such value,
#      keeps it in that worker for its next requests).
# Everything it starts runs in its own process group and is stopped, with all
# of its children (php -S and php-fpm workers), when the script ends: also on
# a failure or when it is interrupted (tests/lib/servers.sh).
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
# shellcheck source=../lib/servers.sh
source "$ROOT/tests/lib/servers.sh"

DIR="$(mktemp -d)"
cleanup() { rm -rf "$DIR"; }
servers_trap cleanup

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

POOL_USER=""
if [ "$(id -u)" = 0 ]; then POOL_USER=$'user = root\ngroup = root'; fi

# pool_conf NAME SOCKET EXTRA_LINES: one [NAME] pool section.
pool_conf() {
  cat <<CONF
[$1]
$POOL_USER
listen = $2
pm = static
pm.max_children = ${WORKERS:-8}
clear_env = no
catch_workers_output = yes
$3
CONF
}

fpm_conf() { # fpm_conf NAME EXTRA_POOL_LINES
  cat >"$DIR/$1.conf" <<CONF
[global]
error_log = $DIR/$1.log
pid = $DIR/$1.pid
daemonize = no
$(pool_conf pool "$DIR/$1.sock" "$2")
CONF
}

start_fpm() { # start_fpm NAME [php -d args...]
  local name="$1"; shift
  local asroot=()
  if [ "$(id -u)" = 0 ]; then asroot=(-R); fi
  start_server "$FPM" -n -y "$DIR/$name.conf" -F "${asroot[@]}" "$@"
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
start_server env PHP_CLI_SERVER_WORKERS=4 "$PHP" -n -d "extension=$SO" -d mcp_guard.rate_limit_test_clock=1 \
  -S "127.0.0.1:$PORT" -t "$DIR" >"$DIR/cli-server.log" 2>&1
CLI_SERVER=$SERVER_PID
for _ in $(seq 1 100); do curl -s "http://127.0.0.1:$PORT/hit.php?op=info" >/dev/null 2>&1 && break; sleep 0.05; done
key="cli-$RANDOM"
out="$(seq 1 100 | xargs -P 32 -I{} curl -s "http://127.0.0.1:$PORT/hit.php?key=$key&now=$NOW&sleep=2000")"
check "php -S (4 workers): 100 concurrent hits, burst $BURST" "$BURST" "$(grep -c '^ALLOWED' <<<"$out" || true)"
check "php -S: served by several workers" true "$([ "$(awk '{print $2}' <<<"$out" | sort -u | wc -l)" -ge 2 ] && echo true || echo false)"
# Stopping it stops its workers too (a SIGTERM to the php -S master alone
# leaves the PHP_CLI_SERVER_WORKERS running, re-parented to init).
stop_server "$CLI_SERVER"
check "php -S stopped with all of its workers" 0 "$(pgrep -f -c -- "-S 127.0.0.1:$PORT" || true)"

# 6. Co-tenants: one master, a table of 4096 slots, pools with namespaces.
WORKERS=2
cat >"$DIR/tenant.php" <<'PHP'
<?php
parse_str($_SERVER['QUERY_STRING'] ?? '', $q);
$now = 1800000000000000;
try {
    $rl = new McpGuard\RateLimiter(['burst' => ['limit' => 10, 'period' => 60]]);
    switch ($q['op'] ?? '') {
        case 'info': // this pool's view of the table
            $i = McpGuard\RateLimiter::tableInfo($now);
            echo "INFO {$i['namespace']} {$i['namespaceSlots']} {$i['occupied']} {$i['principal']['occupied']} {$i['anonymous']['occupied']}\n";
            break;
        case 'spend': // hits on one key until refused: how many were allowed
            $n = 0;
            for ($k = 0; $k < 100 && $rl->hit($q['key'], 'burst', 1, $now)->allowed(); $k++) { $n++; }
            echo "SPENT $n\n";
            break;
        case 'fill': // one hit on each of N fresh keys: allowed and table_full counts
            $ok = 0; $full = 0;
            for ($k = 0; $k < (int) $q['n']; $k++) {
                $r = $rl->hit($q['prefix'] . $k, 'burst', 1, $now);
                $ok += (int) $r->allowed(); $full += (int) ($r->reason() === 'table_full');
            }
            echo "FILL $ok $full\n";
            break;
    }
} catch (McpGuard\Exception\GuardException $e) {
    echo 'THROWN ', get_class($e), ' ', $e->reason(), "\n";
}
PHP
ns_lines() { # ns_lines NAME SLOTS
  printf 'php_admin_value[mcp_guard.rate_limit_namespace] = %s\nphp_admin_value[mcp_guard.rate_limit_namespace_slots] = %s\n' "$1" "$2"
}
cat >"$DIR/tenants.conf" <<CONF
[global]
error_log = $DIR/tenants.log
pid = $DIR/tenants.pid
daemonize = no
$(pool_conf site-a "$DIR/site-a.sock" "$(ns_lines site-a 256)")
$(pool_conf site-b "$DIR/site-b.sock" "$(ns_lines site-b 256)")
$(WORKERS=1 pool_conf plain "$DIR/plain.sock" "")
CONF
asroot=()
if [ "$(id -u)" = 0 ]; then asroot=(-R); fi
start_server "$FPM" -n -y "$DIR/tenants.conf" -F "${asroot[@]}" -d "extension=$SO" \
  -d mcp_guard.rate_limit_test_clock=1 -d mcp_guard.rate_limit_slots=4096
for _ in $(seq 1 100); do [ -S "$DIR/plain.sock" ] && break; sleep 0.05; done
# tenant POOL QUERY [ENV=VALUE...]: one request to a pool's tenant.php.
tenant() {
  local pool="$1" query="$2"; shift 2
  env "$@" SCRIPT_FILENAME="$DIR/tenant.php" SCRIPT_NAME=/tenant.php REQUEST_METHOD=GET QUERY_STRING="$query" \
    cgi-fcgi -bind -connect "$DIR/$pool.sock" 2>/dev/null | tr -d '\r' | grep -E '^(INFO|SPENT|FILL|THROWN)' || echo ERROR
}
check "site-a has its own namespace and region" "INFO site-a 256 0 0 0" "$(tenant site-a op=info)"
check "site-b has its own namespace and region" "INFO site-b 256 0 0 0" "$(tenant site-b op=info)"
for key in ip:192.0.2.1 user:42 token:abc; do
  check "site-a spends $key" "SPENT 10" "$(tenant site-a "op=spend&key=$key")"
  check "site-a: $key is spent" "SPENT 0" "$(tenant site-a "op=spend&key=$key")"
  check "site-b: its own $key is untouched by site-a" "SPENT 10" "$(tenant site-b "op=spend&key=$key")"
done
before_b="$(tenant site-b op=info)"
# site-a fills both shares of its region (128 slots each, where a key may use every slot) and then some.
check "site-a: a flood of anonymous keys fills its anonymous share only" "FILL 127 1873" "$(tenant site-a "op=fill&prefix=ip:flood-&n=2000")"
check "site-a: a flood of token keys fills its principal share" "FILL 126 1874" "$(tenant site-a "op=fill&prefix=token:flood-&n=2000")"
check "site-a: its region is full" "INFO site-a 256 256 128 128" "$(tenant site-a op=info)"
check "site-b: its usage is untouched by site-a's floods" "$before_b" "$(tenant site-b op=info)"
check "site-b: no table_full for 120 new anonymous keys" "FILL 120 0" "$(tenant site-b "op=fill&prefix=ip:new-&n=120")"
check "site-b: no table_full for 120 new principal keys" "FILL 120 0" "$(tenant site-b "op=fill&prefix=user:new-&n=120")"
check "a pool without a namespace cannot take a table already shared out" \
  "THROWN McpGuard\Exception\ConfigurationException rate_limit_namespace_unavailable" "$(tenant plain op=info)"
check "FastCGI PHP_ADMIN_VALUE sets the namespace per request" "SPENT 0" \
  "$(tenant plain "op=spend&key=user:42" PHP_ADMIN_VALUE=$'mcp_guard.rate_limit_namespace=site-b\nmcp_guard.rate_limit_namespace_slots=256')"
# A fact to document, not a wish: php-fpm keeps a FastCGI PHP_ADMIN_VALUE in
# the worker after the request, so the next request without it still runs in
# that namespace. A web server that sets the namespace per site must send it
# with every request of every site of the pool.
check "php-fpm keeps a FastCGI PHP_ADMIN_VALUE for the worker's next request" \
  "INFO site-b 256 243 122 121" "$(tenant plain op=info)"

echo
if [ "$FAILS" -gt 0 ]; then echo "rate limit across processes: $FAILS failed"; exit 1; fi
echo "rate limit across processes: all checks passed"
