#!/usr/bin/env bash
# The demo shop (examples/shop, docs/demo.md): builds and installs mcp_guard
# (scripts/install.sh), creates a SQLite shop with generated data, members and
# an API token, then serves its guarded MCP endpoint and OAuth server on
# http://127.0.0.1:8080 until Ctrl-C.
#
#   bash scripts/demo.sh [--reset] [--port N]
#     --reset   throw the shop away and create a new one (new token, passwords, data)
#     --port N  listen on 127.0.0.1:N instead of 8080
#
# Why `php -S` and not php-fpm: it is in php-cli (nothing to configure, no
# root, no web server in front), and with PHP_CLI_SERVER_WORKERS it forks its
# workers from one parent after the extension has started, so they share one
# rate-limit table exactly as a php-fpm pool does. It is a development server:
# a shop runs the same code under php-fpm (docs/install.md).
#
# For the tests (tests/demo/demo.sh): MCP_GUARD_SHOP_DATA (the data
# directory, default examples/shop/var), MCP_GUARD_DEMO_SKIP_INSTALL=1 (use
# the build as it is, through scripts/php.sh), MCP_GUARD_DEMO_WORKERS (4).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PORT=8080
RESET=()
while [ $# -gt 0 ]; do
  case "$1" in
    --reset) RESET=(--reset) ;;
    --port) PORT="${2:-}"; shift ;;
    --port=*) PORT="${1#--port=}" ;;
    -h|--help) sed -n '2,10p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "demo: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
  shift
done
[[ "$PORT" =~ ^[0-9]{2,5}$ ]] && [ "$PORT" -ge 1024 ] && [ "$PORT" -le 65535 ] || { echo "demo: --port takes a number from 1024 to 65535" >&2; exit 2; }
export MCP_GUARD_SHOP_DATA="${MCP_GUARD_SHOP_DATA:-$ROOT/examples/shop/var}"
ORIGIN="http://127.0.0.1:$PORT"
WORKERS="${MCP_GUARD_DEMO_WORKERS:-4}"

port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
if port_in_use "$PORT"; then
  echo "demo: 127.0.0.1:$PORT is in use by another program. Stop it, or pick another port: bash scripts/demo.sh --port 8081" >&2
  exit 1
fi

step() { printf '\r\033[K[%s] %s' "$1" "$2"; }
if [ "${MCP_GUARD_DEMO_SKIP_INSTALL:-0}" = 1 ]; then
  PHP=("$ROOT/scripts/php.sh")
else
  LOG="$(mktemp)"
  step 1/3 "installing packages, building and installing mcp_guard (the first run takes a few minutes; log: $LOG)"
  if ! bash "$ROOT/scripts/install.sh" >"$LOG" 2>&1; then
    echo; echo "demo: the install failed; the end of its log:" >&2; tail -n 30 "$LOG" >&2; exit 1
  fi
  rm -f "$LOG"
  PHP=("${PHP:-/usr/bin/php8.2}")
fi
shop() { "${PHP[@]}" "$ROOT/examples/shop/bin/shop" "$@"; }
cli() { "${PHP[@]}" "$ROOT/bin/mcp-guard" --config="$MCP_GUARD_SHOP_DATA/mcp-guard.php" "$@"; }

step 2/3 "preparing the shop in $MCP_GUARD_SHOP_DATA"
SETUP="$(shop setup "${RESET[@]}")"
FRESH=0
if [[ "$SETUP" == created* ]]; then
  FRESH=1
  cli member:add erin --role=editor --name="Erin (editor)" >/dev/null 2>&1
  cli member:add victor --role=viewer --name="Victor (viewer)" >/dev/null 2>&1
  ERIN_PASSWORD="$(shop password erin)"
  VICTOR_PASSWORD="$(shop password victor)"
  ADMIN_PASSWORD="$(shop admin-password)"
  TOKEN="$(cli token:create erin --name="demo: editor" 2>/dev/null)"
fi

step 3/3 "starting php -S on $ORIGIN with $WORKERS workers"
# shellcheck source=../tests/lib/servers.sh
source "$ROOT/tests/lib/servers.sh"
servers_trap
SERVER_LOG="$MCP_GUARD_SHOP_DATA/server.log"
export MCP_GUARD_SHOP_ORIGIN="$ORIGIN" PHP_CLI_SERVER_WORKERS="$WORKERS"
start_server "${PHP[@]}" -d display_errors=stderr -d log_errors=0 -S "127.0.0.1:$PORT" -t "$ROOT/examples/shop/public" \
  "$ROOT/examples/shop/public/router.php" >>"$SERVER_LOG" 2>&1
for _ in $(seq 1 100); do
  curl -s -o /dev/null "$ORIGIN/" && break
  group_alive "$SERVER_PID" || break
  sleep 0.1
done
if ! curl -s -o /dev/null "$ORIGIN/"; then
  echo; echo "demo: the server did not start; the end of $SERVER_LOG:" >&2; tail -n 20 "$SERVER_LOG" >&2; exit 1
fi
printf '\r\033[K'

TOKEN_SHOWN="${TOKEN:-<shown on the first run only; make another: bin/mcp-guard --config $MCP_GUARD_SHOP_DATA/mcp-guard.php token:create erin>}"
CONFIG="$MCP_GUARD_SHOP_DATA/mcp-guard.php"
cat <<TEXT
Demo Shop is running at $ORIGIN ($WORKERS php -S workers sharing one rate-limit table). Ctrl-C stops it.
${SETUP}

  MCP endpoint      $ORIGIN/mcp
  editor API token  $TOKEN_SHOWN
TEXT
if [ "$FRESH" = 1 ]; then
  cat <<TEXT
                    (shown once: only its hash is stored)
  sign-in           erin / $ERIN_PASSWORD (editor)   victor / $VICTOR_PASSWORD (viewer)
                    (shown once; a new one: examples/shop/bin/shop password erin)
  back office       $ORIGIN/admin   admin / $ADMIN_PASSWORD   (a new one: examples/shop/bin/shop admin-password)
TEXT
else
  echo "  sign-in           erin (editor), victor (viewer): passwords were shown on the first run (examples/shop/bin/shop password erin)"
  echo "  back office       $ORIGIN/admin   (admin; password shown on the first run: examples/shop/bin/shop admin-password)"
fi
cat <<TEXT

Connect an MCP client:
  Claude Code, by token:   claude mcp add --transport http demo-shop $ORIGIN/mcp --header "Authorization: Bearer \$TOKEN"
  Claude Code, by OAuth:   claude mcp add --transport http demo-shop $ORIGIN/mcp   (then /mcp: sign in as erin, approve)
  MCP Inspector (CLI):     npx @modelcontextprotocol/inspector --cli $ORIGIN/mcp --transport http \\
                             --header "Authorization: Bearer \$TOKEN" --method tools/list
  Python SDK (pip install mcp):  see docs/demo.md, "Python"

Administer it:
  writes are off:          examples/shop/bin/shop writes on        (and: shop tool enable order_cancel)
  tokens, members, OAuth:  bin/mcp-guard --config $CONFIG token:list | member:list | client:list
  the audit trail:         bin/mcp-guard --config $CONFIG audit:tail | audit:verify
                           (table shop_audit_events in $MCP_GUARD_SHOP_DATA/shop.sqlite)
  server log:              $SERVER_LOG
TEXT
[ -n "${MCP_GUARD_DEMO_READY:-}" ] && : >"$MCP_GUARD_DEMO_READY"
# Wait for the server; Ctrl-C (SIGINT) runs the trap, which stops it and its workers.
wait "$SERVER_PID" || true
