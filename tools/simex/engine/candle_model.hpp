#pragma once
// The market that follows recorded 1-minute candles: what `backtest run --data FILE` and
// simex's `--candles-csv F --candles-model backtest` both simulate (one builder, so the two
// cannot drift). Each product's mid follows its candles (synthetic_market's path mode); a
// product whose data begins later stays flat at its first open until then; no history
// candles are written before the start.

#include "tools/simex/engine/market_model.hpp"

#include <span>
#include <string>
#include <vector>

namespace trader::simex {

/// One product's recorded bars (viewed: candle_model copies them once, into the model's path).
struct candle_series {
  std::string product;                ///< "BTC-USD"; standard listings keep their increments.
  std::span<const candle> candles;    ///< 1-minute bars, oldest first, non-empty.
};

/// The model's shape besides the data.
struct candle_model_options {
  std::uint64_t seed = 1;
  ts_ns step = 10 * ns_per_s;  ///< Model step.
  int levels = 10;             ///< House levels a side; 0 = each product's default (20).
};

/// The model for products, in the given order: standard listings where the id is known
/// (BTC-USD …), generic ones (1e-8 base, 0.01 quote, ~20 000 USD per level) otherwise; every
/// path starts at the earliest candle of all (flat lead-in) so the products move in step;
/// history_minutes 0. Throws std::invalid_argument naming the product when its series is empty.
model_config candle_model(const std::vector<candle_series>& products, const candle_model_options& o);

} // namespace trader::simex
