# The two commands: `make demo` (set up, build, run the server with demo models) and `make test` (set up,
# build, run the whole suite). Everything else is a step of those.
PRESET ?= release
BUILD_DIR := build/$(PRESET)
JOBS ?= $(shell nproc)
# ccache's settings (hits across checkouts in different folders) are the build's own: the top-level CMakeLists.txt
# passes them to every compile, so that a plain `cmake --build` gets them too.

.PHONY: setup configure build test test-asan demo clean format

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

format:
	git ls-files '*.cc' '*.h' | xargs clang-format -i

clean:
	rm -rf build
