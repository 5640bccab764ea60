#!/usr/bin/env bash
# The demo as a shop admin runs it: `bash scripts/demo.sh` itself (on the
# build of this checkout, through scripts/php.sh: MCP_GUARD_DEMO_SKIP_INSTALL=1,
# a temporary data directory and a free port), then real clients against it:
#   - tests/demo/demo_test.py: the Python `mcp` SDK (pinned below) by token and
#     by OAuth, writes off/on with examples/shop/bin/shop, cost_price refused
#     whole, a burst → 429, order_cancel through its confirmation;
#   - the MCP Inspector CLI from npm (pinned below, installed into
#     .npm-inspector/ under the checkout, gitignored): tools/list and
#     tools/call with a Bearer header;
#   - tests/demo/backoffice_test.py: the back office in headless Chromium
#     (Selenium from PyPI in .venv-browser): create and revoke a token, revoke
#     the OAuth client, the denied calls and the chain status in the activity view;
#   - bin/mcp-guard audit:verify over the whole session;
#   - the script itself: the banner shows the token once, a port in use is
#     refused with a clear message, Ctrl-C (SIGINT) stops the server and its
#     workers, a second run reuses the shop, --reset makes a new one.
# Every process started here runs in a session of its own and is stopped with
# its children on exit, failure or interrupt.
#
#   MCP_GUARD_MCP_VENV=/path       use that venv instead of .venv-mcp
#   MCP_GUARD_BROWSER_VENV=/path   use that venv instead of .venv-browser
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
PHP="${PHP:-/usr/bin/php8.2}"
SO="${MCP_GUARD_SO:-$ROOT/target/release/libmcp_guard.so}"
INSPECTOR_VERSION="2.12.0"
[ -f "$SO" ] || { echo "no module at $SO: cargo build --release first"; exit 2; }
# shellcheck source=../lib/servers.sh
source "$ROOT/tests/lib/servers.sh"
# shellcheck source=../ratelimit/free_port.sh
source "$ROOT/tests/ratelimit/free_port.sh"

DIR="$(mktemp -d)"
cleanup() { rm -rf "$DIR"; }
servers_trap cleanup
fail() { echo "FAIL $*"; [ -f "$DIR/demo.out" ] && { echo "--- demo output"; cat "$DIR/demo.out"; }; exit 1; }

# shellcheck source=../lib/mcp_venv.sh
source "$ROOT/tests/lib/mcp_venv.sh"
mcp_venv "$ROOT"
INSPECTOR="$ROOT/.npm-inspector"
if [ "$(node -p "require('$INSPECTOR/node_modules/@modelcontextprotocol/inspector/package.json').version" 2>/dev/null)" != "$INSPECTOR_VERSION" ]; then
  mkdir -p "$INSPECTOR"
  # The Inspector asks for node >= 22.19 but runs on Debian's node 20 in --cli mode; npm only warns.
  timeout 600 npm install --silent --no-audit --no-fund --prefix "$INSPECTOR" "@modelcontextprotocol/inspector@$INSPECTOR_VERSION" \
    || fail "npm could not install @modelcontextprotocol/inspector@$INSPECTOR_VERSION"
fi

export MCP_GUARD_SHOP_DATA="$DIR/shop" MCP_GUARD_DEMO_SKIP_INSTALL=1 MCP_GUARD_DEMO_READY="$DIR/ready"
PORT="$(free_port)"
ORIGIN="http://127.0.0.1:$PORT"
# A background job of a script starts with SIGINT ignored (and bash cannot trap
# a signal ignored on entry): reset it, so the INT below is the terminal's Ctrl-C.
demo() { start_server python3 -c 'import os, signal, sys; signal.signal(signal.SIGINT, signal.SIG_DFL); os.execvp(sys.argv[1], sys.argv[1:])' \
  bash "$ROOT/scripts/demo.sh" --port "$PORT" "$@"; }
wait_ready() {
  for _ in $(seq 1 300); do [ -f "$DIR/ready" ] && return 0; group_alive "$SERVER_PID" || break; sleep 0.1; done
  fail "the demo did not start"
}
cli() { "$ROOT/scripts/php.sh" "$ROOT/bin/mcp-guard" --config="$MCP_GUARD_SHOP_DATA/mcp-guard.php" "$@"; }

demo >"$DIR/demo.out" 2>&1
DEMO=$SERVER_PID
wait_ready
grep -q "^created the shop in $MCP_GUARD_SHOP_DATA: 300 products, 120 customers, 400 orders" "$DIR/demo.out" || fail "no fresh shop"
EDITOR_TOKEN="$(sed -n 's/^  editor API token  \(shop_[A-Za-z0-9_]*\)$/\1/p' "$DIR/demo.out")"
ERIN_PASSWORD="$(sed -n 's/^  sign-in           erin \/ \([0-9a-f]*\) (editor).*/\1/p' "$DIR/demo.out")"
ADMIN_PASSWORD="$(sed -n 's/^  back office       .* admin \/ \([0-9a-f]*\) .*/\1/p' "$DIR/demo.out")"
[ -n "$EDITOR_TOKEN" ] && [ -n "$ERIN_PASSWORD" ] && [ -n "$ADMIN_PASSWORD" ] || fail "the banner shows no token or password"
grep -q "claude mcp add --transport http demo-shop $ORIGIN/mcp" "$DIR/demo.out" || fail "no Claude Code line"
echo "ok   the demo started on $ORIGIN and printed the token, the sign-in and the client commands"

# A second demo on the same port: refused, saying so.
rc=0; bash "$ROOT/scripts/demo.sh" --port "$PORT" >"$DIR/busy.out" 2>&1 || rc=$?
[ "$rc" = 1 ] && grep -q "127.0.0.1:$PORT is in use" "$DIR/busy.out" || { cat "$DIR/busy.out"; fail "a port in use was not refused clearly"; }
echo "ok   a port in use is refused: $(cat "$DIR/busy.out")"

VIEWER_TOKEN="$(cli token:create victor 2>/dev/null)"
export MCPG_ORIGIN="$ORIGIN" MCPG_EDITOR_TOKEN="$EDITOR_TOKEN" MCPG_VIEWER_TOKEN="$VIEWER_TOKEN" MCPG_ERIN_PASSWORD="$ERIN_PASSWORD" \
  MCPG_SHOP_DB="$MCP_GUARD_SHOP_DATA/shop.sqlite" MCPG_SHOP_CMD="$ROOT/scripts/php.sh $ROOT/examples/shop/bin/shop"
timeout 300 "$VENV/bin/python" "$ROOT/tests/demo/demo_test.py" || fail "the SDK tests (server log: see above)"

BROWSER_VENV="${MCP_GUARD_BROWSER_VENV:-$ROOT/.venv-browser}"
for bin in /usr/bin/chromium /usr/bin/chromedriver; do [ -x "$bin" ] || fail "$bin missing (apt-get install chromium chromium-driver)"; done
if [ ! -x "$BROWSER_VENV/bin/python" ] || ! "$BROWSER_VENV/bin/python" -c 'import selenium' 2>/dev/null; then
  timeout 120 python3 -m venv "$BROWSER_VENV"
  timeout 300 "$BROWSER_VENV/bin/pip" install --quiet --disable-pip-version-check 'selenium>=4.20,<5'
fi
cli member:add mallory --role=viewer --name='<img src=x onerror=alert(1)>' >/dev/null 2>&1
MCPG_ADMIN_PASSWORD="$ADMIN_PASSWORD" timeout 300 "$BROWSER_VENV/bin/python" "$ROOT/tests/demo/backoffice_test.py" || fail "the back office in Chromium"

inspector() { timeout 120 node "$INSPECTOR/node_modules/.bin/mcp-inspector" --cli "$ORIGIN/mcp" --transport http \
  --header "Authorization: Bearer $EDITOR_TOKEN" "$@"; }
inspector --method tools/list >"$DIR/inspector-list.json" || fail "Inspector tools/list"
"$VENV/bin/python" -c 'import json, sys; n = sorted(t["name"] for t in json.load(open(sys.argv[1]))["tools"]); assert n == ["catalog_search", "customer_lookup", "order_cancel", "order_status", "product_get", "product_update"], n' \
  "$DIR/inspector-list.json" || fail "Inspector tools/list: not the editor's six tools"
inspector --method tools/call --tool-name product_get --tool-arg id=3 >"$DIR/inspector-call.json" || fail "Inspector tools/call"
"$VENV/bin/python" -c 'import json, sys; r = json.load(open(sys.argv[1])); assert not r["isError"] and r["structuredContent"]["name"] == "Demo Mug", r' \
  "$DIR/inspector-call.json" || fail "Inspector tools/call: wrong result"
rc=0; timeout 120 node "$INSPECTOR/node_modules/.bin/mcp-inspector" --cli "$ORIGIN/mcp" --transport http --method tools/list >"$DIR/anon.out" 2>&1 || rc=$?
[ "$rc" != 0 ] || fail "the Inspector without a token was served"
echo "ok   MCP Inspector $INSPECTOR_VERSION (--cli): tools/list and tools/call with a Bearer token; refused without one"

cli audit:verify >"$DIR/verify.out" 2>&1 || { cat "$DIR/verify.out"; fail "audit:verify over the session"; }
EVENTS="$(cli audit:tail --lines=100000 2>/dev/null | grep -c '^| [0-9]')" || true
echo "ok   bin/mcp-guard audit:verify passes over the session ($EVENTS events): $(tail -n 1 "$DIR/verify.out")"

# Ctrl-C: SIGINT to the script stops php -S and its workers.
kill -INT "$DEMO"
for _ in $(seq 1 100); do group_alive "$DEMO" || break; sleep 0.1; done
group_alive "$DEMO" && fail "the demo still runs after SIGINT"
curl -s -o /dev/null "$ORIGIN/" && fail "the server still answers after SIGINT"
pgrep -f -- "-S 127.0.0.1:$PORT " >/dev/null && fail "php -S workers left running after SIGINT"
echo "ok   Ctrl-C stops the server and its workers"

rm -f "$DIR/ready"; demo >"$DIR/demo.out" 2>&1; DEMO=$SERVER_PID; wait_ready
grep -q "^reusing the shop in $MCP_GUARD_SHOP_DATA" "$DIR/demo.out" || fail "the second run did not reuse the shop"
grep -q "shop_" <(grep "editor API token" "$DIR/demo.out") && fail "the second run shows a token again"
"$VENV/bin/python" -c 'import sqlite3, sys; assert sqlite3.connect(sys.argv[1]).execute("SELECT name FROM shop_products WHERE id = 3").fetchone()[0] == "Demo Mug"' \
  "$MCP_GUARD_SHOP_DATA/shop.sqlite" || fail "the reused shop lost its data"
stop_server "$DEMO"
rm -f "$DIR/ready"; demo --reset >"$DIR/demo.out" 2>&1; DEMO=$SERVER_PID; wait_ready
grep -q "^created the shop" "$DIR/demo.out" || fail "--reset did not make a new shop"
NEW_TOKEN="$(sed -n 's/^  editor API token  \(shop_[A-Za-z0-9_]*\)$/\1/p' "$DIR/demo.out")"
[ -n "$NEW_TOKEN" ] && [ "$NEW_TOKEN" != "$EDITOR_TOKEN" ] || fail "--reset did not issue a new token"
code="$(curl -s -o /dev/null -w '%{http_code}' "$ORIGIN/mcp" -H "Authorization: Bearer $EDITOR_TOKEN" -H 'Content-Type: application/json' \
  -H 'MCP-Protocol-Version: 2025-11-25' -d '{"jsonrpc":"2.0","id":1,"method":"tools/list"}')"
[ "$code" = 401 ] || fail "the old token still works after --reset ($code)"
echo "ok   a second run reuses the shop (no token shown again); --reset makes a new one and the old token is refused"
echo "demo: all passed"
