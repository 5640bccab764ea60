#!/usr/bin/env bash
# Tests the Redis rate-limit backend against a real redis-server: starts one on
# 127.0.0.1 (a free port, no persistence), runs the Redis PHPUnit test with the
# test clock enabled (for the agreement test), and always stops the server
# (its own process group, also on a failure or an interrupt: tests/lib/servers.sh).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
command -v redis-server >/dev/null || { echo "redis-server is not installed (apt-get install redis-server)"; exit 1; }
DIR="$(mktemp -d)"
cleanup() { rm -rf "$DIR"; }
# shellcheck source=../lib/servers.sh
source "$ROOT/tests/lib/servers.sh"
servers_trap cleanup
# shellcheck source=free_port.sh
source "$ROOT/tests/ratelimit/free_port.sh"
PORT="$(free_port)"
start_server redis-server --bind 127.0.0.1 --port "$PORT" --save '' --appendonly no --dir "$DIR" \
  --protected-mode yes --logfile "$DIR/redis.log"
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
