#pragma once
// Shadow mode (docs/orders.md "Shadow mode"; [execution] shadow_mode): beside LIVE or PAPER
// every create also goes to a local fill simulator fed with the live quotes. This book pairs,
// per client order id, what the simulator filled (intended) with what the venue filled
// (actual): average price, time to the first fill, filled size. Pure, no CAF; bounded.

#include "messages/ids.hpp"
#include "messages/market.hpp"
#include "messages/numeric.hpp"
#include "messages/time.hpp"

#include <cstddef>
#include <deque>
#include <map>
#include <string>
#include <vector>

namespace trader::order_lifecycle {

/// One side of the comparison: the fills of one order.
struct shadow_side {
  size qty;            ///< Base filled.
  double value = 0.0;  ///< Σ price × qty (quote).
  ts_ns first = 0;     ///< ts_event of the first fill; 0 = none yet.
  double avg() const { return qty.units > 0 ? value / qty.to_double() : 0.0; }
};

/// One order's intended (simulator) and actual (venue) fills.
struct shadow_order {
  client_order_id id;
  product_id product;
  side dir = side::buy;
  size ordered;
  ts_ns sent = 0;
  shadow_side intended;
  shadow_side actual;
  /// Actual average price against the intended one, bps; positive = worse for us (paid
  /// more on a buy, received less on a sell). 0 unless both filled.
  double slippage_bps() const;
};

/// Aggregates over the orders both sides filled.
struct shadow_summary {
  std::size_t orders = 0;           ///< Orders sent (within the bound).
  std::size_t compared = 0;         ///< Both sides filled something.
  std::size_t only_intended = 0;    ///< The simulator filled, the venue did not (yet).
  std::size_t only_actual = 0;      ///< The venue filled, the simulator did not.
  double slippage_bps_mean = 0.0;   ///< Over `compared`.
  double slippage_bps_median = 0.0;
  double delay_ms_median = 0.0;     ///< Actual first fill − intended first fill.
  double size_ratio_mean = 0.0;     ///< Actual filled / intended filled.
};

class shadow_book {
public:
  explicit shadow_book(std::size_t max_orders = 1000) : max_(max_orders) {}

  /// A create went to the venue and to the simulator.
  void on_sent(const client_order_id& id, const product_id& product, side dir, size ordered, ts_ns at);
  /// A simulator fill (intended) / a venue fill (actual) of an order sent; others are ignored.
  void on_intended_fill(const client_order_id& id, price px, size qty, ts_ns at);
  void on_actual_fill(const client_order_id& id, price px, size qty, ts_ns at);

  const shadow_order* find(const client_order_id& id) const;
  /// Newest last.
  std::vector<shadow_order> orders() const;
  shadow_summary summary() const;

private:
  std::size_t max_;
  std::map<std::string, shadow_order> by_id_;
  std::deque<std::string> order_;  ///< Sent order, oldest first (the bound drops from the front).
};

} // namespace trader::order_lifecycle
