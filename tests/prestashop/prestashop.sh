#!/usr/bin/env bash
# The PrestaShop module's tests: a private MariaDB (tests/db/mariadb.sh starts
# and always stops it), PHPUnit against the stand-ins of tests/prestashop/stubs
# (install/upgrade/uninstall SQL, the behaviour table over HTTP through the
# module's front controllers under php -S, PrestaShop Accounts JWTs, the back
# office), then the Python `mcp` SDK through the module's front controller.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
#   tests/prestashop/prestashop.sh [PHPUNIT ARGS...]   e.g. --filter SchemaTest (then the SDK step is skipped)
if [ "${1:-}" != "--inner" ]; then
  exec "$ROOT/tests/db/mariadb.sh" "$ROOT/tests/prestashop/prestashop.sh" --inner "$@"
fi
shift
MCPG_PS_PHPUNIT_ARGS=("$@")
# MCP_GUARD_TEST_DSN = mysql:unix_socket=SOCK;dbname=…: PrestaShop's _DB_SERVER_ form is host:/socket.
SOCK="$(sed -E 's/.*unix_socket=([^;]+).*/\1/' <<<"$MCP_GUARD_TEST_DSN")"
export MCPG_PS_DB_SERVER="localhost:$SOCK" MCPG_PS_DB_NAME=mcp_guard_test
export MCPG_PS_DB_USER="$MCP_GUARD_TEST_DB_USER" MCPG_PS_DB_PASSWORD="$MCP_GUARD_TEST_DB_PASSWORD"
"$ROOT/scripts/php.sh" /usr/bin/phpunit -c "$ROOT/tests/prestashop/phpunit.xml" "${MCPG_PS_PHPUNIT_ARGS[@]}"
if [ "$#" -eq 0 ]; then
  bash "$ROOT/tests/prestashop/sdk.sh"
  bash "$ROOT/tests/prestashop/fpm.sh"
fi
