dnl mcp_guard: the phpize / PECL / PIE build. The extension is Rust; this only
dnl checks for cargo and hands the build to pie/Makefile.frag.
PHP_ARG_ENABLE([mcp_guard],
  [whether to enable mcp_guard],
  [AS_HELP_STRING([--enable-mcp_guard], [Enable mcp_guard (built with cargo)])],
  [no])

if test "$PHP_MCP_GUARD" != "no"; then
  AC_PATH_PROG([CARGO], [cargo], [no], [$PATH:$HOME/.cargo/bin])
  if test "$CARGO" = "no"; then
    AC_MSG_ERROR([cargo not found: mcp_guard is written in Rust; install Rust 1.88+ (rustup) first])
  fi
  AC_MSG_CHECKING([for the mcp_guard crate])
  MCP_GUARD_CRATE=`cd "$abs_srcdir/.." && pwd`
  if test ! -f "$MCP_GUARD_CRATE/Cargo.toml"; then
    AC_MSG_ERROR([Cargo.toml not found in $MCP_GUARD_CRATE])
  fi
  AC_MSG_RESULT([$MCP_GUARD_CRATE])
  PHP_SUBST([CARGO])
  PHP_SUBST([MCP_GUARD_CRATE])
  dnl the php-config this phpize was run with, so cargo builds against the same PHP
  MCP_GUARD_PHP_CONFIG="$PHP_CONFIG"
  PHP_SUBST([MCP_GUARD_PHP_CONFIG])
  PHP_ADD_MAKEFILE_FRAGMENT([$abs_srcdir/Makefile.frag])
fi
