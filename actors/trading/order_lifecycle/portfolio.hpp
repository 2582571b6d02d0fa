#pragma once
// The portfolio_update risk reads (messages/trading.hpp), built from the order book and the
// ledger. No CAF: backtest builds the same view in its virtual-time loop.

#include "actors/trading/order_lifecycle/ledger.hpp"

#include "messages/trading.hpp"
#include "runtime/persistence/records.hpp"

#include <map>
#include <string>
#include <vector>

namespace trader::order_lifecycle {

/// What the ledger does not keep per position: who opened it, when, and how many fills it
/// has had since it opened. Fed every booked fill in booking order (restore and live).
class position_meta {
public:
  struct entry {
    std::string strategy;  ///< From the opening fill's client order id ("" when foreign).
    ts_ns opened_at = 0;
    std::int64_t fills = 0;
  };
  /// A fill of `order` on `product` was booked; `after` is the product's position after it.
  void on_fill(const product_id& product, const client_order_id& order, ts_ns ts_event, const position& after);
  const entry* find(const std::string& product) const;

private:
  std::map<std::string, entry> by_product_;
};

/// A tracked order as pending exposure (nullopt when it is final).
std::optional<working_order> to_working(const persistence::order_record& r, notional quote_size,
                                        const std::string& strategy);

/// The view: long positions (qty > 0) with their meta, the working orders, PnL buckets of
/// now's UTC day and ISO week, total, fees and the high-water mark. version, reconciled and
/// ts are the caller's.
portfolio_update make_portfolio(const ledger& l, const position_meta& meta, std::vector<working_order> working,
                                ts_ns now);

} // namespace trader::order_lifecycle
