# Builds the Rust crate with cargo against this phpize's php-config and puts
# the module where `make install` (install-modules) looks for it.
all: modules/mcp_guard.so
build-modules: modules/mcp_guard.so

modules/mcp_guard.so: FORCE
	cd "$(MCP_GUARD_CRATE)" && PHP_CONFIG="$(MCP_GUARD_PHP_CONFIG)" PHP="$(PHP_EXECUTABLE)" "$(CARGO)" build --release --locked
	mkdir -p modules
	cp "$${CARGO_TARGET_DIR:-$(MCP_GUARD_CRATE)/target}/release/libmcp_guard.so" modules/mcp_guard.so

FORCE:
