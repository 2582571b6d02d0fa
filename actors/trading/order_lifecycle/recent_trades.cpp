#include "actors/trading/order_lifecycle/recent_trades.hpp"

#include <algorithm>

namespace trader::order_lifecycle {

void recent_trades::add(const trade_id& t, ts_ns ts_event) {
  if (t.empty() || !ids_.insert(t).second)
    return;
  newest_ = std::max(newest_, ts_event);
  order_.emplace_back(ts_event, t);
  // Out-of-order fills may leave an older one behind a newer: pruning stops at the first
  // entry still inside the window, so the set only ever keeps more, never less.
  while (!order_.empty() && order_.front().first < newest_ - window_ns_) {
    ids_.erase(order_.front().second);
    order_.pop_front();
  }
}

} // namespace trader::order_lifecycle
