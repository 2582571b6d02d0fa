#pragma once
// Read-side views built from one read transaction (a consistent point in time).

#include "runtime/persistence/records.hpp"

#include <optional>
#include <vector>

namespace trader::persistence {

/// What risk needs about the book: positions, PnL buckets, gate, open orders.
struct portfolio_snapshot {
  std::vector<position_record> positions;  ///< Sorted by product.
  std::vector<order_record> open_orders;   ///< Orders in an open state, by client order id.
  pnl_bucket today;                         ///< UTC day of `now` (zero if none).
  pnl_bucket this_week;                     ///< ISO week of `now`.
  pnl_bucket total;
  std::optional<nav_mark> nav_high_water;
  std::optional<gate_record> gate;          ///< Absent on a fresh store.
  ts_ns taken_at = 0;                       ///< The `now` passed in.
};

} // namespace trader::persistence
