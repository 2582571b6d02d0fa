# 247trader — the two-command quick start is `make run` and `make test`.
# Every target installs missing Debian packages first (tools/install-deps.sh). The test targets
# run ctest through tests/meta/run-ctest.sh: it ends with how many tests ran, passed, failed and
# skipped (and why), and fails when a test skipped that must run on every machine.

BUILD      ?= build
BUILD_TYPE ?= RelWithDebInfo
CTEST_ARGS ?=
JOBS       ?= $(shell nproc)
CONFIG     ?= config

# ccache with precompiled headers needs these to produce cache hits.
export CCACHE_SLOPPINESS := pch_defines,time_macros,include_file_mtime,include_file_ctime
export CCACHE_DIR ?= $(HOME)/.cache/ccache
# Paths below the checkout are hashed relative to it, so a fresh clone elsewhere (CI) hits.
export CCACHE_BASEDIR := $(CURDIR)
# UBSan: suppress only the known third-party report (tools/ubsan.supp).
export UBSAN_OPTIONS ?= print_stacktrace=1:halt_on_error=1:suppressions=$(CURDIR)/tools/ubsan.supp
# TSan: the explained third-party suppressions (tools/tsan.supp); a report fails the binary
# (exit code 66) even when its tests passed.
export TSAN_OPTIONS ?= suppressions=$(CURDIR)/tools/tsan.supp:second_deadlock_stack=1:exitcode=66

.PHONY: all deps configure build test test-all test-long test-asan test-asan-ci test-tsan test-tsan-ci test-fault bench run run-dry clean install package package-check package-install-check sanitize lint lint-changed fuzz soak

# The sanitizer subset CI runs (bounded): the supervisor, the state store and its fault
# tests, configuration, control socket, JWT, the simex engine, and the exchange layer's pure
# logic (WS parser and book, rate limiter, REST parsers).
ASAN_CI_TESTS ?= core_supervisor_test risk_gate_test messages_unit_test persistence_unit_test \
                 state_fault_test control_unit_test net_jwt_test simex_engine_test config_test \
                 feed_unit_test rate_limit_test exchange_rest_unit_test

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

RUN_CTEST = tests/meta/run-ctest.sh
# The conformance test's npm package ccxt, from the npm registry into the build tree (once).
# A failed install is reported here and again at the end, where the skipped test fails the run.
INSTALL_CCXT = -@tools/install-deps.sh --ccxt

# The default suite: everything except the long fault/soak runs, which have bounded
# variants inside it (see docs/testing.md).
test: build
	$(INSTALL_CCXT) $(BUILD)/npm-ccxt
	@$(RUN_CTEST) $(BUILD) --output-on-failure -j $(JOBS) -LE long $(CTEST_ARGS)

# Everything, including the long fault and soak labels.
test-all: build
	$(INSTALL_CCXT) $(BUILD)/npm-ccxt
	@$(RUN_CTEST) $(BUILD) --output-on-failure -j $(JOBS) $(CTEST_ARGS)

# The long fault and soak runs (≥ 200 kills and corruptions); bounded, a minute or so.
test-long: build
	@$(RUN_CTEST) $(BUILD) --output-on-failure -L '^long$$' $(CTEST_ARGS)

test-fault: build
	@$(RUN_CTEST) $(BUILD) --output-on-failure -L fault $(CTEST_ARGS)

# AddressSanitizer + UBSan build of the whole suite in build-asan/.
test-asan: deps
	cmake -S . -B build-asan -G Ninja -DCMAKE_BUILD_TYPE=Debug -DTRADER_SANITIZE=ON -DTRADER_PCH=OFF
	cmake --build build-asan -j $(JOBS)
	$(INSTALL_CCXT) build-asan/npm-ccxt
	@$(RUN_CTEST) build-asan --output-on-failure -j $(JOBS) -LE long $(CTEST_ARGS)

# CI's bounded sanitizer run: ASAN_CI_TESTS built with ASan + UBSan and run directly.
test-asan-ci: deps
	cmake -S . -B build-asan -G Ninja -DCMAKE_BUILD_TYPE=Debug -DTRADER_SANITIZE=ON -DTRADER_PCH=OFF
	cmake --build build-asan -j $(JOBS) --target $(ASAN_CI_TESTS)
	tools/run-test-binaries.sh build-asan $(ASAN_CI_TESTS)

# ThreadSanitizer (build-tsan/, PCH off, -O1): the whole tree, and the whole default suite
# (unit, actor, system: traderd and simex run under TSan too; a report exits 66, failing the
# test) under ctest -LE long, as test-asan does. CAF comes from Debian, not built with TSan:
# tools/tsan.supp says what that costs. TSAN_CI_TESTS is the bounded subset CI runs (the
# binaries whose code runs threads of its own; docs/quality.md has the times).
TSAN_CI_TESTS ?= control_unit_test persistence_unit_test core_registry_test core_supervisor_test \
                 rate_limit_test rate_limiter_actor_test metrics_unit_test systemd_notify_test \
                 alerting_net_test
TSAN_CONFIGURE = cmake -S . -B build-tsan -G Ninja -DCMAKE_BUILD_TYPE=Debug -DCMAKE_CXX_FLAGS_DEBUG="-g -O1" \
                 -DTRADER_SANITIZE=thread -DTRADER_PCH=OFF

test-tsan: deps
	$(TSAN_CONFIGURE)
	cmake --build build-tsan -j $(JOBS)
	$(INSTALL_CCXT) build-tsan/npm-ccxt
	@$(RUN_CTEST) build-tsan --output-on-failure -j $(JOBS) -LE long $(CTEST_ARGS)

# CI's bounded TSan run: TSAN_CI_TESTS.
test-tsan-ci: deps
	$(TSAN_CONFIGURE)
	cmake --build build-tsan -j $(JOBS) --target $(TSAN_CI_TESTS)
	tools/run-test-binaries.sh build-tsan $(TSAN_CI_TESTS)

# `make sanitize`: the whole default suite under ASan + UBSan with LeakSanitizer on (Linux
# ASan's default), in build-asan/ (test-asan), then under TSan in build-tsan/ (test-tsan).
sanitize: test-asan test-tsan

# clang-tidy (.clang-tidy) and cppcheck over the project's sources (tools/lint.sh);
# LINT_FILES narrows it to a regex of paths.
LINT_FILES ?=
lint: build
	@tools/install-deps.sh --lint
	tools/lint.sh $(BUILD) $(LINT_FILES)

# The bounded form: only the sources changed since LINT_BASE (default HEAD~20; a changed
# header through its .cpp, uncommitted edits included); LINT_MAX_FILES=N (environment) lints
# only the N most recently changed of them (CI: .ci/run).
LINT_BASE ?=
lint-changed: build
	@tools/install-deps.sh --lint
	tools/lint.sh $(BUILD) --changed $(LINT_BASE)

# libFuzzer targets (tests/fuzz/) built with clang in build-fuzz/ (ASan + UBSan) and run one
# after the other for FUZZ_SECONDS each at the lowest CPU priority; a crash fails the run and
# leaves its input in build-fuzz/artifacts/<target>/ (docs/quality.md). FUZZ_TARGETS narrows it.
FUZZ_SECONDS ?= 60
FUZZ_TARGETS ?=
fuzz:
	@tools/install-deps.sh --fuzz
	FUZZ_SECONDS=$(FUZZ_SECONDS) tests/fuzz/run-fuzz.sh $(FUZZ_TARGETS)

# The chaos soak (tests/soak/): traderd in PAPER and LIVE against simex with random faults
# from SOAK_SEED and the invariant checker after every step, for SOAK_MINUTES; SOAK_ARGS adds
# options (e.g. SOAK_ARGS="--weight sigkill=3").
SOAK_MINUTES ?= 5
SOAK_SEED ?= 1
SOAK_ARGS ?=
soak: build
	tests/soak/soak.py --build $(BUILD) --minutes $(SOAK_MINUTES) --seed $(SOAK_SEED) $(SOAK_ARGS)

# Runs every benchmark and merges their figures into bench/results/latest.json.
bench: build
	bench/run_all.sh $(BUILD)

# PAPER mode against simex on 127.0.0.1:8790, both started here (tools/run-paper.sh);
# traderd runs in the foreground and Ctrl-C stops both cleanly.
run: build
	tools/run-paper.sh $(BUILD)

# traderd alone with CONFIG (default DRY_RUN; the exchange URLs must answer, e.g. simex).
run-dry: build
	$(BUILD)/bin/traderctl --config $(CONFIG) state init
	$(BUILD)/bin/traderd --config $(CONFIG)

install: build
	cmake --install $(BUILD)

package: build
	cd $(BUILD) && cpack -G DEB

# The .deb an operator would accept: stripped binaries with a -dbgsym .ddeb, maintainer
# scripts, conffiles, lintian clean, the shipped configuration validates
# (tests/package/check-package.sh). package-install-check also installs it into a fresh
# Debian 12 root (debootstrap; needs root and the Debian mirror) and starts traderd there.
package-check: package
	@tools/install-deps.sh --package
	tests/package/check-package.sh $(BUILD)

package-install-check: package
	@tools/install-deps.sh --package
	tests/package/check-package.sh $(BUILD) --fresh-root

clean:
	rm -rf $(BUILD) build-asan build-tsan build-fuzz
