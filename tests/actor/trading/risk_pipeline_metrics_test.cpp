// The risk actor's exposure and PnL gauges (issue 15 item 7, docs/metrics.md "Risk") carry
// the ledger's figures at the newest marks: exposure %, open positions, pending orders,
// daily / weekly / total PnL in USD and %, drawdown from the high-water mark; the weekly stop
// and max drawdown alerts and trip counts.
#include "tests/actor/trading/risk_pipeline_fixture.hpp"

using namespace risk_pipeline;

namespace {

working_order resting_buy(double amount) {
  working_order w;
  w.id = client_order_id{"c-rest"};
  w.product = product_id{"BTC-USD"};
  w.strategy = "breakout";
  w.dir = side::buy;
  w.remaining = usd(amount);
  w.state = order_state::open;
  return w;
}

} // namespace

TEST_F(RiskPipelineTest, TheExposureAndPnlGaugesFollowTheLedgerAtTheNewestMarks) {
  box->portfolio.cash = usd(6'000);
  box->portfolio.positions = {btc(0.1, 40'000)};
  box->portfolio.working = {resting_buy(500)};
  box->portfolio.realized_total = usd(250);
  auto risk = start();
  market(risk, 39'999, 40'001);  // mid 40 000: NAV 6 000 + 4 000 = 10 000, the day's opening
  EXPECT_DOUBLE_EQ(metric("trader_exposure_pct", {}), 45.0);  // 4 000 held + 500 pending
  EXPECT_EQ(metric("trader_open_positions", {}), 1);
  EXPECT_EQ(metric("trader_pending_orders", {}), 1);
  EXPECT_EQ(metric("trader_pnl_daily_usd", {}), 0);
  EXPECT_EQ(metric("trader_drawdown_pct", {}), 0);
  EXPECT_DOUBLE_EQ(metric("trader_total_pnl_usd", {}), 250);  // realized, nothing unrealized

  now += 60 * ns_per_s;
  market(risk, 38'999, 39'001);  // mid 39 000: −100 unrealized, NAV 9 900
  EXPECT_NEAR(metric("trader_exposure_pct", {}), 100.0 * 4'400 / 9'900, 1e-9);
  EXPECT_DOUBLE_EQ(metric("trader_pnl_daily_usd", {}), -100);
  EXPECT_NEAR(metric("trader_pnl_daily_pct", {}), -1.0, 1e-9);  // of the day's opening NAV
  EXPECT_DOUBLE_EQ(metric("trader_pnl_weekly_usd", {}), -100);
  EXPECT_NEAR(metric("trader_pnl_weekly_pct", {}), -1.0, 1e-9);
  EXPECT_NEAR(metric("trader_drawdown_pct", {}), 1.0, 1e-9);  // 10 000 → 9 900
  EXPECT_DOUBLE_EQ(metric("trader_total_pnl_usd", {}), 150);  // 250 realized − 100 unrealized
  EXPECT_NEAR(metric("trader_total_pnl_pct", {}), 100.0 * 150 / 9'750, 1e-9);  // of NAV less that PnL
  EXPECT_FALSE(holds(gate_of(risk), gate_reason::daily_stop));

  // The resting buy is cancelled: nothing pending any more, the position alone at risk.
  portfolio_update u = box->portfolio;
  u.working.clear();
  push(risk, u);
  EXPECT_EQ(metric("trader_pending_orders", {}), 0);
  EXPECT_EQ(metric("trader_open_positions", {}), 1);
  EXPECT_NEAR(metric("trader_exposure_pct", {}), 100.0 * 3'900 / 9'900, 1e-9);
}

// Each loss limit raises its own CRITICAL alert and counts its trip (daily_stop: above).
TEST_F(RiskPipelineTest, AWeeklyStopAndAMaxDrawdownRaiseTheirAlertsAndCountTheirTrips) {
  box->portfolio.cash = usd(10'000);
  auto risk = start();
  auto lost = [](double cash, double day, double week, double total) {
    portfolio_update u;
    u.cash = usd(cash);
    u.realized_day = usd(day);
    u.realized_week = usd(week);
    u.realized_total = usd(total);
    return u;
  };
  push(risk, lost(9'250, 0, -750, -750));  // 7.5 % this ISO week, nothing today
  auto g = gate_of(risk);
  EXPECT_TRUE(holds(g, gate_reason::weekly_stop));
  EXPECT_FALSE(holds(g, gate_reason::daily_stop));
  ASSERT_EQ(box->alerts.size(), 1u);
  EXPECT_EQ(box->alerts[0].type, "weekly_stop");
  EXPECT_EQ(box->alerts[0].level, severity::critical);
  EXPECT_EQ(metric("trader_circuit_breaker_trips_total", {{"reason", "weekly_stop"}}), 1);
  EXPECT_EQ(metric("trader_circuit_breaker_state", {{"reason", "weekly_stop"}}), 1);

  now += 8 * 86'400LL * ns_per_s;  // a later week: the weekly stop clears
  push(risk, lost(9'250, 0, 0, -750));
  EXPECT_FALSE(holds(gate_of(risk), gate_reason::weekly_stop));
  EXPECT_EQ(metric("trader_circuit_breaker_state", {{"reason", "weekly_stop"}}), 0);
  push(risk, lost(8'900, 0, 0, -1'100));  // 11 % below the 10 000 high-water mark
  EXPECT_TRUE(holds(gate_of(risk), gate_reason::max_drawdown));
  ASSERT_FALSE(box->alerts.empty());
  EXPECT_EQ(box->alerts.back().type, "max_drawdown");
  EXPECT_EQ(box->alerts.back().level, severity::critical);
  EXPECT_FALSE(box->alerts.back().resolved);
  EXPECT_EQ(metric("trader_circuit_breaker_trips_total", {{"reason", "max_drawdown"}}), 1);
  EXPECT_NEAR(metric("trader_drawdown_pct", {}), 11.0, 1e-9);
}
