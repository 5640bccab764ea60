#!/usr/bin/env bash
# Tests the Redis rate-limit backend against a real redis-server: starts one on
# 127.0.0.1 (a free port, no persistence), runs the Redis PHPUnit test with the
# test clock enabled (for the agreement test), and always stops the server.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
command -v redis-server >/dev/null || { echo "redis-server is not installed (apt-get install redis-server)"; exit 1; }
DIR="$(mktemp -d)"
PID=""
cleanup() {
  if [ -n "$PID" ]; then kill "$PID" 2>/dev/null || true; wait "$PID" 2>/dev/null || true; fi
  rm -rf "$DIR"
}
trap cleanup EXIT
# shellcheck source=free_port.sh
source "$ROOT/tests/ratelimit/free_port.sh"
PORT="$(free_port)"
redis-server --bind 127.0.0.1 --port "$PORT" --save '' --appendonly no --dir "$DIR" \
  --protected-mode yes --logfile "$DIR/redis.log" &
PID=$!
for _ in $(seq 1 50); do
  redis-cli -p "$PORT" ping >/dev/null 2>&1 && break
  sleep 0.1
done
redis-cli -p "$PORT" ping >/dev/null || { cat "$DIR/redis.log"; exit 1; }
echo "redis-server $(redis-server --version | awk '{print $3}') on 127.0.0.1:$PORT"
REDIS_PORT="$PORT" "$ROOT/scripts/php.sh" -d mcp_guard.rate_limit_test_clock=1 \
  /usr/bin/phpunit -c "$ROOT/tests/php/phpunit.xml" "$ROOT/tests/php/Server/RedisRateLimiterTest.php"
# Once more without the test clock: $now must then be refused (secure default).
REDIS_PORT="$PORT" "$ROOT/scripts/php.sh" \
  /usr/bin/phpunit -c "$ROOT/tests/php/phpunit.xml" "$ROOT/tests/php/Server/RedisRateLimiterTest.php"
