// The engine: fixed order, every failure kept, bad input short-circuits, the tightest
// resize wins, minimum position size, CHECK_FAILED, exits, the intent it writes.
#include "risk_world.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <stdexcept>

using namespace risk_test;

namespace {
std::size_t index_of(std::string_view id) {
  auto checks = all_checks();
  auto it = std::find_if(checks.begin(), checks.end(), [&](const check_def& c) { return c.id == id; });
  return static_cast<std::size_t>(it - checks.begin());
}
check_result boom(const check_context&) { throw std::runtime_error("boom"); }
} // namespace

TEST(RiskEngine, ApprovesAValidProposalWithAPostOnlyIntent) {
  world w;
  auto ev = w.evaluate();
  ASSERT_TRUE(ev.verdict.approved) << (ev.verdict.rejections.empty() ? "" : ev.verdict.rejections[0].detail);
  EXPECT_TRUE(ev.verdict.rejections.empty());
  EXPECT_EQ(ev.verdict.proposal_id, "p-1");
  const auto& in = ev.verdict.intent;
  EXPECT_EQ(in.proposal_id, "p-1");
  EXPECT_EQ(in.product, pid("BTC-USD"));
  EXPECT_EQ(in.dir, side::buy);
  EXPECT_EQ(in.type, order_type::limit);
  EXPECT_TRUE(in.post_only);
  EXPECT_FALSE(in.reduce_only);
  EXPECT_EQ(in.tif, time_in_force::gtd);
  EXPECT_EQ(in.expire_at, t0 + seconds(120));
  EXPECT_EQ(in.limit_px, px(50'000));
  EXPECT_EQ(in.base_size, qty(0.00796812));  // 400 with the 40 bps maker fee
  EXPECT_TRUE(in.id.empty());                // the actor assigns it
  EXPECT_TRUE(ev.adds_risk);
  EXPECT_TRUE(ev.new_position);
}

TEST(RiskEngine, AnAddIsRecordedAsATradeButNotANewPosition) {
  world w;
  w.hold_btc();
  w.policy.pyramiding.enabled = true;
  w.proposal.target = usd(200);
  auto ev = w.evaluate();
  ASSERT_TRUE(ev.verdict.approved) << ev.verdict.rejections[0].detail;
  EXPECT_TRUE(ev.adds_risk);
  EXPECT_FALSE(ev.new_position);
}

TEST(RiskEngine, KeepsEveryFailedCheckInTheFixedOrder) {
  world w;
  w.pacing.record_trade(pid("BTC-USD"), true, t0 - seconds(10));              // spacing + cooldown
  w.book.positions.push_back(position("BTC-USDC", 0.019, 50'000, 50'000));  // asset room 50
  w.edit("BTC-USD", [](market_entry& e) { e.top->ask = px(50'400); });      // spread ≈ 80 bps
  auto ev = w.evaluate();
  EXPECT_FALSE(ev.verdict.approved);
  EXPECT_EQ(ids(ev.verdict), (std::vector<std::string>{"SPREAD_TOO_WIDE", "MIN_TRADE_SPACING", "SYMBOL_COOLDOWN",
                                                        "PER_ASSET_CAP"}));
}

TEST(RiskEngine, BadInputStopsBeforeTheMarketAndExposureChecks) {
  world w;
  w.proposal.product = pid("XYZ-USD");
  w.proposal.strategy = "ghost";
  w.book.taken_at = 0;
  auto ev = w.evaluate();
  EXPECT_FALSE(ev.verdict.approved);
  EXPECT_EQ(ids(ev.verdict), (std::vector<std::string>{"UNKNOWN_PRODUCT", "UNKNOWN_STRATEGY", "STALE_PORTFOLIO"}));
}

TEST(RiskEngine, NeverApprovesByDefaultWithoutAQuote) {
  world w;
  w.edit("BTC-USD", [](market_entry& e) { e.top.reset(); });
  auto ev = w.evaluate();
  EXPECT_FALSE(ev.verdict.approved);
  EXPECT_EQ(ids(ev.verdict), (std::vector<std::string>{"STALE_QUOTE"}));
}

TEST(RiskEngine, TheTightestResizeSizesTheOrder) {
  world w;
  w.book.positions.push_back(position("BTC-USDC", 0.015, 50'000, 50'000));  // asset room 250
  w.proposal.target = usd(700);                                             // also above 600 and 500
  auto ev = w.evaluate();
  ASSERT_TRUE(ev.verdict.approved);
  EXPECT_EQ(ev.allowed, usd(250));
  std::vector<std::string> resized;
  for (const auto& r : ev.resized)
    resized.push_back(r.check);
  EXPECT_EQ(resized, (std::vector<std::string>{"POSITION_SIZE_CAP", "PER_ASSET_CAP", "MAX_ORDER_SIZE"}));
  const auto& in = ev.verdict.intent;
  EXPECT_LE(in.limit_px * in.base_size + scale_up(in.limit_px * in.base_size, 4'000), usd(250));
}

TEST(RiskEngine, StrategyBudgetsRunBeforeTheGlobalCaps) {
  EXPECT_LT(index_of(check_id::strategy_budget), index_of(check_id::position_size_cap));
  EXPECT_LT(index_of(check_id::strategy_max_positions), index_of(check_id::per_asset_cap));
  EXPECT_LT(index_of(check_id::strategy_budget), index_of(check_id::total_at_risk_cap));
  EXPECT_LT(index_of(check_id::unknown_product), index_of(check_id::exchange_status));
}

TEST(RiskEngine, EveryCheckIdIsUnique) {
  auto checks = all_checks();
  for (std::size_t i = 0; i < checks.size(); ++i)
    for (std::size_t j = i + 1; j < checks.size(); ++j)
      EXPECT_NE(checks[i].id, checks[j].id);
}

TEST(RiskEngine, BelowTheMinimumPositionSizeIsRejected) {
  world w;
  w.market.regime_multiplier = 0.25;  // 400 → 100 = min position: still fine
  EXPECT_TRUE(w.evaluate().verdict.approved);
  w.market.regime_multiplier = 0.2;  // 400 → 80
  auto ev = w.evaluate();
  EXPECT_EQ(ids(ev.verdict), (std::vector<std::string>{"MIN_POSITION_SIZE"}));
  EXPECT_EQ(ev.verdict.rejections[0].detail, "allowed=80 min=100 desired=80");
}

TEST(RiskEngine, AProductMinimumAboveTheCapIsRejectedBySizing) {
  world w;
  w.edit("BTC-USD", [](market_entry& e) { e.rules.min_funds = usd(1'000); });
  auto ev = w.evaluate();
  EXPECT_EQ(ids(ev.verdict), (std::vector<std::string>{"BELOW_PRODUCT_MINIMUM"}));
}

TEST(RiskEngine, ACheckThatThrowsBecomesCheckFailed) {
  world w;
  auto r = run_check(check_def{"BOOM", boom}, w.ctx());
  EXPECT_EQ(r.outcome, check_outcome::reject);
  EXPECT_EQ(r.why.check, check_id::check_failed);
  EXPECT_EQ(r.why.detail, "check=BOOM error=boom");
}

TEST(RiskEngine, AnExitPassesPacingRegimeAndCapsButNotAClosedMarket) {
  world w;
  w.hold_btc(0.01);
  w.proposal.dir = side::sell;
  w.proposal.kind = proposal_kind::close;
  w.market.regime_multiplier = 0;
  w.pacing.record_trade(pid("BTC-USD"), true, t0 - seconds(1));
  w.policy.per_asset_cap_pct = 1;
  auto ev = w.evaluate();
  ASSERT_TRUE(ev.verdict.approved) << ev.verdict.rejections[0].check;
  EXPECT_TRUE(ev.verdict.intent.reduce_only);
  EXPECT_EQ(ev.verdict.intent.dir, side::sell);
  EXPECT_EQ(ev.verdict.intent.base_size, qty(0.01));
  w.edit("BTC-USD", [](market_entry& e) { e.status = product_state::cancel_only; });
  EXPECT_EQ(ids(w.evaluate().verdict), (std::vector<std::string>{"EXCHANGE_STATUS"}));
}

TEST(RiskEngine, AnExitFromADisabledStrategyIsAllowed) {
  world w;
  w.hold_btc(0.01);
  w.proposal.strategy = "momentum";
  w.proposal.dir = side::sell;
  w.proposal.kind = proposal_kind::reduce;
  w.proposal.target = usd(200);
  EXPECT_TRUE(w.evaluate().verdict.approved);
  w.proposal.dir = side::buy;
  w.proposal.kind = proposal_kind::open;
  w.book.positions.clear();
  EXPECT_EQ(ids(w.evaluate().verdict), (std::vector<std::string>{"STRATEGY_DISABLED"}));
}

TEST(RiskEngine, MarketEntriesGoOutAsIocQuoteSizes) {
  world w;
  w.policy.default_order_type = entry_order::market;
  auto ev = w.evaluate();
  ASSERT_TRUE(ev.verdict.approved);
  EXPECT_EQ(ev.verdict.intent.type, order_type::market);
  EXPECT_EQ(ev.verdict.intent.tif, time_in_force::ioc);
  EXPECT_FALSE(ev.verdict.intent.post_only);
  EXPECT_EQ(ev.verdict.intent.quote_size, usd(400));
}

TEST(RiskEngine, TheFeeTierReplacesThePolicyFallback) {
  world w;
  risk_engine e{w.policy};
  EXPECT_EQ(e.fees().maker, 4'000);
  e.set_fees(fee_rates{0, 0});
  auto ev = e.evaluate(w.proposal, w.book, w.market, w.pacing, w.now);
  ASSERT_TRUE(ev.verdict.approved);
  EXPECT_EQ(ev.verdict.intent.base_size, qty(0.008));  // 400 / 50 000, no fee
}

TEST(RiskPolicy, DefaultsMatchTheConservativeProfile) {
  auto p = default_risk_policy();
  EXPECT_EQ(p.max_total_at_risk_pct, 25.0);
  EXPECT_EQ(p.max_open_positions, 5);
  EXPECT_EQ(p.max_position_pct, 3.0);
  EXPECT_EQ(p.per_asset_cap_pct, 5.0);
  EXPECT_EQ(p.daily_stop_pct, 3.0);
  EXPECT_EQ(p.weekly_stop_pct, 7.0);
  EXPECT_EQ(p.max_drawdown_pct, 10.0);
  EXPECT_EQ(p.max_trades_per_day, 15);
  EXPECT_EQ(p.min_seconds_between_trades, 180);
  EXPECT_EQ(p.max_quote_age_s, 30.0);
  EXPECT_FALSE(p.pyramiding.enabled);
  EXPECT_EQ(p.max_order_usd, 500.0);
  EXPECT_EQ(p.max_spread_bps, 50.0);
  EXPECT_TRUE(p.strategies.at("breakout").enabled);
  EXPECT_FALSE(p.strategies.at("momentum").enabled);
  EXPECT_EQ(p.themes.size(), 3u);
}
