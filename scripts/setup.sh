#!/usr/bin/env bash
# Installs what mcp_guard needs on Debian 12 (idempotent) and builds the
# extension in release mode. Sourced by demo.sh and test.sh; runnable alone.
#
#   MCP_GUARD_SKIP_APT=1   skip apt-get (packages already there)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export PHP="${PHP:-/usr/bin/php8.2}"
export PHP_CONFIG="${PHP_CONFIG:-/usr/bin/php-config8.2}"

# Build: php8.2-dev (headers, phpize, php-config), libclang-dev (bindgen).
# Tests: phpunit, sqlite, php-fpm + cgi-fcgi, valgrind, MariaDB, Chromium +
# chromedriver (the consent page in a real browser); symfony/console (bin/mcp-guard),
# psr/log + monolog (the PSR-3 audit sink).
APT_PACKAGES=(
  php8.2-cli php8.2-dev libclang-dev make
  php8.2-sqlite3 php8.2-mbstring php8.2-xml phpunit
  php8.2-fpm libfcgi-bin valgrind
  mariadb-server php8.2-mysql
  redis-server php8.2-redis php8.2-apcu php-symfony-rate-limiter php-symfony-cache curl
  php-symfony-console php-psr-log php-monolog php8.2-intl
  python3-venv strace
  chromium chromium-driver
)

# Only for scripts/matrix.sh (other PHPs): a Debian 13 root, and the build of a
# thread-safe PHP 8.2 from its source package.
MATRIX_PACKAGES=(
  debootstrap xz-utils pkg-config
  libxml2-dev libsqlite3-dev libonig-dev libsodium-dev libssl-dev zlib1g-dev libicu-dev
)

need_root() {
  if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1; then echo sudo; else
      echo "mcp_guard: installing packages needs root (or sudo)." >&2; exit 1
    fi
  fi
}

install_packages() {
  if [ "${MCP_GUARD_SKIP_APT:-0}" = 1 ]; then return; fi
  local missing=()
  for p in "${APT_PACKAGES[@]}" "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  local sudo; sudo="$(need_root)"
  echo "==> apt-get update"
  $sudo apt-get update -qq
  if [ "${#missing[@]}" -gt 0 ]; then
    echo "==> apt-get install ${missing[*]}"
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  fi
}

check_rust() {
  if ! command -v cargo >/dev/null 2>&1; then
    cat >&2 <<'MSG'
mcp_guard: cargo was not found. The extension is written in Rust and needs
Rust 1.88 or newer (Debian 12's own rustc is too old). Install it with rustup
(https://rustup.rs), open a new shell, and run this command again.
MSG
    exit 1
  fi
}

# "8.2 NTS": the release and thread safety of a php binary, or of a php-config.
php_flavour() { "$PHP" -r 'echo PHP_MAJOR_VERSION, ".", PHP_MINOR_VERSION, PHP_ZTS ? " ZTS" : " NTS";'; }
php_config_flavour() {
  local zts=NTS
  grep -q '^#define ZTS 1' "$("$PHP_CONFIG" --include-dir)/main/php_config.h" 2>/dev/null && zts=ZTS
  echo "$("$PHP_CONFIG" --version | cut -d. -f1,2) $zts"
}

# The build takes thread safety from $PHP and the headers from $PHP_CONFIG: two
# different PHPs (php pointing at 8.4, php-config at 8.2, say) would give a
# module that loads into neither. Refuse before building.
check_php_pair() {
  local bin cfg
  bin="$(php_flavour 2>/dev/null)" || { echo "mcp_guard: cannot run PHP=$PHP" >&2; exit 1; }
  cfg="$(php_config_flavour 2>/dev/null)" || { echo "mcp_guard: cannot run PHP_CONFIG=$PHP_CONFIG" >&2; exit 1; }
  if [ "$bin" != "$cfg" ]; then
    echo "mcp_guard: PHP=$PHP is PHP $bin but PHP_CONFIG=$PHP_CONFIG is PHP $cfg." >&2
    echo "Set both to the same PHP (e.g. PHP=/usr/bin/php8.4 PHP_CONFIG=/usr/bin/php-config8.4)." >&2
    exit 1
  fi
}

build_release() {
  check_php_pair
  echo "==> cargo build --release (for PHP $(php_flavour))"
  (cd "$ROOT" && cargo build --release --locked --quiet)
  MCP_GUARD_SO="${CARGO_TARGET_DIR:-$ROOT/target}/release/libmcp_guard.so"
  export MCP_GUARD_SO
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
  install_packages
  check_rust
  build_release
  echo "built $MCP_GUARD_SO"
fi
