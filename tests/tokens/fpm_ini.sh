#!/usr/bin/env bash
# The token settings under php-fpm, read from the engine and never through
# ini_get (disabled here, as shared hosts do):
#   1. two pools of one master, each with its own
#      php_admin_value[mcp_guard.token_pepper] (and pool B a lifetime cap):
#      each pool's tokens use its own pepper and cap;
#   2. one worker (pm.max_children = 1) serving requests that each carry a
#      different FastCGI PHP_ADMIN_VALUE pepper: every request sees its own
#      (nothing is kept from an earlier request), a short one is refused;
#   3. prints what reading the settings costs per request (first `new Tokens()`
#      of a request, then a second one) — a figure, not a check.
# Everything it starts is stopped on exit.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
PHP="${PHP:-/usr/bin/php8.2}"
FPM="${PHP_FPM:-/usr/sbin/php-fpm8.2}"
SO="${MCP_GUARD_SO:-$ROOT/target/release/libmcp_guard.so}"
[ -f "$SO" ] || { echo "no module at $SO: cargo build --release first"; exit 2; }
command -v cgi-fcgi >/dev/null || { echo "cgi-fcgi missing (apt-get install libfcgi-bin)"; exit 1; }
[ -x "$FPM" ] || { echo "php-fpm missing (apt-get install php8.2-fpm)"; exit 1; }

DIR="$(mktemp -d)"
FPM_PID=""
cleanup() {
  if [ -n "$FPM_PID" ]; then
    kill "$FPM_PID" 2>/dev/null || true
    wait "$FPM_PID" 2>/dev/null || true
  fi
  rm -rf "$DIR"
}
trap cleanup EXIT

FAILS=0
check() { # check NAME EXPECTED ACTUAL
  if [ "$2" = "$3" ]; then echo "ok   $1 ($3)"; else echo "FAIL $1: expected $2, got $3"; FAILS=$((FAILS + 1)); fi
}

PEPPER_A="pool-a-pepper-0123456789abcdefghijklmnopqrstuvwxyz"
PEPPER_B="pool-b-pepper-0123456789abcdefghijklmnopqrstuvwxyz"
PEPPER_C="request-c-pepper-0123456789abcdefghijklmnopqrstuv"
PEPPER_D="request-d-pepper-0123456789abcdefghijklmnopqrstuv"
# The key id mcp_guard writes into peppered hashes, computed independently.
key_id() { "$PHP" -n -r 'echo substr(hash("sha256", "mcp_guard pepper id v1\0" . $argv[1]), 0, 8);' "$1"; }

cat >"$DIR/tokens.php" <<'PHP'
<?php
try {
    $t = new McpGuard\Tokens();
    $hash = $t->issue()->hash();
    $id = str_starts_with($hash, 'hmac-sha256:') ? substr($hash, 12, 8) : 'none';
    echo 'RESULT ', json_encode([function_exists('ini_get'), $id, $t->maxLifetimeSeconds(), getmypid()]), "\n";
} catch (McpGuard\Exception\GuardException $e) {
    echo 'RESULT ', json_encode([function_exists('ini_get'), $e->reason(), null, getmypid()]), "\n";
}
PHP

cat >"$DIR/cost.php" <<'PHP'
<?php
$t0 = hrtime(true);
new McpGuard\Tokens();
$t1 = hrtime(true);
new McpGuard\Tokens();
$t2 = hrtime(true);
echo 'RESULT ', $t1 - $t0, ' ', $t2 - $t1, "\n";
PHP

user=""
if [ "$(id -u)" = 0 ]; then user=$'user = root\ngroup = root'; fi
pool() { # pool NAME EXTRA_LINES
  cat <<CONF
[$1]
$user
listen = $DIR/$1.sock
pm = static
pm.max_children = 1
clear_env = no
catch_workers_output = yes
$2
CONF
}
{
  printf '[global]\nerror_log = %s/fpm.log\npid = %s/fpm.pid\ndaemonize = no\n' "$DIR" "$DIR"
  pool a "php_admin_value[mcp_guard.token_pepper] = $PEPPER_A"
  pool b "php_admin_value[mcp_guard.token_pepper] = $PEPPER_B
php_admin_value[mcp_guard.max_token_lifetime_days] = 1"
  pool plain ""
} >"$DIR/fpm.conf"

asroot=()
if [ "$(id -u)" = 0 ]; then asroot=(-R); fi
"$FPM" -n -y "$DIR/fpm.conf" -F "${asroot[@]}" -d "extension=$SO" -d "disable_functions=ini_get,ini_get_all" &
FPM_PID=$!
for _ in $(seq 1 100); do
  [ -S "$DIR/a.sock" ] && [ -S "$DIR/b.sock" ] && [ -S "$DIR/plain.sock" ] && break
  sleep 0.05
done

# req SOCKET SCRIPT [PHP_ADMIN_VALUE]
req() {
  local env=(SCRIPT_FILENAME="$DIR/$2" SCRIPT_NAME="/$2" REQUEST_METHOD=GET)
  if [ -n "${3:-}" ]; then env+=(PHP_ADMIN_VALUE="$3"); fi
  env "${env[@]}" cgi-fcgi -bind -connect "$1" 2>/dev/null | tr -d '\r' | sed -n 's/^RESULT //p' || true
}
field() { "$PHP" -n -r '$v = json_decode(stream_get_contents(STDIN), true); echo json_encode($v[(int) $argv[1]] ?? "ERROR");' "$1"; }

# 1. Each pool its own pepper and cap, with ini_get disabled.
a="$(req "$DIR/a.sock" tokens.php)"
b="$(req "$DIR/b.sock" tokens.php)"
p="$(req "$DIR/plain.sock" tokens.php)"
check "ini_get is disabled in the workers" false "$(field 0 <<<"$a")"
check "pool A: its php_admin_value pepper" "\"$(key_id "$PEPPER_A")\"" "$(field 1 <<<"$a")"
check "pool A: the default cap (365 days)" $((365 * 86400)) "$(field 2 <<<"$a")"
check "pool B: its own pepper" "\"$(key_id "$PEPPER_B")\"" "$(field 1 <<<"$b")"
check "pool B: its php_admin_value cap (1 day)" 86400 "$(field 2 <<<"$b")"
check "a pool without a pepper: plain sha256 hashes" '"none"' "$(field 1 <<<"$p")"

# 2. One worker, a different FastCGI PHP_ADMIN_VALUE pepper per request.
c="$(req "$DIR/plain.sock" tokens.php "mcp_guard.token_pepper=$PEPPER_C")"
d="$(req "$DIR/plain.sock" tokens.php "mcp_guard.token_pepper=$PEPPER_D")"
w="$(req "$DIR/plain.sock" tokens.php "mcp_guard.token_pepper=short")"
check "request C: its PHP_ADMIN_VALUE pepper" "\"$(key_id "$PEPPER_C")\"" "$(field 1 <<<"$c")"
check "request D, same worker: its own pepper, not C's" "\"$(key_id "$PEPPER_D")\"" "$(field 1 <<<"$d")"
check "request with a short pepper: refused, not ignored" '"weak_pepper"' "$(field 1 <<<"$w")"
check "the three requests were served by one worker" 1 "$(printf '%s\n' "$c" "$d" "$w" | while read -r l; do field 3 <<<"$l"; echo; done | sort -u | wc -l)"

# 3. The cost of reading the settings, per request (ns): median of 200.
costs="$(for _ in $(seq 1 200); do req "$DIR/a.sock" cost.php; done)"
first="$(awk '{print $1}' <<<"$costs" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')"
second="$(awk '{print $2}' <<<"$costs" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')"
echo "     new Tokens() under php-fpm, median of 200 requests: first in a request ${first} ns, second ${second} ns"

echo
if [ "$FAILS" -gt 0 ]; then echo "token settings under php-fpm: $FAILS failed"; exit 1; fi
echo "token settings under php-fpm: all checks passed"
