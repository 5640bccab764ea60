#!/usr/bin/env bash
# The real Python `mcp` SDK (PyPI, pinned below, unmodified) lists and calls
# tools on McpGuard\Server\Mcp\Endpoint (php -S, tests/mcp/sdk_eras_server/router.php)
# in both of its modes: auto (probes 2026-07-28 with server/discover) and
# legacy (initialize, 2025-11-25). See tests/mcp/sdk_eras_test.py. No
# authentication yet: the router serves one fixed caller.
# The venv is kept under the checkout (.venv-mcp, gitignored) as
# tests/oauth/mcp_sdk.sh keeps it; every process started here runs in a
# session of its own and is stopped with its children on exit or interrupt.
#
#   MCP_GUARD_MCP_VENV=/path   use that venv instead
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
PHP="${PHP:-/usr/bin/php8.2}"
SO="${MCP_GUARD_SO:-$ROOT/target/release/libmcp_guard.so}"
[ -f "$SO" ] || { echo "no module at $SO: cargo build --release first"; exit 2; }
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
start_server "$PHP" -n -d "extension=$SO" -S "127.0.0.1:$PORT" "$ROOT/tests/mcp/sdk_eras_server/router.php" >"$DIR/server.log" 2>&1
for _ in $(seq 1 100); do curl -s -o /dev/null "$MCPG_ORIGIN/mcp" && break; sleep 0.05; done

rc=0
timeout 120 "$VENV/bin/python" "$ROOT/tests/mcp/sdk_eras_test.py" || rc=$?
if [ "$rc" -ne 0 ]; then echo "--- server log"; cat "$DIR/server.log"; fi
exit "$rc"
