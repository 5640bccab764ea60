#!/usr/bin/env bash
# Atomic redemption across processes. php-fpm (pm = static, 4 workers) serves
# tests/oauth/race.php. Every round's parties are concurrent FastCGI requests
# that wait at a file barrier until the driver has seen all of them arrive,
# each inside its own worker, and are then released at once. Checked every
# round, on SQLite (WAL, busy_timeout 5000 ms) and on a private MariaDB:
#   1. one code consumed by 2 workers: exactly 1 ok and 1 replayed;
#   2. one code consumed by 4 workers: exactly 1 ok and 3 replayed;
#   3. one refresh token rotated by 2 workers, no grace: 1 rotated, 1 reused;
#   4. the benign race, 3 workers, grace 30 s, at most 2 successors: exactly
#      2 rotated and 1 concurrent, and both successors are live children;
#   5. the control: a read-then-write redemption (read, 5 ms of work, write)
#      under the same barrier must give two successes in some round, or the
#      harness is not racing and the checks above would prove nothing.
# DEBUG=1 prints every round.
#
#   tests/oauth/concurrency.sh          SQLite, then MariaDB (tests/db/mariadb.sh)
#   tests/oauth/concurrency.sh sqlite   one backend (mysql needs MCP_GUARD_TEST_DSN)
#   ROUNDS=50 (default): rounds of races 1 and 3; races 2 and 4 run ROUNDS/5 and ROUNDS/2.
# Everything it starts is stopped on exit.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
PHP="${PHP:-/usr/bin/php8.2}"
FPM="${PHP_FPM:-/usr/sbin/php-fpm8.2}"
SO="${MCP_GUARD_SO:-$ROOT/target/release/libmcp_guard.so}"
ROUNDS="${ROUNDS:-50}"
[ -f "$SO" ] || { echo "no module at $SO: cargo build --release first"; exit 2; }
command -v cgi-fcgi >/dev/null || { echo "cgi-fcgi missing (apt-get install libfcgi-bin)"; exit 1; }
[ -x "$FPM" ] || { echo "php-fpm missing (apt-get install php8.2-fpm)"; exit 1; }

if [ "$#" -eq 0 ]; then
  bash "$0" sqlite
  exec bash "$ROOT/tests/db/mariadb.sh" bash "$0" mysql
fi
BACKEND="$1"

DIR="$(mktemp -d)"
FPM_PID=""
cleanup() {
  if [ -n "$FPM_PID" ]; then kill "$FPM_PID" 2>/dev/null || true; wait "$FPM_PID" 2>/dev/null || true; fi
  rm -rf "$DIR"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

case "$BACKEND" in
  sqlite) printf '{"driver":"sqlite","path":"%s/race.sqlite"}' "$DIR" >"$DIR/db.json" ;;
  mysql)
    [ -n "${MCP_GUARD_TEST_DSN:-}" ] || { echo "MCP_GUARD_TEST_DSN is not set (run through tests/db/mariadb.sh)"; exit 2; }
    "$PHP" -n -r 'echo json_encode(["driver" => "mysql", "dsn" => getenv("MCP_GUARD_TEST_DSN"),
      "user" => getenv("MCP_GUARD_TEST_DB_USER"), "password" => getenv("MCP_GUARD_TEST_DB_PASSWORD")]);' >"$DIR/db.json" ;;
  *) echo "backend: sqlite or mysql"; exit 2 ;;
esac
# A copy beside db.json (the workers find both through SCRIPT_FILENAME), told where the glue is.
sed "s|dirname(__DIR__, 2) . '/php/autoload.php'|'$ROOT/php/autoload.php'|" "$ROOT/tests/oauth/race.php" >"$DIR/race.php"

# -n: no distribution ini files; PDO and its drivers are shared modules on Debian.
EXT=(-d extension=pdo -d extension=mysqlnd -d extension=pdo_sqlite -d extension=pdo_mysql -d "extension=$SO")
phpx() { "$PHP" -n "${EXT[@]}" "$DIR/race.php" "$DIR" "$1"; }

user=""; asroot=()
if [ "$(id -u)" = 0 ]; then user=$'user = root\ngroup = root'; asroot=(-R); fi
cat >"$DIR/fpm.conf" <<CONF
[global]
error_log = $DIR/fpm.log
pid = $DIR/fpm.pid
daemonize = no
[pool]
$user
listen = $DIR/fpm.sock
pm = static
pm.max_children = 4
clear_env = no
catch_workers_output = yes
CONF

SEED=$((ROUNDS * 2))
phpx op=setup >/dev/null
phpx "op=seed&rounds=$SEED" >/dev/null
"$FPM" -n -y "$DIR/fpm.conf" -F "${asroot[@]}" "${EXT[@]}" &
FPM_PID=$!
for _ in $(seq 1 100); do [ -S "$DIR/fpm.sock" ] && break; sleep 0.05; done
[ -S "$DIR/fpm.sock" ] || { cat "$DIR/fpm.log"; exit 1; }

req() { # req QUERY: one FastCGI request, its RESULT/CHECK line
  SCRIPT_FILENAME="$DIR/race.php" SCRIPT_NAME=/race.php REQUEST_METHOD=GET QUERY_STRING="$1" \
    cgi-fcgi -bind -connect "$DIR/fpm.sock" 2>/dev/null | tr -d '\r' | grep -E '^(RESULT|CHECK|TIMEOUT|EXCEPTION)' || echo ERROR
}

FAILS=0; TOTAL=0; SKEWS="$DIR/skews"; : >"$SKEWS"
# race OP ROUND PARTIES QUERY: runs one round, prints
#   "status status … | workers=N skew_us=N overlap=0|1"
# (distinct worker pids; spread of the parties' start times; whether two store calls ran at once).
race() {
  local op="$1" round="$2" parties="$3" query="$4" pids=() p b="$DIR/barrier-$1-$2"
  for p in $(seq 1 "$parties"); do
    req "op=$op&round=$round&party=$p&barrier=$b&$query" >"$b.out.$p" &
    pids+=($!)
  done
  for _ in $(seq 1 5000); do
    [ "$(compgen -G "$b.ready.*" | wc -l)" -ge "$parties" ] && break
    sleep 0.002
  done
  "$PHP" -n -r 'printf("%.6f", microtime(true) + 0.05);' >"$b.go"
  for p in "${pids[@]}"; do wait "$p"; done
  # Overlap: the store calls of at least two parties were running at the same instant.
  cat "$b".out.* | awk 'BEGIN { n = 0 }
    /^RESULT/ { s = s $2 " "; pid[$3] = 1; st[n] = $4 + 0; en[n] = $4 + $5; if (n == 0 || st[n] < min) min = st[n]; if (st[n] > max) max = st[n]; n++; next }
    { s = s "ERROR "; print > "/dev/stderr" }
    END { w = 0; for (k in pid) w++; o = 0
          for (i = 0; i < n; i++) for (j = i + 1; j < n; j++) if (st[i] < en[j] && st[j] < en[i]) o = 1
          printf "%s| workers=%d skew_us=%d overlap=%d\n", s, w, (max - min) * 1e6, o }'
}

# expect LABEL OP PARTIES FIRST ROUNDS QUERY WANT: WANT is "status=count …" sorted by status.
expect() {
  local label="$1" op="$2" parties="$3" first="$4" rounds="$5" query="$6" want="$7" ok=0 r line got workers
  for r in $(seq "$first" $((first + rounds - 1))); do
    line="$(race "$op" "$r" "$parties" "$query")"; [ -n "${DEBUG:-}" ] && echo "race: $line"
    sed -E 's/.*skew_us=([0-9]+) overlap=([01]).*/\1 \2/' <<<"$line" >>"$SKEWS"
    got="$(tr ' ' '\n' <<<"${line%%|*}" | grep -v '^$' | sort | uniq -c | awk '{printf "%s%s=%s", (NR > 1 ? " " : ""), $2, $1}')"
    workers="$(sed -E 's/.*workers=([0-9]+).*/\1/' <<<"$line")"
    if [ "$got" = "$want" ] && [ "$workers" = "$parties" ] && { [[ "$query" != *grace=30* ]] \
        || [ "$(req "op=check&round=$r&parties=$(seq -s, 1 "$parties")")" = "CHECK 2 2" ]; }; then
      ok=$((ok + 1))
    else
      echo "FAIL $BACKEND $label, round $r: got '$got' from $workers workers, want '$want' from $parties"
    fi
  done
  TOTAL=$((TOTAL + 1))
  if [ "$ok" -eq "$rounds" ]; then echo "ok   $BACKEND: $label: $ok/$rounds rounds exactly '$want'"; else FAILS=$((FAILS + 1)); fi
}

expect "a code consumed by 2 workers at once" consume 2 1 "$ROUNDS" "" "ok=1 replayed=1"
expect "a code consumed by 4 workers at once" consume 4 $((ROUNDS + 1)) $((ROUNDS / 5)) "" "ok=1 replayed=3"
expect "a refresh token rotated by 2 workers, no grace window" rotate 2 1 "$ROUNDS" "grace=0&max=1" "reused=1 rotated=1"
expect "the benign race: 3 workers, grace 30 s, 2 successors at most" rotate 3 $((ROUNDS + 1)) $((ROUNDS / 2)) "grace=30&max=2" "concurrent=1 rotated=2"

# The control: the same harness must catch a read-then-write redemption (a server that
# reads the row, works 5 ms, then writes), or its races prove nothing.
SKEWS_MAIN="$(cat "$SKEWS")"
doubles=0
for r in $(seq $((ROUNDS + ROUNDS / 5 + 1)) $((ROUNDS + ROUNDS / 5 + ROUNDS / 5))); do
  line="$(race consume "$r" 2 "naive=1")"; [ -n "${DEBUG:-}" ] && echo "control: $line"
  [ "$(grep -o 'ok ' <<<"${line%%|*}" | wc -l)" -ge 2 ] && doubles=$((doubles + 1))
done
echo "     control: a read-then-write redemption under the same barrier gave 2 successes in $doubles of $((ROUNDS / 5)) rounds"
TOTAL=$((TOTAL + 1))
if [ "$doubles" -eq 0 ]; then echo "FAIL the harness did not make the control race: the results above prove nothing"; FAILS=$((FAILS + 1)); fi

echo "$SKEWS_MAIN" | sort -n | awk '{ v[NR] = $1; o += $2 } END { printf "     parties of a round started their store calls within %d us (median), %d us (max); the calls overlapped in time in %d of %d rounds\n", v[int((NR + 1) / 2)], v[NR], o, NR }'
if [ "$FAILS" -gt 0 ]; then echo "$BACKEND: $FAILS of $TOTAL races failed"; exit 1; fi
echo "$BACKEND: $((TOTAL - FAILS)) passed, $FAILS failed"
