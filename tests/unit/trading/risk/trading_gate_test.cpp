#include "actors/trading/risk/trading_gate.hpp"

#include <gtest/gtest.h>

using namespace trader;
using namespace trader::risk;

namespace {
gate_signal raise(gate_reason r) { return gate_signal{r, true, "detail", "test", 1}; }
gate_signal clear(gate_reason r) { return gate_signal{r, false, "", "test", 2}; }
} // namespace

TEST(TradingGate, StartsClosedUntilFirstReconcile) {
  auto g = trading_gate::closed_at_start(0);
  EXPECT_FALSE(g.is_open());
  EXPECT_FALSE(g.check(order_effect::reduce_only).allowed);
  EXPECT_TRUE(g.apply(clear(gate_reason::startup)));
  EXPECT_TRUE(g.is_open());
}

TEST(TradingGate, CancelsAreAlwaysAllowed) {
  trading_gate g;
  g.apply(raise(gate_reason::kill_switch));
  g.apply(raise(gate_reason::state_unavailable));
  EXPECT_TRUE(g.check(order_effect::cancel).allowed);
}

TEST(TradingGate, ReduceOnlyPassesDailyStopButNotKillSwitch) {
  trading_gate g;
  g.apply(raise(gate_reason::daily_stop));
  EXPECT_FALSE(g.check(order_effect::open_or_add).allowed);
  EXPECT_TRUE(g.check(order_effect::reduce_only).allowed);
  g.apply(raise(gate_reason::kill_switch));
  auto d = g.check(order_effect::reduce_only);
  EXPECT_FALSE(d.allowed);
  EXPECT_EQ(d.blocking, gate_reason::kill_switch);
}

TEST(TradingGate, UncertainPositionBlocksReduceOnly) {
  for (auto r : {gate_reason::state_unavailable, gate_reason::reconcile_pending, gate_reason::order_timeout,
                 gate_reason::user_stream_gap, gate_reason::actor_lost_state}) {
    trading_gate g;
    g.apply(raise(r));
    EXPECT_FALSE(g.check(order_effect::reduce_only).allowed) << static_cast<int>(r);
  }
}

TEST(TradingGate, StickyReasonsNeedAnOperator) {
  trading_gate g;
  g.apply(raise(gate_reason::state_unavailable));
  EXPECT_FALSE(g.apply(clear(gate_reason::state_unavailable)));
  EXPECT_TRUE(g.has(gate_reason::state_unavailable));
  EXPECT_TRUE(g.resume(gate_reason::state_unavailable));
  EXPECT_TRUE(g.is_open());
}

TEST(TradingGate, OpensOnlyWhenEveryReasonIsCleared) {
  trading_gate g;
  g.apply(raise(gate_reason::stale_data));
  g.apply(raise(gate_reason::sequence_gap));
  g.apply(clear(gate_reason::stale_data));
  EXPECT_FALSE(g.is_open());
  g.apply(clear(gate_reason::sequence_gap));
  EXPECT_TRUE(g.is_open());
}

TEST(TradingGate, RepeatedRaiseKeepsSinceAndReportsNoChange) {
  trading_gate g;
  EXPECT_TRUE(g.apply(gate_signal{gate_reason::clock_skew, true, "200ms", "clock", 10}));
  EXPECT_FALSE(g.apply(gate_signal{gate_reason::clock_skew, true, "300ms", "clock", 20}));
  auto r = g.reasons();
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0].since, 10);
  EXPECT_EQ(r[0].detail, "300ms");
}
