#!/usr/bin/env bash
# Sets everything up on Debian 12 (packages, build, install into PHP) and runs
# the demo: issue a token, show it once, store its hash in SQLite, verify it.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bash "$ROOT/scripts/install.sh"
echo
"${PHP:-/usr/bin/php8.2}" "$ROOT/examples/demo.php" "$@"
