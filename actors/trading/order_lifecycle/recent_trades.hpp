#pragma once
// Trade ids booked within the last hour of exchange time (by the newest booked fill). No CAF.
//
// The ledger remembers a bounded number of folded trade ids per product (ledger_options), and
// order_lifecycle a bounded number of finished orders; the reconcile re-reads the last ten
// minutes of the exchange's fills at every cycle. At a high trade rate (the tick-to-order
// bench: ~2,000 orders in 80 s) a fill re-read after both had forgotten it looked new and its
// order unknown: `fill_for_unknown_order` at every reconcile, the gate held for ever (the
// store's dedupe kept it from being booked twice). This set covers the re-read window.

#include "messages/ids.hpp"
#include "messages/time.hpp"

#include <deque>
#include <unordered_set>
#include <utility>

namespace trader::order_lifecycle {

class recent_trades {
public:
  explicit recent_trades(std::int64_t window_ns = 3600 * ns_per_s) : window_ns_(window_ns) {}
  /// A fill booked (or restored) with its exchange time.
  void add(const trade_id& t, ts_ns ts_event);
  bool contains(const trade_id& t) const { return ids_.count(t) != 0; }
  std::size_t size() const { return ids_.size(); }

private:
  std::int64_t window_ns_;
  ts_ns newest_ = 0;
  std::deque<std::pair<ts_ns, trade_id>> order_;  ///< By insertion; pruned from the front.
  std::unordered_set<trade_id> ids_;
};

} // namespace trader::order_lifecycle
