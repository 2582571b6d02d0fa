// Exposure caps with pending exposure counted; per-strategy budgets before global caps.
// NAV 20 000: budget(breakout) 3 000, position 600, asset 1 000, large_caps 2 000, total 5 000.
#include "risk_world.hpp"

#include <gtest/gtest.h>

using namespace risk_test;

namespace {
bool passes(const check_result& r) { return r.outcome == check_outcome::approve; }
bool rejects(const check_result& r, std::string_view id) {
  return r.outcome == check_outcome::reject && r.why.check == id;
}
bool resizes_to(const check_result& r, std::string_view id, notional cap) {
  return r.outcome == check_outcome::resize && r.why.check == id && r.cap == cap;
}
pending_exposure pending(const std::string& product, double amount, bool new_position = true,
                         pending_source src = pending_source::open_order, const std::string& strategy = "breakout") {
  return pending_exposure{pid(product), strategy, usd(amount), new_position, src};
}
} // namespace

TEST(Exposure, SummaryCountsPositionsOpenOrdersAndUnsettledFills) {
  world w;
  w.book.positions.push_back(position("BTC-USDC", 0.01, 50'000, 50'000));           // 500, asset BTC
  w.book.pending.push_back(pending("BTC-USD", 100));                                // open order
  w.book.pending.push_back(pending("ETH-USD", 60, true, pending_source::unsettled_fill, "other"));
  auto s = summarize(w.book, w.policy, pid("BTC-USD"), "breakout");
  EXPECT_EQ(s.total, usd(660));
  EXPECT_EQ(s.asset, usd(600));
  EXPECT_EQ(s.strategy, usd(600));
  EXPECT_EQ(s.open_positions, 3);  // BTC-USDC + pending new BTC-USD + pending new ETH-USD
  ASSERT_EQ(s.themes.size(), 1u);
  EXPECT_EQ(s.themes[0].first->name, "large_caps");
  EXPECT_EQ(s.themes[0].second, usd(660));
}

TEST(Exposure, StrategyBudgetResizesThenRejects) {
  world w;
  w.book.positions.push_back(position("ADA-USD", 2'800, 1, 1));
  EXPECT_TRUE(resizes_to(check_strategy_budget(w.ctx()), check_id::strategy_budget, usd(200)));
  w.book.positions[0].qty = qty(2'950);
  EXPECT_TRUE(rejects(check_strategy_budget(w.ctx()), check_id::strategy_budget));
  w.book.positions[0].strategy = "other";  // not charged to breakout
  EXPECT_TRUE(passes(check_strategy_budget(w.ctx())));
}

TEST(Exposure, StrategyBudgetCountsPendingOrders) {
  world w;
  w.book.pending.push_back(pending("ADA-USD", 2'700));
  EXPECT_TRUE(resizes_to(check_strategy_budget(w.ctx()), check_id::strategy_budget, usd(300)));
}

TEST(Exposure, StrategyMaxPositions) {
  world w;
  w.book.positions.push_back(position("ETH-USD", 0.01, 3'000, 3'000));
  w.book.positions.push_back(position("SOL-USD", 1, 100, 100));
  EXPECT_TRUE(passes(check_strategy_max_positions(w.ctx())));
  w.book.pending.push_back(pending("ADA-USD", 50));
  auto r = check_strategy_max_positions(w.ctx());
  EXPECT_TRUE(rejects(r, check_id::strategy_max_positions));
  EXPECT_EQ(r.why.detail, "strategy=breakout open=3 limit=3");
}

TEST(Exposure, PositionSizeCapResizesANewPosition) {
  world w;
  w.proposal.target = usd(600);
  EXPECT_TRUE(passes(check_position_size(w.ctx())));
  w.proposal.target = usd(700);
  EXPECT_TRUE(resizes_to(check_position_size(w.ctx()), check_id::position_size_cap, usd(600)));
}

TEST(Exposure, PerAssetCapSpansQuotePairsAndRendersItsDetail) {
  world w;
  w.book.positions.push_back(position("BTC-USDC", 0.015, 50'000, 50'000));  // 750
  auto r = check_per_asset_cap(w.ctx());
  EXPECT_TRUE(resizes_to(r, check_id::per_asset_cap, usd(250)));
  EXPECT_EQ(r.why.detail, "asset=BTC at_risk_pct=5.75 limit_pct=5.00 wanted=400 room=250");
  w.book.positions[0].qty = qty(0.019);  // 950: room 50 < min position 100
  EXPECT_TRUE(rejects(check_per_asset_cap(w.ctx()), check_id::per_asset_cap));
}

TEST(Exposure, PerAssetCapCountsPendingExposure) {
  world w;
  w.book.pending.push_back(pending("BTC-USD", 700, false, pending_source::unsettled_fill));
  EXPECT_TRUE(resizes_to(check_per_asset_cap(w.ctx()), check_id::per_asset_cap, usd(300)));
}

TEST(Exposure, PerThemeCap) {
  world w;
  w.book.positions.push_back(position("ETH-USD", 0.5, 3'000, 3'000));  // 1 500 in large_caps
  EXPECT_TRUE(passes(check_per_theme_cap(w.ctx())));
  w.book.positions[0].qty = qty(0.6);  // 1 800
  EXPECT_TRUE(resizes_to(check_per_theme_cap(w.ctx()), check_id::per_theme_cap, usd(200)));
  w.book.positions[0].qty = qty(0.7);  // 2 100
  auto r = check_per_theme_cap(w.ctx());
  EXPECT_TRUE(rejects(r, check_id::per_theme_cap));
  EXPECT_EQ(r.why.detail.rfind("theme=large_caps ", 0), 0u);
}

TEST(Exposure, TotalAtRiskCap) {
  world w;
  w.book.positions.push_back(position("ADA-USD", 4'500, 1, 1, "other"));
  EXPECT_TRUE(passes(check_total_at_risk(w.ctx())));
  w.book.positions[0].qty = qty(4'800);
  EXPECT_TRUE(resizes_to(check_total_at_risk(w.ctx()), check_id::total_at_risk_cap, usd(200)));
  w.book.positions[0].qty = qty(4'950);
  EXPECT_TRUE(rejects(check_total_at_risk(w.ctx()), check_id::total_at_risk_cap));
}

TEST(Exposure, PositionsAreMarkedNotTakenAtEntry) {
  world w;
  w.book.positions.push_back(position("ADA-USD", 4'000, 1, 1.2, "other"));  // 4 800 at the mark
  EXPECT_TRUE(resizes_to(check_total_at_risk(w.ctx()), check_id::total_at_risk_cap, usd(200)));
}

TEST(Exposure, MaxOpenPositionsCountsPendingNewPositions) {
  world w;
  for (auto p : {"ETH-USD", "SOL-USD", "ADA-USD", "DOGE-USD"})
    w.book.positions.push_back(position(p, 1, 1, 1, "other"));
  EXPECT_TRUE(passes(check_max_open_positions(w.ctx())));
  w.book.pending.push_back(pending("LINK-USD", 10, true, pending_source::open_order, "other"));
  auto r = check_max_open_positions(w.ctx());
  EXPECT_TRUE(rejects(r, check_id::max_open_positions));
  EXPECT_EQ(r.why.detail, "portfolio open=5 limit=5");
  w.hold_btc();  // the proposal becomes an add: no new position
  EXPECT_TRUE(passes(check_max_open_positions(w.ctx())));
}

TEST(Exposure, MaxOrderSizeCutsTheOrder) {
  world w;
  w.proposal.target = usd(500);
  EXPECT_TRUE(passes(check_max_order_size(w.ctx())));
  w.proposal.target = usd(501);
  EXPECT_TRUE(resizes_to(check_max_order_size(w.ctx()), check_id::max_order_size, usd(500)));
}

TEST(Exposure, CapsCompareTheRegimeScaledAmount) {
  world w;
  w.book.positions.push_back(position("BTC-USDC", 0.015, 50'000, 50'000));  // room 250
  w.market.regime_multiplier = 0.5;  // 400 → 200
  EXPECT_TRUE(passes(check_per_asset_cap(w.ctx())));
}

TEST(Exposure, TwoPendingOrdersOpeningOneProductCountAsOnePosition) {
  world w;
  w.book.pending.push_back(pending("SOL-USD", 50));
  w.book.pending.push_back(pending("SOL-USD", 50));
  auto s = summarize(w.book, w.policy, pid("BTC-USD"), "breakout");
  EXPECT_EQ(s.open_positions, 1);
  EXPECT_EQ(s.strategy_positions, 1);
  EXPECT_EQ(s.total, usd(100));
}
