# Convenience targets; each one calls a script under scripts/.
.PHONY: all build install demo test bench stubs
all: build
build:
	bash scripts/setup.sh
install:
	bash scripts/install.sh
demo:
	bash scripts/demo.sh
test:
	bash scripts/test.sh
bench:
	bash scripts/bench.sh
stubs:
	bash scripts/stubs.sh
