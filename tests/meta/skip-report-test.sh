#!/usr/bin/env bash
# Tests tests/meta/skip-report.sh on hand-written ctest JUnit results.
#   skip-report-test.sh CASE      CASE: counts | package-skip | shared-data | root-and-sanitizer | no-results
# One "ok"/"FAIL" line per check; exit 1 if any check failed.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
report="$here/skip-report.sh"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/skip-report-test.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
failures=0

# A build dir whose CMakeCache points the market data at $tmp/market (absent until created).
mkdir -p "$tmp/build"
cache() {
  printf 'TRADER_MARKET_DATA_DIR:PATH=%s\nTRADER_SANITIZE:BOOL=%s\n' "$tmp/market" "$1" > "$tmp/build/CMakeCache.txt"
}
cache OFF

# results FILE CASE... — CASE is name:status[:output line], output lines joined by '|'.
results() {
  local file=$1 c name status output
  shift
  {
    echo '<?xml version="1.0" encoding="UTF-8"?>'
    echo "<testsuite name=\"t\" tests=\"$#\">"
    for c in "$@"; do
      IFS=: read -r name status output <<< "$c"
      echo "	<testcase name=\"$name\" classname=\"$name\" time=\"0.01\" status=\"$status\">"
      [[ $status == notrun ]] && echo '		<skipped message="SKIP_RETURN_CODE=77"/>'
      [[ $status == fail ]] && echo '		<failure message=""/>'
      printf '\t\t<system-out>%s\n</system-out>\n' "${output//|/$'\n'}"
      echo '	</testcase>'
    done
    echo '</testsuite>'
  } > "$file"
}

# expect WHAT WANT_STATUS WANT_TEXT [env...] — runs the report on $tmp/r.xml.
expect() {
  local what=$1 want=$2 text=$3 out status
  shift 3
  out=$(env "$@" "$report" "$tmp/r.xml" "$tmp/build" 2>&1)
  status=$?
  if [[ $status -eq $want && "$out" == *"$text"* ]]; then
    echo "ok   $what"
  else
    echo "FAIL $what: exit $status (want $want), output lacks \"$text\":"
    echo "$out" | sed 's/^/     /'
    failures=$((failures + 1))
  fi
}

gtest_skip() {  # gtest_skip NAME MESSAGE → GoogleTest's output for a GTEST_SKIP() (one field)
  echo "Running main()|[ RUN      ] $1|/src/x_test.cpp:12: Skipped|$2||[  SKIPPED ] $1 (0 ms)|[  SKIPPED ] 1 test, listed below:"
}

case "${1:?usage: skip-report-test.sh CASE}" in
  counts)
    results "$tmp/r.xml" "A.One:run:fine" "A.Two:run" "A.Three:run" "B.Broken:fail:Expected equality &amp; more"
    expect "four tests, one failed, none skipped: the report passes (ctest reports the failure)" 0 \
      "4 tests: 4 ran (3 passed, 1 failed), 0 skipped"
    results "$tmp/r.xml" "A.One:run:fine" \
      "B.Broken:fail:[ RUN      ] B.Broken|/src/b_test.cpp:7: Failure|Value of: ok|  Actual: false||order X is 2 orders on simex|[  FAILED  ] B.Broken (3 ms)" \
      "C.Script:fail:line 1|line 2|C: checked 3, the last one failed"
    expect "a failed GoogleTest's failure lines are printed (a CI log's tail says why)" 0 \
      "  - B.Broken:
      /src/b_test.cpp:7: Failure
      Value of: ok
      Actual: false
      order X is 2 orders on simex"
    expect "a failed script's last lines are printed" 0 "      C: checked 3, the last one failed"
    ;;
  package-skip)
    results "$tmp/r.xml" "A.One:run" \
      "ccxt_conformance:notrun:ccxt_conformance: SKIPPED: node is not installed (Debian nodejs)" \
      "MetricsExporter.ScrapePassesPromtoolCheckMetrics:notrun:$(gtest_skip MetricsExporter.ScrapePassesPromtoolCheckMetrics 'promtool not installed (Debian package prometheus)')"
    expect "a skip for want of node fails the run" 1 "3 tests: 1 ran (1 passed, 0 failed), 2 skipped"
    expect "the script's own skip line is its reason" 1 "it said: ccxt_conformance: SKIPPED: node is not installed (Debian nodejs)"
    expect "GoogleTest's skip message is its reason" 1 "it said: promtool not installed (Debian package prometheus)"
    expect "the verdict names the allow-list" 1 \
      "MetricsExporter.ScrapePassesPromtoolCheckMetrics (NOT ALLOWED: not in tests/meta/allowed-skips.txt"
    expect "the failure counts the forbidden skips" 1 "FAILED: 2 test(s) skipped"
    ;;
  shared-data)
    results "$tmp/r.xml" "A.One:run" \
      "CandlesCsv.ReadsTheSharedCoinbaseHourlyFile:notrun:$(gtest_skip CandlesCsv.ReadsTheSharedCoinbaseHourlyFile 'shared data not present: x.csv')"
    expect "a shared-data test may skip while its file is absent" 0 \
      "CandlesCsv.ReadsTheSharedCoinbaseHourlyFile (allowed: $tmp/market/coinbase_btc-usd_1h_cryptodatadownload.csv is absent"
    mkdir -p "$tmp/market"
    touch "$tmp/market/coinbase_advtrade_ws_btc-usd_eth-usd.jsonl.zst"
    expect "another file's presence does not matter" 0 "allowed:"
    touch "$tmp/market/coinbase_btc-usd_1h_cryptodatadownload.csv"
    expect "once the file is there, the skip fails the run" 1 \
      "NOT ALLOWED: $tmp/market/coinbase_btc-usd_1h_cryptodatadownload.csv is present"
    ;;
  root-and-sanitizer)
    results "$tmp/r.xml" \
      "ControlServerTest.RefusesAnotherUidAndAuditsIt:notrun:$(gtest_skip ControlServerTest.RefusesAnotherUidAndAuditsIt 'needs root to run a client as another uid')" \
      "StateFaultInjection.FailedFdatasyncFailsClosed:notrun:$(gtest_skip StateFaultInjection.FailedFdatasyncFailsClosed 'fiu and ASan do not mix')"
    cache ON
    expect "not root, sanitizer build: both skips allowed" 0 "2 skipped" SKIP_REPORT_UID=1000
    expect "as root the uid test must run" 1 "ControlServerTest.RefusesAnotherUidAndAuditsIt (NOT ALLOWED: the run is root" \
      SKIP_REPORT_UID=0
    cache OFF
    expect "without sanitizers the fiu tests must run" 1 \
      "StateFaultInjection.FailedFdatasyncFailsClosed (NOT ALLOWED: not a sanitizer build" SKIP_REPORT_UID=1000
    ;;
  no-results)
    rm -f "$tmp/r.xml"
    expect "no results file fails the run" 1 "ctest wrote no results"
    ;;
  *) echo "unknown case $1"; exit 2 ;;
esac
exit $((failures > 0))
