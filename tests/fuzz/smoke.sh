#!/usr/bin/env bash
# Runs every cargo-fuzz target under fuzz/ for a short while (default 25 s
# each over every target `cargo fuzz list` names; MCP_GUARD_FUZZ_SECONDS to
# change), installing cargo-fuzz when it is missing. Needs the nightly
# toolchain (libFuzzer + sanitizer flags). Each target starts from its
# committed seeds (fuzz/seeds/<target>/, read-only) and its working corpus
# (fuzz/corpus/<target>/, not committed). Fails on any crash; artifacts land in
# fuzz/artifacts/<target>/. Long runs: see fuzz/README.md.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
SECONDS_EACH="${MCP_GUARD_FUZZ_SECONDS:-25}"
cd "$ROOT/fuzz"

if ! rustup toolchain list | grep -q '^nightly'; then
  echo "fuzz smoke skipped: no nightly toolchain (rustup toolchain install nightly)"
  exit 0
fi
if ! cargo +nightly fuzz --version >/dev/null 2>&1; then
  cargo install cargo-fuzz --locked --quiet
fi

status=0
for target in $(cargo +nightly fuzz list); do
  echo "--- fuzz $target (${SECONDS_EACH} s)"
  mkdir -p "corpus/$target"
  seeds=()
  if [ -d "seeds/$target" ]; then seeds=("seeds/$target"); fi
  log="$(mktemp)"
  if cargo +nightly fuzz run "$target" "corpus/$target" "${seeds[@]}" -- \
      -max_total_time="$SECONDS_EACH" -rss_limit_mb=1024 -max_len=65536 >"$log" 2>&1; then
    grep -E '^Done [0-9]+ runs' "$log" || tail -n 3 "$log"
  else
    tail -n 40 "$log"
    echo "fuzz target $target FAILED"
    status=1
  fi
  rm -f "$log"
done
exit "$status"
