#!/usr/bin/env bash
# The Makefile's label selections pick what they say: ctest's -L/-LE take regular
# expressions matched against each label, so a bare `-L long` also picks `soak_long`
# (the 20-minute soak once ran in CI's `make test-long` that way and failed it).
#   check-ctest-labels.sh SOURCE_DIR BUILD_DIR
# Reads the label arguments from the Makefile's test and test-long recipes and lists what
# each selects: test-long must not hold a soak_long test, make test no long or soak_long one.
set -uo pipefail
src=${1:?usage: check-ctest-labels.sh SOURCE_DIR BUILD_DIR}
build=${2:?usage: check-ctest-labels.sh SOURCE_DIR BUILD_DIR}
recipe() {  # the label option and its regex from the recipe line under target $1
  awk -v t="$1:" '$1 == t { on = 1; next } on && /^\t/ { print; next } on { exit }' "$src/Makefile" |
    grep -oE -- "-L[E]? ('[^']*'|[^ ]+)" | sed -e "s/\\\$\\\$/\$/g" -e "s/'//g"
}
listed() {  # test names ctest selects with option $1 and regex $2
  ctest --test-dir "$build" -N "$1" "$2" | sed -n 's/^ *Test *#[0-9]*: //p'
}
labels_of() {  # "name label;label" for every test
  ctest --test-dir "$build" --show-only=json-v1 |
    python3 -c 'import json,sys
for t in json.load(sys.stdin)["tests"]:
    labels=[l for p in t.get("properties",[]) if p["name"]=="LABELS" for l in p["value"]]
    print(t["name"], ";".join(labels))'
}
fail=0
read -r opt_long re_long <<< "$(recipe test-long)"
read -r opt_test re_test <<< "$(recipe test)"
[[ $opt_long == -L && -n $re_long ]] || { echo "no -L selection in the Makefile's test-long recipe"; exit 1; }
[[ $opt_test == -LE && -n $re_test ]] || { echo "no -LE selection in the Makefile's test recipe"; exit 1; }
all=$(labels_of)
in_long=$(listed -L "$re_long")
in_test=$(listed -LE "$re_test")
[[ -n $in_long ]] || { echo "make test-long ($opt_long $re_long) selects nothing"; fail=1; }
while read -r name labels; do
  [[ -n $name ]] || continue
  if grep -qx -- "$name" <<< "$in_long" && [[ ";$labels;" == *";soak_long;"* ]]; then
    echo "make test-long ($opt_long $re_long) selects $name (labels $labels): the 20-minute soak is not CI's"; fail=1
  fi
  if grep -qx -- "$name" <<< "$in_test" && [[ ";$labels;" == *";long;"* || ";$labels;" == *";soak_long;"* ]]; then
    echo "make test ($opt_test $re_test) selects $name (labels $labels)"; fail=1
  fi
  if [[ ";$labels;" == *";long;"* && ";$labels;" != *";soak_long;"* ]] && ! grep -qx -- "$name" <<< "$in_long"; then
    echo "make test-long ($opt_long $re_long) misses $name (labels $labels)"; fail=1
  fi
done <<< "$all"
exit $fail
