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
# One pass over every test (a grep per test and selection took over 60 s with 1,700 tests).
check='import os
env = os.environ
in_long = set(env["IN_LONG"].splitlines())
in_test = set(env["IN_TEST"].splitlines())
opt_long, opt_test = env["OPT_LONG"], env["OPT_TEST"]
for line in env["ALL"].splitlines():
    if not line.strip():
        continue
    name, _, labels = line.partition(" ")
    ls = set(labels.split(";"))
    if name in in_long and "soak_long" in ls:
        print(f"make test-long ({opt_long}) selects {name} (labels {labels}): the 20-minute soak is not for CI")
    if name in in_test and ("long" in ls or "soak_long" in ls):
        print(f"make test ({opt_test}) selects {name} (labels {labels})")
    if "long" in ls and "soak_long" not in ls and name not in in_long:
        print(f"make test-long ({opt_long}) misses {name} (labels {labels})")'
if ! problems=$(IN_LONG="$in_long" IN_TEST="$in_test" ALL="$all" OPT_LONG="$opt_long $re_long" \
                OPT_TEST="$opt_test $re_test" python3 -c "$check"); then
  echo "the label check itself failed"
  fail=1
fi
if [[ -n $problems ]]; then
  echo "$problems"
  fail=1
fi
exit $fail
