// Auto-trim: exposure above a cap becomes reduce-only sells that bring it back under.
#include "risk_world.hpp"

#include "actors/trading/risk/auto_trim.hpp"

#include <gtest/gtest.h>

using namespace risk_test;

TEST(AutoTrim, NothingToTrimUnderTheCaps) {
  world w;
  w.book.positions.push_back(position("BTC-USD", 0.02, 50'000, 50'000));  // 1 000 = the asset cap
  EXPECT_TRUE(plan_trims(w.book, w.policy, w.market, t0).intents.empty());
}

TEST(AutoTrim, AnAssetAboveItsCapIsSoldBackUnderIt) {
  world w;
  w.book.positions.push_back(position("BTC-USD", 0.03, 50'000, 50'000));  // 1 500 vs 1 000
  auto plan = plan_trims(w.book, w.policy, w.market, t0);
  ASSERT_EQ(plan.intents.size(), 1u);
  const auto& in = plan.intents[0];
  EXPECT_TRUE(in.reduce_only);
  EXPECT_EQ(in.dir, side::sell);
  EXPECT_EQ(in.product, pid("BTC-USD"));
  EXPECT_EQ(in.base_size, qty(0.01));
}

TEST(AutoTrim, TrimsRoundUpSoTheResultIsUnderTheCap) {
  world w;
  w.book.positions.push_back(position("BTC-USD", 0.03, 50'000, 50'000.01));
  auto plan = plan_trims(w.book, w.policy, w.market, t0);
  ASSERT_EQ(plan.intents.size(), 1u);
  const size left = qty(0.03) - plan.intents[0].base_size;
  EXPECT_LE(px(50'000.01) * left, usd(1'000));
}

TEST(AutoTrim, TotalAboveTheCapTrimsTheLargestFirst) {
  world w;
  w.policy.per_asset_cap_pct = 100;
  w.book.positions.push_back(position("ADA-USD", 2'500, 1, 1, "other"));
  w.book.positions.push_back(position("SOL-USD", 35, 100, 100));  // 6 000 vs 5 000
  auto plan = plan_trims(w.book, w.policy, w.market, t0);
  ASSERT_EQ(plan.intents.size(), 1u);
  EXPECT_EQ(plan.intents[0].product, pid("SOL-USD"));
  EXPECT_EQ(plan.intents[0].base_size, qty(10));
}

TEST(AutoTrim, PendingBuysCountTowardsTheCap) {
  world w;
  w.book.positions.push_back(position("BTC-USD", 0.02, 50'000, 50'000));
  w.book.pending.push_back(pending_exposure{pid("BTC-USD"), "breakout", usd(200), false, pending_source::open_order});
  auto plan = plan_trims(w.book, w.policy, w.market, t0);
  ASSERT_EQ(plan.intents.size(), 1u);
  EXPECT_EQ(plan.intents[0].base_size, qty(0.004));
}

TEST(AutoTrim, ATrimBelowTheProductMinimumIsSkippedAndNoted) {
  world w;
  w.edit("BTC-USD", [](market_entry& e) { e.rules.min_funds = usd(100); });
  w.book.positions.push_back(position("BTC-USD", 0.0201, 50'000, 50'000));  // 5 USD over
  auto plan = plan_trims(w.book, w.policy, w.market, t0);
  EXPECT_TRUE(plan.intents.empty());
  ASSERT_EQ(plan.notes.size(), 1u);
  EXPECT_NE(plan.notes[0].find("below product minimum"), std::string::npos);
}
