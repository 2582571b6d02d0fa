#!/usr/bin/env bash
# Runs every benchmark registered with trader_add_bench and merges the flat JSON object
# each prints on its last stdout line into bench/results/latest.json.
# Usage: bench/run_all.sh [BUILD_DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
list="$build/bench/benches.txt"
out=bench/results/latest.json
mkdir -p bench/results
parts=()
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
i=0
while IFS= read -r exe; do
  [[ -z "$exe" ]] && continue
  name=$(basename "$exe")
  echo "bench: running $name" >&2
  if ! "$exe" > "$tmp/$i.out" 2> "$tmp/$i.err"; then
    echo "bench: $name failed:" >&2
    tail -20 "$tmp/$i.err" >&2
    exit 1
  fi
  tail -n 1 "$tmp/$i.out" > "$tmp/$i.json"
  if ! jq -e 'type == "object"' "$tmp/$i.json" > /dev/null; then
    echo "bench: $name did not end with a JSON object" >&2
    exit 1
  fi
  parts+=("$tmp/$i.json")
  i=$((i + 1))
done < "$list"
jq -s 'add // {}' "${parts[@]}" > "$out"
cat "$out"
