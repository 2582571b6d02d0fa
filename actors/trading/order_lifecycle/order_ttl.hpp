#pragma once
// Limit-order TTL: which resting orders to cancel now, and when to look again
// (execution.limit_order_ttl_s; docs/orders.md "Stale orders"). Pure: the actor passes its
// open orders and the time, sends the cancels and arms a timer for next_check. No CAF.

#include "messages/ids.hpp"
#include "messages/orders.hpp"
#include "messages/time.hpp"

#include <cstdint>
#include <optional>
#include <span>
#include <vector>

namespace trader::order_lifecycle {

/// A resting order as the planner needs it.
struct resting_order {
  client_order_id id;
  order_state state = order_state::open;
  order_type type = order_type::limit;
  bool post_only = true;
  ts_ns placed_at = 0;            ///< When the exchange accepted it (age starts here).
  ts_ns cancel_requested_at = 0;  ///< 0: no cancel sent yet.
};

struct ttl_policy {
  std::int64_t ttl_ns = 120 * ns_per_s;             ///< execution.limit_order_ttl_s; 0 disables.
  bool post_only_only = true;                       ///< Only post-only orders age out.
  std::int64_t cancel_retry_ns = 10 * ns_per_s;     ///< A cancel unanswered this long is sent again.
};

struct ttl_plan {
  std::vector<cancel_order> cancels;  ///< reason "STALE_ORDER: age_s=130 ttl_s=120".
  std::optional<ts_ns> next_check;    ///< Earliest time another order becomes due.
};

/// Open or partially filled limit orders (post-only ones unless post_only_only is false)
/// at least ttl old are cancelled, once per cancel_retry.
ttl_plan plan_stale_cancels(std::span<const resting_order> orders, ts_ns now, const ttl_policy& policy);

} // namespace trader::order_lifecycle
