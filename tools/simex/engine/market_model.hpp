#pragma once
// The house's side of the market: a seeded synthetic random walk with volatility regimes
// (calm, trending, crash) that keeps a depth ladder of house orders around its mid and sends
// house market orders as trade flow. Optionally the mid follows recorded candles instead.
// Same seed and same advance() calls → byte-identical books, prints and fills.

#include "tools/simex/engine/exchange.hpp"

#include <map>
#include <string>
#include <vector>

namespace trader::simex {

/// Volatility regime of one product's walk.
enum class regime : std::uint8_t { calm, trending, crash };
/// "calm", "trending", "crash".
std::string_view to_wire(regime r);

/// One product of the synthetic market.
struct synthetic_product {
  product listing;            ///< Listed on the exchange by start().
  price start_price;          ///< Initial mid.
  double vol_bps = 2.0;       ///< Calm volatility per step, basis points (σ of log return).
  size level_size;            ///< Size at the best level; deeper levels grow.
  int levels = 20;            ///< Levels per side.
  double level_spacing_bps = 0.5;  ///< Distance between levels (widens with the regime).
  std::vector<candle> path;   ///< When non-empty, the mid follows these bars (replay) instead.
};

/// Settings of the synthetic market.
struct model_config {
  std::uint64_t seed = 42;
  ts_ns step = 250 * ns_per_ms;  ///< Model resolution.
  double taker_prob = 0.6;       ///< Chance of a house market order per product per step.
  int history_minutes = 6 * 60;  ///< One-minute candles generated before start().
  std::vector<synthetic_product> products;

  /// BTC-USD, ETH-USD and SOL-USD with Coinbase's increments and realistic sizes.
  static model_config standard(std::uint64_t seed);
};

/// How the synthetic market is shaped: what `backtest run` without --data and simex's
/// --products, --model-step-ms, --levels and --vol-scale set.
struct synthetic_options {
  std::uint64_t seed = 42;
  ts_ns step = 250 * ns_per_ms;       ///< Model step.
  int levels = 0;                     ///< House levels a side; 0 = each product's standard count.
  double vol_scale = 1.0;             ///< Variance multiplier of the per-step volatility.
  std::vector<std::string> products;  ///< These of the standard listings (empty = all); unknown ids are skipped.
};

/// The synthetic market both `backtest run` (no --data) and the simex server build, so the
/// two cannot drift: model_config::standard(seed) restricted to o.products in the standard's
/// listing order, each product's vol_bps times sqrt(vol_scale) and o.levels levels, step
/// o.step, 6 h of one-minute history before start. Defaults give model_config::standard.
model_config synthetic_model(const synthetic_options& o);

/// The ids of products that model_config::standard does not list, in the given order.
std::vector<std::string> unknown_synthetic_products(const std::vector<std::string>& products);

/// Drives house liquidity and trade flow on an exchange.
class synthetic_market {
public:
  synthetic_market(exchange& ex, model_config cfg);
  ~synthetic_market();

  /// Lists the products, writes history candles ending at now, posts the first ladders.
  void start(ts_ns now);
  /// Runs every whole model step up to now.
  void advance(ts_ns now);
  /// Current mid of a product (zero if unknown).
  price mid(std::string_view product_id) const;
  regime regime_of(std::string_view product_id) const;
  /// Forces a regime (tests, fault scenarios).
  void set_regime(std::string_view product_id, regime r);
  const model_config& config() const { return cfg_; }

private:
  struct state;
  void step_product(state& s, ts_ns t);
  void refresh_ladder(state& s, ts_ns t);
  double path_mid(state& s, ts_ns t);

  exchange& ex_;
  model_config cfg_;
  prng rng_;
  std::vector<state> states_;
  ts_ns last_ = 0;
  bool started_ = false;
};

} // namespace trader::simex
