#!/usr/bin/env bash
# The PECL / PIE build path: phpize in pie/, configure, make, make install into
# a staging root, then load the installed module.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
PHP="${PHP:-/usr/bin/php8.2}"; PHP_CONFIG="${PHP_CONFIG:-/usr/bin/php-config8.2}"
PHPIZE="$(dirname "$PHP_CONFIG")/phpize$(basename "$PHP_CONFIG" | sed 's/^php-config//')"
WORK="$(mktemp -d)"; trap 'rm -rf "$WORK"' EXIT
# A clean copy of the tracked sources, as a PECL tarball would hold them; the
# cargo target dir is shared so the build is incremental.
(cd "$ROOT" && git ls-files -z --cached --others --exclude-standard | tar --null -T - -cf -) | tar -xf - -C "$WORK"
cd "$WORK/pie"
"$PHPIZE" >/dev/null
./configure --with-php-config="$PHP_CONFIG" --enable-mcp_guard >/dev/null
TARGET="${CARGO_TARGET_DIR:-$ROOT/target}" # the matrix gives each PHP its own
CARGO_TARGET_DIR="$TARGET" make >/dev/null
CARGO_TARGET_DIR="$TARGET" make install INSTALL_ROOT="$WORK/root" >/dev/null
SO="$(find "$WORK/root" -name mcp_guard.so)"
[ -n "$SO" ] || { echo "make install did not install mcp_guard.so"; exit 1; }
echo "installed: ${SO#"$WORK/root"}"
"$PHP" -n -d "extension=$SO" -r 'exit(phpversion("mcp_guard") === false ? 1 : 0);'
echo "loads: mcp_guard $("$PHP" -n -d "extension=$SO" -r 'echo phpversion("mcp_guard");')"
