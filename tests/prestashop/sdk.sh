#!/usr/bin/env bash
# The real Python `mcp` SDK (tests/lib/mcp_venv.sh) through the PrestaShop
# module: tests/mcp/sdk_guarded_test.py (both SDK modes: list tools, call
# one, a refused write, a destructive call with its confirmation) against
# index.php?fc=module&module=mcpguard&controller=mcp (friendly URLs off),
# served by php -S with four workers. Run by tests/prestashop/prestashop.sh
# (which provides the MariaDB: MCPG_PS_DB_*); every process started here
# is stopped with its children on exit, failure or interrupt.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
: "${MCPG_PS_DB_SERVER:?run through tests/prestashop/prestashop.sh}"
# shellcheck source=../lib/servers.sh
source "$ROOT/tests/lib/servers.sh"
# shellcheck source=../ratelimit/free_port.sh
source "$ROOT/tests/ratelimit/free_port.sh"
DIR="$(mktemp -d)"
cleanup() { rm -rf "$DIR"; }
servers_trap cleanup
# shellcheck source=../lib/mcp_venv.sh
source "$ROOT/tests/lib/mcp_venv.sh"
mcp_venv "$ROOT"

PORT="$(free_port)"
export MCPG_ORIGIN="http://127.0.0.1:$PORT"
export MCPG_MCP_URL="$MCPG_ORIGIN/index.php?fc=module&module=mcpguard&controller=mcp"
{ read -r MCPG_VIEWER_TOKEN; read -r MCPG_EDITOR_TOKEN; } < <("$ROOT/scripts/php.sh" "$ROOT/tests/prestashop/setup.php" "$DIR" "$MCPG_ORIGIN")
export MCPG_VIEWER_TOKEN MCPG_EDITOR_TOKEN
[ -n "$MCPG_EDITOR_TOKEN" ] || { echo "FAIL the shop was not set up"; exit 1; }

export PHP_CLI_SERVER_WORKERS=4
start_server "$ROOT/scripts/php.sh" -S "127.0.0.1:$PORT" "$ROOT/tests/prestashop/front/index.php" >"$DIR/server.log" 2>&1
for _ in $(seq 1 100); do curl -s -o /dev/null "$MCPG_MCP_URL" && break; sleep 0.05; done

rc=0
timeout 120 "$VENV/bin/python" "$ROOT/tests/mcp/sdk_guarded_test.py" || rc=$?
if [ "$rc" -ne 0 ]; then echo "--- server log"; cat "$DIR/server.log"; fi
# bin/mcp-guard on the module's tables: the run's audit trail verifies.
"$ROOT/scripts/php.sh" "$ROOT/bin/mcp-guard" --config="$DIR/cli.php" audit:verify >/dev/null 2>&1 \
  || { echo "FAIL the audit chain of the SDK run does not verify"; rc=1; }
exit "$rc"
