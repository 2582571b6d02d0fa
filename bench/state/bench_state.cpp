// bench_state: how fast the state store commits a fill durably, and how long a portfolio
// snapshot read takes. Finishes by itself in well under a minute; the last stdout line is
// one flat JSON object (see bench/run_all.sh).
//   durable_fill_commits_per_s         record_fill (fill + position + PnL in one txn), fsynced
//   durable_fill_commits_nosync_per_s  the same with MDB_NOSYNC (benchmark-only option)
//   snapshot_read_p99_us               read_portfolio() with 20 positions and 50 open orders
// Usage: bench_state [DIR]   (default: a fresh directory under $TMPDIR, removed at exit)

#include "runtime/persistence/state_store.hpp"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <string>
#include <vector>

using namespace trader;
using namespace trader::persistence;
using clock_type = std::chrono::steady_clock;

namespace {

fill_record make_fill(int i) {
  fill_record f;
  f.trade = trade_id{"bench-trade-" + std::to_string(i)};
  f.order = client_order_id{"bench-order-" + std::to_string(i / 4)};
  f.exchange_order = exchange_order_id{"ex-" + std::to_string(i / 4)};
  f.product = product_id{"P" + std::to_string(i % 20) + "-USD"};
  f.side = order_side::buy;
  f.px = price::from_int(100 + i % 7);
  f.qty = size::from_units(1'000'000 + i);
  f.fee = notional::from_units(5'000);
  f.liquidity = fill_liquidity::taker;
  f.ts_event = 1'795'262'400 * ns_per_s + static_cast<ts_ns>(i) * ns_per_ms;
  f.ts_recv = f.ts_event + ns_per_ms;
  return f;
}

struct rate {
  double per_s = 0;
  double p50_us = 0;
  double p99_us = 0;
  int n = 0;
  double cpu_p99_us = 0;  ///< p99 of this thread's CPU time per operation (immune to preemption).
};

double thread_cpu_us() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) * 1e6 + static_cast<double>(ts.tv_nsec) / 1e3;
}

double pct(std::vector<double> v, double p) {
  if (v.empty())
    return 0;
  std::sort(v.begin(), v.end());
  return v[static_cast<std::size_t>(p * static_cast<double>(v.size() - 1))];
}

/// record_fill in a loop for up to `budget` or `max_n` commits.
rate fill_commits(const std::string& dir, bool no_sync, std::chrono::seconds budget, int max_n) {
  store_options opts;
  opts.no_sync = no_sync;
  opts.map_size = std::size_t{512} << 20;
  auto s = open_store(dir, opts);
  if (!s) {
    std::fprintf(stderr, "open_store: %s\n", s.error().describe().c_str());
    std::exit(1);
  }
  std::vector<double> lat;
  auto start = clock_type::now();
  int i = 0;
  for (; i < max_n && clock_type::now() - start < budget; ++i) {
    auto f = make_fill(i);
    write_batch then;
    then.put(position_record{f.product, f.qty, f.px, f.fee, {}, f.ts_recv});
    then.add_realized_pnl(f.ts_event, notional::from_units(i), f.fee);
    auto t0 = clock_type::now();
    auto r = (*s)->record_fill(f, then);
    lat.push_back(std::chrono::duration<double, std::micro>(clock_type::now() - t0).count());
    if (!r || *r != fill_insert::inserted) {
      std::fprintf(stderr, "record_fill failed at %d\n", i);
      std::exit(1);
    }
  }
  auto secs = std::chrono::duration<double>(clock_type::now() - start).count();
  return {i / secs, pct(lat, 0.5), pct(lat, 0.99), i};
}

/// read_portfolio latency on a store with 20 positions and 50 open orders.
rate snapshot_reads(const std::string& dir, int n) {
  store_options opts;
  opts.no_sync = true;  // setup only; reads do not sync
  auto s = open_store(dir, opts);
  if (!s)
    std::exit(1);
  write_batch b;
  for (int i = 0; i < 20; ++i)
    b.put(position_record{product_id{"P" + std::to_string(i) + "-USD"}, size::from_int(i + 1), price::from_int(100), {},
                          {}, 1});
  for (int i = 0; i < 50; ++i) {
    order_record o;
    o.id = client_order_id{"open-" + std::to_string(i)};
    o.product = product_id{"P" + std::to_string(i % 20) + "-USD"};
    o.limit_px = price::from_int(99);
    o.qty = size::from_int(1);
    o.status = order_status::open;
    b.insert_order_intent(o);
  }
  b.add_realized_pnl(1'795'262'400 * ns_per_s, notional::from_int(5), notional::from_int(1));
  b.update_nav(notional::from_int(10'000), 1);
  if (!(*s)->commit(b))
    std::exit(1);
  std::vector<double> lat, cpu;
  lat.reserve(static_cast<std::size_t>(n));
  cpu.reserve(static_cast<std::size_t>(n));
  auto start = clock_type::now();
  for (int i = 0; i < n; ++i) {
    auto c0 = thread_cpu_us();
    auto t0 = clock_type::now();
    auto snap = (*s)->read_portfolio(1'795'262'400 * ns_per_s);
    lat.push_back(std::chrono::duration<double, std::micro>(clock_type::now() - t0).count());
    cpu.push_back(thread_cpu_us() - c0);
    if (!snap || snap->positions.size() != 20)
      std::exit(1);
  }
  auto secs = std::chrono::duration<double>(clock_type::now() - start).count();
  return {n / secs, pct(lat, 0.5), pct(lat, 0.99), n, pct(cpu, 0.99)};
}

} // namespace

int main(int argc, char** argv) {
  namespace fs = std::filesystem;
  bool own = argc < 2;
  std::string base;
  if (own) {
    auto tmpl = (fs::temp_directory_path() / "bench-state-XXXXXX").string();
    base = ::mkdtemp(tmpl.data());
  } else {
    base = argv[1];
  }
  auto durable = fill_commits(base + "/durable", false, std::chrono::seconds(8), 20'000);
  auto nosync = fill_commits(base + "/nosync", true, std::chrono::seconds(4), 200'000);
  auto snap = snapshot_reads(base + "/snapshot", 20'000);
  if (own)
    fs::remove_all(base);
  std::printf("durable fill commits: %d in %.0f/s (p50 %.1f us, p99 %.1f us)\n", durable.n, durable.per_s,
              durable.p50_us, durable.p99_us);
  std::printf("no-fsync fill commits: %d in %.0f/s (p50 %.1f us, p99 %.1f us)\n", nosync.n, nosync.per_s,
              nosync.p50_us, nosync.p99_us);
  std::printf("portfolio snapshot reads: %d (p50 %.1f us, p99 %.1f us wall, p99 %.1f us thread CPU)\n", snap.n,
              snap.p50_us, snap.p99_us, snap.cpu_p99_us);
  std::printf("{\"durable_fill_commits_per_s\": %.1f, \"durable_fill_commit_p99_us\": %.1f, "
              "\"durable_fill_commits_nosync_per_s\": %.1f, \"snapshot_read_p50_us\": %.2f, "
              "\"snapshot_read_p99_us\": %.2f, \"snapshot_read_p99_cpu_us\": %.2f}\n",
              durable.per_s, durable.p99_us, nosync.per_s, snap.p50_us, snap.p99_us, snap.cpu_p99_us);
  return 0;
}
