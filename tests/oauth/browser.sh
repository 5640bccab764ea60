#!/usr/bin/env bash
# The consent page in a real browser: headless Chromium (Debian's chromium and
# chromium-driver) driven by Selenium from PyPI, in a venv kept under the
# checkout (.venv-browser, gitignored; Selenium Manager stays offline). Starts
# two php -S servers on free loopback ports — the shop (tests/oauth/browser/
# harness.php) and another origin (client.php) — runs tests/oauth/browser_test.py
# and saves the page to docs/images/consent.png. Every process it starts runs
# in a process group of its own and is killed with it on exit.
#
#   MCP_GUARD_BROWSER_VENV=/path   use that venv instead
#   MCP_GUARD_SCREENSHOT=0         do not write docs/images/consent.png
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
PHP="${PHP:-/usr/bin/php8.2}"
SO="${MCP_GUARD_SO:-$ROOT/target/release/libmcp_guard.so}"
[ -f "$SO" ] || { echo "no module at $SO: cargo build --release first"; exit 2; }
for bin in /usr/bin/chromium /usr/bin/chromedriver; do
  [ -x "$bin" ] || { echo "$bin missing (apt-get install chromium chromium-driver)"; exit 1; }
done
# shellcheck source=../ratelimit/free_port.sh
source "$ROOT/tests/ratelimit/free_port.sh"

DIR="$(mktemp -d)"
GROUPS_STARTED=()
cleanup() {
  for g in "${GROUPS_STARTED[@]}"; do kill -TERM -- "-$g" 2>/dev/null || true; done
  for g in "${GROUPS_STARTED[@]}"; do wait "$g" 2>/dev/null || true; done
  rm -rf "$DIR"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

start() { # start COMMAND...: in its own process group (setsid), remembered for cleanup
  setsid "$@" &
  GROUPS_STARTED+=($!)
}

VENV="${MCP_GUARD_BROWSER_VENV:-$ROOT/.venv-browser}"
if [ ! -x "$VENV/bin/python" ] || ! "$VENV/bin/python" -c 'import selenium' 2>/dev/null; then
  timeout 120 python3 -m venv "$VENV"
  timeout 300 "$VENV/bin/pip" install --quiet --disable-pip-version-check 'selenium>=4.20,<5'
fi

SHOP_PORT="$(free_port)"; CLIENT_PORT="$(free_port)"
while [ "$CLIENT_PORT" = "$SHOP_PORT" ]; do CLIENT_PORT="$(free_port)"; done
export MCPG_SHOP_ORIGIN="http://127.0.0.1:$SHOP_PORT" MCPG_CLIENT_ORIGIN="http://127.0.0.1:$CLIENT_PORT"
export MCPG_EVENTS="$DIR/events"
mkdir -p "$DIR/sessions"
start "$PHP" -n -d "extension=$SO" -d "session.save_path=$DIR/sessions" -d session.use_strict_mode=1 \
  -S "127.0.0.1:$SHOP_PORT" "$ROOT/tests/oauth/browser/harness.php" >"$DIR/shop.log" 2>&1
start "$PHP" -n -S "127.0.0.1:$CLIENT_PORT" "$ROOT/tests/oauth/browser/client.php" >"$DIR/client.log" 2>&1
for port in "$SHOP_PORT" "$CLIENT_PORT"; do
  for _ in $(seq 1 100); do curl -s -o /dev/null "http://127.0.0.1:$port/" && break; sleep 0.05; done
done

if [ "${MCP_GUARD_SCREENSHOT:-1}" = 1 ]; then
  mkdir -p "$ROOT/docs/images"; export MCPG_SCREENSHOT="$ROOT/docs/images/consent.png"
fi
rc=0
start timeout 300 "$VENV/bin/python" "$ROOT/tests/oauth/browser_test.py"
wait "${GROUPS_STARTED[-1]}" || rc=$?
if [ "$rc" -ne 0 ]; then echo "--- shop server log"; cat "$DIR/shop.log"; fi
exit "$rc"
