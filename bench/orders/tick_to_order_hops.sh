#!/usr/bin/env bash
# Where tick to order's time goes (docs/BENCHMARKS.md "Tick to order"): runs
# bench_tick_to_order with kernel uprobes on traderd's hops and prints each hop's
# min / p50 / p99 / max over the exits (tick_to_order_hops.py). No change to traderd: the
# probes sit on function entries and returns of the RelWithDebInfo binary (symbols needed).
# Needs root and tracefs (mounted at $TRACEFS, default /sys/kernel/tracing).
# Usage: bench/orders/tick_to_order_hops.sh BUILD_DIR [DECISIONS]   (default 200)
set -euo pipefail
build=${1:?usage: tick_to_order_hops.sh BUILD_DIR [DECISIONS]}
n=${2:-200}
here=$(cd "$(dirname "$0")" && pwd)
bin=$(cd "$build" && pwd)/bin/traderd
bench=$build/bench/orders/bench_tick_to_order
tfs=${TRACEFS:-/sys/kernel/tracing}
[[ -w $tfs/uprobe_events ]] || { echo "tick_to_order_hops: no writable $tfs/uprobe_events (root, tracefs mounted?)" >&2; exit 2; }
[[ -x $bench && -x $bin ]] || { echo "tick_to_order_hops: build bench_tick_to_order and traderd in $build first" >&2; exit 2; }

# Offset of the first symbol whose demangled name starts with $1 (text: offset == address).
sym() {
  local a
  a=$(nm "$bin" | c++filt | grep -F " $1" | grep -v '\.cold' | head -1 | cut -d' ' -f1)
  [[ -n $a ]] || { echo "tick_to_order_hops: symbol not found: $1" >&2; exit 2; }
  echo "0x$a"
}
probes=(
  "p:t2o/frame $bin:$(sym 'T trader::feed::market_feed::on_frame(') mono=%r8:s64"
  "p:t2o/risk_quote $bin:$(sym 'T trader::risk::on_quote(')"
  "p:t2o/save_exits $bin:$(sym 'T trader::risk::save_exits(')"
  "p:t2o/send_intent $bin:$(sym 'T trader::risk::send_intent(')"
  "p:t2o/prepare $bin:$(sym 'T trader::order_lifecycle::lifecycle_book::prepare(')"
  "p:t2o/write_ahead $bin:$(sym 't trader::order_lifecycle::(anonymous namespace)::store_backend::write_ahead(')"
  "r:t2o/write_ahead_done $bin:$(sym 't trader::order_lifecycle::(anonymous namespace)::store_backend::write_ahead(')"
  "p:t2o/store_write $bin:$(sym 'T trader::persistence::state_store::write(')"
  "r:t2o/store_write_done $bin:$(sym 'T trader::persistence::state_store::write(')"
  "p:t2o/jwt $bin:$(sym 't trader::net::(anonymous namespace)::make_token(')"
  "r:t2o/jwt_done $bin:$(sym 't trader::net::(anonymous namespace)::make_token(')"
  "p:t2o/written $bin:$(sym 'T trader::orders::tick_to_order_samples(') origin=%si:s64 written=%cx:s64"
)
cleanup() {
  echo 0 > "$tfs/events/t2o/enable" 2>/dev/null || true
  echo 0 > "$tfs/events/syscalls/sys_enter_fdatasync/enable" 2>/dev/null || true
  echo 0 > "$tfs/events/syscalls/sys_exit_fdatasync/enable" 2>/dev/null || true
  grep -o '^[pr]:t2o/[a-z_]*' "$tfs/uprobe_events" 2>/dev/null | sed 's/^[pr]:/-:/' | while read -r e; do
    echo "$e" >> "$tfs/uprobe_events"
  done
  echo "$old_clock" > "$tfs/trace_clock"
  echo "$old_tgid" > "$tfs/options/record-tgid"
  echo "$old_buf" > "$tfs/buffer_size_kb"
}
old_clock=$(grep -o '\[[a-z0-9_-]*\]' "$tfs/trace_clock" | tr -d '[]')
old_tgid=$(cat "$tfs/options/record-tgid")
old_buf=$(sed -n 's/.*expanded: \([0-9]*\).*/\1/p; t; s/^\([0-9]*\).*/\1/p' "$tfs/buffer_size_kb")
trap cleanup EXIT
for p in "${probes[@]}"; do echo "$p" >> "$tfs/uprobe_events"; done
echo mono > "$tfs/trace_clock"  # CLOCK_MONOTONIC: the same clock as origin_mono
echo 16384 > "$tfs/buffer_size_kb"
echo 1 > "$tfs/options/record-tgid"  # the analysis keeps traderd's events (and fdatasyncs) only
: > "$tfs/trace"
echo 1 > "$tfs/events/t2o/enable"
echo 1 > "$tfs/events/syscalls/sys_enter_fdatasync/enable"
echo 1 > "$tfs/events/syscalls/sys_exit_fdatasync/enable"
out=$(mktemp -d)
"$bench" "$n" > "$out/bench.out" 2> "$out/bench.err" || { tail -20 "$out/bench.err" >&2; exit 1; }
echo 0 > "$tfs/events/t2o/enable"
cp "$tfs/trace" "$out/trace"
echo "bench: $(tail -1 "$out/bench.out")"
python3 "$here/tick_to_order_hops.py" "$out/trace"
rm -rf "$out"
