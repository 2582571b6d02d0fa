// bench_backtest [DAYS [PRODUCTS [STEP_MS [RUNS [LEVELS]]]]]: one backtest over PRODUCTS products ×
// DAYS days of seeded random-walk 1-minute candles (default 7 × 10, step 10 s, the backtest's
// default 10 house levels a side) through the whole pipeline against simex's matching engine,
// run RUNS times (default 3). Prints min/median/max and, last, one JSON object: backtest_events_per_s and backtest_candles_per_s (median run),
// backtest_1y_10p_s (the wall time of 1 year × 10 products at that candle rate; measured
// directly when DAYS=365 and PRODUCTS=10, else extrapolated — backtest_1y_10p_measured).

#include "tools/backtest/run.hpp"
#include "tools/simex/engine/ids.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

namespace {

using namespace trader;
using namespace trader::backtest;

market_data random_walks(int days, int products) {
  static const char* ids[] = {"BTC-USD", "ETH-USD", "SOL-USD", "AVAX-USD", "LINK-USD",
                              "DOGE-USD", "ADA-USD", "XRP-USD", "DOT-USD", "LTC-USD"};
  static const double start[] = {65000, 1900, 150, 35, 15, 0.15, 0.5, 0.6, 7, 80};
  simex::prng rng{2026};
  market_data md;
  const std::int64_t t0 = 1'767'225'600, minutes = static_cast<std::int64_t>(days) * 1440;
  for (int p = 0; p < products; ++p) {
    product_data pd;
    pd.product = p < 10 ? ids[p] : "P" + std::to_string(p) + "-USD";
    double px = start[p % 10];
    pd.candles.reserve(static_cast<std::size_t>(minutes));
    for (std::int64_t m = 0; m < minutes; ++m) {
      const double o = px;
      px *= 1.0 + rng.normal() * 0.0012;
      const double hi = std::max(o, px) * (1.0 + rng.uniform() * 0.0006);
      const double lo = std::min(o, px) * (1.0 - rng.uniform() * 0.0006);
      auto q = [&](double v) { return price::from_double(std::round(v * 100.0) / 100.0 + 0.01); };
      pd.candles.push_back(simex::candle{t0 + m * 60, q(o), q(hi), q(lo), q(px), size::from_double(1.0 + rng.uniform() * 9)});
      auto& c = pd.candles.back();
      c.high = std::max({c.high, c.open, c.close});
      c.low = std::min({c.low, c.open, c.close});
    }
    md.products.push_back(std::move(pd));
  }
  return md;
}

} // namespace

int main(int argc, char** argv) {
  const int days = argc > 1 ? std::atoi(argv[1]) : 7;
  const int products = argc > 2 ? std::atoi(argv[2]) : 10;
  const std::int64_t step_ms = argc > 3 ? std::atoll(argv[3]) : 10'000;
  const int runs = std::max(1, argc > 4 ? std::atoi(argv[4]) : 3);
  const int levels = argc > 5 ? std::atoi(argv[5]) : run_options{}.levels;
  auto md = random_walks(days, products);
  config::trader_config cfg;
  cfg.strategies["momentum"].enabled = true;  // the shipped config plus a strategy that trades
  run_options o;
  o.step_ms = step_ms;
  o.levels = levels;
  std::vector<double> walls;
  std::uint64_t events = 0, candles = 0, orders = 0;
  for (int i = 0; i < runs; ++i) {
    run_result r;
    run_loaded(cfg, md, o, r);
    walls.push_back(r.wall_s);
    events = r.rec.events;
    candles = r.rec.candles;
    orders = r.rec.orders.size();
  }
  std::sort(walls.begin(), walls.end());
  const double med = walls[walls.size() / 2];
  std::printf("backtest %d days x %d products, step %lld ms, %d levels: %llu candles, %llu events, %llu orders\n", days, products,
              static_cast<long long>(step_ms), levels, static_cast<unsigned long long>(candles),
              static_cast<unsigned long long>(events), static_cast<unsigned long long>(orders));
  std::printf("wall s min %.3f median %.3f max %.3f; candles/s min %.0f median %.0f max %.0f\n", walls.front(), med,
              walls.back(), static_cast<double>(candles) / walls.back(), static_cast<double>(candles) / med,
              static_cast<double>(candles) / walls.front());
  const bool full = days == 365 && products == 10;
  const double year_s = full ? med : 525'600.0 * 10.0 / (static_cast<double>(candles) / med);
  std::printf("{\"backtest_events_per_s\": %.0f, \"backtest_candles_per_s\": %.0f, \"backtest_1y_10p_s\": %.1f, "
              "\"backtest_1y_10p_measured\": %s}\n",
              static_cast<double>(events) / med, static_cast<double>(candles) / med, year_s, full ? "true" : "false");
  return 0;
}
