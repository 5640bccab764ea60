#!/usr/bin/env bash
# Regenerates stubs/ from the built module (after an API change).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
MCP_GUARD_SKIP_APT="${MCP_GUARD_SKIP_APT:-1}"
source "$ROOT/scripts/setup.sh"
check_rust
build_release
"$PHP" -n -d extension="$MCP_GUARD_SO" "$ROOT/tools/stubs.php" "$@"
