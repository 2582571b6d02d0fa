#!/usr/bin/env bash
# How the Makefile runs ctest: the given ctest arguments in BUILD_DIR, results also written as
# JUnit (BUILD_DIR/Testing/ctest-results.xml), then tests/meta/skip-report.sh prints how many
# tests ran, passed, failed and skipped (with each skip's reason) and fails the run when a
# test skipped that must run on every machine.
#
#   run-ctest.sh BUILD_DIR [CTEST_ARGS...]
#
# Exit: ctest's status when it failed, else 1 when a forbidden skip happened, else 0.
set -uo pipefail

build=${1:?usage: run-ctest.sh BUILD_DIR [CTEST_ARGS...]}
shift
here=$(cd "$(dirname "$0")" && pwd)
build=$(cd "$build" && pwd) || exit 1
results="$build/Testing/ctest-results.xml"
mkdir -p "$build/Testing"
rm -f "$results"

start=$(date +%s)
# Skipped tests count as passed for ctest's output limit: keep enough to show why they skipped.
(cd "$build" && ctest --output-junit "$results" --test-output-size-passed 16384 "$@")
status=$?
"$here/skip-report.sh" "$results" "$build"
report=$?
echo "test summary: ctest exit $status, $(($(date +%s) - start)) s"
if ((status != 0)); then exit "$status"; fi
exit "$report"
