#pragma once
// Closed round trips from successive portfolio_updates (order_lifecycle's get_portfolio): a
// product held (qty > 0) that is gone or flat in the next update closed a round trip. Its PnL
// is what partial sells realized while it was held plus the change of realized_total not
// explained by products still held; its return is that PnL over the largest entry cost seen while it was held
// (qty × avg_entry). Two products closing between the same two updates share the unexplained
// PnL in proportion to their entry cost (the ledger does not say more). No CAF.

#include "messages/trading.hpp"

#include <map>
#include <string>
#include <vector>

namespace trader::drift {

/// A round trip the ledger closed.
struct closed_trip {
  std::string strategy;  ///< The strategy that opened it ("" when adopted).
  product_id product;
  double pnl = 0;         ///< Net of fees, quote currency.
  double return_pct = 0;  ///< pnl / entry cost × 100.
  ts_ns closed_at = 0;    ///< The update's ts.
};

class trip_tracker {
public:
  /// The newest ledger; the round trips closed since the previous one. The first update
  /// only sets the starting point.
  std::vector<closed_trip> on_portfolio(const portfolio_update& u);

private:
  struct open_trip {
    std::string strategy;
    double cost = 0;      ///< Largest qty × avg_entry seen.
    double realized = 0;  ///< Position's realized as last seen.
    double pnl = 0;       ///< Realized by partial sells during this trip.
  };
  bool started_ = false;
  double realized_total_ = 0;
  std::map<std::string, open_trip> open_;
};

} // namespace trader::drift
