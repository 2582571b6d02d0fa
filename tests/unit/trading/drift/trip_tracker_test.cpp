// Round trips read off successive portfolio updates: a position that is gone closed a trip,
// partial sells count towards it, two closing at once share the unexplained PnL by cost.

#include "actors/trading/drift/trip_tracker.hpp"

#include <gtest/gtest.h>

namespace {

using namespace trader;
using namespace trader::drift;

position_state held(const char* p, const char* strategy, double qty, double entry, double realized) {
  position_state s;
  s.product = product_id{p};
  s.strategy = strategy;
  s.qty = size::from_double(qty);
  s.avg_entry = price::from_double(entry);
  s.realized = notional::from_double(realized);
  return s;
}

portfolio_update update(std::vector<position_state> ps, double realized_total, ts_ns ts) {
  portfolio_update u;
  u.positions = std::move(ps);
  u.realized_total = notional::from_double(realized_total);
  u.ts = ts;
  return u;
}

TEST(TripTracker, APositionThatIsGoneClosedARoundTrip) {
  trip_tracker t;
  EXPECT_TRUE(t.on_portfolio(update({}, 0, 1)).empty());
  EXPECT_TRUE(t.on_portfolio(update({held("BTC-USD", "momentum", 0.01, 50'000, 0)}, 0, 2)).empty());
  auto c = t.on_portfolio(update({}, 25, 3));
  ASSERT_EQ(c.size(), 1u);
  EXPECT_EQ(c[0].strategy, "momentum");
  EXPECT_NEAR(c[0].pnl, 25, 1e-6);
  EXPECT_NEAR(c[0].return_pct, 5.0, 1e-6);  // 25 of a 500 entry
  EXPECT_EQ(c[0].closed_at, 3);
}

TEST(TripTracker, PartialSellsCountTowardsTheTripAndOtherPositionsDoNot) {
  trip_tracker t;
  t.on_portfolio(update({}, 0, 1));
  t.on_portfolio(update({held("BTC-USD", "momentum", 0.02, 50'000, 0), held("ETH-USD", "breakout", 1, 3000, 0)}, 0, 2));
  // Half the BTC sold at +10; ETH partly sold at -5.
  t.on_portfolio(update({held("BTC-USD", "momentum", 0.01, 50'000, 10), held("ETH-USD", "breakout", 0.5, 3000, -5)},
                        5, 3));
  auto c = t.on_portfolio(update({held("ETH-USD", "breakout", 0.5, 3000, -5)}, 25, 4));  // the rest of BTC at +20
  ASSERT_EQ(c.size(), 1u);
  EXPECT_EQ(c[0].product.value, "BTC-USD");
  EXPECT_NEAR(c[0].pnl, 30, 1e-6);
  EXPECT_NEAR(c[0].return_pct, 3.0, 1e-6);  // 30 of the largest cost seen, 1000
}

TEST(TripTracker, TwoClosingTogetherShareTheUnexplainedPnlByCost) {
  trip_tracker t;
  t.on_portfolio(update({held("A-USD", "s", 1, 100, 0), held("B-USD", "s", 1, 300, 0)}, 0, 1));
  auto c = t.on_portfolio(update({}, 40, 2));
  ASSERT_EQ(c.size(), 2u);
  EXPECT_NEAR(c[0].pnl, 10, 1e-6);
  EXPECT_NEAR(c[1].pnl, 30, 1e-6);
}

} // namespace
