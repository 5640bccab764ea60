#!/usr/bin/env bash
# JWT interop with PyJWT + cryptography (from PyPI, in a throw-away venv):
# PyJWT signs RS256/ES256/EdDSA/HS256 tokens that the extension verifies
# through PHP, and PyJWT verifies the tokens the extension signed.
#
#   MCP_GUARD_INTEROP_VENV=/path   reuse an existing venv (nothing is deleted)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

VENV="${MCP_GUARD_INTEROP_VENV:-$WORK/venv}"
if [ ! -x "$VENV/bin/python" ]; then
  timeout 120 python3 -m venv "$VENV"
  timeout 300 "$VENV/bin/pip" install --quiet --disable-pip-version-check 'PyJWT>=2.8,<3' 'cryptography>=42'
fi

timeout 60 "$VENV/bin/python" "$ROOT/tests/jwt/interop.py" sign "$WORK"
timeout 60 "$ROOT/scripts/php.sh" "$ROOT/tests/jwt/interop.php" "$WORK"
timeout 60 "$VENV/bin/python" "$ROOT/tests/jwt/interop.py" verify "$WORK"
echo "jwt interop: ok"
