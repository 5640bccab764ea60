# shellcheck shell=bash
# mcp_venv ROOT: makes sure the venv of the Python `mcp` SDK tests exists
# (PyPI, pinned, unmodified), kept under the checkout (.venv-mcp, gitignored)
# or at $MCP_GUARD_MCP_VENV; sets VENV to it.
MCP_VERSION="2.3.0"
mcp_venv() {
  VENV="${MCP_GUARD_MCP_VENV:-$1/.venv-mcp}"
  if [ ! -x "$VENV/bin/python" ] || [ "$("$VENV/bin/python" -c 'from importlib.metadata import version; print(version("mcp"))' 2>/dev/null)" != "$MCP_VERSION" ]; then
    timeout 120 python3 -m venv "$VENV"
    timeout 600 "$VENV/bin/pip" install --quiet --disable-pip-version-check "mcp==$MCP_VERSION"
  fi
}
