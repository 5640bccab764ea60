#!/usr/bin/env bash
# What a user sees when a module built for one PHP meets another: PHP refuses
# to load it (the process goes on, mcp_guard is absent), with the message
# docs/install.md quotes, so a user can find it there. And the build refuses
# a php binary and a php-config of two different PHPs before compiling.
# Run by scripts/matrix.sh once the builds exist; a pair whose module or PHP
# is missing is skipped (and said so).
#
#   tests/install/mismatch.sh ROOT ZTS_PREFIX TRIXIE_ROOT
set -uo pipefail
ROOT="$1"; ZTS="$2"; TRIXIE="$3"
DOC="$ROOT/docs/install.md"
NTS82=""
for so in "$ROOT/target/php-8.2-nts/release/libmcp_guard.so" "$ROOT/target/release/libmcp_guard.so"; do
  [ -f "$so" ] && { NTS82="$so"; break; }
done
NTS84="$ROOT/target/php-8.4-nts/release/libmcp_guard.so"
ZTS82="$ROOT/target/php-8.2-zts/release/libmcp_guard.so"
FAILS=0; RAN=0

in_trixie() {
  unshare --mount --propagation private -- /bin/bash -euc '
    R="$1"; ROOT="$2"; shift 2
    mkdir -p "$R$ROOT"; mount --bind "$ROOT" "$R$ROOT"
    exec chroot "$R" "$@"' in_trixie "$TRIXIE" "$ROOT" "$@"
}

# refused NAME SO MESSAGE_REGEX PHP...: PHP starts, does not load SO,
# exits normally (no signal), and says MESSAGE; docs/install.md quotes it.
refused() {
  local name="$1" so="$2" message="$3"; shift 3
  if [ -z "$so" ] || [ ! -f "$so" ] || ! "$@" -v >/dev/null 2>&1; then
    echo "skip $name (module or PHP not built here)"; return
  fi
  RAN=$((RAN + 1))
  local out rc before=$FAILS
  out="$("$@" -n -d "extension=$so" -r 'echo extension_loaded("mcp_guard") ? "LOADED" : "absent", "\n";' 2>&1)"
  rc=$?
  if [ "$rc" -ne 0 ]; then echo "FAIL $name: PHP exited with $rc"; FAILS=$((FAILS + 1)); fi
  if grep -qx LOADED <<<"$out"; then echo "FAIL $name: the module was loaded"; FAILS=$((FAILS + 1)); fi
  if ! grep -qE "$message" <<<"$out"; then echo "FAIL $name: PHP did not say /$message/:"; echo "$out"; FAILS=$((FAILS + 1)); fi
  local quoted; quoted="$(sed -E 's/[0-9]+/[0-9]+/g' <<<"$message")" # the page gives one example of each
  if ! grep -qE "$quoted" "$DOC"; then echo "FAIL $name: docs/install.md does not quote /$message/"; FAILS=$((FAILS + 1)); fi
  [ "$FAILS" -eq "$before" ] && echo "ok   $name: refused — $(grep -m1 -oE "$message" <<<"$out")"
}

refused "8.2 module in PHP 8.4" "$NTS82" 'Module compiled with module API=20220829' in_trixie /usr/bin/php8.4
refused "8.4 module in PHP 8.2" "$NTS84" 'Module compiled with module API=20240924' /usr/bin/php8.2
refused "NTS module in a ZTS PHP" "$NTS82" 'undefined symbol: executor_globals\b' "$ZTS/bin/php"
refused "ZTS module in an NTS PHP" "$ZTS82" 'undefined symbol: executor_globals_offset' /usr/bin/php8.2

# The build itself: php and php-config of two different PHPs.
if [ -x "$ZTS/bin/php-config" ]; then
  RAN=$((RAN + 1))
  out="$(PHP=/usr/bin/php8.2 PHP_CONFIG="$ZTS/bin/php-config" MCP_GUARD_SKIP_APT=1 bash "$ROOT/scripts/setup.sh" 2>&1)"
  if [ $? -ne 1 ] || ! grep -q "is PHP 8.2 NTS but PHP_CONFIG=.* is PHP 8.2 ZTS" <<<"$out"; then
    echo "FAIL a php/php-config pair of two PHPs was not refused:"; echo "$out"; FAILS=$((FAILS + 1))
  else
    echo "ok   build refused for php 8.2 NTS + php-config 8.2 ZTS: $(head -n1 <<<"$out")"
  fi
fi
[ "$RAN" -gt 0 ] || { echo "nothing to check: build the matrix first"; exit 1; }
[ "$FAILS" -eq 0 ]
