// The stale-order planner: which resting orders to cancel, and when to look again.
#include "actors/trading/order_lifecycle/order_ttl.hpp"

#include <gtest/gtest.h>

using namespace trader;
using namespace trader::order_lifecycle;

namespace {
constexpr ts_ns s = ns_per_s;

resting_order order(const char* id, ts_ns placed, bool post_only = true, order_state st = order_state::open) {
  resting_order o;
  o.id = client_order_id{id};
  o.placed_at = placed;
  o.post_only = post_only;
  o.state = st;
  return o;
}
ttl_policy ttl(std::int64_t seconds) {
  ttl_policy p;
  p.ttl_ns = seconds * s;
  return p;
}
} // namespace

TEST(OrderTtl, CancelsPostOnlyOrdersOlderThanTheTtl) {
  std::vector<resting_order> orders{order("a", 0), order("b", 100 * s)};
  auto plan = plan_stale_cancels(orders, 130 * s, ttl(120));
  ASSERT_EQ(plan.cancels.size(), 1u);
  EXPECT_EQ(plan.cancels[0].id.value, "a");
  EXPECT_EQ(plan.cancels[0].reason, "STALE_ORDER: age_s=130 ttl_s=120");
}

TEST(OrderTtl, AnOrderExactlyTtlOldIsStale) {
  std::vector<resting_order> orders{order("a", 0)};
  EXPECT_EQ(plan_stale_cancels(orders, 120 * s - 1, ttl(120)).cancels.size(), 0u);
  EXPECT_EQ(plan_stale_cancels(orders, 120 * s, ttl(120)).cancels.size(), 1u);
}

TEST(OrderTtl, NextCheckIsTheEarliestDueOrder) {
  std::vector<resting_order> orders{order("a", 50 * s), order("b", 10 * s)};
  auto plan = plan_stale_cancels(orders, 20 * s, ttl(120));
  EXPECT_TRUE(plan.cancels.empty());
  EXPECT_EQ(plan.next_check, 130 * s);
}

TEST(OrderTtl, PartiallyFilledOrdersAgeToo) {
  std::vector<resting_order> orders{order("a", 0, true, order_state::partially_filled)};
  EXPECT_EQ(plan_stale_cancels(orders, 200 * s, ttl(120)).cancels.size(), 1u);
}

TEST(OrderTtl, LeavesNonPostOnlyMarketAndFinishedOrdersAlone) {
  std::vector<resting_order> orders{order("taker", 0, false), order("done", 0, true, order_state::filled),
                                    order("created", 0, true, order_state::created)};
  auto mkt = order("mkt", 0);
  mkt.type = order_type::market;
  orders.push_back(mkt);
  auto plan = plan_stale_cancels(orders, 1000 * s, ttl(120));
  EXPECT_TRUE(plan.cancels.empty());
  EXPECT_FALSE(plan.next_check);
}

TEST(OrderTtl, EveryLimitOrderAgesWhenPostOnlyOnlyIsOff) {
  std::vector<resting_order> orders{order("taker", 0, false)};
  auto p = ttl(120);
  p.post_only_only = false;
  EXPECT_EQ(plan_stale_cancels(orders, 1000 * s, p).cancels.size(), 1u);
}

TEST(OrderTtl, AnUnansweredCancelIsSentAgainAfterTheRetryInterval) {
  auto o = order("a", 0);
  o.cancel_requested_at = 120 * s;
  std::vector<resting_order> orders{o};
  auto waiting = plan_stale_cancels(orders, 125 * s, ttl(120));
  EXPECT_TRUE(waiting.cancels.empty());
  EXPECT_EQ(waiting.next_check, 130 * s);
  auto again = plan_stale_cancels(orders, 130 * s, ttl(120));
  ASSERT_EQ(again.cancels.size(), 1u);
  EXPECT_EQ(again.cancels[0].reason, "STALE_ORDER: age_s=130 ttl_s=120 retry=1");
}

TEST(OrderTtl, ZeroTtlDisablesThePlanner) {
  std::vector<resting_order> orders{order("a", 0)};
  auto plan = plan_stale_cancels(orders, 1'000'000 * s, ttl(0));
  EXPECT_TRUE(plan.cancels.empty());
  EXPECT_FALSE(plan.next_check);
}
