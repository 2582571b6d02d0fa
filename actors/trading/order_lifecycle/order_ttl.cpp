#include "actors/trading/order_lifecycle/order_ttl.hpp"

#include <algorithm>

namespace trader::order_lifecycle {

ttl_plan plan_stale_cancels(std::span<const resting_order> orders, ts_ns now, const ttl_policy& policy) {
  ttl_plan plan;
  if (policy.ttl_ns <= 0)
    return plan;
  auto due_at = [&](ts_ns t) {
    if (!plan.next_check || t < *plan.next_check)
      plan.next_check = t;
  };
  for (const auto& o : orders) {
    const bool resting = o.state == order_state::open || o.state == order_state::partially_filled;
    if (!resting || o.type != order_type::limit || (policy.post_only_only && !o.post_only))
      continue;
    const ts_ns stale_at = o.placed_at + policy.ttl_ns;
    if (now < stale_at) {
      due_at(stale_at);
      continue;
    }
    if (o.cancel_requested_at != 0 && now < o.cancel_requested_at + policy.cancel_retry_ns) {
      due_at(o.cancel_requested_at + policy.cancel_retry_ns);
      continue;
    }
    plan.cancels.push_back(cancel_order{o.id, "STALE_ORDER: age_s=" + std::to_string((now - o.placed_at) / ns_per_s) +
                                                " ttl_s=" + std::to_string(policy.ttl_ns / ns_per_s) +
                                                (o.cancel_requested_at != 0 ? " retry=1" : "")});
    due_at(now + policy.cancel_retry_ns);
  }
  return plan;
}

} // namespace trader::order_lifecycle
