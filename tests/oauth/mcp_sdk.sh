#!/usr/bin/env bash
# A real MCP client against our authorization server: the Python `mcp` SDK
# (PyPI, pinned below, unmodified) in a venv kept under the checkout
# (.venv-mcp, gitignored) runs its OAuth client provider against a php -S
# server (tests/oauth/server/router.php: the real OAuth endpoints on SQLite,
# a test sign-in, and the real guarded MCP endpoint), see tests/oauth/mcp_sdk_test.py.
# Access tokens live 2 s there, so the SDK must refresh. Every process this
# starts runs in a session of its own and is stopped with all its children on
# exit, failure or interrupt.
#
#   MCP_GUARD_MCP_VENV=/path   use that venv instead
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
PHP="${PHP:-/usr/bin/php8.2}"
SO="${MCP_GUARD_SO:-$ROOT/target/release/libmcp_guard.so}"
[ -f "$SO" ] || { echo "no module at $SO: cargo build --release first"; exit 2; }
# shellcheck source=../ratelimit/free_port.sh
source "$ROOT/tests/ratelimit/free_port.sh"

DIR="$(mktemp -d)"
GROUPS_STARTED=()
cleanup() {
  local g
  for g in "${GROUPS_STARTED[@]}"; do kill -TERM -- "-$g" 2>/dev/null || true; done
  for g in "${GROUPS_STARTED[@]}"; do
    for _ in $(seq 1 50); do kill -0 -- "-$g" 2>/dev/null || break; sleep 0.1; done
    kill -KILL -- "-$g" 2>/dev/null || true
    wait "$g" 2>/dev/null || true
  done
  rm -rf "$DIR"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
trap 'exit 129' HUP

start() { # start COMMAND...: the leader of a new session, remembered for cleanup
  (exec setsid "$@") &
  GROUPS_STARTED+=($!)
}

# shellcheck source=../lib/mcp_venv.sh
source "$ROOT/tests/lib/mcp_venv.sh"
mcp_venv "$ROOT"

# -n: no distribution ini files; PDO and its drivers are shared modules on Debian.
EXT=(-d extension=pdo -d extension=pdo_sqlite -d extension=posix -d "extension=$SO")
PORT="$(free_port)"
ORIGIN="http://127.0.0.1:$PORT"
CIMD_ID="https://agent.example/mcp/client-metadata.json"
mkdir -p "$DIR/sessions"
"$PHP" -n "${EXT[@]}" -r '
  require $argv[1] . "/php/autoload.php";
  (new McpGuard\Server\OAuth\Pdo\Migrations(new McpGuard\Server\OAuth\Pdo\PdoDatabase(McpGuard\Server\OAuth\Pdo\PdoDatabase::sqlite($argv[2]))))->up();
  file_put_contents($argv[3] . "/members.json", json_encode(["alice" => ["role" => "editor", "name" => "Alice"]]));
  file_put_contents($argv[3] . "/documents.json", json_encode([$argv[4] => ["cacheControl" => "max-age=300", "body" => json_encode([
      "client_id" => $argv[4], "client_name" => "mcp_guard SDK test (metadata document)",
      "redirect_uris" => ["http://localhost/callback"], "grant_types" => ["authorization_code", "refresh_token"],
      "response_types" => ["code"], "token_endpoint_auth_method" => "none"], JSON_UNESCAPED_SLASHES)]], JSON_UNESCAPED_SLASHES));
  file_put_contents($argv[3] . "/config.json", json_encode(["origin" => $argv[5], "db" => ["driver" => "sqlite", "path" => $argv[2]],
      "members" => $argv[3] . "/members.json", "documents" => $argv[3] . "/documents.json", "events" => $argv[3] . "/events.log",
      "accessTokenTtl" => 2], JSON_UNESCAPED_SLASHES));
' "$ROOT" "$DIR/oauth.sqlite" "$DIR" "$CIMD_ID" "$ORIGIN"
: >"$DIR/events.log"

export MCPG_OAUTH_CONFIG="$DIR/config.json"
start "$PHP" -n "${EXT[@]}" -d "session.save_path=$DIR/sessions" -d session.use_strict_mode=1 \
  -d session.cookie_httponly=1 -d session.cookie_samesite=Lax -S "127.0.0.1:$PORT" "$ROOT/tests/oauth/server/router.php" >"$DIR/server.log" 2>&1
for _ in $(seq 1 100); do curl -s -o /dev/null "$ORIGIN/.well-known/oauth-authorization-server" && break; sleep 0.05; done

export MCPG_ORIGIN="$ORIGIN" MCPG_EVENTS="$DIR/events.log" MCPG_CIMD_ID="$CIMD_ID"
rc=0
start timeout 300 "$VENV/bin/python" "$ROOT/tests/oauth/mcp_sdk_test.py"
wait "${GROUPS_STARTED[-1]}" || rc=$?
if [ "$rc" -ne 0 ]; then echo "--- server log"; cat "$DIR/server.log"; fi
exit "$rc"
