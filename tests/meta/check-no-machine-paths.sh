#!/usr/bin/env bash
# Fails when a file of the tree names an absolute path of one developer's machine (the work
# directory or a home directory): tests and tools find their data relative to the source tree
# or through CMake (e.g. TRADER_MARKET_DATA_DIR), so a fresh clone anywhere runs them all.
#   check-no-machine-paths.sh SOURCE_DIR
# Files: git's tracked and new (not ignored) files, or every file outside build*/ and .git/
# without git. Exit 0 = none found, 1 = each offending line printed.
set -uo pipefail
src=${1:?usage: check-no-machine-paths.sh SOURCE_DIR}
cd "$src" || exit 1
regex='(^|[^[:alnum:]_.-])/(work|home/[^/[:space:]"'\'']+)/'

if git rev-parse --is-inside-work-tree > /dev/null 2>&1; then
  list() { git ls-files -z --cached --others --exclude-standard; }
else
  list() { find . \( -path ./.git -o -path './build*' \) -prune -o -type f -print0; }
fi
# Files listed by git but deleted in the working tree are not there to read.
hits=$(list | xargs -0 -r grep -I -n -E -H -s -- "$regex")
if [[ -n "$hits" ]]; then
  echo "absolute paths of a developer machine (use paths relative to the source tree or a CMake variable):"
  echo "$hits"
  exit 1
fi
echo "no absolute path of a developer machine in $(list | tr -cd '\0' | wc -c) files"
