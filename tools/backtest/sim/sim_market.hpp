#pragma once
// The backtest's exchange: simex's matching engine (fees, holds, partial fills, GTD expiry)
// with its house liquidity driven by simex's market model — the seeded synthetic walk when
// no data is given, or the walk's path mode following the data's 1-minute candles
// (open → low/high → high/low → close within each minute). The same engine PAPER trades
// against. No CAF.

#include "actors/trading/risk/market_view.hpp"
#include "tools/backtest/data/market_data.hpp"
#include "tools/simex/engine/candle_model.hpp"
#include "tools/simex/engine/exchange.hpp"
#include "tools/simex/engine/market_model.hpp"

#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace trader::backtest {

/// How the market is simulated.
struct market_options {
  std::uint64_t seed = 1;            ///< Seeds the model and the exchange's ids.
  ts_ns step = 10 * ns_per_s;        ///< Model step: the ladder moves and house orders take this often.
  int levels = 10;                   ///< House levels per side (synthetic: 0 = the standard's 20).
  double vol_scale = 1.0;            ///< Synthetic: variance multiplier of simex's per-step volatility.
  std::vector<std::string> synthetic_products;  ///< Synthetic market: these of model_config::standard (empty = all).
};

/// The simulated exchange and its market model.
class sim_market {
public:
  sim_market(const market_data& md, market_options o);
  ~sim_market();

  /// Lists the products and posts the first ladders at t0.
  void start(ts_ns t0);
  /// Runs every model step up to t.
  void advance(ts_ns t);

  simex::exchange& exchange() { return *ex_; }
  const simex::exchange& exchange() const { return *ex_; }
  /// Product ids, listing order.
  const std::vector<std::string>& products() const { return ex_->product_ids(); }
  /// The top of p's book as a quote stamped now; nullopt when a side is empty.
  std::optional<quote> top(const std::string& p, ts_ns now) const;
  /// Up to depth levels of each side, best first.
  void depth(const std::string& p, std::size_t depth, std::vector<book_level>& bids, std::vector<book_level>& asks) const;
  /// p's trading rules as risk reads them.
  risk::product_rules rules(const std::string& p) const;
  /// Model steps run so far (the benchmark's event count).
  std::uint64_t steps() const { return steps_; }
  const market_options& options() const { return opt_; }

private:
  market_options opt_;
  std::unique_ptr<simex::exchange> ex_;
  std::unique_ptr<simex::synthetic_market> model_;
  ts_ns last_ = 0;
  std::uint64_t steps_ = 0;
};

/// The synthetic market's shape for o (simex::synthetic_model builds it; simex's server takes
/// the same fields as --seed, --model-step-ms, --levels, --vol-scale and --products).
simex::synthetic_options synthetic_options_for(const market_options& o);

/// The model configuration for md: synthetic, simex::synthetic_model(synthetic_options_for(o));
/// with data, simex::candle_model of md's products (standard listings where the id is known,
/// generic ones otherwise; a flat lead-in to the earliest candle of all; no history), which
/// simex's --candles-csv F --candles-model backtest builds too.
simex::model_config model_for(const market_data& md, const market_options& o);

} // namespace trader::backtest
