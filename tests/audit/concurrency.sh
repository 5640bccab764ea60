#!/usr/bin/env bash
# One chain from many processes: WORKERS (8) php processes wait at a file
# barrier, then each appends APPENDS (200) events to the same audit sink.
# Afterwards the chain must verify (under the audit key) with exactly
# WORKERS x APPENDS rows and the head at that seq: no duplicate seq, no fork,
# no lost append. Run on a SQLite file (WAL), a private MariaDB
# (tests/db/mariadb.sh) and a Monolog JSON-lines file with its head file.
#
#   tests/audit/concurrency.sh            sqlite, psr3, then mysql
#   tests/audit/concurrency.sh sqlite     one backend (mysql needs MCP_GUARD_TEST_DSN)
# Everything it starts is stopped on exit.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
PHP="${PHP:-/usr/bin/php8.2}"
SO="${MCP_GUARD_SO:-$ROOT/target/release/libmcp_guard.so}"
WORKERS="${WORKERS:-8}"
APPENDS="${APPENDS:-200}"
[ -f "$SO" ] || { echo "no module at $SO: cargo build --release first"; exit 2; }

if [ "$#" -eq 0 ]; then
  bash "$0" sqlite
  bash "$0" psr3
  exec bash "$ROOT/tests/db/mariadb.sh" bash "$0" mysql
fi
BACKEND="$1"

DIR="$(mktemp -d)"
PIDS=()
cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; done
  rm -rf "$DIR"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

case "$BACKEND" in
  sqlite) printf '{"driver":"sqlite","path":"%s/audit.sqlite"}' "$DIR" >"$DIR/db.json" ;;
  psr3) printf '{"driver":"psr3"}' >"$DIR/db.json" ;;
  mysql)
    [ -n "${MCP_GUARD_TEST_DSN:-}" ] || { echo "MCP_GUARD_TEST_DSN is not set (run through tests/db/mariadb.sh)"; exit 2; }
    "$PHP" -n -r 'echo json_encode(["driver" => "mysql", "dsn" => getenv("MCP_GUARD_TEST_DSN"),
      "user" => getenv("MCP_GUARD_TEST_DB_USER"), "password" => getenv("MCP_GUARD_TEST_DB_PASSWORD")]);' >"$DIR/db.json" ;;
  *) echo "backend: sqlite, psr3 or mysql"; exit 2 ;;
esac

EXT=(-d extension=pdo -d extension=mysqlnd -d extension=pdo_sqlite -d extension=pdo_mysql -d "extension=$SO")
phpx() { "$PHP" -n "${EXT[@]}" "$@"; }

phpx "$ROOT/tests/audit/verify.php" "$DIR" setup
for w in $(seq 1 "$WORKERS"); do
  phpx "$ROOT/tests/audit/append.php" "$DIR" "$w" "$APPENDS" &
  PIDS+=("$!")
done
for _ in $(seq 1 500); do
  [ "$(find "$DIR" -name 'ready.*' | wc -l)" -ge "$WORKERS" ] && break
  sleep 0.02
done
touch "$DIR/go"
failed=0
for pid in "${PIDS[@]}"; do wait "$pid" || failed=1; done
PIDS=()
[ "$failed" -eq 0 ] || { echo "$BACKEND: a writer failed"; exit 1; }
status=0
phpx "$ROOT/tests/audit/verify.php" "$DIR" verify "$((WORKERS * APPENDS))" || status=1
[ "$BACKEND" = mysql ] && phpx "$ROOT/tests/audit/verify.php" "$DIR" drop
exit "$status"
