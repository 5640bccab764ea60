#!/usr/bin/env bash
# Runs every PHP benchmark (benches/php/*.php) through the freshly built module,
# one run each, side by side with the pure-PHP way; then, with --criterion, the
# criterion benches of the core.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
MCP_GUARD_SKIP_APT="${MCP_GUARD_SKIP_APT:-0}"
source "$ROOT/scripts/setup.sh"
install_packages
check_rust
build_release
for b in "$ROOT"/benches/php/*.php; do
  echo "=== $(basename "$b")"
  "$ROOT/scripts/php.sh" "$b"
done
if [ "${1:-}" = "--criterion" ]; then
  (cd "$ROOT" && cargo bench --no-default-features)
fi
