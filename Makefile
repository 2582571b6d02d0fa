# 247trader — the two-command quick start is `make run` and `make test`.
# Every target installs missing Debian packages first (tools/install-deps.sh).

BUILD      ?= build
BUILD_TYPE ?= RelWithDebInfo
CTEST_ARGS ?=
JOBS       ?= $(shell nproc)
CONFIG     ?= config

# ccache with precompiled headers needs these to produce cache hits.
export CCACHE_SLOPPINESS := pch_defines,time_macros,include_file_mtime,include_file_ctime
export CCACHE_DIR ?= $(HOME)/.cache/ccache

.PHONY: all deps configure build test test-all test-asan test-fault bench run clean install package

all: build

deps:
	@tools/install-deps.sh

$(BUILD)/build.ninja:
	@$(MAKE) --no-print-directory deps
	cmake -S . -B $(BUILD) -G Ninja -DCMAKE_BUILD_TYPE=$(BUILD_TYPE)

configure: deps
	cmake -S . -B $(BUILD) -G Ninja -DCMAKE_BUILD_TYPE=$(BUILD_TYPE)

build: deps $(BUILD)/build.ninja
	cmake --build $(BUILD) -j $(JOBS)

# The default suite: everything except the long fault/soak runs, which have bounded
# variants inside it (see docs/testing.md).
test: build
	cd $(BUILD) && ctest --output-on-failure -j $(JOBS) -LE long $(CTEST_ARGS)

# Everything, including the long fault and soak labels.
test-all: build
	cd $(BUILD) && ctest --output-on-failure -j $(JOBS) $(CTEST_ARGS)

test-fault: build
	cd $(BUILD) && ctest --output-on-failure -L fault $(CTEST_ARGS)

# AddressSanitizer + UBSan build of the whole suite in build-asan/.
test-asan: deps
	cmake -S . -B build-asan -G Ninja -DCMAKE_BUILD_TYPE=Debug -DTRADER_SANITIZE=ON -DTRADER_PCH=OFF
	cmake --build build-asan -j $(JOBS)
	cd build-asan && ctest --output-on-failure -j $(JOBS) -LE long $(CTEST_ARGS)

# Runs every benchmark and merges their figures into bench/results/latest.json.
bench: build
	bench/run_all.sh $(BUILD)

# Starts traderd in the foreground (Ctrl-C stops it cleanly).
run: build
	$(BUILD)/bin/traderd --config $(CONFIG)

install: build
	cmake --install $(BUILD)

package: build
	cd $(BUILD) && cpack -G DEB

clean:
	rm -rf $(BUILD) build-asan
