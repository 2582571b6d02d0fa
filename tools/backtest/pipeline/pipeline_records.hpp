#pragma once
// The pipeline's per-order and per-round-trip records (shared by its two .cpp files).

#include "tools/backtest/pipeline/pipeline.hpp"

namespace trader::backtest {

/// A working order: its intent, where it is in the state machine, fills seen so far.
struct pipeline::tracked {
  order_intent intent;
  std::string strategy, purpose, exchange_id;
  order_lifecycle::order_progress progress;
  std::int64_t fills_seen = 0;
  std::size_t row = 0;  ///< Index in rec_.orders.
};

/// An open round trip: flat → long, until flat again.
struct pipeline::trip {
  std::string strategy;
  ts_ns opened = 0;
  double entry_value = 0;
  double pnl = 0;
  size initial;
};

} // namespace trader::backtest
