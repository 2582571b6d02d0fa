// The risk actor as the live decision point (issue 15): proposal → verdict → intent to
// order_lifecycle, audited and counted; a closed gate; loss limits and exits on quotes.
#include "tests/actor/trading/risk_pipeline_fixture.hpp"

#include "actors/trading/risk/calendar.hpp"

using namespace risk_pipeline;

TEST_F(RiskPipelineTest, AnApprovedProposalIsSentToOrderLifecycleAndAudited) {
  auto risk = start();
  EXPECT_EQ(box->portfolio_asks, 1);  // asked for the ledger at start
  market(risk, 50'000, 50'001);
  run();
  const auto commits_before = store->commits;
  const auto saves_before = store->saves;
  auto v = propose(risk, buy("breakout:1"));
  ASSERT_TRUE(v.has_value());
  EXPECT_TRUE(v->approved) << (v->rejections.empty() ? "" : v->rejections[0].check + " " + v->rejections[0].detail);
  run();
  // Pacing and the entry's exit plan (and its pyramiding count) are persisted before the
  // intent goes, in ONE store write: each write is an fsync on the order path.
  EXPECT_GE(store->saves - saves_before, 2);
  EXPECT_EQ(store->commits - commits_before, 1);
  ASSERT_EQ(box->intents.size(), 1u);
  EXPECT_EQ(box->intents[0].proposal_id, "breakout:1");
  EXPECT_FALSE(box->intents[0].reduce_only);
  auto verdicts = audits("risk_verdict");
  ASSERT_EQ(verdicts.size(), 1u);
  EXPECT_TRUE(verdicts[0]["approved"].get<bool>());
  // An entry's verdict carries what the caps held before it and the caps (the soak's
  // exposure invariant reads it): 20,000 of cash, nothing held or pending yet.
  ASSERT_TRUE(verdicts[0].contains("exposure")) << verdicts[0].dump();
  EXPECT_EQ(verdicts[0]["exposure"]["nav"], "20000");
  EXPECT_EQ(verdicts[0]["exposure"]["total"], "0");
  EXPECT_EQ(verdicts[0]["exposure"]["asset"], "0");
  EXPECT_TRUE(verdicts[0]["exposure"]["per_asset_cap_pct"].is_number());
  auto sent = audits("risk_intent");
  ASSERT_EQ(sent.size(), 1u);
  EXPECT_TRUE(sent[0]["placed"].get<bool>());
  EXPECT_EQ(sent[0]["answer"]["client_order_id"], "c-1");
  EXPECT_EQ(metric("trader_risk_verdicts_total", {{"outcome", "approved"}}), 1);
  EXPECT_EQ(store->saved.count(risk::risk_keys::pacing), 1u);  // the trade is paced, persisted
}

TEST_F(RiskPipelineTest, ARejectedProposalIsAuditedCountedAndNeverSent) {
  auto risk = start();
  market(risk, 50'000, 50'001);
  run();
  auto v = propose(risk, buy("ghost:1", "ghost"));
  ASSERT_TRUE(v.has_value());
  EXPECT_FALSE(v->approved);
  ASSERT_FALSE(v->rejections.empty());
  EXPECT_EQ(v->rejections[0].check, "UNKNOWN_STRATEGY");
  EXPECT_TRUE(box->intents.empty());
  EXPECT_EQ(metric("trader_risk_rejections_total", {{"check", "UNKNOWN_STRATEGY"}}), 1);
  EXPECT_EQ(metric("trader_no_trade_total", {{"reason", "UNKNOWN_STRATEGY"}}), 1);
  ASSERT_EQ(audits("risk_verdict").size(), 1u);
  EXPECT_FALSE(audits("risk_verdict")[0]["approved"].get<bool>());
}

TEST_F(RiskPipelineTest, AClosedGateTurnsAnApprovedEntryIntoGateClosed) {
  auto risk = start(risk::trading_gate::closed_at_start(t0));
  market(risk, 50'000, 50'001);
  run();
  auto v = propose(risk, buy("breakout:1"));
  ASSERT_TRUE(v.has_value());
  EXPECT_FALSE(v->approved);
  ASSERT_EQ(v->rejections.size(), 1u);
  EXPECT_EQ(v->rejections[0].check, "GATE_CLOSED");
  EXPECT_EQ(v->rejections[0].detail, "reason=startup effect=open_or_add");
  EXPECT_TRUE(box->intents.empty());
}

TEST_F(RiskPipelineTest, WithoutALedgerEveryProposalIsRejectedAsStale) {
  reg_.erase_if(names::order_lifecycle, lifecycle.address());
  auto risk = start();
  market(risk, 50'000, 50'001);
  run();
  auto v = propose(risk, buy("breakout:1"));
  ASSERT_TRUE(v.has_value());
  EXPECT_FALSE(v->approved);
  EXPECT_EQ(v->rejections.at(0).check, "STALE_PORTFOLIO");
}

TEST_F(RiskPipelineTest, ARefusedIntentIsAuditedAndRiskStaysUp) {
  box->refuse_intents = true;
  auto risk = start();
  market(risk, 50'000, 50'001);
  run();
  auto v = propose(risk, buy("breakout:1"));
  ASSERT_TRUE(v.has_value() && v->approved);
  run();
  auto sent = audits("risk_intent");
  ASSERT_EQ(sent.size(), 1u);
  EXPECT_FALSE(sent[0]["placed"].get<bool>());
  EXPECT_NE(sent[0]["error"].get<std::string>().find("GATE_CLOSED"), std::string::npos);
  EXPECT_TRUE(alive(risk));
}

TEST_F(RiskPipelineTest, ADailyStopClosesTheGateWhileAStopLossExitStillGoesOut) {
  box->portfolio.cash = usd(6'000);
  box->portfolio.positions = {btc(0.1, 40'000)};  // stop at 36 000 (policy 10 %)
  auto risk = start();
  market(risk, 39'999, 40'001);  // NAV 10 000 at the day's opening
  run();
  EXPECT_FALSE(holds(gate_of(risk), gate_reason::daily_stop));
  now += 60 * ns_per_s;
  market(risk, 36'499, 36'501);  // −350 unrealized: 3.5 % of 10 000
  run();
  auto g = gate_of(risk);
  EXPECT_TRUE(holds(g, gate_reason::daily_stop));
  ASSERT_EQ(box->alerts.size(), 1u);
  EXPECT_EQ(box->alerts[0].type, "daily_stop");
  EXPECT_EQ(metric("trader_circuit_breaker_trips_total", {{"reason", "daily_stop"}}), 1);
  EXPECT_TRUE(box->intents.empty());
  // New risk is refused with the gate's reason...
  auto v = propose(risk, buy("breakout:2"));
  ASSERT_TRUE(v.has_value());
  EXPECT_FALSE(v->approved);
  // ...but the stop-loss fires on the quote that crosses it, before any cycle.
  now += ns_per_s;
  market(risk, 35'990, 36'000);
  run();
  ASSERT_EQ(box->intents.size(), 1u);
  EXPECT_TRUE(box->intents[0].reduce_only);
  EXPECT_EQ(box->intents[0].dir, side::sell);
  EXPECT_EQ(box->intents[0].base_size, qty(0.1));
  EXPECT_EQ(metric("trader_protective_exits_total", {{"kind", "stop_loss"}, {"outcome", "sent"}}), 1);
}

TEST_F(RiskPipelineTest, TheKillSwitchBlocksEvenAProtectiveExit) {
  auto gate = risk::trading_gate{};
  gate.apply(gate_signal{gate_reason::kill_switch, true, "operator", "control", t0, {}});
  auto risk = start(std::move(gate));
  push(risk, [] {
    portfolio_update u;
    u.cash = usd(6'000);
    u.positions = {btc(0.1, 40'000)};
    return u;
  }());
  market(risk, 35'000, 35'001);
  run();
  EXPECT_TRUE(box->intents.empty());
  EXPECT_EQ(metric("trader_protective_exits_total", {{"kind", "stop_loss"}, {"outcome", "blocked"}}), 1);
  ASSERT_EQ(audits("risk_exit").size(), 1u);
  EXPECT_EQ(audits("risk_exit")[0]["blocked_by"], "kill_switch");
  EXPECT_EQ(metric("trader_kill_switch", {}), 1);
  EXPECT_EQ(metric("trader_circuit_breaker_state", {{"reason", "kill_switch"}}), 1);
  EXPECT_EQ(metric("trader_circuit_breaker_state", {{"reason", "operator_halt"}}), 0);
  EXPECT_NE(test::metric_value(metrics, "trader_circuit_breaker_state", {{"reason", "operator_halt"}}), std::nullopt);
}

TEST_F(RiskPipelineTest, AKillSwitchByCommandOrSignalRaisesTheCriticalAlertAndItsResumeResolvesIt) {
  auto risk = start();
  auto kill = [&](const std::string& source) {
    return request<gate_changed>(risk, 30s, raise_gate{gate_signal{gate_reason::kill_switch, true, "test", source, now, {}}});
  };
  ASSERT_TRUE(kill("signal SIGUSR1")->value);
  ASSERT_TRUE(kill("control uid=0")->value);  // already engaged: no second alert
  std::vector<alert> raised;
  for (const auto& a : box->alerts)
    if (a.type == "kill_switch")
      raised.push_back(a);
  ASSERT_EQ(raised.size(), 1u);
  EXPECT_EQ(raised[0].level, severity::critical);
  EXPECT_FALSE(raised[0].resolved);
  auto r = request<gate_changed>(risk, 30s, resume_gate{gate_reason::kill_switch, "uid=0", false});
  ASSERT_TRUE(r->value);
  ASSERT_EQ(box->alerts.back().type, "kill_switch");
  EXPECT_TRUE(box->alerts.back().resolved);
}

TEST_F(RiskPipelineTest, TheKillSwitchFileWatcherRaisesItsOwnAlertNotRisk) {
  auto risk = start();
  ASSERT_TRUE(request<gate_changed>(risk, 30s,
                                    raise_gate{gate_signal{gate_reason::kill_switch, true, "file", "kill_switch_file", now, {}}})
                ->value);
  for (const auto& a : box->alerts)
    EXPECT_NE(a.type, "kill_switch");
}
