#!/usr/bin/env bash
# The end of `make test`: how many tests ran, passed, failed and skipped — each skipped test
# with the reason it printed — read from ctest's JUnit results. Fails (exit 1) when a test
# skipped that is not in tests/meta/allowed-skips.txt under its condition: a test that needs
# only Debian or npm packages (tools/install-deps.sh installs them all) must run everywhere.
#
#   skip-report.sh RESULTS_XML BUILD_DIR
#
# RESULTS_XML is `ctest --output-junit` output; BUILD_DIR's CMakeCache.txt gives
# TRADER_MARKET_DATA_DIR and TRADER_SANITIZE. Exit 0 = no forbidden skip, 1 = a forbidden skip
# or no results. For its own test: SKIP_REPORT_UID (default `id -u`), SKIP_REPORT_ALLOWED
# (default tests/meta/allowed-skips.txt).
set -uo pipefail

results=${1:?usage: skip-report.sh RESULTS_XML BUILD_DIR}
build=${2:?usage: skip-report.sh RESULTS_XML BUILD_DIR}
here=$(cd "$(dirname "$0")" && pwd)
allowed=${SKIP_REPORT_ALLOWED:-$here/allowed-skips.txt}
uid=${SKIP_REPORT_UID:-$(id -u)}

if [[ ! -s "$results" ]]; then
  echo "test summary: ctest wrote no results ($results): nothing ran"
  exit 1
fi

cache_value() {  # cache_value NAME → the value of NAME in BUILD_DIR/CMakeCache.txt, or nothing
  sed -n "s/^$1:[A-Z]*=//p" "$build/CMakeCache.txt" 2>/dev/null | head -n 1
}
market_dir=$(cache_value TRADER_MARKET_DATA_DIR)
if [[ -z "$market_dir" ]]; then
  market_dir=$(realpath -m "$here/../../../shared/data/market")
fi
sanitize=$(cache_value TRADER_SANITIZE)

# One line per test: status <TAB> name <TAB> why it did not run (its own words, one line).
# ctest's JUnit: <testcase name=".." status="run|fail|notrun|disabled">, <skipped message=".."/>,
# <system-out>the test's output</system-out>, XML-escaped.
parse() {
  awk '
    function unesc(s) {
      gsub(/&lt;/, "<", s); gsub(/&gt;/, ">", s); gsub(/&quot;/, "\"", s); gsub(/&apos;/, "\047", s)
      gsub(/&amp;/, "\\&", s); return s
    }
    function attr(line, a) {
      if (match(line, " " a "=\"[^\"]*\"")) return substr(line, RSTART + length(a) + 3, RLENGTH - length(a) - 4)
      return ""
    }
    function trim(s) { sub(/^[ \t\r]+/, "", s); sub(/[ \t\r]+$/, "", s); return s }
    function why(   i, j, r, marker) {
      # GoogleTest: "file.cpp:12: Skipped", then the message, then "[  SKIPPED ] Name".
      for (i = 1; i <= n; i++) if (out[i] ~ /: Skipped$/) { marker = i; break }
      if (marker) {
        for (j = marker + 1; j <= n && out[j] !~ /^\[  SKIPPED \]/; j++)
          if (trim(out[j]) != "") r = r (r == "" ? "" : " ") trim(out[j])
        if (r != "") return r
      }
      # Scripts (exit 77): the lines that say "skip".
      for (i = 1; i <= n; i++)
        if (tolower(out[i]) ~ /skip/ && out[i] !~ /^\[  SKIPPED \]/) r = r (r == "" ? "" : " ") trim(out[i])
      if (r != "") return r
      for (i = n; i >= 1; i--) if (trim(out[i]) != "") return trim(out[i])
      return msg
    }
    function failures(   i, j, k, blocks, r) {
      # GoogleTest: "file.cpp:12: Failure" and what follows; each line kept, joined by \037.
      for (i = 1; i <= n && blocks < 3; i++) {
        if (out[i] !~ /: Failure$/) continue
        blocks++
        k = 0
        for (j = i; j <= n && k < 6 && out[j] !~ /^\[  FAILED  \]/; j++)
          if (trim(out[j]) != "") { r = r (r == "" ? "" : "\037") substr(trim(out[j]), 1, 300); k++ }
      }
      if (r != "") return r
      for (i = (n > 8 ? n - 7 : 1); i <= n; i++)  # not GoogleTest: its last lines
        if (trim(out[i]) != "") r = r (r == "" ? "" : "\037") substr(trim(out[i]), 1, 300)
      return r
    }
    /<testcase / { name = unesc(attr($0, "name")); status = attr($0, "status"); msg = ""; n = 0; inout = 0; next }
    /<skipped / { msg = unesc(attr($0, "message")); next }
    /<system-out>/ { inout = 1; sub(/.*<system-out>/, "") }
    inout {
      line = $0
      if (line ~ /<\/system-out>/) { sub(/<\/system-out>.*/, "", line); inout = 0 }
      out[++n] = unesc(line)
      next
    }
    /<\/testcase>/ {
      r = (status == "notrun" || status == "disabled") ? why() : (status == "fail" ? failures() : "")
      gsub(/\t/, " ", r)
      print status "\t" name "\t" r
    }
  ' "$results"
}

# allowance NAME → prints "yes<TAB>why" or "no<TAB>why" for a skipped test.
allowance() {
  local name=$1 pattern condition file
  while read -r pattern condition _; do
    [[ -z "$pattern" || "$pattern" == \#* ]] && continue
    # shellcheck disable=SC2053  # the pattern is a glob on purpose
    [[ "$name" == $pattern ]] || continue
    case "$condition" in
      data:*)
        file="$market_dir/${condition#data:}"
        if [[ -e "$file" ]]; then
          printf 'no\t%s is present, so the test must read it' "$file"
        else
          printf 'yes\t%s is absent (recorded market data, not part of the clone)' "$file"
        fi
        ;;
      non-root)
        if [[ "$uid" == 0 ]]; then printf 'no\tthe run is root, so the test must run'
        else printf 'yes\tneeds root and the run is uid %s' "$uid"; fi
        ;;
      sanitizer)
        if [[ "$sanitize" == ON ]]; then printf 'yes\tsanitizer build (TRADER_SANITIZE=ON)'
        else printf 'no\tnot a sanitizer build, so the test must run'; fi
        ;;
      *) printf 'no\tunknown condition %s in %s' "$condition" "$allowed" ;;
    esac
    return
  done < "$allowed"
  printf 'no\tnot in tests/meta/allowed-skips.txt, it needs only what tools/install-deps.sh installs'
}

total=0 passed=0 failed=0 disabled=0 forbidden=0
skips=() disabled_list=() failed_list=()
while IFS=$'\t' read -r status name reason; do
  total=$((total + 1))
  case "$status" in
    run) passed=$((passed + 1)) ;;
    fail)
      failed=$((failed + 1))
      # The first failures' own words, so a CI log's tail says why (not only which).
      if ((failed <= 5)); then
        failed_list+=("  - $name:")
        while IFS= read -r line; do failed_list+=("      $line"); done < <(tr '\037' '\n' <<< "$reason")
      fi
      ;;
    disabled) disabled=$((disabled + 1)); disabled_list+=("  - $name (disabled): ${reason:-no output}") ;;
    *)
      IFS=$'\t' read -r ok because <<< "$(allowance "$name")"
      if [[ "$ok" == yes ]]; then verdict="allowed: $because"
      else verdict="NOT ALLOWED: $because"; forbidden=$((forbidden + 1)); fi
      skips+=("  - $name ($verdict)" "      it said: ${reason:-nothing}")
      ;;
  esac
done < <(parse)

skipped=$(((${#skips[@]}) / 2))
echo
echo "==== test summary ($results) ===="
echo "$total tests: $((passed + failed)) ran ($passed passed, $failed failed), $skipped skipped$( ((disabled)) && echo ", $disabled disabled")"
((skipped)) && echo "skipped:" && printf '%s\n' "${skips[@]}"
((disabled)) && printf '%s\n' "${disabled_list[@]}"
((failed)) && echo "failed (their first failures):" && printf '%s\n' "${failed_list[@]}"
if ((forbidden > 0)); then
  echo "FAILED: $forbidden test(s) skipped that must run on every machine. Install what they name"
  echo "(tools/install-deps.sh installs every package the tests need); the only skips allowed, and"
  echo "when, are listed in tests/meta/allowed-skips.txt."
  exit 1
fi
exit 0
