#!/usr/bin/env bash
# Runs the named GoogleTest executables of a build directory directly (for the bounded
# sanitizer run, where only a subset is built). Prints "N passed, N failed".
# Usage: tools/run-test-binaries.sh BUILD_DIR TARGET...
set -uo pipefail
build=$1
shift
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0}
here=$(cd "$(dirname "$0")" && pwd)
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1:suppressions=$here/ubsan.supp}
passed=0
failed=0
for t in "$@"; do
  exe=$(find "$(realpath "$build")" -type f -name "$t" -perm -u+x | head -1)
  if [[ -z "$exe" ]]; then
    echo "run-test-binaries: $t not built in $build" >&2
    failed=$((failed + 1))
    continue
  fi
  echo "== $t"
  if (cd "$build" && "$exe" --gtest_brief=1); then
    passed=$((passed + 1))
  else
    echo "run-test-binaries: $t FAILED" >&2
    failed=$((failed + 1))
  fi
done
echo "$passed passed, $failed failed"
[[ $failed -eq 0 ]]
