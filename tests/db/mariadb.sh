#!/usr/bin/env bash
# Runs the glue's PHPUnit suite against a real MariaDB: a private server on a
# unix socket in a temp dir (no TCP), started here and always stopped (its own
# process group, also on a failure or an interrupt: tests/lib/servers.sh).
#
#   tests/db/mariadb.sh                 the server suite (tokens, OAuth stores)
#   tests/db/mariadb.sh CMD [ARGS...]   CMD instead, with the same MCP_GUARD_TEST_DSN,
#                                       MCP_GUARD_TEST_DB_USER/PASSWORD exported
#                                       (tests/oauth/concurrency.sh uses this)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
command -v mariadbd >/dev/null 2>&1 || { echo "mariadbd not installed (apt-get install mariadb-server)"; exit 1; }
DIR="$(mktemp -d)"; SOCK="$DIR/mysqld.sock"
cleanup() { rm -rf "$DIR"; }
# shellcheck source=../lib/servers.sh
source "$ROOT/tests/lib/servers.sh"
servers_trap cleanup
mariadb-install-db --no-defaults --datadir="$DIR/data" --user="$(id -un)" \
  --auth-root-authentication-method=normal --skip-test-db >"$DIR/install.log" 2>&1 \
  || { cat "$DIR/install.log"; exit 1; }
start_server mariadbd --no-defaults --datadir="$DIR/data" --socket="$SOCK" --skip-networking \
  --pid-file="$DIR/mysqld.pid" --user="$(id -un)" --log-error="$DIR/error.log"
for _ in $(seq 1 100); do
  [ -S "$SOCK" ] && mariadb --no-defaults -S "$SOCK" -uroot -e 'SELECT 1' >/dev/null 2>&1 && break
  sleep 0.2
done
mariadb --no-defaults -S "$SOCK" -uroot -e "CREATE DATABASE mcp_guard_test; CREATE USER 'mcpg'@'localhost' IDENTIFIED BY 'mcpg-test'; GRANT ALL ON mcp_guard_test.* TO 'mcpg'@'localhost';" \
  || { cat "$DIR/error.log"; exit 1; }
export MCP_GUARD_TEST_DSN="mysql:unix_socket=$SOCK;dbname=mcp_guard_test;charset=utf8mb4"
export MCP_GUARD_TEST_DB_USER=mcpg MCP_GUARD_TEST_DB_PASSWORD=mcpg-test
if [ "$#" -gt 0 ]; then
  "$@"
else
  "$ROOT/scripts/php.sh" /usr/bin/phpunit -c "$ROOT/tests/php/phpunit.xml" --testsuite server
fi
