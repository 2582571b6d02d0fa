#pragma once
// Values the exchange returns: refusals, placement/preview/cancel outcomes, listing filters
// and pages, engine settings, fee summaries.

#include "tools/simex/engine/fee_schedule.hpp"
#include "tools/simex/engine/order.hpp"

#include <string_view>
#include <vector>

namespace trader::simex {

/// Why an order was refused: Coinbase's new_order_failure_reason and preview_failure_reason.
struct reject {
  std::string_view reason;          ///< e.g. "INSUFFICIENT_FUND"; empty when accepted.
  std::string_view preview_reason;  ///< e.g. "PREVIEW_INSUFFICIENT_FUND".
  std::string message;              ///< Human text.
  explicit operator bool() const { return !reason.empty(); }
};

/// Outcome of place().
struct place_result {
  const order_record* order = nullptr;  ///< The new order, or the existing one on reuse.
  bool duplicate = false;               ///< client_order_id was already used: nothing placed.
  reject why;                           ///< Set when refused (order is nullptr).
};

/// Outcome of preview(): estimates, nothing placed.
struct preview_result {
  reject why;
  notional order_total;       ///< Quote spent (buy) or received (sell), fees included.
  notional commission_total;
  size base_size;
  notional quote_size;
  price best_bid, best_ask;
  price average_price;        ///< Estimated average execution price.
};

/// Outcome of cancel(): Coinbase's cancel failure_reason, empty on success.
struct cancel_result {
  std::string_view failure_reason;
  bool ok() const { return failure_reason.empty(); }
};

/// Filters of GET /orders/historical/batch (empty vectors = any, unless the `*_given` flag
/// says the request named values simex never has, such as QUEUED: then nothing matches).
struct order_filter {
  std::string user;
  std::vector<std::string> product_ids, order_ids;
  std::vector<order_status> statuses;
  bool statuses_given = false;  ///< order_status was given: an empty `statuses` matches nothing.
  std::vector<order_kind> kinds;
  bool kinds_given = false;     ///< order_types/time_in_forces given: an empty `kinds` matches nothing.
  std::optional<side> order_side;
  ts_ns start = 0;  ///< Inclusive creation time; 0 = open.
  ts_ns end = 0;    ///< Exclusive; 0 = open.
};

/// Filters of GET /orders/historical/fills.
struct fill_filter {
  std::string user;
  std::vector<std::string> product_ids, order_ids, trade_ids;
  ts_ns start = 0, end = 0;
};

/// One page of a newest-first listing; cursor is "" when has_next is false.
template <class T>
struct page {
  std::vector<const T*> items;
  bool has_next = false;
  std::string cursor;
};

/// Engine-wide settings.
struct exchange_config {
  std::uint64_t seed = 1;  ///< Drives order ids.
  fee_schedule fees = fee_schedule::coinbase_default();
  std::uint64_t first_trade_id = 100'000'000;
};

/// Fee tier and volume of one user (GET /transaction_summary).
struct fee_summary {
  const fee_tier* tier = nullptr;
  notional volume_30d;
  notional fees_30d;
};

} // namespace trader::simex
