#!/usr/bin/env bash
# Apache + PHP-FPM drops the Authorization header on PrestaShop 8 unless the
# rewrite passes it on; the module's one .htaccess line makes Apache hand it
# over as REDIRECT_HTTP_AUTHORIZATION. This sends php-fpm (the module loaded,
# the shop's front index.php) exactly the FastCGI parameters Apache sends
# then: no HTTP_AUTHORIZATION, the token in REDIRECT_HTTP_AUTHORIZATION. The
# module must authenticate the request with it (200), and without either
# answer 401. Run by tests/prestashop/prestashop.sh (MCPG_PS_DB_* set);
# php-fpm runs in its own process group and is stopped on exit, failure or
# interrupt (tests/lib/servers.sh).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
: "${MCPG_PS_DB_SERVER:?run through tests/prestashop/prestashop.sh}"
FPM="${PHP_FPM:-/usr/sbin/php-fpm8.2}"
SO="${MCP_GUARD_SO:-$ROOT/target/release/libmcp_guard.so}"
command -v cgi-fcgi >/dev/null || { echo "cgi-fcgi missing (apt-get install libfcgi-bin)"; exit 1; }
# shellcheck source=../lib/servers.sh
source "$ROOT/tests/lib/servers.sh"
DIR="$(mktemp -d)"
cleanup() { rm -rf "$DIR"; }
servers_trap cleanup

ORIGIN="http://127.0.0.1:8099"
{ read -r VIEWER; read -r _; } < <("$ROOT/scripts/php.sh" "$ROOT/tests/prestashop/setup.php" "$DIR" "$ORIGIN")
ASROOT=(); POOL_USER=""
if [ "$(id -u)" = 0 ]; then ASROOT=(-R); POOL_USER=$'user = root\ngroup = root'; fi
cat >"$DIR/fpm.conf" <<CONF
[global]
error_log = $DIR/fpm.log
pid = $DIR/fpm.pid
daemonize = no
[shop]
$POOL_USER
listen = $DIR/fpm.sock
pm = static
pm.max_children = 2
clear_env = no
catch_workers_output = yes
CONF
# -n: no system ini (it may load another mcp_guard); the PDO driver and the built module only.
start_server "$FPM" -n -y "$DIR/fpm.conf" -F "${ASROOT[@]}" -d extension=mysqlnd -d extension=pdo -d extension=pdo_mysql -d "extension=$SO"
for _ in $(seq 1 100); do [ -S "$DIR/fpm.sock" ] && break; sleep 0.05; done

BODY='{"jsonrpc":"2.0","id":1,"method":"tools/list"}'
# status ENV...: one FastCGI POST of the MCP endpoint as Apache forwards it, prints the HTTP status.
status() {
  local out
  out="$(env -i "$@" SCRIPT_FILENAME="$ROOT/tests/prestashop/front/index.php" SCRIPT_NAME=/index.php REQUEST_METHOD=POST \
    REQUEST_URI='/index.php?fc=module&module=mcpguard&controller=mcp' QUERY_STRING='fc=module&module=mcpguard&controller=mcp' \
    CONTENT_TYPE=application/json CONTENT_LENGTH="${#BODY}" HTTP_ACCEPT='application/json, text/event-stream' \
    HTTP_HOST=127.0.0.1:8099 REMOTE_ADDR=127.0.0.1 SERVER_NAME=127.0.0.1 SERVER_PORT=8099 \
    MCPG_PS_DB_SERVER="$MCPG_PS_DB_SERVER" MCPG_PS_DB_NAME="$MCPG_PS_DB_NAME" MCPG_PS_DB_USER="$MCPG_PS_DB_USER" MCPG_PS_DB_PASSWORD="$MCPG_PS_DB_PASSWORD" \
    cgi-fcgi -bind -connect "$DIR/fpm.sock" <<<"$BODY" 2>/dev/null | tr -d '\r')"
  local s
  s="$(grep -m1 '^Status:' <<<"$out" | awk '{print $2}' || true)"
  echo "${s:-200}"  # php-fpm sends no Status line for a 200
}
FAILS=0
check() { if [ "$2" = "$3" ]; then echo "ok   $1 ($3)"; else echo "FAIL $1: expected $2, got $3"; FAILS=$((FAILS + 1)); fi; }
check "the token Apache passed as REDIRECT_HTTP_AUTHORIZATION authenticates" 200 "$(status REDIRECT_HTTP_AUTHORIZATION="Bearer $VIEWER")"
check "no Authorization at all is 401" 401 "$(status)"
ALT=x; [ "${VIEWER: -1}" != x ] || ALT=y  # a last character that differs
check "a wrong token passed the same way is 401" 401 "$(status REDIRECT_HTTP_AUTHORIZATION="Bearer ${VIEWER%?}$ALT")"
if [ "$FAILS" -ne 0 ]; then cat "$DIR/fpm.log"; fi
exit "$FAILS"
