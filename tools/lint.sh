#!/usr/bin/env bash
# `make lint`: clang-tidy (checks in .clang-tidy) and cppcheck over the project's own sources
# (actors/, runtime/, messages/, tools/; not tests/ or bench/), from BUILD_DIR's compile
# database. Exit 0 = no finding, 1 = findings (listed), 2 = could not run.
#   tools/lint.sh BUILD_DIR [REGEX]     REGEX: only the files whose path matches
#   tools/lint.sh BUILD_DIR --changed [BASE]
#                                       only the sources changed since BASE (default
#                                       $LINT_BASE, else 20 commits back or the oldest a shallow
#                                       clone has; uncommitted edits count), a
#                                       changed header through its own .cpp: CI's bounded form.
#                                       LINT_MAX_FILES=N lints only the N most recently changed
#                                       (uncommitted first, then commit by commit back to BASE)
#                                       and names the rest; unset or 0: all of them
# clang cannot read g++'s precompiled CAF header, so the compile database is rewritten
# without the PCH include (BUILD_DIR/lint/compile_commands.json); each TU then includes CAF
# itself, as it would without PCH.
set -euo pipefail
build=$(cd "${1:?usage: tools/lint.sh BUILD_DIR [REGEX | --changed [BASE]]}" && pwd)
regex=${2:-'^(actors|runtime|messages|tools)/.*\.cpp$'}
src=$(cd "$(dirname "$0")/.." && pwd)
if [[ "${2:-}" == --changed ]]; then
  base=${3:-${LINT_BASE:-}}
  if [[ -n "$base" ]]; then
    git -C "$src" rev-parse --verify -q "$base^{commit}" > /dev/null \
      || { echo "lint: base $base is not a commit here"; exit 2; }
  else
    # The 20th commit back, or the oldest this clone has (a shallow clone has fewer).
    base=$(git -C "$src" rev-list --max-count=21 HEAD 2> /dev/null | tail -n 1)
    [[ -n "$base" ]] || { echo "lint: $src is not a git checkout with commits: set LINT_BASE"; exit 2; }
    echo "lint: base $(git -C "$src" rev-parse --short "$base") ($(git -C "$src" rev-list --count "$base..HEAD") commits back)"
  fi
  # Newest first: uncommitted edits, then each commit from HEAD back to base.
  mapfile -t changed < <({ git -C "$src" diff --name-only --diff-filter=d HEAD -- '*.cpp' '*.hpp'
                           git -C "$src" log --format= --name-only "$base..HEAD" -- '*.cpp' '*.hpp'; } \
                         | sed 's/\.hpp$/.cpp/' | grep -E '^(actors|runtime|messages|tools)/' | awk '!seen[$0]++' \
                         | while read -r f; do if [[ -f "$src/$f" ]]; then echo "$f"; fi; done)
  max=${LINT_MAX_FILES:-0}
  echo "lint: sources changed since $base: ${#changed[@]}"
  if ((max > 0 && ${#changed[@]} > max)); then
    echo "lint: LINT_MAX_FILES=$max: not linted (changed longer ago): ${changed[*]:max}"
    changed=("${changed[@]:0:max}")
  fi
  regex='^$'
  for f in "${changed[@]}"; do
    regex+="|^$(sed 's/[.[\*^$+?(){}|]/\\&/g' <<< "$f")\$"
  done
fi
jobs=${LINT_JOBS:-$(nproc)}
for tool in clang-tidy run-clang-tidy cppcheck jq; do
  command -v "$tool" > /dev/null || { echo "lint: $tool is not installed (tools/install-deps.sh)"; exit 2; }
done
[[ -f "$build/compile_commands.json" ]] || { echo "lint: no $build/compile_commands.json (configure first)"; exit 2; }

mkdir -p "$build/lint"
jq '[ .[] | .command |= (gsub(" -include [^ ]*cmake_pch\\.hxx"; "") | gsub(" -Winvalid-pch"; "")) ]' \
  "$build/compile_commands.json" > "$build/lint/compile_commands.json"

mapfile -t files < <(cd "$src" && git ls-files '*.cpp' | grep -E "$regex" | grep -Ev '^(tests|bench)/' || true)
if ((${#files[@]} == 0)); then echo "lint: no file matches $regex"; exit 0; fi
abs=("${files[@]/#/$src/}")
echo "lint: ${#files[@]} files, clang-tidy $(clang-tidy --version | sed -n 's/.*version \([0-9.]*\).*/\1/p') and cppcheck $(cppcheck --version | cut -d' ' -f2), $jobs jobs"

t0=$(date +%s)
tidy_log="$build/lint/clang-tidy.log"
# run-clang-tidy takes regexes; anchor each absolute path.
run-clang-tidy -quiet -p "$build/lint" -j "$jobs" "${abs[@]/%/\$}" 2>&1 | sed 's/\x1b\[[0-9;]*m//g' > "$tidy_log" || true
tidy=$(grep -E '^/.*: (warning|error): ' "$tidy_log" | sort -u || true)
echo "clang-tidy: $(grep -c . <<< "$tidy" || true) findings in $(( $(date +%s) - t0 )) s ($tidy_log)"

t0=$(date +%s)
cpp_log="$build/lint/cppcheck.log"
cppcheck --quiet --enable=warning,performance,portability --std=c++20 --language=c++ --inline-suppr \
  --suppressions-list="$src/tools/cppcheck.supp" -j "$jobs" -I "$src" \
  --template='{file}:{line}:{column}: {severity}: {message} [{id}]' "${abs[@]}" > "$cpp_log" 2>&1 || true
cpp=$(grep -E '^/.*: (warning|error|performance|portability): ' "$cpp_log" | sort -u || true)
echo "cppcheck: $(grep -c . <<< "$cpp" || true) findings in $(( $(date +%s) - t0 )) s ($cpp_log)"

if [[ -n "$tidy$cpp" ]]; then
  [[ -n "$tidy" ]] && echo "$tidy"
  [[ -n "$cpp" ]] && echo "$cpp"
  echo "lint: FAIL"
  exit 1
fi
echo "lint: clean"
