# The two commands: `make demo` (set up, build, run the server with demo models) and `make test` (set up,
# build, run the whole suite). Everything else is a step of those.
PRESET ?= release
BUILD_DIR := build/$(PRESET)
JOBS ?= $(shell nproc)
# ccache's settings (hits across checkouts in different folders, precompiled headers) are the build's own: the
# top-level CMakeLists.txt passes them to every compile.

.PHONY: setup configure build test test-asan demo clean format lint

setup:
	bash scripts/setup.sh

configure: setup
	cmake --preset $(PRESET) >/dev/null

build: configure
	cmake --build --preset $(PRESET) -j $(JOBS)
	@mkdir -p build/bin && ln -sf ../$(PRESET)/bin/maasd build/bin/maasd && ln -sf ../$(PRESET)/bin/maas build/bin/maas
	@echo "built: build/bin/maasd build/bin/maas"

test: build
	ctest --preset $(PRESET) -j $(JOBS) --timeout 900

# The same suite under AddressSanitizer + UndefinedBehaviorSanitizer (what CI runs after `make test`).
test-asan:
	$(MAKE) test PRESET=asan

demo: build
	bash scripts/demo.sh build/bin

# clang-format and clang-tidy as CI runs them (scripts/lint.sh: the changed lines and files; --strict: the tree).
lint:
	bash scripts/lint.sh

# Reformats every tracked C++ file in place (one commit, when no branch is open: it touches most files).
format:
	bash scripts/setup.sh lint
	git ls-files '*.cc' '*.h' | xargs clang-format -i

clean:
	rm -rf build
