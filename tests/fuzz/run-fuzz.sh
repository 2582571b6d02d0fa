#!/usr/bin/env bash
# make fuzz: builds the libFuzzer targets with clang in build-fuzz/ (ASan + UBSan, whole
# tree compiled with -fsanitize=fuzzer-no-link) and runs each for FUZZ_SECONDS, one after
# the other, at the lowest CPU priority. The working corpus grows in build-fuzz/corpus/<t>
# (seeded from tests/fuzz/corpus/<t>, which is read-only here); a crash leaves its input in
# build-fuzz/artifacts/<t>/ and fails the run. A summary (executions, exec/s, corpus size,
# coverage) goes to stdout and build-fuzz/fuzz-summary.tsv.
# Usage: tests/fuzz/run-fuzz.sh [TARGET...]   (default: every target)
# Env:   FUZZ_SECONDS (default 60) per target, FUZZ_RUNS (default unlimited) stops a target
#        earlier after that many executions, FUZZ_TIMEOUT (default 60) seconds one input may
#        take, FUZZ_BUILD (default build-fuzz), FUZZ_PROCS (default 1) processes per target
#        at once, sharing its working corpus (libFuzzer reloads it from the others every few
#        seconds); each runs FUZZ_RUNS/FUZZ_PROCS, and the summary adds their executions up
set -uo pipefail
cd "$(dirname "$0")/../.." || exit 1
src=$PWD
bdir=${FUZZ_BUILD:-build-fuzz}
secs=${FUZZ_SECONDS:-60}
runs=${FUZZ_RUNS:--1}
# Wall-clock seconds per input. At nice 19 on a loaded machine an input waits for a CPU: a
# 15 ms record_decoder input took 15 s at load 10 (a false timeout), hence 60, not 10.
timeout=${FUZZ_TIMEOUT:-60}
procs=${FUZZ_PROCS:-1}
if ! [[ $procs =~ ^[1-9][0-9]*$ ]]; then
  echo "run-fuzz.sh: FUZZ_PROCS must be a whole number >= 1, not '$procs'" >&2
  exit 2
fi
if ((runs > 0)); then
  runs=$(((runs + procs - 1) / procs))  # per process, rounded up: together at least FUZZ_RUNS
fi
# Other work shares the machine: run this whole process group at the lowest priority.
echo 19 > /proc/self/autogroup 2>/dev/null || renice -n 19 $$ > /dev/null || true

targets=("$@")
if ((${#targets[@]} == 0)); then
  targets=(config rest_parse ws_parser control_protocol simex_jwt simex_rest audit_reader record_decoder)
fi

if [[ ! -f $bdir/build.ninja ]]; then
  CC=clang CXX=clang++ cmake -S . -B "$bdir" -G Ninja -DCMAKE_BUILD_TYPE=Debug -DTRADER_PCH=OFF \
    -DTRADER_LIBFUZZER=ON \
    -DCMAKE_CXX_FLAGS="-O1 -g -fno-omit-frame-pointer -fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=undefined" \
    -DCMAKE_EXE_LINKER_FLAGS="-fsanitize=address,undefined" || exit 1
fi
export CCACHE_SLOPPINESS=pch_defines,time_macros,include_file_mtime,include_file_ctime CCACHE_BASEDIR=$src
ninja -C "$bdir" -j "${FUZZ_BUILD_JOBS:-2}" fuzz_targets || exit 1

export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:allocator_may_return_null=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1:suppressions=$src/tools/ubsan.supp}
summary=$bdir/fuzz-summary.tsv
printf 'target\tseconds\texecutions\texec_per_s\tcorpus\tcoverage\tload\tresult\n' > "$summary"
fail=0
for t in "${targets[@]}"; do
  work=$bdir/corpus/$t
  art=$bdir/artifacts/$t
  mkdir -p "$work" "$art"
  log=$bdir/fuzz-$t.log
  start=$SECONDS
  # Process 1 logs to fuzz-<t>.log, process i > 1 to fuzz-<t>.<i>.log.
  logs=()
  for ((i = 1; i <= procs; i++)); do
    l=$log
    ((i > 1)) && l=$bdir/fuzz-$t.$i.log
    logs+=("$l")
    "$bdir/tests/fuzz/fuzz_$t" -max_total_time="$secs" -runs="$runs" -print_final_stats=1 -rss_limit_mb=2048 -timeout="$timeout" \
      -artifact_prefix="$art/" "$work" "tests/fuzz/corpus/$t" > "$l" 2>&1 &
  done
  # The first process to fail (a crash, a sanitizer report) stops the others: its input is
  # what matters, and they could run for FUZZ_SECONDS more. The fuzzers are this script's
  # only background jobs: each `wait -n` reaps one of them.
  rc=0
  for ((left = procs; left > 0; left--)); do
    wait -n
    status=$?
    if ((status != 0 && rc == 0)); then
      rc=$status
      # TERM, not INT: background jobs of a script start with SIGINT ignored. libFuzzer stops
      # on either (exit 72, its final stats printed).
      # shellcheck disable=SC2046 # the running jobs' pids, one word each
      kill -TERM $(jobs -pr) 2> /dev/null
    fi
  done
  took=$((SECONDS - start))
  load=$(cut -d' ' -f1-3 /proc/loadavg)  # the 1/5/15-minute load when the target stopped
  execs=0 rate=0 cov=0
  for l in "${logs[@]}"; do
    e=$(sed -n 's/^stat::number_of_executed_units: *//p' "$l" | tail -1)
    r=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$l" | tail -1)
    c=$(grep -oE 'cov: [0-9]+' "$l" | tail -1 | cut -d' ' -f2)
    execs=$((execs + ${e:-0})) rate=$((rate + ${r:-0}))
    ((${c:-0} > cov)) && cov=$c
  done
  ncorp=$(find "$work" -type f | wc -l)
  result=ok
  if ((rc != 0)); then
    result="FAILED (rc $rc; see ${logs[*]}, input in $art/)"
    fail=1
  fi
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$t" "$took" "$execs" "$rate" "$ncorp" "$cov" "$load" "$result" | tee -a "$summary"
done
exit $fail
