#!/usr/bin/env bash
# Runs PHP with the freshly built module (target/release/libmcp_guard.so, or
# $MCP_GUARD_SO) and every other extension this machine enables, but never an
# installed copy of mcp_guard: tests and benchmarks must exercise the build.
#
#   scripts/php.sh /usr/bin/phpunit -c tests/php/phpunit.xml
#   PHP_RUNNER="valgrind --leak-check=full" scripts/php.sh x.php   (run PHP under a tool)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PHP="${PHP:-/usr/bin/php8.2}"
SO="${MCP_GUARD_SO:-$ROOT/target/release/libmcp_guard.so}"
[ -f "$SO" ] || { echo "no module at $SO: build it first (cargo build --release)" >&2; exit 2; }
SCAN="$(mktemp -d)"; trap 'rm -rf "$SCAN"' EXIT
IFS=: read -r -a dirs <<<"$("$PHP" -n -r 'echo PHP_CONFIG_FILE_SCAN_DIR;')"
for d in "${dirs[@]}"; do
  [ -d "$d" ] || continue
  for f in "$d"/*.ini; do
    [ -e "$f" ] || continue
    grep -qE '^\s*(zend_)?extension\s*=\s*"?([^"]*/)?(lib)?mcp_guard(\.so)?"?\s*$' "$f" && continue
    ln -s "$f" "$SCAN/$(basename "$f")"
  done
done
# shellcheck disable=SC2086 # PHP_RUNNER is a command line on purpose
PHP_INI_SCAN_DIR="$SCAN" ${PHP_RUNNER:-} "$PHP" -d "extension=$SO" "$@"
