// Signal side pure cores, no actors (docs/signals.md, docs/BENCHMARKS.md):
//   candle_ingest_per_s: closed 1-minute bars per second into a candle_store (50 products,
//     capacity 500, 5m/15m/1h/1d aggregated, advance() once per minute), median of 3 runs;
//     _min/_max keys give the spread.
//   candle_bytes_per_bar: bytes of bar storage per stored bar at full capacity.
//   triggers_50x500_p50_us / _p99_us: every trigger, the trend filter and the bad-tick
//     check over 50 products × 500 closed bars (one evaluation of each product), per round.
//   cycle_50x500_p50_us / _p99_us: one whole decision cycle of the pure cores — universe
//     (build_universe over 50 products), triggers (signal_engine::evaluate: series status,
//     bad-tick guard, every trigger but the trend filter, ATR/RSI, the per-cycle cap) and
//     strategies (strategy_registry::run: rules + RSI reversion, dedupe) — per round; before
//     each round (untimed) every product's next bar closes, so no answer is reused.
//     cycle_50x500_cpu_p50_us / _cpu_p99_us: the same rounds in this thread's CPU time, which
//     a busy machine's preemption does not inflate (wall minus CPU = time spent descheduled).
// Deterministic synthetic random walk; no files, no network. Last stdout line: flat JSON.
#include "actors/trading/signals/candle_store.hpp"
#include "actors/trading/signals/regime_detector.hpp"
#include "actors/trading/signals/indicators.hpp"
#include "actors/trading/signals/signal_engine.hpp"
#include "actors/trading/signals/strategy.hpp"
#include "actors/trading/signals/triggers.hpp"
#include "actors/trading/signals/universe_rules.hpp"

#include <algorithm>
#include <map>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <random>
#include <string>
#include <vector>

#include <time.h>

namespace {

using namespace trader;
using namespace trader::signals;
using clock_type = std::chrono::steady_clock;

constexpr int products = 50;
constexpr int minutes = 20'000;  // 1 M bars per run
constexpr ts_ns day0 = 1'640'995'200LL * ns_per_s;

ts_ns at_min(std::int64_t m) { return day0 + m * 60 * ns_per_s; }

/// This thread's CPU time, µs.
double thread_cpu_us() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) * 1e6 + static_cast<double>(ts.tv_nsec) / 1e3;
}

// products × minutes bars of a random walk, product-major.
std::vector<std::vector<bar>> make_bars(int n_products, int n_minutes) {
  std::mt19937_64 rng(42);
  std::normal_distribution<double> step(0.0, 0.001);
  std::uniform_real_distribution<double> vol(1.0, 10.0);
  std::vector<std::vector<bar>> out(static_cast<std::size_t>(n_products));
  for (auto& series : out) {
    double px = 100.0;
    series.reserve(static_cast<std::size_t>(n_minutes));
    for (int m = 0; m < n_minutes; ++m) {
      const double o = px;
      px *= std::exp(step(rng));
      const double h = std::max(o, px) * 1.0005, l = std::min(o, px) * 0.9995;
      bar b;
      bar_from_doubles(at_min(m), o, h, l, px, vol(rng), granularity::one_minute, b);
      series.push_back(b);
    }
  }
  return out;
}

double ingest_run(const std::vector<std::vector<bar>>& bars, const std::vector<product_id>& ids, double& bytes) {
  candle_store store;
  const auto t0 = clock_type::now();
  for (int m = 0; m < minutes; ++m) {
    for (int p = 0; p < products; ++p)
      store.on_bar(ids[static_cast<std::size_t>(p)], bars[static_cast<std::size_t>(p)][static_cast<std::size_t>(m)]);
    store.advance(at_min(m + 1));
  }
  const double s = std::chrono::duration<double>(clock_type::now() - t0).count();
  bytes = store.series(ids[0], granularity::one_minute)->bytes_per_bar();
  if (store.series(ids[0], granularity::one_minute)->size() != 500)
    std::fprintf(stderr, "unexpected series size\n");
  return static_cast<double>(products) * minutes / s;
}

double percentile(std::vector<double> v, double q) {
  std::sort(v.begin(), v.end());
  return v[static_cast<std::size_t>(q * static_cast<double>(v.size() - 1))];
}

} // namespace

int main() {
  std::vector<product_id> ids;
  for (int p = 0; p < products; ++p)
    ids.push_back(product_id{"P" + std::to_string(p) + "-USD"});
  const auto bars = make_bars(products, minutes);

  std::vector<double> rates;
  double bytes = 0;
  for (int run = 0; run < 3; ++run)
    rates.push_back(ingest_run(bars, ids, bytes));
  std::sort(rates.begin(), rates.end());
  std::fprintf(stderr, "candle_ingest_per_s runs: min %.0f median %.0f max %.0f\n", rates[0], rates[1], rates[2]);

  // Triggers over 50 × 500 closed bars, every trigger and the trend filter on.
  triggers_params tp;
  tp.volume_spike.enabled = true;
  tp.rsi_reversion.enabled = true;
  tp.atr_breakout.enabled = true;
  tp.trend_filter.enabled = true;
  std::vector<bad_tick_guard> guards(products);
  std::vector<std::span<const bar>> windows;
  for (int p = 0; p < products; ++p) {
    auto w = std::span(bars[static_cast<std::size_t>(p)]).first(500);
    for (const auto& b : w)
      guards[static_cast<std::size_t>(p)].check_bar(b);
    windows.push_back(w);
  }
  std::vector<double> rounds;
  std::size_t fired = 0;
  for (int round = 0; round < 300; ++round) {
    const auto t0 = clock_type::now();
    std::vector<product_signal> all;
    for (int p = 0; p < products; ++p) {
      auto r = evaluate_triggers(windows[static_cast<std::size_t>(p)], windows[static_cast<std::size_t>(p)].last(60),
                                 tp, &guards[static_cast<std::size_t>(p)]);
      if (!r.blocked)
        for (auto& s : r.fired)
          all.push_back({ids[static_cast<std::size_t>(p)], std::move(s)});
    }
    keep_strongest(all, 5);
    fired += all.size();
    rounds.push_back(std::chrono::duration<double, std::micro>(clock_type::now() - t0).count());
  }
  std::fprintf(stderr, "signals kept over all rounds: %zu\n", fired);

  // One decision cycle: universe → signal engine → strategies, 50 products × 500 bars.
  universe_rules ur;
  std::map<std::string, market_facts> facts;
  for (int p = 0; p < products; ++p) {
    (p < 2 ? ur.core : ur.rotational).push_back(ids[static_cast<std::size_t>(p)].value);
    market_facts f;
    f.listed = true;
    f.quote_currency = "USD";
    f.spread_bps = 5;
    f.volume_24h_usd = 1e7 + p;
    facts[ids[static_cast<std::size_t>(p)].value] = f;
  }
  ur.max_symbols = products;
  ur.max_spread_bps = 50;
  engine_params ep;
  ep.triggers = tp;
  ep.triggers.granularity = "ONE_MINUTE";
  ep.triggers.trend_filter.enabled = false;
  ep.regime_product = ids[0].value;
  signal_engine engine(ep);
  for (int p = 0; p < products; ++p) {
    std::vector<candle> page;
    for (const auto& b : windows[static_cast<std::size_t>(p)])
      page.push_back(candle{ids[static_cast<std::size_t>(p)], 60, b.start, b.open, b.high, b.low, b.close, b.volume, 0});
    engine.backfill(ids[static_cast<std::size_t>(p)], granularity::one_minute, page, at_min(500));
  }
  engine.advance(at_min(500));
  std::vector<strategy_params> sps(2);
  sps[0].name = "momentum";
  sps[0].enabled = true;
  sps[0].trigger = "momentum";
  sps[1].name = "rsi";
  sps[1].kind = "rsi_reversion";
  sps[1].enabled = true;
  strategy_registry strategies(sps, {});
  std::vector<double> cycles, cycles_cpu;
  std::size_t proposed = 0;
  for (int round = 0; round < 300; ++round) {
    // Untimed: every product's next minute closes (the engine reuses an answer while the
    // bars are the same, so each round is a cycle whose bars all changed, the dearest case).
    const ts_ns now = at_min(501 + round);
    for (int p = 0; p < products; ++p) {
      const auto& b = bars[static_cast<std::size_t>(p)][static_cast<std::size_t>(500 + round)];
      const candle c{ids[static_cast<std::size_t>(p)], 60, b.start, b.open, b.high, b.low, b.close, b.volume, 0};
      engine.backfill(ids[static_cast<std::size_t>(p)], granularity::one_minute, std::span(&c, 1), now);
    }
    engine.advance(now);
    const double cpu0 = thread_cpu_us();
    const auto t0 = clock_type::now();
    universe_snapshot u{round, now, now, build_universe(ur, facts, {}, now)};
    auto batch = engine.evaluate(u, now);
    auto r = strategies.run(batch, {}, now, "bench");
    proposed += r.proposals.size();
    cycles.push_back(std::chrono::duration<double, std::micro>(clock_type::now() - t0).count());
    cycles_cpu.push_back(thread_cpu_us() - cpu0);
  }
  std::fprintf(stderr, "cycle: %zu proposals over all rounds, %llu evaluations, %llu blocked\n", proposed,
               static_cast<unsigned long long>(engine.counts().evaluations),
               static_cast<unsigned long long>(engine.counts().blocked));

  std::printf("{\"candle_ingest_per_s\": %.0f, \"candle_ingest_per_s_min\": %.0f, \"candle_ingest_per_s_max\": %.0f, "
              "\"candle_bytes_per_bar\": %.1f, \"triggers_50x500_p50_us\": %.1f, \"triggers_50x500_p99_us\": %.1f, "
              "\"cycle_50x500_p50_us\": %.1f, \"cycle_50x500_p99_us\": %.1f, \"cycle_50x500_cpu_p50_us\": %.1f, "
              "\"cycle_50x500_cpu_p99_us\": %.1f}\n",
              rates[1], rates[0], rates[2], bytes, percentile(rounds, 0.5), percentile(rounds, 0.99),
              percentile(cycles, 0.5), percentile(cycles, 0.99), percentile(cycles_cpu, 0.5),
              percentile(cycles_cpu, 0.99));
  return 0;
}
