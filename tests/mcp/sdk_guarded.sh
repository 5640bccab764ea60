#!/usr/bin/env bash
# The real Python `mcp` SDK (PyPI, pinned below, unmodified) against the whole
# guarded endpoint with API tokens: tests/mcp/server/router.php (the real
# Pipeline on SQLite) under `php -S` with four workers, members and tokens
# made by the real `bin/mcp-guard`. In both of the SDK's modes it lists tools
# (a viewer sees the reads only), calls one, is refused a write (403
# insufficient_scope), and walks a destructive call through its confirmation.
# See tests/mcp/sdk_guarded_test.py. (The OAuth flow with the same SDK is
# tests/oauth/mcp_sdk.sh.) Every process started here runs in a session of
# its own and is stopped with its children on exit, failure or interrupt.
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
export MCPG_SHOP_CONFIG="$DIR/shop.json"
cli() { "$ROOT/scripts/php.sh" "$ROOT/bin/mcp-guard" --config="$DIR/cli.php" "$@"; }
"$ROOT/scripts/php.sh" -r '
  require $argv[1] . "/php/autoload.php";
  require $argv[1] . "/tests/mcp/server/Catalogue.php";
  $db = new McpGuard\Server\OAuth\Pdo\PdoDatabase(McpGuard\Server\OAuth\Pdo\PdoDatabase::sqlite($argv[2] . "/shop.sqlite"), "mcpg_");
  (new McpGuard\Server\OAuth\Pdo\Migrations($db))->up();
  McpGuard\Tests\Mcp\Catalogue::install($db);
  file_put_contents($argv[2] . "/cli.php", "<?php return " . var_export(["database" => ["sqlite" => $argv[2] . "/shop.sqlite"],
      "prefix" => "mcpg_", "audit" => ["key" => str_repeat("k", 32)]], true) . ";");
  file_put_contents($argv[2] . "/shop.json", json_encode(["origin" => $argv[3], "cli" => $argv[2] . "/cli.php", "writesEnabled" => true,
      "dangerousAllowHttpLoopback" => true, "confirmationKey" => str_repeat("c", 32),
      // Both modes spend three destructive calls of one editor: over the default 5 per minute.
      "rates" => ["destructive" => ["limit" => 20, "period" => 60]]], JSON_UNESCAPED_SLASHES));
' "$ROOT" "$DIR" "$MCPG_ORIGIN"
cli member:add victor --role=viewer >/dev/null 2>&1
cli member:add alice --role=editor >/dev/null 2>&1
MCPG_VIEWER_TOKEN="$(cli token:create victor --role=viewer 2>/dev/null)"
MCPG_EDITOR_TOKEN="$(cli token:create alice --role=editor 2>/dev/null)"
export MCPG_VIEWER_TOKEN MCPG_EDITOR_TOKEN

export PHP_CLI_SERVER_WORKERS=4
start_server "$ROOT/scripts/php.sh" -S "127.0.0.1:$PORT" "$ROOT/tests/mcp/server/router.php" >"$DIR/server.log" 2>&1
for _ in $(seq 1 100); do curl -s -o /dev/null "$MCPG_ORIGIN/.well-known/oauth-protected-resource/mcp" && break; sleep 0.05; done

rc=0
timeout 120 "$VENV/bin/python" "$ROOT/tests/mcp/sdk_guarded_test.py" || rc=$?
if [ "$rc" -ne 0 ]; then echo "--- server log"; cat "$DIR/server.log"; fi
cli audit:verify >/dev/null 2>&1 || { echo "FAIL the audit chain of the SDK run does not verify"; rc=1; }
exit "$rc"
