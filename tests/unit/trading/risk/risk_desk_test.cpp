// risk_desk: the risk actor's inputs folded into the checks' view — NAV from cash and marks,
// pending buys, exits armed from the ledger with the proposal's plan, loss limits on the
// ledger across the UTC day, pacing from fills — and one proposal judged end to end.
#include "actors/trading/risk/calendar.hpp"
#include "actors/trading/risk/risk_desk.hpp"
#include "desk_world.hpp"

#include <gtest/gtest.h>
#include <limits>
#include <nlohmann/json.hpp>

using namespace risk_test;

TEST(RiskDesk, NavIsCashPlusPositionsAtTheNewestMid) {
  auto d = desk_with_btc();
  d.on_portfolio(ledger(10'000, {held("BTC-USD", 0.1, 40'000)}), t0);
  auto s = d.snapshot();
  EXPECT_EQ(s.nav, usd(10'000) + px(50'000.5) * qty(0.1));
  ASSERT_EQ(s.positions.size(), 1u);
  EXPECT_EQ(s.positions[0].mark, px(50'000.5));
  auto m = d.marks(t0);
  EXPECT_EQ(m.unrealized, usd(1'000.05));
}

TEST(RiskDesk, AHeldProductWithoutAQuoteIsMarkedAtItsEntry) {
  risk_desk d{default_risk_policy()};
  d.on_portfolio(ledger(1'000, {held("ETH-USD", 2, 3'000)}), t0);
  EXPECT_EQ(d.marks(t0).nav, usd(7'000));
  EXPECT_EQ(d.marks(t0).unrealized, usd(0));
}

TEST(RiskDesk, WorkingBuysArePendingExposureAndSellsAreNot) {
  auto d = desk_with_btc();
  auto u = ledger(10'000);
  u.working.push_back(working_order{client_order_id{"a"}, pid("BTC-USD"), "breakout", side::buy, false, qty(0.01), usd(500), order_state::open});
  u.working.push_back(working_order{client_order_id{"b"}, pid("ETH-USD"), "breakout", side::sell, true, qty(1), usd(3'000), order_state::open});
  d.on_portfolio(u, t0);
  auto s = d.snapshot();
  ASSERT_EQ(s.pending.size(), 1u);
  EXPECT_EQ(s.pending[0].amount, usd(500));
  EXPECT_TRUE(s.pending[0].new_position);
}

TEST(RiskDesk, ApprovesAProposalOnceItHasRulesAQuoteAndAFreshPortfolio) {
  auto d = desk_with_btc();
  EXPECT_EQ(ids(d.evaluate(buy_btc(), t0).verdict), (std::vector<std::string>{"STALE_PORTFOLIO", "INVALID_NAV"}));
  d.on_portfolio(ledger(20'000), t0);
  auto ev = d.evaluate(buy_btc(), t0 + seconds(1));
  EXPECT_TRUE(ev.verdict.approved) << (ev.verdict.rejections.empty() ? "" : ev.verdict.rejections[0].detail);
  EXPECT_EQ(ev.verdict.intent.product, pid("BTC-USD"));
  EXPECT_FALSE(ev.verdict.intent.reduce_only);
}

TEST(RiskDesk, APortfolioNotHeardOfForLongerThanTheLimitIsStale) {
  auto d = desk_with_btc();
  d.on_portfolio(ledger(20'000), t0);
  auto ev = d.evaluate(buy_btc(), t0 + seconds(61));
  ASSERT_FALSE(ev.verdict.approved);
  EXPECT_EQ(ev.verdict.rejections[0].check, "STALE_PORTFOLIO");
}

TEST(RiskDesk, AnUncataloguedProductIsUnknown) {
  risk_desk d{default_risk_policy()};
  d.on_quote(quote_at("BTC-USD", 50'000, 50'001, 1, t0));  // a quote alone is not a product
  d.on_portfolio(ledger(20'000), t0);
  auto ev = d.evaluate(buy_btc(), t0);
  ASSERT_FALSE(ev.verdict.approved);
  EXPECT_EQ(ev.verdict.rejections[0].check, "UNKNOWN_PRODUCT");
}

TEST(RiskDesk, AFilledEntryIsArmedWithItsProposalsExitPlan) {
  auto d = desk_with_btc();
  d.on_portfolio(ledger(20'000), t0);
  auto p = buy_btc();
  p.exits.stop_loss_pct = 5;
  p.exits.take_profit_pct = 20;
  auto ev = d.evaluate(p, t0);
  ASSERT_TRUE(ev.verdict.approved);
  d.record_sent(p, ev, t0);
  auto fx = d.on_portfolio(ledger(19'600, {held("BTC-USD", 0.008, 50'000, t0 + seconds(5))}, 2), t0 + seconds(5));
  ASSERT_EQ(fx.armed, std::vector<product_id>{pid("BTC-USD")});
  const auto* pp = d.exits().find(pid("BTC-USD"));
  ASSERT_NE(pp, nullptr);
  EXPECT_EQ(pp->stop, px(47'500));
  EXPECT_EQ(pp->take, px(60'000));
  EXPECT_EQ(pp->qty, qty(0.008));
  EXPECT_TRUE(fx.pacing_changed);  // the fill starts the symbol cooldown
  EXPECT_EQ(d.pacing().symbol(pid("BTC-USD")).last_fill, t0 + seconds(5));
}

TEST(RiskDesk, ANonFiniteExitPlanFallsBackToThePolicyLevels) {
  auto d = desk_with_btc();
  d.on_portfolio(ledger(20'000), t0);
  auto p = buy_btc();
  p.exits.stop_loss_pct = std::numeric_limits<double>::infinity();  // would arm no stop at all
  p.exits.take_profit_pct = std::numeric_limits<double>::quiet_NaN();
  p.exits.atr = px(1'000);
  p.exits.stop_loss_atr = std::numeric_limits<double>::infinity();
  p.exits.take_profit_atr = -2;
  auto ev = d.evaluate(p, t0);
  ASSERT_TRUE(ev.verdict.approved);
  d.record_sent(p, ev, t0);
  d.on_portfolio(ledger(19'600, {held("BTC-USD", 0.008, 50'000, t0 + seconds(5))}, 2), t0 + seconds(5));
  const auto* pp = d.exits().find(pid("BTC-USD"));
  ASSERT_NE(pp, nullptr);
  EXPECT_EQ(pp->stop, px(45'000));  // the policy's 10 %
  EXPECT_EQ(pp->take, px(56'000));  // the policy's 12 %
}

TEST(RiskDesk, APositionWithoutAPlanGetsThePolicyLevels) {
  auto d = desk_with_btc();
  d.on_portfolio(ledger(10'000, {held("BTC-USD", 0.1, 40'000)}), t0);
  const auto* pp = d.exits().find(pid("BTC-USD"));
  ASSERT_NE(pp, nullptr);
  EXPECT_EQ(pp->stop, px(36'000));  // 10 %
  EXPECT_EQ(pp->take, px(44'800));  // 12 %
}

TEST(RiskDesk, AClosedPositionIsDisarmed) {
  auto d = desk_with_btc();
  d.on_portfolio(ledger(10'000, {held("BTC-USD", 0.1, 40'000)}), t0);
  auto fx = d.on_portfolio(ledger(15'000, {}, 2), t0 + seconds(1));
  EXPECT_EQ(fx.disarmed, std::vector<product_id>{pid("BTC-USD")});
  EXPECT_EQ(d.exits().count(), 0u);
}

TEST(RiskDesk, AStopCrossingProducesAReduceOnlySellOfTheWholePosition) {
  auto d = desk_with_btc();
  d.on_portfolio(ledger(10'000, {held("BTC-USD", 0.1, 40'000)}), t0);
  auto q = quote_at("BTC-USD", 35'999, 36'000, 1, t0 + seconds(2));
  d.on_quote(q);
  auto sig = d.check_exit(q, t0 + seconds(2));
  ASSERT_TRUE(sig.has_value());
  EXPECT_EQ(sig->kind, exit_kind::stop_loss);
  EXPECT_TRUE(sig->intent.reduce_only);
  EXPECT_EQ(sig->intent.dir, side::sell);
  EXPECT_EQ(sig->intent.base_size, qty(0.1));
  EXPECT_FALSE(d.check_exit(q, t0 + seconds(3)).has_value());  // exiting: once
}

TEST(RiskDesk, AnExitThatLeftNoWorkingOrderIsArmedAgainAfterTheRetryDelay) {
  auto d = desk_with_btc();
  d.on_portfolio(ledger(10'000, {held("BTC-USD", 0.1, 40'000)}), t0);
  auto q = quote_at("BTC-USD", 35'000, 35'001, 1, t0);
  d.on_quote(q);
  ASSERT_TRUE(d.check_exit(q, t0).has_value());
  d.exit_sent(pid("BTC-USD"), exit_kind::stop_loss, t0);
  EXPECT_EQ(d.pacing().symbol(pid("BTC-USD")).last_stop_out, t0);
  // Within the delay nothing changes; after it, with no working exit order, it fires again.
  EXPECT_TRUE(d.on_portfolio(ledger(10'000, {held("BTC-USD", 0.1, 40'000)}, 2), t0 + seconds(5)).retry.empty());
  auto fx = d.on_portfolio(ledger(10'000, {held("BTC-USD", 0.1, 40'000)}, 3), t0 + seconds(16));
  EXPECT_EQ(fx.retry, std::vector<product_id>{pid("BTC-USD")});
  EXPECT_TRUE(d.check_exit(q, t0 + seconds(17)).has_value());
}

TEST(RiskDesk, AWorkingExitOrderKeepsTheExitOut) {
  auto d = desk_with_btc();
  d.on_portfolio(ledger(10'000, {held("BTC-USD", 0.1, 40'000)}), t0);
  d.exit_sent(pid("BTC-USD"), exit_kind::stop_loss, t0);
  auto u = ledger(10'000, {held("BTC-USD", 0.1, 40'000)}, 2);
  u.working.push_back(working_order{client_order_id{"x"}, pid("BTC-USD"), "stop_loss", side::sell, true, qty(0.1), usd(3'500), order_state::open});
  EXPECT_TRUE(d.on_portfolio(u, t0 + seconds(60)).retry.empty());
}

TEST(RiskDesk, RealizedBucketsOfAnEarlierDayDoNotCountToday) {
  auto d = desk_with_btc();
  auto u = ledger(10'000);
  u.realized_day = usd(-250);
  u.realized_week = usd(-250);
  d.on_portfolio(u, t0);
  EXPECT_EQ(d.marks(t0).realized_day, usd(-250));
  auto tomorrow = next_day_start(t0) + seconds(1);
  EXPECT_EQ(d.marks(tomorrow).realized_day, usd(0));
  EXPECT_EQ(d.marks(tomorrow).realized_week, usd(-250));  // same ISO week (Wednesday → Thursday)
}

TEST(RiskDesk, ALedgerLossTripsTheDailyStopAndTheNextUtcDayClearsIt) {
  auto d = desk_with_btc();
  d.on_portfolio(ledger(10'000), t0);
  ASSERT_TRUE(d.update_loss(t0)->active.empty());
  auto u = ledger(9'690, {}, 2);
  u.realized_day = usd(-310);
  u.realized_week = usd(-310);
  d.on_portfolio(u, t0 + seconds(10));
  auto s = d.update_loss(t0 + seconds(10));
  ASSERT_EQ(s->active.size(), 1u);
  EXPECT_EQ(s->active[0].reason, gate_reason::daily_stop);
  auto next = d.update_loss(next_day_start(t0));
  for (const auto& b : next->active)
    EXPECT_NE(b.reason, gate_reason::daily_stop);
}

TEST(RiskDesk, ResumingTheDrawdownRebasesTheHighWaterMark) {
  auto d = desk_with_btc();
  d.on_portfolio(ledger(10'000), t0);
  d.update_loss(t0);
  auto lost = ledger(8'900, {}, 2);
  lost.realized_total = usd(-1'100);  // a realized loss (cash moved by fills, not a withdrawal)
  d.on_portfolio(lost, t0 + seconds(1));
  auto s = d.update_loss(t0 + seconds(1));
  ASSERT_TRUE(d.loss().holds(gate_reason::max_drawdown));
  EXPECT_TRUE(d.resume_drawdown(t0 + seconds(2)));
  EXPECT_FALSE(d.loss().holds(gate_reason::max_drawdown));
  EXPECT_EQ(d.loss().high_water(), usd(8'900));
  EXPECT_FALSE(d.resume_drawdown(t0 + seconds(3)));
}

TEST(RiskDesk, AnApprovedEntryCountsInPacing) {
  auto d = desk_with_btc();
  d.on_portfolio(ledger(20'000), t0);
  auto ev = d.evaluate(buy_btc(), t0);
  ASSERT_TRUE(ev.verdict.approved);
  d.record_sent(buy_btc(), ev, t0);
  EXPECT_EQ(d.pacing().trades_today(t0), 1);
  EXPECT_EQ(d.pacing().new_positions_last_hour(t0), 1);
  auto again = d.evaluate(buy_btc(), t0 + seconds(10));
  EXPECT_FALSE(again.verdict.approved);
}

TEST(RiskDesk, StatusShowsLimitsExposureLossPacingAndExits) {
  auto d = desk_with_btc();
  d.on_portfolio(ledger(10'000, {held("BTC-USD", 0.1, 40'000)}), t0);
  d.update_loss(t0);
  auto j = nlohmann::json::parse(d.status_json(t0));
  EXPECT_EQ(j["limits"]["max_open_positions"], 5);
  EXPECT_EQ(j["exposure"]["open_positions"], 1);
  EXPECT_TRUE(j["loss"]["known"].get<bool>());
  EXPECT_EQ(j["exits"].size(), 1u);
  EXPECT_EQ(j["pacing"]["trades_today"], 0);
}

TEST(RiskDesk, AnOversizedPositionIsTrimmedOnlyOnAReconciledLedgerAndOnceAtATime) {
  auto d = desk_with_btc();
  // 0.1 BTC at 50 000.5 = 5 000 of a 20 000 NAV: 25 % of one asset, cap 5 %.
  auto u = ledger(15'000, {held("BTC-USD", 0.1, 50'000)});
  u.reconciled = false;
  d.on_portfolio(u, t0);
  EXPECT_TRUE(d.trims(t0).intents.empty());  // cash not known to agree with the exchange
  u.reconciled = true;
  u.version = 2;
  d.on_portfolio(u, t0);
  auto plan = d.trims(t0);
  ASSERT_EQ(plan.intents.size(), 1u);
  const auto& in = plan.intents[0];
  EXPECT_TRUE(in.reduce_only);
  EXPECT_EQ(in.dir, side::sell);
  EXPECT_EQ(in.proposal_id, "auto_trim:BTC-USD");
  EXPECT_GT(in.base_size, qty(0.07));  // down to at most 5 % of NAV
  d.trim_sent(pid("BTC-USD"), t0);
  EXPECT_TRUE(d.trims(t0 + seconds(30)).intents.empty());
  EXPECT_EQ(d.trims(t0 + seconds(61)).intents.size(), 1u);
}

TEST(RiskDesk, TheExchangesFeeTierReplacesThePolicysFallbackRates) {
  auto d = desk_with_btc();
  EXPECT_EQ(d.engine().fees().maker, 4'000);  // 40 bps from the policy
  EXPECT_FALSE(d.fees_from_exchange());
  d.on_fee_tier(fee_tier{"Advanced 2", 0.0025, 0.004, usd(20'000), t0});
  EXPECT_EQ(d.engine().fees().maker, 2'500);
  EXPECT_EQ(d.engine().fees().taker, 4'000);
  EXPECT_TRUE(d.fees_from_exchange());
  d.on_fee_tier(fee_tier{"nonsense", -1, 0.004, usd(0), t0});  // implausible: ignored
  EXPECT_EQ(d.engine().fees().maker, 2'500);
  d.set_policy(default_risk_policy());  // a reload keeps the exchange's tier
  EXPECT_EQ(d.engine().fees().maker, 2'500);
}

TEST(RiskDesk, AnExitPlanWaitingForItsFillSurvivesARestart) {
  auto d = desk_with_btc();
  d.on_portfolio(ledger(20'000), t0);
  auto p = buy_btc();
  p.exits.stop_loss_pct = 5;
  auto ev = d.evaluate(p, t0);
  ASSERT_TRUE(ev.verdict.approved);
  d.record_sent(p, ev, t0);
  auto saved = d.plans_json();
  auto again = desk_with_btc();
  ASSERT_TRUE(again.restore_plans(saved));
  EXPECT_FALSE(again.restore_plans("{\"v\":2}"));
  again.on_portfolio(ledger(19'600, {held("BTC-USD", 0.008, 50'000)}), t0 + seconds(5));
  ASSERT_NE(again.exits().find(pid("BTC-USD")), nullptr);
  EXPECT_EQ(again.exits().find(pid("BTC-USD"))->stop, px(47'500));
  EXPECT_EQ(again.plans_json(), R"({"plans":[],"v":1})");  // used up
}

TEST(RiskDesk, AQuoteOfAHeldProductRefreshesTheCachedBook) {
  auto d = desk_with_btc();
  d.on_portfolio(ledger(10'000, {held("BTC-USD", 0.1, 40'000)}), t0);
  EXPECT_EQ(d.snapshot().nav, usd(10'000) + px(50'000.5) * qty(0.1));
  d.on_quote(quote_at("BTC-USD", 40'000, 40'001, 1, t0 + seconds(1)));
  EXPECT_EQ(d.snapshot().positions[0].mark, px(40'000.5));
  EXPECT_EQ(d.snapshot().nav, usd(10'000) + px(40'000.5) * qty(0.1));
  d.on_portfolio(ledger(14'000, {}, 2), t0 + seconds(2));  // sold: a new ledger, a new book
  EXPECT_TRUE(d.snapshot().positions.empty());
  EXPECT_EQ(d.snapshot().nav, usd(14'000));
}
