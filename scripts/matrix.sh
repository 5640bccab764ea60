#!/usr/bin/env bash
# Builds mcp_guard for each PHP of the support table and runs the PHP suites
# through each build (the README's "Supported PHP" table comes from this):
#
#   8.2-nts  Debian 12's own PHP 8.2 (/usr/bin/php8.2), as scripts/test.sh
#   8.4-nts  Debian 13's PHP 8.4 packages, in a debootstrapped trixie root
#            ($MATRIX/trixie) entered with chroot in a private mount namespace
#            (the checkout, the Rust toolchain and Debian 12's PHP libraries —
#            PHPUnit 9.6, Symfony — are mounted in, so every PHP runs the same
#            suites with the same libraries); the module is built inside it
#            against Debian 13's php-config8.4 and libclang
#   8.2-zts  PHP 8.2 built thread-safe (--enable-zts, with the embed SAPI and
#            php-fpm) from the upstream tarball of Debian's php8.2 source
#            package ($MATRIX/php-8.2-zts)
#
# For each: cargo build (a target dir of its own), the whole PHPUnit suite,
# the php-fpm limiter test (tests/ratelimit/fpm.sh), both install paths
# (scripts/install.sh, tests/install/phpize.sh), `php --ri` (tests/install/ri.sh);
# for ZTS also the threaded host (tests/zts/threads.sh). With every build at
# hand, tests/install/mismatch.sh checks what PHP says when a module built for
# another PHP is loaded.
#
#   scripts/matrix.sh                    all three
#   scripts/matrix.sh 8.4-nts 8.2-zts    some (scripts/test.sh runs these two:
#                                        it has run everything on 8.2 NTS already)
#   MCP_GUARD_MATRIX_DIR=/path           where the roots and PHP builds are kept
#                                        (default .matrix/; kept between runs)
#   MCP_GUARD_SKIP_APT=1                 do not install host packages
#
# Needs root (debootstrap, chroot, mount; apt-get for the build packages).
set -uo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
# shellcheck source=setup.sh
source "$ROOT/scripts/setup.sh"
set +e
MATRIX="${MCP_GUARD_MATRIX_DIR:-$ROOT/.matrix}"
MIRROR="${MCP_GUARD_DEBIAN_MIRROR:-http://deb.debian.org/debian}"
JOBS="$(nproc)"
CARGO_HOME="${CARGO_HOME:-$HOME/.cargo}"
RUSTUP_HOME="${RUSTUP_HOME:-$HOME/.rustup}"

TRIXIE="$MATRIX/trixie"
TRIXIE_PACKAGES=(php8.4-cli php8.4-dev php8.4-fpm php8.4-sqlite3 php8.4-mbstring php8.4-xml php8.4-mysql
  php8.4-intl libclang-dev gcc libc6-dev make pkg-config ca-certificates libfcgi-bin procps curl git strace)
ZTS="$MATRIX/php-8.2-zts"
ZTS_CONFIGURE=(--enable-zts --enable-embed=shared --enable-cli --enable-fpm --disable-cgi --disable-phpdbg
  --without-pear --disable-fileinfo --disable-phar
  --with-config-file-path="$ZTS/etc" --with-config-file-scan-dir="$ZTS/etc/conf.d"
  --enable-mbstring --enable-intl --enable-pcntl --enable-sockets --with-openssl --with-sodium --with-zlib
  --with-pdo-sqlite --with-sqlite3 --with-pdo-mysql=mysqlnd --enable-sysvsem --enable-sysvshm --enable-shmop)

PASSED=0; FAILED=0; FAILED_STEPS=()
check() { # check NAME CMD...: the command's output as it comes (indented), then ok/FAIL
  local name="$1"; shift
  local t0=$SECONDS
  echo "--- $name"
  "$@" 2>&1 | sed -u 's/^/    /'
  local rc=${PIPESTATUS[0]}
  if [ "$rc" -eq 0 ]; then
    PASSED=$((PASSED + 1)); echo "ok   $name ($((SECONDS - t0)) s)"
  else
    FAILED=$((FAILED + 1)); FAILED_STEPS+=("$name"); echo "FAIL $name (exit $rc, $((SECONDS - t0)) s)"
  fi
  return "$rc"
}

# ---- Debian 13 root (PHP 8.4) -------------------------------------------------

# in_trixie CMD...: runs CMD as root of the trixie tree, in a mount namespace of
# its own (every mount vanishes with it, also when CMD fails or is killed).
in_trixie() {
  unshare --mount --propagation private -- /bin/bash -euc '
    R="$1"; ROOT="$2"; CH="$3"; RH="$4"; shift 4
    mkdir -p "$R$ROOT" "$R$CH" "$R$RH"
    mount --bind "$ROOT" "$R$ROOT"
    mount --bind "$CH" "$R$CH"
    mount --bind "$RH" "$R$RH"
    mount --bind /usr/share/php "$R/usr/share/php"
    mount -o remount,bind,ro "$R/usr/share/php"
    mount -t proc proc "$R/proc"
    mount --rbind /dev "$R/dev"
    exec chroot "$R" /usr/bin/env HOME="$HOME" CARGO_HOME="$CH" RUSTUP_HOME="$RH" \
      PATH="$CH/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin" "$@"
  ' in_trixie "$TRIXIE" "$ROOT" "$CARGO_HOME" "$RUSTUP_HOME" "$@"
}

# trixie_apt ARGS...: apt-get in the root, with only /proc and /dev mounted (the
# packages write their own files, /usr/share/php among them).
trixie_apt() {
  unshare --mount --propagation private -- /bin/bash -euc '
    R="$1"; shift
    mount -t proc proc "$R/proc"
    mount --rbind /dev "$R/dev"
    exec chroot "$R" /usr/bin/env DEBIAN_FRONTEND=noninteractive PATH=/usr/sbin:/usr/bin:/sbin:/bin apt-get "$@"
  ' trixie_apt "$TRIXIE" "$@"
}

prepare_trixie() {
  local want; want="$(printf '%s\n' "${TRIXIE_PACKAGES[@]}")"
  if [ -f "$TRIXIE/.mcp-guard-packages" ] && [ "$(cat "$TRIXIE/.mcp-guard-packages")" = "$want" ]; then
    echo "trixie root: $TRIXIE (kept)"; return 0
  fi
  if [ ! -x "$TRIXIE/usr/bin/apt-get" ]; then
    echo "debootstrap --variant=minbase trixie into $TRIXIE"
    rm -rf "$TRIXIE"; mkdir -p "$MATRIX"
    debootstrap --variant=minbase trixie "$TRIXIE" "$MIRROR" >"$MATRIX/debootstrap.log" 2>&1 \
      || { tail -n 30 "$MATRIX/debootstrap.log"; return 1; }
  fi
  # The packages through apt in the root (its resolver, not debootstrap's).
  cp /etc/resolv.conf "$TRIXIE/etc/resolv.conf"
  echo "apt-get install ${TRIXIE_PACKAGES[*]}"
  trixie_apt update -qq && trixie_apt install -y -qq --no-install-recommends "${TRIXIE_PACKAGES[@]}" >/dev/null || return 1
  # Debian 12's PHPUnit 9.6 script, run by the root's own PHP 8.4.
  install -m 0755 /usr/bin/phpunit "$TRIXIE/usr/bin/phpunit"
  printf '%s\n' "${TRIXIE_PACKAGES[@]}" >"$TRIXIE/.mcp-guard-packages"
  echo "trixie root: $(in_trixie php8.4 -r 'echo "PHP ", PHP_VERSION, PHP_ZTS ? " ZTS" : " NTS";')"
}

# ---- PHP 8.2 ZTS, from Debian's source package ---------------------------------

fetch_php_source() { # prints the unpacked source dir
  local apt="$MATRIX/apt" src="$MATRIX/src"
  mkdir -p "$apt/lists/partial" "$src"
  local kr=/usr/share/keyrings/debian-archive-keyring.gpg
  local sec="${MIRROR%/debian}/debian-security"
  cat >"$apt/sources.list" <<LIST
deb-src [signed-by=$kr] $MIRROR bookworm main
deb-src [signed-by=$kr] $MIRROR bookworm-updates main
deb-src [signed-by=$kr] $sec bookworm-security main
LIST
  local opts=(-o "Dir::Etc::SourceList=$apt/sources.list" -o Dir::Etc::SourceParts=/dev/null
    -o "Dir::State::Lists=$apt/lists" -o APT::Sandbox::User=root)
  apt-get "${opts[@]}" update -qq >&2 || return 1
  local v dir
  # Newest first; a version the mirror lists but no longer holds is skipped.
  for v in $(apt-cache "${opts[@]}" showsrc php8.2 | awk '/^Version:/ {print $2}' | sort -rV | uniq); do
    dir="$src/php-${v%%-*}"
    if [ -f "$dir/configure" ]; then echo "$dir"; return 0; fi
    if (cd "$src" && apt-get "${opts[@]}" source -qq --download-only "php8.2=$v" >&2); then
      tar -xf "$src/php8.2_${v%%-*}.orig.tar.xz" -C "$src" || return 1
      echo "$dir"; return 0
    fi
  done
  echo "no php8.2 source package could be downloaded" >&2
  return 1
}

prepare_zts() {
  local want; want="$(printf '%s\n' "${ZTS_CONFIGURE[@]}")"
  if [ -x "$ZTS/bin/php" ] && [ "$(cat "$ZTS/.mcp-guard-configure" 2>/dev/null)" = "$want" ]; then
    echo "PHP ZTS: $ZTS (kept)"; return 0
  fi
  local dir; dir="$(fetch_php_source)" || return 1
  echo "building $(basename "$dir") --enable-zts into $ZTS ($JOBS jobs; about 10 minutes on 2 cores)"
  rm -rf "$ZTS"
  (cd "$dir" && make distclean >/dev/null 2>&1; CFLAGS=-O2 ./configure -q --prefix="$ZTS" "${ZTS_CONFIGURE[@]}" >"$MATRIX/zts-configure.log" 2>&1) \
    || { tail -n 30 "$MATRIX/zts-configure.log"; return 1; }
  # Progress: a line per 100 files compiled (about 570 in all); the full log stays in $MATRIX.
  (cd "$dir" && set -o pipefail && make -j"$JOBS" 2>&1 | tee "$MATRIX/zts-make.log" \
      | awk '/--mode=compile/ && ++n % 100 == 0 { print "compiled " n " files"; fflush() }' \
      && make install >>"$MATRIX/zts-make.log" 2>&1) \
    || { grep -m 20 -E 'error|Error' "$MATRIX/zts-make.log"; return 1; }
  mkdir -p "$ZTS/etc/conf.d"
  # Debian's PHP libraries (PHPUnit 9.6, Symfony), found the way Debian's own PHP finds them.
  printf '%s\n' '; written by scripts/matrix.sh' 'include_path = ".:/usr/share/php"' >"$ZTS/etc/php.ini"
  printf '%s\n' "${ZTS_CONFIGURE[@]}" >"$ZTS/.mcp-guard-configure"
  echo "PHP ZTS: $("$ZTS/bin/php" -r 'echo "PHP ", PHP_VERSION, PHP_ZTS ? " ZTS" : " NTS";')"
}

# ---- the suites, for one PHP ------------------------------------------------------

# target_env NAME: sets RUN (a command prefix) and the PHP paths of a target.
target_env() {
  RUN=(env); TARGET_DIR="$ROOT/target/php-$1"
  case "$1" in
    8.2-nts) PHP_BIN=/usr/bin/php8.2; PHP_CFG=/usr/bin/php-config8.2; FPM_BIN=/usr/sbin/php-fpm8.2 ;;
    8.4-nts) PHP_BIN=/usr/bin/php8.4; PHP_CFG=/usr/bin/php-config8.4; FPM_BIN=/usr/sbin/php-fpm8.4; RUN=(in_trixie env) ;;
    8.2-zts) PHP_BIN="$ZTS/bin/php"; PHP_CFG="$ZTS/bin/php-config"; FPM_BIN="$ZTS/sbin/php-fpm" ;;
  esac
  SO="$TARGET_DIR/release/libmcp_guard.so"
  RUN+=(PHP="$PHP_BIN" PHP_CONFIG="$PHP_CFG" PHP_FPM="$FPM_BIN" MCP_GUARD_SO="$SO"
    CARGO_TARGET_DIR="$TARGET_DIR" MCP_GUARD_SKIP_APT=1)
}

in_target() { "${RUN[@]}" "$@"; }

run_target() {
  local t="$1"
  echo
  echo "=== PHP $t"
  case "$t" in
    8.4-nts) check "PHP $t: Debian 13 root with php8.4" prepare_trixie || return ;;
    8.2-zts) check "PHP $t: built from Debian's php8.2 source package" prepare_zts || return ;;
  esac
  target_env "$t"
  check "PHP $t: cargo build --release" in_target bash -c 'cd "$0" && cargo build --release --locked --quiet' "$ROOT" || return
  check "PHP $t: PHPUnit (every suite, through this build)" in_target bash "$ROOT/scripts/php.sh" "$(command -v phpunit)" -c "$ROOT/tests/php/phpunit.xml"
  check "PHP $t: rate limit exact across php-fpm and php -S workers" in_target bash "$ROOT/tests/ratelimit/fpm.sh"
  check "PHP $t: install path scripts/install.sh" in_target bash "$ROOT/scripts/install.sh"
  check "PHP $t: php --ri mcp_guard (built for this PHP)" in_target bash "$ROOT/tests/install/ri.sh"
  check "PHP $t: install path phpize && configure && make && make install" in_target bash "$ROOT/tests/install/phpize.sh"
  if [ "$t" = 8.2-zts ]; then
    check "PHP $t: one table, per-request INI and per-thread caches under 8 threads (embed SAPI)" in_target bash "$ROOT/tests/zts/threads.sh"
  fi
}

TARGETS=("$@")
[ "${#TARGETS[@]}" -gt 0 ] || TARGETS=(8.2-nts 8.4-nts 8.2-zts)
for t in "${TARGETS[@]}"; do
  case "$t" in
    8.2-nts | 8.4-nts | 8.2-zts) ;;
    *) echo "unknown target $t (8.2-nts, 8.4-nts, 8.2-zts)" >&2; exit 2 ;;
  esac
done
[ "$(id -u)" -eq 0 ] || { echo "scripts/matrix.sh needs root (debootstrap, chroot, mount)" >&2; exit 2; }
install_packages "${MATRIX_PACKAGES[@]}"
check_rust
for t in "${TARGETS[@]}"; do run_target "$t"; done

echo
echo "=== a module built for another PHP"
check "load refusals: PHP names the mismatch, nothing crashes" bash "$ROOT/tests/install/mismatch.sh" "$ROOT" "$ZTS" "$TRIXIE"

echo
[ "$FAILED" -eq 0 ] || printf 'failed: %s\n' "${FAILED_STEPS[@]}"
echo "matrix (${TARGETS[*]}): $PASSED passed, $FAILED failed"
[ "$FAILED" -eq 0 ]
