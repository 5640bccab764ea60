#!/usr/bin/env bash
# The Statamic adapter (php/statamic) end to end on Debian's Laravel 8.83
# (php-laravel-framework) with Statamic 5 stand-ins (tests/statamic/stubs):
#   1. PHPUnit (tests/statamic/phpunit.xml): the behaviour table, the
#      middleware order, the provider, through Laravel's HTTP kernel, in process;
#   2. the real Python `mcp` SDK (tests/statamic/sdk_test.py) through the app
#      served by `php -S` (tests/statamic/public/index.php), then the audit
#      chain of that run checked by the addon's artisan audit:verify.
# Every process started here runs in a session of its own and is stopped with
# its children on exit, failure or interrupt.
#
#   MCP_GUARD_MCP_VENV=/path   use that venv of the SDK instead of .venv-mcp
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
SO="${MCP_GUARD_SO:-$ROOT/target/release/libmcp_guard.so}"
[ -f "$SO" ] || { echo "no module at $SO: cargo build --release first"; exit 2; }
[ -f /usr/share/php/Illuminate/autoload.php ] || { echo "php-laravel-framework is not installed (scripts/setup.sh)"; exit 2; }
# shellcheck source=../lib/servers.sh
source "$ROOT/tests/lib/servers.sh"
# shellcheck source=../ratelimit/free_port.sh
source "$ROOT/tests/ratelimit/free_port.sh"

DIR="$(mktemp -d)"
cleanup() { rm -rf "$DIR"; }
servers_trap cleanup

echo "==> PHPUnit: tests/statamic"
"$ROOT/scripts/php.sh" /usr/bin/phpunit -c "$ROOT/tests/statamic/phpunit.xml"

echo "==> the Python mcp SDK through php -S"
# shellcheck source=../lib/mcp_venv.sh
source "$ROOT/tests/lib/mcp_venv.sh"
mcp_venv "$ROOT"
PORT="$(free_port)"
export MCPG_ORIGIN="http://127.0.0.1:$PORT"
export MCPG_STATAMIC_DIR="$DIR/app"
tokens="$("$ROOT/scripts/php.sh" "$ROOT/tests/statamic/Support/prepare.php" "$MCPG_STATAMIC_DIR" "$MCPG_ORIGIN")"
MCPG_VIEWER_TOKEN="$(printf '%s' "$tokens" | python3 -c 'import json,sys; print(json.load(sys.stdin)["viewer"])')"
MCPG_EDITOR_TOKEN="$(printf '%s' "$tokens" | python3 -c 'import json,sys; print(json.load(sys.stdin)["editor"])')"
MCPG_LEGACY_TOKEN="$(printf '%s' "$tokens" | python3 -c 'import json,sys; print(json.load(sys.stdin)["legacy"])')"
export MCPG_VIEWER_TOKEN MCPG_EDITOR_TOKEN MCPG_LEGACY_TOKEN
export PHP_CLI_SERVER_WORKERS=2
start_server "$ROOT/scripts/php.sh" -d display_errors=stderr -S "127.0.0.1:$PORT" "$ROOT/tests/statamic/public/index.php" >"$DIR/server.log" 2>&1
for _ in $(seq 1 100); do curl -s -o /dev/null "$MCPG_ORIGIN/.well-known/oauth-protected-resource/mcp/statamic" && break; sleep 0.05; done

rc=0
timeout 120 "$VENV/bin/python" "$ROOT/tests/statamic/sdk_test.py" || rc=$?
if [ "$rc" -ne 0 ]; then echo "--- server log"; grep -v " Accepted$\| Closing$" "$DIR/server.log" || true; fi
"$ROOT/scripts/php.sh" -r '
  require "/usr/share/php/PHPUnit/Autoload.php";
  require $argv[1] . "/tests/statamic/bootstrap.php";
  $s = json_decode(file_get_contents($argv[2] . "/settings.json"), true);
  $t = new McpGuard\Tests\Statamic\Support\TestApp($argv[2], $s["settings"], McpGuard\Tests\Statamic\Support\AdapterCase::USERS, $s["url"]);
  [$code, $out] = $t->artisan("mcp-guard:audit:verify", ["--no-progress" => true]);
  exit($code);
' "$ROOT" "$MCPG_STATAMIC_DIR" >/dev/null 2>&1 || { echo "FAIL the audit chain of the SDK run does not verify"; rc=1; }
[ "$rc" -eq 0 ] && echo "statamic: PHPUnit and the SDK session passed"
exit "$rc"
