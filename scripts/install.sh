#!/usr/bin/env bash
# Builds mcp_guard in release mode and installs it for every PHP SAPI of this
# machine (CLI, php-fpm, ...):
#   1. copies the module to $(php-config --extension-dir)/mcp_guard.so
#   2. writes mcp_guard.ini (Debian: /etc/php/<ver>/mods-available + phpenmod;
#      elsewhere: the first conf.d scan dir)
#   3. checks that `php -m` lists it.
# Usage: scripts/install.sh            (or: make install)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=setup.sh
source "$ROOT/scripts/setup.sh"

install_packages
check_rust
build_release

SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO=sudo
EXT_DIR="$("$PHP_CONFIG" --extension-dir)"
PHP_VER="$("$PHP" -r 'echo PHP_MAJOR_VERSION.".".PHP_MINOR_VERSION;')"

echo "==> installing $EXT_DIR/mcp_guard.so"
$SUDO install -D -m 0644 "$MCP_GUARD_SO" "$EXT_DIR/mcp_guard.so"

INI_BODY="; mcp_guard: security core for shop MCP servers (installed by scripts/install.sh)
; priority=20
extension=mcp_guard.so

; HMAC key for stored token hashes, at least 32 bytes. Empty: plain SHA-256.
; Set it here or per php-fpm pool with php_admin_value[mcp_guard.token_pepper].
;mcp_guard.token_pepper =

; Longest lifetime of an issued token, in days; 0 = no maximum.
;mcp_guard.max_token_lifetime_days = 365"

SCAN_DIR="$("$PHP" -r 'echo PHP_CONFIG_FILE_SCAN_DIR;' | cut -d: -f1)"
# phpenmod only for Debian's own PHP (its conf.d under /etc/php/<ver>/), not
# for another PHP of the same release built elsewhere (a ZTS build in /opt).
if command -v phpenmod >/dev/null 2>&1 && [ -d "/etc/php/$PHP_VER/mods-available" ] \
  && [[ "$SCAN_DIR" == "/etc/php/$PHP_VER/"* ]]; then
  echo "==> /etc/php/$PHP_VER/mods-available/mcp_guard.ini + phpenmod"
  printf '%s\n' "$INI_BODY" | $SUDO tee "/etc/php/$PHP_VER/mods-available/mcp_guard.ini" >/dev/null
  $SUDO phpenmod -v "$PHP_VER" mcp_guard
else
  [ -n "$SCAN_DIR" ] || { echo "no conf.d scan dir; add extension=mcp_guard.so to php.ini" >&2; exit 1; }
  echo "==> $SCAN_DIR/20-mcp_guard.ini"
  $SUDO mkdir -p "$SCAN_DIR"
  printf '%s\n' "$INI_BODY" | $SUDO tee "$SCAN_DIR/20-mcp_guard.ini" >/dev/null
fi

# Capture first: with pipefail, `grep -q` closing the pipe early would make the
# pipeline fail by SIGPIPE even when the module is listed.
CLI_MODULES="$("$PHP" -m)"
grep -qx mcp_guard <<<"$CLI_MODULES" || { echo "php -m does not list mcp_guard" >&2; exit 1; }
FPM="${PHP_FPM:-/usr/sbin/php-fpm$PHP_VER}" # PHP_FPM: a php-fpm outside Debian's layout
if [ -x "$FPM" ]; then
  FPM_MODULES="$("$FPM" -m)"
  grep -qx mcp_guard <<<"$FPM_MODULES" || { echo "php-fpm -m does not list mcp_guard" >&2; exit 1; }
  echo "php-fpm: mcp_guard loaded (restart php-fpm to pick it up, e.g. systemctl restart php$PHP_VER-fpm)"
fi
echo "installed: $("$PHP" -r 'echo "mcp_guard ", phpversion("mcp_guard");')"
