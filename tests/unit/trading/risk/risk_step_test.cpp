// risk_step: what the risk actor (and backtest's replay) does with each input to the desk
// and the gate — proposals through the gate, the first reconciled ledger clearing startup,
// exits the gate blocks firing again, loss limits held as one gate source, restored trips
// of an ended period dropped, an operator's drawdown resume — and the verdict's payload.
#include "actors/infra/audit/decision_stream.hpp"
#include "actors/trading/risk/calendar.hpp"
#include "actors/trading/risk/risk_step.hpp"
#include "desk_world.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

using namespace risk_test;

namespace {

gate_signal raise(gate_reason r) { return gate_signal{r, true, "test", "test", t0, ""}; }

/// A desk with a reconciled 20 000 USD ledger: buy_btc() is approved by the checks.
risk_desk ready_desk() {
  auto d = desk_with_btc();
  d.on_portfolio(ledger(20'000), t0);
  return d;
}

/// A desk holding 0.1 BTC bought at 40 000 (armed with the policy's exits).
risk_desk holding_desk() {
  auto d = desk_with_btc();
  d.on_portfolio(ledger(10'000, {held("BTC-USD", 0.1, 40'000)}), t0);
  return d;
}

} // namespace

TEST(RiskStep, AnApprovedEntryPassesAnOpenGateAndIsRecordedAsSent) {
  auto d = ready_desk();
  trading_gate g;
  auto ev = risk_step(d, g).proposal(buy_btc(), t0 + seconds(1));
  ASSERT_TRUE(ev.verdict.approved) << (ev.verdict.rejections.empty() ? "" : ev.verdict.rejections[0].detail);
  EXPECT_NE(d.plans_json().find("BTC-USD"), std::string::npos);  // its exit plan waits for the fill
}

TEST(RiskStep, AClosedGateTurnsAnApprovalIntoGateClosedAndRecordsNothing) {
  auto d = ready_desk();
  auto g = trading_gate::closed_at_start(t0);
  auto ev = risk_step(d, g).proposal(buy_btc(), t0 + seconds(1));
  EXPECT_FALSE(ev.verdict.approved);
  ASSERT_EQ(ids(ev.verdict), (std::vector<std::string>{"GATE_CLOSED"}));
  EXPECT_EQ(ev.verdict.rejections[0].detail, "reason=startup effect=open_or_add");
  EXPECT_EQ(d.plans_json().find("BTC-USD"), std::string::npos);
}

TEST(RiskStep, TheFirstReconciledLedgerClearsStartupOnlyWhenAsked) {
  auto d = desk_with_btc();
  auto kept = trading_gate::closed_at_start(t0);
  EXPECT_FALSE(risk_step(d, kept).portfolio(ledger(20'000), false, t0).startup_cleared);
  EXPECT_TRUE(kept.has(gate_reason::startup));

  auto g = trading_gate::closed_at_start(t0);
  auto unreconciled = ledger(20'000);
  unreconciled.reconciled = false;
  EXPECT_FALSE(risk_step(d, g).portfolio(unreconciled, true, t0).startup_cleared);
  EXPECT_TRUE(g.has(gate_reason::startup));
  EXPECT_TRUE(risk_step(d, g).portfolio(ledger(20'000, {}, 2), true, t0).startup_cleared);
  EXPECT_TRUE(g.is_open());
  EXPECT_TRUE(d.has_portfolio());
}

TEST(RiskStep, AQuoteOfAProductNotHeldDecidesNothing) {
  auto d = ready_desk();
  trading_gate g;
  auto out = risk_step(d, g).on_quote(quote_at("BTC-USD", 30'000, 30'001, 1, t0 + seconds(1)), t0 + seconds(1));
  EXPECT_FALSE(out.held);
  EXPECT_FALSE(out.exit.has_value());
}

TEST(RiskStep, AnExitTheGateBlocksFiresAgainOnTheNextCrossing) {
  auto d = holding_desk();
  trading_gate g;
  g.apply(raise(gate_reason::kill_switch));  // cancels only: even reduce-only is refused
  const auto crossing = [](int s) { return quote_at("BTC-USD", 35'999, 36'000, 1, t0 + seconds(s)); };
  auto blocked = risk_step(d, g).on_quote(crossing(2), t0 + seconds(2));
  EXPECT_TRUE(blocked.held);
  ASSERT_TRUE(blocked.exit.has_value());
  EXPECT_FALSE(blocked.gate.allowed);
  EXPECT_EQ(blocked.gate.blocking, gate_reason::kill_switch);

  trading_gate open;
  auto sent = risk_step(d, open).on_quote(crossing(3), t0 + seconds(3));
  ASSERT_TRUE(sent.exit.has_value());
  EXPECT_TRUE(sent.gate.allowed);
  EXPECT_EQ(sent.exit->kind, exit_kind::stop_loss);
  EXPECT_FALSE(risk_step(d, open).on_quote(crossing(4), t0 + seconds(4)).exit.has_value());  // sent: once
}

TEST(RiskStep, LossBreachesAreHeldAsTheLossLimitsSource) {
  auto d = ready_desk();
  trading_gate g;
  risk_step step{d, g};
  const std::vector<loss_breach> daily{loss_breach{gate_reason::daily_stop, "pnl=-310", t0, 0}};
  EXPECT_TRUE(step.hold_loss(daily, t0));
  ASSERT_EQ(g.reasons().size(), 1u);
  EXPECT_EQ(g.reasons()[0].reason, gate_reason::daily_stop);
  EXPECT_EQ(g.reasons()[0].source, loss_source);
  EXPECT_FALSE(step.hold_loss(daily, t0 + seconds(1)));  // re-asserted, unchanged
  EXPECT_TRUE(step.hold_loss({}, t0 + seconds(2)));
  EXPECT_TRUE(g.is_open());
}

TEST(RiskStep, ARestoredDailyTripIsDroppedOnceItsDayHasEnded) {
  auto d = desk_with_btc();
  d.on_portfolio(ledger(10'000), t0);
  d.update_loss(t0);
  auto u = ledger(9'690, {}, 2);
  u.realized_day = usd(-310);
  u.realized_week = usd(-310);
  d.on_portfolio(u, t0 + seconds(10));
  d.update_loss(t0 + seconds(10));
  trading_gate g;
  auto has_daily = [](const std::vector<loss_breach>& v) {
    return std::any_of(v.begin(), v.end(), [](const loss_breach& b) { return b.reason == gate_reason::daily_stop; });
  };
  EXPECT_TRUE(has_daily(risk_step(d, g).restored_loss(t0 + seconds(20))));
  EXPECT_FALSE(has_daily(risk_step(d, g).restored_loss(next_day_start(t0) + seconds(1))));
}

TEST(RiskStep, AnOperatorResumeResetsOnlyADrawdownTheLossLimitsHold) {
  auto d = desk_with_btc();
  d.on_portfolio(ledger(10'000), t0);
  d.update_loss(t0);
  trading_gate g;
  EXPECT_FALSE(risk_step(d, g).before_resume(gate_reason::max_drawdown, t0));  // not tripped
  auto lost = ledger(8'900, {}, 2);
  lost.realized_total = usd(-1'100);
  d.on_portfolio(lost, t0 + seconds(1));
  d.update_loss(t0 + seconds(1));
  ASSERT_TRUE(d.loss().holds(gate_reason::max_drawdown));
  EXPECT_FALSE(risk_step(d, g).before_resume(gate_reason::kill_switch, t0 + seconds(2)));
  EXPECT_TRUE(d.loss().holds(gate_reason::max_drawdown));
  EXPECT_TRUE(risk_step(d, g).before_resume(gate_reason::max_drawdown, t0 + seconds(2)));
  EXPECT_FALSE(d.loss().holds(gate_reason::max_drawdown));
}

TEST(RiskStep, TheVerdictPayloadCarriesTheIntentAndTheCapsOfAnEntry) {
  auto d = ready_desk();
  trading_gate g;
  const auto p = buy_btc();
  auto ev = risk_step(d, g).proposal(p, t0 + seconds(1));
  ASSERT_TRUE(ev.verdict.approved);
  auto j = verdict_json(p, ev, g.is_open(), d.engine().policy());
  EXPECT_EQ(j["product"], "BTC-USD");
  EXPECT_EQ(j["intent"]["side"], "buy");
  EXPECT_TRUE(j.contains("exposure"));
  auto line = trader::audit::decision_line("risk_verdict", j);
  ASSERT_TRUE(line.has_value());
  EXPECT_NE(line->find("\"approved\":true"), std::string::npos);
}
